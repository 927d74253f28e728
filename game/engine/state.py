"""The state of one conversation and what it shows: `SessionState` (all a call's mutable state, one frozen value), its turns, effects and outcome, the moments a host renders, and their versioned JSON form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from game.scenario.model import (
    AbusivePolicy,
    EndingKind,
    Policy,
    Rating,
    SupervisorPolicy,
    Text,
)

STATE_VERSION = 1

# Built-in endings: the customer blew up (no `blowup` node), timed out on dead air, or gave up.
BLOWUP_LINE = "(blowup)"
DEAD_AIR_LINE = "(dead_air)"
TURN_LIMIT_LINE = "(turn_limit)"


class Phase(StrEnum):
    SPEAKING = "speaking"  # the customer's line is being shown
    CHOOSING = "choosing"  # the trainee picks a reply; the dead-air timer runs
    ENDED = "ended"


class TimerMode(StrEnum):
    NORMAL = "normal"
    RELAXED = "relaxed"  # accessibility: twice the grace, half the rate
    OFF = "off"


class SessionError(Exception):
    """A call that the session's current phase does not allow."""


class InvalidChoice(SessionError):
    """A choice number that the current node does not have."""


@dataclass(frozen=True, slots=True)
class Effect:
    """One explained contribution to a turn: what moved the meter, by how much, and why."""

    source: str  # technique id, or "silence", "relax", "debt"
    case: str
    anger: int
    principle: str | None
    short: str
    reason: str
    quality: float | None  # how well it followed the guides; None for side effects
    also: tuple[str, ...] = ()  # further principles the moment illustrates

    @property
    def cited(self) -> tuple[str, ...]:
        return (self.principle, *self.also) if self.principle else self.also

    def line(self) -> str:
        cite = f" ({', '.join(self.cited)})" if self.cited else ""
        return f"{self.anger:+d}: {self.reason}{cite}"


@dataclass(frozen=True, slots=True)
class Why:
    """The rule that decided a turn's verdict: which part of the reply it came from, the case
    the context picked for it, and why, in a sentence a trainee can check."""

    rule: str  # "<technique>.<case>" (e.g. "solve.early"), or "lookup_silence.dead_air"
    sentence: str


@dataclass(frozen=True, slots=True)
class Turn:
    number: int
    node: str
    choice: int  # authoring order, 1-based
    say: Text
    techniques: tuple[str, ...]
    tags: frozenset[str]
    anger_before: int
    anger_after: int
    silence: float
    effects: tuple[Effect, ...]
    quality: float
    feedback: Text | None  # the scenario author's override, if any
    reading: float = 0.0  # seconds allowed to read the screen before the silence clock started
    allowance: float = 0.0  # reading plus the channel's grace: silence up to this was free
    facts: tuple[str, ...] = ()  # what was true of the conversation when the reply was chosen
    jumped: int = 0  # bit mask (step.ORDERED_STEPS) of undone earlier steps this turn skipped
    why: Why | None = None  # the rule that decided the verdict (None on turns kept before it)

    @property
    def delta(self) -> int:
        return self.anger_after - self.anger_before

    def feedback_text(self, lang: str = "en") -> str:
        if self.feedback is not None:
            return self.feedback.get(lang)
        return " ".join(e.line() for e in self.effects)


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: EndingKind
    rating: Rating
    node: str
    cause: str  # "ending", "blowup", "dead_air" or "turn_limit"
    effects: tuple[Effect, ...]  # what landed after the last turn (a broken promise)
    final_anger: int


@dataclass(frozen=True, slots=True)
class Event:
    """What the trainee did at one prompt: a choice, or nothing until the customer gave up."""

    choice: int | None
    silence: float


