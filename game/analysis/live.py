"""Live reload: notice that a scenario file changed, and resume the call where it was.

A trainer edits a level while playing it (`hold-the-line play --watch`, `hold-the-line text
SCENARIO --watch`). The hosts only poll a `ScenarioWatch` and show what it says; the rules
live here, without pygame, so both hosts behave alike and the tests need no window:

- A change is taken only once the file has held still for one poll (an editor that writes
  in two steps is never read half-written), and only if its content really changed.
- A broken edit gives its located problems; the host shows them over the call and keeps
  the last good version running.
- A good edit is resumed by replaying the choices made so far on the new version, through
  the one replay (`engine.session.replay_conversation`). If the edit removed or moved the
  point the call had reached, the call resumes at the last point both versions share, and
  the note says where and why.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from game.engine.catalog import Catalog
from game.engine.session import (
    Event,
    SessionError,
    SessionState,
    Spoken,
    replay_conversation,
)
from game.scenario.loader import load_scenario
from game.scenario.model import Policy, Scenario
from game.scenario.problems import Problem, ScenarioError


@dataclass(frozen=True, slots=True)
class Resumption:
    """Where a call resumes on an edited scenario, and how it got there."""

    state: SessionState  # the replayed call, ready to show its next moment
    lines: tuple[Spoken, ...]  # everything said so far, as the new version words it
    events: tuple[Event, ...]  # the part of the old call that was replayed
    replies_kept: int
    replies_before: int
    exact: bool  # the call is at the same point as before the edit
    note: str  # one line for the author: where the call resumed, and why there if it moved


def _replies(events: tuple[Event, ...]) -> int:
    return sum(1 for e in events if e.choice is not None)


def _counted(n: int) -> str:
    return f"{n} reply" if n == 1 else f"{n} replies"


def _attempt(
    scenario: Scenario,
    old: SessionState,
    events: tuple[Event, ...],
    policy: Policy | None,
    lang: str,
    catalog: Catalog,
) -> tuple[SessionState, tuple[Spoken, ...]] | str:
    """The replay of `events` on the new version, or why it no longer fits the old call."""
    try:
        state, lines = replay_conversation(
            scenario,
            events,
            policy=policy,
            seed=old.seed,
            timer=old.timer,
            lang=lang,
            catalog=catalog,
        )
    except SessionError as error:
        return str(error)
    except KeyError as error:  # a node the old call went through is gone
        return f"node {error} is gone"
    for before, after in zip(old.turns, state.turns, strict=False):
        if before.node != after.node:
            return (
                f"reply {after.number} was at node '{before.node}' and now comes at "
                f"node '{after.node}'"
            )
    if len(state.turns) < _replies(events):  # the call ended sooner than before
        return f"the call now ends after {len(state.turns)} replies"
    return state, lines


def resume(
    scenario: Scenario,
    old: SessionState,
    *,
    policy: Policy | None = None,
    lang: str = "en",
    catalog: Catalog,
) -> Resumption:
    """Replay the old call's choices on `scenario` as far as they still lead the same way.

    `policy` is the campaign's (the scenario's own override is applied again, from the new
    version). The longest prefix of the old events that replays through the same nodes wins;
    the seed and the timer are the old call's, so the replies keep their order on screen."""
    events = old.events
    reason = ""
    for keep in range(len(events), -1, -1):
        result = _attempt(scenario, old, events[:keep], policy, lang, catalog)
        if isinstance(result, str):
            reason = reason or result
            continue
        state, lines = result
        if keep == len(events) and old.outcome is None and state.node != old.node:
            reason = f"the last reply now leads to node '{state.node}', not '{old.node}'"
        exact = keep == len(events) and not reason
        kept = _replies(events[:keep])
        if exact:
            note = f"reloaded: resumed at node '{state.node}' after {_counted(kept)}"
        else:
            note = (
                f"reloaded, but the edit changed the call ({reason}): resumed at node "
                f"'{state.node}' after {kept} of {_counted(_replies(events))}"
            )
        return Resumption(
            state, lines, events[:keep], _replies(events[:keep]), _replies(events), exact, note
        )
    raise AssertionError("an empty replay always fits")  # pragma: no cover - keep=0 starts


@dataclass(frozen=True, slots=True)
class Reloaded:
    scenario: Scenario


@dataclass(frozen=True, slots=True)
class Broken:
    problems: tuple[Problem, ...]

    def lines(self) -> tuple[str, ...]:
        return tuple(str(p) for p in self.problems)


Change = Reloaded | Broken


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class ScenarioWatch:
    """Polls one scenario file; reports a change once the file has held still for a poll."""

    def __init__(self, path: str | Path, content_hash: str, *, read_now: bool = True) -> None:
        """`read_now`: the running version was read from the file as it is now. Otherwise
        (a version read a while ago) the first polls compare the file with it."""
        self.path = Path(path)
        self.content_hash = content_hash  # of the version running now
        # what the running version was read from
        self._seen: tuple[int, int] | bool | None = _signature(self.path) if read_now else True
        self._pending: tuple[int, int] | bool | None = False  # False: no change pending
        self._reported: tuple[str, ...] = ()  # the problems already shown, not shown again

    def poll(self) -> Change | None:
        """A good new version, the problems of a broken one, or None (nothing new)."""
        signature = _signature(self.path)
        if signature == self._seen:
            self._pending = False
            return None
        if signature != self._pending:  # changed since the last poll: wait for it to settle
            self._pending = signature
            return None
        self._seen, self._pending = signature, False
        try:
            scenario = load_scenario(self.path)
        except ScenarioError as error:
            broken = Broken(error.problems)
            if broken.lines() == self._reported:
                return None
            self._reported = broken.lines()
            return broken
        was_broken, self._reported = bool(self._reported), ()
        if scenario.content_hash == self.content_hash and not was_broken:
            return None  # saved again unchanged
        self.content_hash = scenario.content_hash
        return Reloaded(scenario)
