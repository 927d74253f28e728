"""The rules every form that asks for a secret follows, in plain Python (no pygame): the PIN
sign-in, the database login and the desk's passphrase share them.

- a secret is never shown: the field draws one dot per character (`masked`);
- Enter in a field moves on to the next secret that is still empty, else submits;
- a refused try says why and empties the secrets it names (never the login name);
- the status line says "Checking…" while the worker runs, then how long the wait after wrong
  tries still is, in whole seconds rounded up, after what went wrong.

The scenes keep their own layout and drawing; the wait's schedule is the training layer's
(`game.training`), counted in the store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

MASK = "•"


def masked(text: str) -> str:
    """What a secret field shows for `text`: a dot per character, never the characters."""
    return MASK * len(text)


def seconds_left(wait: float) -> int:
    """A wait as shown: whole seconds, rounded up (0.2 s left still says 1 s)."""
    return int(wait + 0.999) if wait > 0 else 0


class Typed(Protocol):
    """Anything holding what was typed (the window's text fields)."""

    text: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One field of the form: its key (also its place in the focus order) and whether it
    holds a secret."""

    key: str
    secret: bool


class SecretForm:
    """What a secret form decides; the scene owns the widgets and passes them in by key."""

    def __init__(
        self,
        entries: Sequence[Entry],
        busy: str = "Checking…",
        retry: str = "{error} Try again in {seconds_left} s.",
    ) -> None:
        self.entries = tuple(entries)
        self.busy = busy  # the status while the worker runs, in the reader's language
        self.retry = retry  # the wait after wrong tries: {error} and {seconds_left}
        self.error = ""  # why the last try was refused
        self.message = ""  # a note that is not an error
        self.checking = False
        self.wait = 0.0  # seconds before another try is taken

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(entry.key for entry in self.entries)

    def status(self) -> str:
        """The line under the fields."""
        if self.checking:
            return self.busy
        if self.wait > 0:
            try:
                line = self.retry.format(error=self.error, seconds_left=seconds_left(self.wait))
            except (KeyError, IndexError, ValueError):  # a broken translation: the English
                line = f"{self.error} Try again in {seconds_left(self.wait)} s."
            return line.strip()
        return self.error or self.message

    def after_enter(self, key: str, fields: Mapping[str, Typed]) -> str | None:
        """Enter pressed in field `key`: the field to focus next (the next secret still
        empty), or None to submit."""
        keys = self.keys
        if key not in keys:
            return None
        for entry in self.entries[keys.index(key) + 1 :]:
            if entry.secret:
                return entry.key if not fields[entry.key].text else None
        return None

    def may_submit(self) -> bool:
        """False while a check runs or the wait after wrong tries is not over."""
        return not self.checking and self.wait <= 0

    def refuse(self, why: str, fields: Mapping[str, Typed], clear: Sequence[str] = ()) -> None:
        """Say why the try was refused and empty the named secrets (only secrets)."""
        self.error = why
        secret = {entry.key for entry in self.entries if entry.secret}
        for key in clear:
            if key in secret:
                fields[key].text = ""

    def forget(self, fields: Mapping[str, Typed]) -> None:
        """Empty every secret (the scene is closing, or the secret was used)."""
        for entry in self.entries:
            if entry.secret:
                fields[entry.key].text = ""