@dataclass(frozen=True, slots=True)
class SessionState:
    scenario_id: str
    content_hash: str
    policy: Policy
    seed: int
    timer: TimerMode
    phase: Phase
    node: str
    anger: int
    heard: float
    trust: float
    vent: int
    debt: int
    helped: int
    boundary: bool
    policy_broken: bool  # a turn broke company policy (a refund against a refund history)
    uses: tuple[tuple[str, int], ...]
    flags: frozenset[str]
    silence: float
    nudged: bool
    turns: tuple[Turn, ...]
    events: tuple[Event, ...]
    outcome: Outcome | None
    start_anger: int
    acknowledged: bool = False  # the problem has been recapped or the feeling acknowledged
    catalog_hash: str = ""  # the technique catalog that scores this call ("" before it was kept)
    version: int = STATE_VERSION

    @property
    def turn_count(self) -> int:
        return len(self.turns)

    def anger_trace(self) -> tuple[int, ...]:
        """Start value first, then after every turn, then the final value if it moved."""
        trace = [self.start_anger, *(t.anger_after for t in self.turns)]
        if self.outcome is not None and self.outcome.final_anger != trace[-1]:
            trace.append(self.outcome.final_anger)
        return tuple(trace)

    def to_json(self) -> str:
        return json.dumps(_state_to_dict(self), ensure_ascii=False, sort_keys=True)

    @staticmethod
    def from_json(text: str) -> SessionState:
        try:
            return _state_from_dict(json.loads(text))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"not a valid session state: {error}") from error


# ---- moments: what to show now ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CustomerLine:
    node: str
    text: str
    final: bool  # the conversation ends after this line


@dataclass(frozen=True, slots=True)
class Option:
    number: int  # authoring order: what `choose()` takes
    text: str


@dataclass(frozen=True, slots=True)
class ChoicePrompt:
    node: str
    options: tuple[Option, ...]  # in display (shuffled) order
    silence: float
    nudge: str | None  # "Are you still there?" once the customer has noticed the silence
    live_anger: float


@dataclass(frozen=True, slots=True)
class Finished:
    outcome: Outcome


Moment = CustomerLine | ChoicePrompt | Finished


# ---- JSON ---------------------------------------------------------------------------------


def _text_to_json(text: Text) -> dict[str, str]:
    return {"en": text.en, **dict(text.translations)}


def _text_from_json(data: dict[str, str]) -> Text:
    return Text(data["en"], tuple((k, v) for k, v in data.items() if k != "en"))


def _effect_to_json(e: Effect) -> dict[str, Any]:
    return {
        "source": e.source,
        "case": e.case,
        "anger": e.anger,
        "principle": e.principle,
        "short": e.short,
        "reason": e.reason,
        "quality": e.quality,
        "also": list(e.also),
    }


def _effect_from_json(d: dict[str, Any]) -> Effect:
    return Effect(
        source=str(d["source"]),
        case=str(d["case"]),
        anger=int(d["anger"]),
        principle=None if d["principle"] is None else str(d["principle"]),
        short=str(d["short"]),
        reason=str(d["reason"]),
        quality=None if d["quality"] is None else float(d["quality"]),
        also=tuple(str(p) for p in d.get("also", ())),
    )


def turn_to_json(t: Turn) -> dict[str, Any]:
    return {
        "number": t.number,
        "node": t.node,
        "choice": t.choice,
        "say": _text_to_json(t.say),
        "techniques": list(t.techniques),
        "tags": sorted(t.tags),
        "anger_before": t.anger_before,
        "anger_after": t.anger_after,
        "silence": t.silence,
        "effects": [_effect_to_json(e) for e in t.effects],
        "quality": t.quality,
        "feedback": None if t.feedback is None else _text_to_json(t.feedback),
        "reading": t.reading,
        "allowance": t.allowance,
        "facts": list(t.facts),
        "jumped": t.jumped,
        "why": None if t.why is None else {"rule": t.why.rule, "sentence": t.why.sentence},
    }


