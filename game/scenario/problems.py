"""Located problems with stable codes, shared by the loader, the checks and lint."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from game.scenario.diagnostics import titles

# Stable codes: authors search for them, tests assert them. Never renumber. The table with
# each code's documentation is `game.scenario.diagnostics`; these are its titles.
CODES: dict[str, str] = titles("SC")
LINT_CODES: dict[str, str] = titles("LN")


# Control characters an author's text could smuggle into a message (an unknown key written
# as "\x1b[2J" would otherwise clear the terminal that prints the problem; a newline could
# forge a line of output that looks like another problem, or like none).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """One line safe to print: control characters shown as escapes, never sent as themselves."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


class Position(NamedTuple):
    """1-based line and column in a source file.

    A named tuple, not a dataclass: every value read from a file gets one, and a tuple is
    made in half the time of a frozen dataclass.
    """

    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    col: int
    code: str
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"
        if self.suggestion is not None:
            text += f" (did you mean '{self.suggestion}'?)"
        return text


class ScenarioError(Exception):
    """Everything wrong with one file, all at once, in source order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: (p.path, p.line, p.col, p.code))
        )
        super().__init__("\n".join(str(p) for p in self.problems))


# How many candidate comparisons the did-you-mean search may make for one file. Each unknown
# name is compared with every known one, so a file of 2,000 nodes with 1,000 broken links
# asked for 2 million (6.7 s); past the budget, problems are still reported, without a guess.
SUGGESTION_BUDGET = 40_000
MAX_SUGGESTED_WORD = 100  # a longer word is no typo of an id


# Words that say which way a comparison goes. A name is suggested by meaning before letters:
# `anger_above` is one letter-edit nearer `anger_below` than `anger_at_least`, but means the
# latter; and a suggestion never points the opposite way from what the author wrote.
_UP, _DOWN = "up", "down"
DIRECTION_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("above", "over", "more", "greater", "min", "minimum", "least", "higher", "high",
         "exceeds", "gt", "gte", "ge", "atleast", "from", "after"),
        _UP,
    ),
    **dict.fromkeys(
        ("below", "under", "less", "max", "maximum", "most", "lower", "low", "lt", "lte",
         "le", "atmost", "before", "until"),
        _DOWN,
    ),
}  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")


def _words(name: str) -> list[str]:
    return _WORD.findall(name.lower())


def direction(name: str) -> str | None:
    """Which way a name compares (`up` for at-least/above, `down` for below/at-most), if
    it says so unambiguously."""
    found = {DIRECTION_WORDS[w] for w in _words(name) if w in DIRECTION_WORDS}
    return found.pop() if len(found) == 1 else None


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The near-miss an author most likely meant, if any is close enough: by meaning first
    (same subject, same direction), then by spelling, never the opposite direction."""
    if len(word) > MAX_SUGGESTED_WORD:
        return None
    pool = list(candidates)
    way = direction(word)
    if way is not None:
        subject = _words(word)[:1]
        for candidate in pool:
            if direction(candidate) == way and _words(candidate)[:1] == subject:
                return candidate
        pool = [c for c in pool if direction(c) in (None, way)]
    import difflib  # here: a file with no unknown name never needs it

    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return matches[0] if matches else None


class ProblemSink:
    """Collects problems for one file so every check can run before we report."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Problem] = []
        self.places: set[tuple[int, int]] = set()
        self.suggestion_budget = SUGGESTION_BUDGET

    def add(self, pos: Position, code: str, message: str, suggestion: str | None = None) -> None:
        if suggestion is not None:
            suggestion = printable(suggestion)
        self.items.append(
            Problem(self.path, pos.line, pos.col, code, printable(message), suggestion)
        )
        self.places.add((pos.line, pos.col))

    def reported_at(self, pos: Position) -> bool:
        return (pos.line, pos.col) in self.places

    def unknown(
        self,
        pos: Position,
        code: str,
        what: str,
        word: str,
        known: Iterable[str],
        where: str = "",
    ) -> str | None:
        """Report an unknown name, with the near-miss the author most likely meant (returned)."""
        suffix = f" {where}" if where else ""
        candidates = known if isinstance(known, Collection) else tuple(known)
        suggestion = None
        if self.suggestion_budget >= len(candidates):
            self.suggestion_budget -= len(candidates)
            suggestion = closest(word, candidates)
        self.add(pos, code, f"unknown {what} '{word}'{suffix}", suggestion)
        return suggestion

    def raise_if_any(self) -> None:
        if self.items:
            raise ScenarioError(self.items)