def turn_from_json(d: dict[str, Any]) -> Turn:
    return Turn(
        number=int(d["number"]),
        node=str(d["node"]),
        choice=int(d["choice"]),
        say=_text_from_json(d["say"]),
        techniques=tuple(str(x) for x in d["techniques"]),
        tags=frozenset(str(x) for x in d["tags"]),
        anger_before=int(d["anger_before"]),
        anger_after=int(d["anger_after"]),
        silence=float(d["silence"]),
        effects=tuple(_effect_from_json(e) for e in d["effects"]),
        quality=float(d["quality"]),
        feedback=None if d["feedback"] is None else _text_from_json(d["feedback"]),
        reading=float(d.get("reading", 0.0)),
        allowance=float(d.get("allowance", 0.0)),
        facts=tuple(str(f) for f in d.get("facts", ())),
        jumped=int(d.get("jumped", 0)),
        why=None if d.get("why") is None else Why(str(d["why"]["rule"]), str(d["why"]["sentence"])),
    )


def _state_to_dict(s: SessionState) -> dict[str, Any]:
    outcome = s.outcome
    return {
        "version": s.version,
        "scenario_id": s.scenario_id,
        "content_hash": s.content_hash,
        "policy": {
            "abusive_caller": s.policy.abusive_caller.value,
            "supervisor_request": s.policy.supervisor_request.value,
        },
        "seed": s.seed,
        "timer": s.timer.value,
        "phase": s.phase.value,
        "node": s.node,
        "anger": s.anger,
        "start_anger": s.start_anger,
        "heard": s.heard,
        "trust": s.trust,
        "vent": s.vent,
        "debt": s.debt,
        "helped": s.helped,
        "boundary": s.boundary,
        "acknowledged": s.acknowledged,
        "catalog_hash": s.catalog_hash,
        "policy_broken": s.policy_broken,
        "uses": dict(s.uses),
        "flags": sorted(s.flags),
        "silence": s.silence,
        "nudged": s.nudged,
        "turns": [turn_to_json(t) for t in s.turns],
        "events": [{"choice": e.choice, "silence": e.silence} for e in s.events],
        "outcome": None
        if outcome is None
        else {
            "kind": outcome.kind.value,
            "rating": outcome.rating.value,
            "node": outcome.node,
            "cause": outcome.cause,
            "effects": [_effect_to_json(e) for e in outcome.effects],
            "final_anger": outcome.final_anger,
        },
    }


def _state_from_dict(d: dict[str, Any]) -> SessionState:
    if d.get("version") != STATE_VERSION:
        raise ValueError(f"session state version {d.get('version')!r}; expected {STATE_VERSION}")
    raw_outcome = d["outcome"]
    outcome = (
        None
        if raw_outcome is None
        else Outcome(
            kind=EndingKind(raw_outcome["kind"]),
            rating=Rating(raw_outcome["rating"]),
            node=str(raw_outcome["node"]),
            cause=str(raw_outcome["cause"]),
            effects=tuple(_effect_from_json(e) for e in raw_outcome["effects"]),
            final_anger=int(raw_outcome["final_anger"]),
        )
    )
    return SessionState(
        version=STATE_VERSION,
        scenario_id=str(d["scenario_id"]),
        content_hash=str(d["content_hash"]),
        policy=Policy(
            AbusivePolicy(d["policy"]["abusive_caller"]),
            SupervisorPolicy(d["policy"]["supervisor_request"]),
        ),
        seed=int(d["seed"]),
        timer=TimerMode(d["timer"]),
        phase=Phase(d["phase"]),
        node=str(d["node"]),
        anger=int(d["anger"]),
        start_anger=int(d["start_anger"]),
        heard=float(d["heard"]),
        trust=float(d["trust"]),
        vent=int(d["vent"]),
        debt=int(d["debt"]),
        helped=int(d["helped"]),
        boundary=bool(d["boundary"]),
        acknowledged=bool(d.get("acknowledged", False)),
        catalog_hash=str(d.get("catalog_hash", "")),
        policy_broken=bool(d.get("policy_broken", False)),
        uses=tuple(sorted((str(k), int(v)) for k, v in d["uses"].items())),
        flags=frozenset(str(f) for f in d["flags"]),
        silence=float(d["silence"]),
        nudged=bool(d["nudged"]),
        turns=tuple(turn_from_json(t) for t in d["turns"]),
        events=tuple(
            Event(None if e["choice"] is None else int(e["choice"]), float(e["silence"]))
            for e in d["events"]
        ),
        outcome=outcome,
    )
