"""The session runner: plays one scenario, turn by turn, as pure functions over `SessionState`.

The UI and the text player pull what to show with `current()` and push the trainee's
decisions with `proceed()`, `choose()` and `tick()`. All mutable state of a conversation is
the one frozen `SessionState`, which round-trips through JSON; an attempt replays exactly
from its recorded events.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import numpy as np

from game.engine.catalog import Catalog, DeadAirRule
from game.engine.mood import Mood, dead_air_anger, decided_by
from game.engine.step import (
    BLOWUP,
    ENDING,
    RATINGS,
    RUNNING,
    Batch,
    Compiled,
    advance,
    compiled_for,
    context,
    finish,
    verdict_for,
)
from game.engine.step import ENDS_DESPITE_BLOWUP as ENDS_DESPITE_BLOWUP
from game.engine.step import JUDGED_ENDINGS as JUDGED_ENDINGS
from game.engine.step import MAX_TURNS as MAX_TURNS
from game.engine.variation import fact_names, line_of, starting_point, wording
from game.scenario.model import (
    AbusivePolicy,
    Choice,
    EndingKind,
    Node,
    Policy,
    Rating,
    Scenario,
    SupervisorPolicy,
    Text,
)

STATE_VERSION = 1

# Built-in endings: the customer blew up (no `blowup` node), timed out on dead air, or gave up.
BLOWUP_LINE = "(blowup)"
DEAD_AIR_LINE = "(dead_air)"
TURN_LIMIT_LINE = "(turn_limit)"
BUILTIN_LINES: dict[str, str] = {
    BLOWUP_LINE: "That's it. I've had enough of this. I'm taking my business elsewhere.",
    DEAD_AIR_LINE: "Hello? ... Hello?! Unbelievable. I'm done waiting.",
    TURN_LIMIT_LINE: "We're going round in circles. I'm done with this.",
}
NUDGE_LINES: dict[str, str] = {
    "phone": "Hello? Are you still there?",
    "in_person": "Excuse me? Are you even listening?",
    "chat": "Hello?? Is anyone there?",
    "email": "",
}


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


# ---- the runner ---------------------------------------------------------------------------


def start(
    scenario: Scenario,
    *,
    policy: Policy | None = None,
    seed: int = 0,
    timer: TimerMode = TimerMode.NORMAL,
    catalog: Catalog,
) -> SessionState:
    """A new call. `catalog` is the technique catalog that will score it; its content
    hash is kept in the state."""
    effective = scenario.policy.over(policy or Policy())
    begin = starting_point(scenario, seed)
    return SessionState(
        scenario_id=scenario.id,
        content_hash=scenario.content_hash,
        policy=effective,
        seed=seed,
        timer=timer,
        phase=Phase.SPEAKING,
        node=scenario.start,
        anger=begin.anger,
        heard=0.0,
        trust=catalog.params.trust_start,
        vent=begin.vent,
        debt=0,
        helped=0,
        boundary=False,
        acknowledged=False,
        policy_broken=False,
        uses=(),
        flags=begin.flags,
        silence=0.0,
        nudged=False,
        turns=(),
        events=(),
        outcome=None,
        start_anger=begin.anger,
        catalog_hash=catalog.content_hash,
    )


def current(
    scenario: Scenario, state: SessionState, lang: str = "en", *, catalog: Catalog
) -> Moment:
    if state.phase is Phase.ENDED:
        assert state.outcome is not None
        return Finished(state.outcome)
    if state.phase is Phase.SPEAKING:
        return CustomerLine(
            state.node,
            customer_line(scenario, state, lang, catalog=catalog),
            _is_final(scenario, state.node),
        )
    node = scenario.node(state.node)
    rule = dead_air_rule(scenario, state.timer, catalog=catalog)
    nudge = NUDGE_LINES[scenario.channel.value] if state.nudged and rule is not None else None
    return ChoicePrompt(
        node=node.id,
        options=tuple(
            Option(c.number, wording(scenario.id, node.id, c, state.seed).get(lang))
            for c in shuffled(node, state.seed, state.turn_count)
        ),
        silence=state.silence,
        nudge=nudge,
        live_anger=live_anger(scenario, state, catalog=catalog),
    )


def proceed(scenario: Scenario, state: SessionState) -> SessionState:
    """The customer has finished speaking: on to the choices, or to the end."""
    if state.phase is not Phase.SPEAKING:
        raise SessionError(f"proceed() needs the customer to be speaking, not {state.phase}")
    if _is_final(scenario, state.node):
        return replace(state, phase=Phase.ENDED)
    return replace(state, phase=Phase.CHOOSING, silence=0.0, nudged=False)


def tick(
    scenario: Scenario, state: SessionState, seconds: float, *, catalog: Catalog
) -> SessionState:
    """Time passes while the trainee decides; on a live channel, silence past the reading
    allowance costs."""
    if state.phase is not Phase.CHOOSING or seconds <= 0:
        return state
    silence = state.silence + seconds
    rule = dead_air_rule(scenario, state.timer, catalog=catalog)
    if rule is None:
        return replace(state, silence=silence)
    allowance = reading_allowance(scenario, state.node, state.timer, catalog=catalog)
    added = silence_anger(scenario, state.node, state.timer, silence, catalog=catalog)
    nudged = state.nudged or silence >= allowance + rule.nudge_after - rule.grace
    if state.anger + added >= 100 or silence - allowance >= rule.give_up:
        effect = _silence_effect(max(0, 100 - state.anger), silence, allowance)
        timed_out = replace(
            state,
            silence=silence,
            nudged=nudged,
            events=(*state.events, Event(None, silence)),
            anger=100,
        )
        return _enter_builtin(timed_out, DEAD_AIR_LINE, "dead_air", (effect,))
    return replace(state, silence=silence, nudged=nudged)


def choose(
    scenario: Scenario, state: SessionState, number: int, *, catalog: Catalog
) -> tuple[SessionState, Turn]:
    """Play the trainee's reply (authoring number) and move the conversation on, judged by
    `catalog`."""
    if state.phase is not Phase.CHOOSING:
        raise SessionError(f"choose() needs a choice prompt, not {state.phase}")
    node = scenario.node(state.node)
    if not 1 <= number <= len(node.choices):
        raise InvalidChoice(
            f"node '{node.id}' has choices 1..{len(node.choices)}; {number} is not one of them"
        )
    choice = node.choices[number - 1]
    rule_on = dead_air_rule(scenario, state.timer, catalog=catalog) is not None
    silence_added = silence_anger(scenario, state.node, state.timer, state.silence, catalog=catalog)
    allowance = reading_allowance(scenario, state.node, state.timer, catalog=catalog)
    lookup_silence = _lookup_silence(scenario, state, node, choice.techniques, catalog)
    anger_before = min(100, state.anger + silence_added + lookup_silence)

    compiled = compiled_for(scenario, state.policy, catalog)
    batch = _batch_of_one(compiled, catalog, state, anger_before)
    mood_before = batch.mood
    flat = int(compiled.choice_offset[compiled.node_index[node.id]]) + number - 1
    lookup_quality = np.array([-1.0]) if lookup_silence else None
    step = advance(compiled, catalog, batch, np.array([flat], dtype=np.int64), lookup_quality)

    effects: list[Effect] = []
    if lookup_silence > 0:
        effects.append(_lookup_silence_effect(lookup_silence, state.silence))
    if silence_added > 0:
        effects.append(_silence_effect(silence_added, state.silence, allowance))
    for tid in choice.techniques:
        technique = catalog.techniques[tid]
        case = technique.cases[int(step.verdict.case[0, technique.index])]
        effects.append(
            Effect(
                source=tid,
                case=case.name,
                anger=int(step.verdict.anger[0, technique.index]),
                principle=case.principle,
                short=case.short,
                reason=case.reason,
                quality=case.quality,
                also=case.also,
            )
        )
    relax = int(step.applied.relax[0])
    if relax:
        effects.append(
            _side_effect(
                "relax",
                "heard",
                relax,
                "G-LISTEN-3",
                "feeling heard",
                "Feeling heard, they eased off a little.",
            )
        )
    if int(step.flared[0]):
        effects.append(_flare_effect(int(step.flared[0])))
    if int(step.lifted[0]):
        effects.append(_threat_effect(int(step.lifted[0])))
    if int(step.held[0]):
        effects.append(_unresolved_effect(int(step.held[0])))
    after = batch.mood
    anger_after = int(after.anger[0])

    def decide(tid: str) -> str:
        at = np.array([compiled.node_index[node.id]], dtype=np.int64)
        return decided_by(catalog, mood_before, context(compiled, at), tid)

    turn = Turn(
        number=state.turn_count + 1,
        node=node.id,
        choice=number,
        say=wording(scenario.id, node.id, choice, state.seed),
        techniques=choice.techniques,
        tags=node.tags,
        anger_before=anger_before,
        anger_after=anger_after,
        silence=state.silence,
        effects=tuple(effects),
        quality=float(step.quality[0]),
        feedback=authored_feedback(choice, float(step.quality[0])),
        reading=reading_seconds(scenario, node.id, state.timer, catalog=catalog)
        if rule_on
        else 0.0,
        allowance=allowance if rule_on else 0.0,
        facts=conversation_facts(state, node),
        jumped=int(step.jumped[0]),
        why=_why(catalog, effects, float(step.quality[0]), decide),
    )
    uses = dict(state.uses)
    for tid in choice.techniques:
        uses[tid] = uses.get(tid, 0) + 1
    played = replace(
        state,
        anger=anger_after,
        heard=float(after.heard[0]),
        trust=float(after.trust[0]),
        vent=int(after.vent[0]),
        debt=int(after.debt[0]),
        helped=int(after.helped[0]),
        boundary=bool(after.boundary[0]),
        acknowledged=bool(after.acknowledged[0]),
        policy_broken=bool(batch.policy_broken[0]),
        uses=tuple(sorted(uses.items())),
        flags=state.flags | frozenset(choice.sets),
        turns=(*state.turns, turn),
        events=(*state.events, Event(number, state.silence)),
        silence=0.0,
        nudged=False,
    )
    cause = int(batch.cause[0])
    if cause == RUNNING:
        return replace(
            played, node=compiled.node_ids[int(step.target[0])], phase=Phase.SPEAKING
        ), turn
    if cause == BLOWUP and not scenario.has_blowup:
        return _enter_builtin(played, BLOWUP_LINE, "blowup", ()), turn
    if cause in (BLOWUP, ENDING):
        ending_node = compiled.node_ids[int(batch.node[0])]
        rating, final, _ = finish(compiled, catalog, batch)
        how = "ending" if cause == ENDING else "blowup"
        rated = RATINGS[int(rating[0])]
        return _enter_ending(scenario, played, ending_node, how, rated, int(final[0])), turn
    return _enter_builtin(played, TURN_LIMIT_LINE, "turn_limit", ()), turn


@dataclass(frozen=True, slots=True)
class Spoken:
    """One line of a conversation as it was on screen: who said it, and the words."""

    speaker: str  # "customer" or "agent"
    text: str


def replay_conversation(
    scenario: Scenario,
    events: Iterable[Event],
    *,
    policy: Policy | None = None,
    seed: int = 0,
    timer: TimerMode = TimerMode.NORMAL,
    lang: str = "en",
    catalog: Catalog,
) -> tuple[SessionState, tuple[Spoken, ...]]:
    """Play an attempt again from its recorded events, and collect every line spoken.

    The one replay loop: `replay` and every host that shows a recorded call (the history,
    the desk, the report) come through here, so they all see the same conversation."""
    lines: list[Spoken] = []

    def speak(state: SessionState) -> SessionState:
        while state.phase is Phase.SPEAKING:
            moment = current(scenario, state, lang, catalog=catalog)
            if isinstance(moment, CustomerLine):
                lines.append(Spoken("customer", moment.text))
            state = proceed(scenario, state)
        return state

    state = start(scenario, policy=policy, seed=seed, timer=timer, catalog=catalog)
    for event in events:
        state = speak(state)
        if state.phase is Phase.ENDED:
            raise SessionError("the recorded attempt goes on after the conversation ended")
        state = tick(scenario, state, event.silence, catalog=catalog)
        if event.choice is None:
            if state.phase is Phase.CHOOSING:
                raise SessionError("a recorded timeout did not time out on replay")
            continue
        state, turn = choose(scenario, state, event.choice, catalog=catalog)
        lines.append(Spoken("agent", turn.say.get(lang)))
    return speak(state), tuple(lines)


def replay(
    scenario: Scenario,
    events: Iterable[Event],
    *,
    policy: Policy | None = None,
    seed: int = 0,
    timer: TimerMode = TimerMode.NORMAL,
    catalog: Catalog,
) -> SessionState:
    """Play an attempt again from its recorded events; the result is identical."""
    state, _ = replay_conversation(
        scenario, events, policy=policy, seed=seed, timer=timer, catalog=catalog
    )
    return state


def play_choices(
    scenario: Scenario,
    choices: Sequence[int],
    *,
    policy: Policy | None = None,
    seed: int = 0,
    catalog: Catalog,
) -> SessionState:
    """Scripted play with no clock: the choices in authoring numbers, to the end."""
    state = start(scenario, policy=policy, seed=seed, timer=TimerMode.OFF, catalog=catalog)
    for used, number in enumerate(choices):
        while state.phase is Phase.SPEAKING:
            state = proceed(scenario, state)
        if state.phase is Phase.ENDED:
            raise SessionError(
                f"the conversation ended after {used} choices; {len(choices)} were given"
            )
        try:
            state, _ = choose(scenario, state, number, catalog=catalog)
        except InvalidChoice as error:
            raise InvalidChoice(f"choice {used + 1} of the script: {error}") from None
    while state.phase is Phase.SPEAKING:
        state = proceed(scenario, state)
    if state.phase is not Phase.ENDED:
        raise SessionError(
            f"the choices ran out at node '{state.node}' before the conversation ended"
        )
    return state


# ---- helpers ------------------------------------------------------------------------------


def dead_air_rule(scenario: Scenario, timer: TimerMode, *, catalog: Catalog) -> DeadAirRule | None:
    rule = catalog.channels[scenario.channel.value].dead_air
    if rule is None or timer is TimerMode.OFF:
        return None
    if timer is TimerMode.RELAXED:
        return DeadAirRule(
            rule.grace * 2, rule.rate / 2, rule.nudge_after * 2, rule.cap, rule.give_up * 2
        )
    return rule


def screen_words(scenario: Scenario, node_id: str) -> int:
    """Words on screen at a decision: the customer's line and every reply, in English, so
    that an attempt is timed (and replays) the same in every language. Where a line or a
    reply has several wordings the longest counts, so every attempt gets the same time."""
    node = scenario.node(node_id)
    line = max((len(v.text.en.split()) for v in node.lines), default=len(node.customer.en.split()))
    return line + sum(
        max(len(w.en.split()) for w in (c.wordings or (c.say,))) for c in node.choices
    )


def reading_seconds(
    scenario: Scenario, node_id: str, timer: TimerMode = TimerMode.NORMAL, *, catalog: Catalog
) -> float:
    """How long reading the screen takes at the catalog's reading speed (half speed relaxed)."""
    wpm = catalog.params.reading_wpm
    if timer is TimerMode.RELAXED:
        wpm /= 2
    return 60.0 * screen_words(scenario, node_id) / wpm


def reading_allowance(
    scenario: Scenario, node_id: str, timer: TimerMode = TimerMode.NORMAL, *, catalog: Catalog
) -> float:
    """Seconds of silence that cost nothing at this decision: the time to read what is on
    screen (customer line and all replies, at `reading_wpm`) plus the channel's grace.
    The silence clock starts when this runs out; without a timer it never does."""
    rule = dead_air_rule(scenario, timer, catalog=catalog)
    if rule is None:
        return float("inf")
    return reading_seconds(scenario, node_id, timer, catalog=catalog) + rule.grace


def silence_anger(
    scenario: Scenario, node_id: str, timer: TimerMode, silence: float, *, catalog: Catalog
) -> int:
    """Anger that `silence` seconds add at this decision, past the reading allowance."""
    rule = dead_air_rule(scenario, timer, catalog=catalog)
    if rule is None:
        return 0
    allowance = reading_allowance(scenario, node_id, timer, catalog=catalog)
    return int(np.rint(dead_air_anger(silence, allowance, rule.rate, rule.cap)))


def live_anger(scenario: Scenario, state: SessionState, *, catalog: Catalog) -> float:
    """The meter as the trainee sees it right now, silence included."""
    rule = dead_air_rule(scenario, state.timer, catalog=catalog)
    if state.phase is not Phase.CHOOSING or rule is None:
        return float(state.anger)
    allowance = reading_allowance(scenario, state.node, state.timer, catalog=catalog)
    return min(100.0, state.anger + dead_air_anger(state.silence, allowance, rule.rate, rule.cap))


@dataclass(frozen=True, slots=True)
class PaceCost:
    """What the pace of one turn cost: its own lesson, never part of the reply's verdict."""

    seconds: float  # silence before the reply
    reading: float  # seconds allowed for reading the screen
    allowance: float  # reading plus the channel's grace: silence up to this was free
    anger: int  # anger the silence added past the allowance
    points: float  # score points the Pace line lost for it
    lookup: bool  # silent at a lookup without keeping them informed (a G-RESOLVE-7 mistake)


PACE_POINTS_PER_ANGER = 0.25  # the Pace line loses this many points per point of silence anger
PACE_POINTS_MAX = 10  # ... and never more than this over a whole call


def pace_cost(turn: Turn) -> PaceCost:
    """What pace cost on `turn`: seconds taken, reading allowance, anger added, points lost."""
    anger = sum(e.anger for e in turn.effects if e.source == "silence")
    return PaceCost(
        seconds=turn.silence,
        reading=turn.reading,
        allowance=turn.allowance,
        anger=anger,
        points=round(PACE_POINTS_PER_ANGER * anger, 2),
        lookup=any(e.source == "lookup_silence" for e in turn.effects),
    )


def customer_line(
    scenario: Scenario, state: SessionState, lang: str = "en", *, catalog: Catalog
) -> str:
    """What the customer says at the state's node: the line variant that fits the anger, the
    story flags and the conversation facts as they stand (see `moment_facts`)."""
    if state.node in BUILTIN_LINES:
        return BUILTIN_LINES[state.node]
    node = scenario.node(state.node)
    facts = frozenset(moment_facts(state, node, catalog))
    return line_of(node, state.anger, state.flags, state.turn_count, facts).get(lang)


def line_text(scenario: Scenario, node_id: str, lang: str = "en") -> str:
    if node_id in BUILTIN_LINES:
        return BUILTIN_LINES[node_id]
    return scenario.node(node_id).customer.get(lang)


def shuffled(node: Node, seed: int, turn: int) -> tuple[Any, ...]:
    """The node's choices in a seeded order, so position never gives the answer away."""

    def key(number: int) -> str:
        return hashlib.sha256(f"{seed}:{node.id}:{turn}:{number}".encode()).hexdigest()

    return tuple(sorted(node.choices, key=lambda c: key(c.number)))


def authored_feedback(choice: Choice, quality: float) -> Text | None:
    """The author's `feedback`, unless the engine's verdict contradicts the `expect` it was
    written for (then the engine's own explanation is shown): it never says the opposite."""
    if choice.feedback is None or choice.expect is None:
        return choice.feedback
    meant_well = choice.expect.value in ("good", "fair")
    return choice.feedback if (quality > 0) == meant_well else None


FACT_LABELS: dict[str, str] = {
    "still_venting": "still venting",
    "vented": "had finished venting",
    "acknowledged": "problem recapped or feeling acknowledged",
    "not_acknowledged": "not yet recapped or acknowledged",
    "asked_for_fix": "asked what you will do about it",
    "promise_standing": "a promise you can't keep is standing",
    "resolved": "something has been done about the problem",
    "unresolved": "nothing has been done about the problem yet",
}


def conversation_facts(state: SessionState, node: Node) -> tuple[str, ...]:
    """The facts a fix is judged by, as they stood before the reply (see FACT_LABELS)."""
    return fact_names(
        venting=state.vent > 0,
        acknowledged=state.acknowledged,
        asked="asks_for_fix" in node.tags,
        owes=state.debt > 0,
    )


def moment_facts(state: SessionState, node: Node, catalog: Catalog) -> tuple[str, ...]:
    """The conversation facts, plus whether the grievance has been resolved (a Resolve move
    has landed under `catalog`): what a customer line's `when` tests."""
    resolved = any(
        (e.quality or 0) > 0
        and e.source in catalog.techniques
        and catalog.techniques[e.source].step == "resolve"
        for turn in state.turns
        for e in turn.effects
    )
    return fact_names(
        venting=state.vent > 0,
        acknowledged=state.acknowledged,
        asked="asks_for_fix" in node.tags,
        owes=state.debt > 0,
        resolved=resolved,
    )


def _why(
    catalog: Catalog, effects: Sequence[Effect], quality: float, decide: Callable[[str], str]
) -> Why | None:
    """The part of the reply that decided the verdict (the turn step's rule: the worst part
    when any part broke a guide, else the best) and the condition that picked its case."""
    judged = [e for e in effects if e.quality is not None]
    if not judged:
        return None
    worst = min(judged, key=lambda e: e.quality or 0.0)
    deciding = worst if (worst.quality or 0.0) < 0 else max(judged, key=lambda e: e.quality or 0.0)
    verdict = verdict_for(quality)
    if deciding.source not in catalog.techniques:
        return Why(
            f"{deciding.source}.{deciding.case}",
            f"Judged {verdict} by the {deciding.short}: {deciding.reason}",
        )
    label = catalog.techniques[deciding.source].label
    because = decide(deciding.source)
    return Why(
        f"{deciding.source}.{deciding.case}",
        f"Judged {verdict} by {label} ({deciding.source}, case '{deciding.case}'): {because}.",
    )


def _is_final(scenario: Scenario, node_id: str) -> bool:
    return node_id in BUILTIN_LINES or scenario.node(node_id).is_end


def _side_effect(
    source: str, case: str, anger: int, principle: str, short: str, reason: str
) -> Effect:
    """An effect the trainee's words didn't cause (silence, a flare-up, a threat): not judged."""
    return Effect(source, case, anger, principle, short, reason, quality=None)


def _flare_effect(added: int) -> Effect:
    return _side_effect(
        "flare",
        "flared",
        added,
        "G-CALM-3",
        "they flared up",
        "They flared up at this point. It isn't aimed at you: keep your voice calm and don't take it personally.",
    )


def _threat_effect(added: int) -> Effect:
    return _side_effect(
        "threat",
        "turned",
        added,
        "G-BOUNDARY-4",
        "turned threatening",
        "Whatever set it off, they are threatening now: this is past de-escalating.",
    )


def _unresolved_effect(added: int) -> Effect:
    return _side_effect(
        "unresolved",
        "unresolved",
        added,
        "G-RESOLVE-1",
        "still unresolved",
        "Feeling heard helps, but nothing has been done about the problem yet: they won't "
        "be calm until something is.",
    )


def _silence_effect(added: int, silence: float, allowance: float) -> Effect:
    """Pace is its own lesson: silence past the reading allowance costs anger and Pace points,
    never the verdict on the reply that followed."""
    return _side_effect(
        "silence",
        "slow",
        added,
        "G-RESOLVE-7",
        "slow answer",
        f"{silence:.0f} seconds before you answered, {max(0.0, silence - allowance):.0f} past the "
        "time to read the screen: the customer heard only silence. Answer a little sooner; "
        "a short holding phrase buys time.",
    )


def _lookup_silence(
    scenario: Scenario,
    state: SessionState,
    node: Node,
    techniques: tuple[str, ...],
    catalog: Catalog,
) -> int:
    """At a lookup the customer waits on you: silence past the channel's grace (no reading
    allowance: they cannot see you read) without keeping them informed is dead air, the
    G-RESOLVE-7 mistake. Returns the anger it adds beyond the ordinary pace cost."""
    rule = dead_air_rule(scenario, state.timer, catalog=catalog)
    if rule is None or "lookup" not in node.tags or "keep_informed" in techniques:
        return 0
    if state.silence <= rule.grace:
        return 0
    total = int(np.rint(dead_air_anger(state.silence, rule.grace, rule.rate, rule.cap)))
    already = silence_anger(scenario, node.id, state.timer, state.silence, catalog=catalog)
    return max(1, total - already)


def _lookup_silence_effect(added: int, silence: float) -> Effect:
    """Silent during a lookup without keeping them informed: a mistake in its own right."""
    return Effect(
        "lookup_silence",
        "dead_air",
        added,
        "G-RESOLVE-7",
        "dead air",
        f"{silence:.0f} seconds of silence while they waited on your lookup, and no word to say "
        "what you were doing. Talk them through it: dead air feels like being ignored.",
        quality=-1.0,
    )


def _batch_of_one(c: Compiled, catalog: Catalog, state: SessionState, anger: int) -> Batch:
    """The session's state as a batch of one row, for the one turn step."""
    uses = np.zeros((1, len(catalog.technique_order)), dtype=np.int64)
    for tid, count in state.uses:
        uses[0, catalog.techniques[tid].index] = count
    batch = Batch(c, catalog, 1, trace=False)
    batch.mood = Mood(
        anger=np.array([anger], dtype=np.int64),
        heard=np.array([state.heard]),
        trust=np.array([state.trust]),
        vent=np.array([state.vent], dtype=np.int64),
        debt=np.array([state.debt], dtype=np.int64),
        helped=np.array([state.helped], dtype=np.int64),
        boundary=np.array([state.boundary]),
        uses=uses,
        acknowledged=np.array([state.acknowledged]),
    )
    batch.node[0] = c.node_index[state.node]
    batch.cause[0] = RUNNING
    batch.flags[0] = c.flags_mask(state.flags)
    batch.turns[0] = state.turn_count
    batch.policy_broken[0] = state.policy_broken
    for turn in state.turns:
        batch.done_steps[0] |= _fulfilled_mask(c, catalog, turn)
        batch.at_fault[0] |= "customer_at_fault" in turn.tags
        if turn.jumped:
            batch.jumps[0, turn.jumped] += 1
    return batch


def _fulfilled_mask(c: Compiled, catalog: Catalog, turn: Turn) -> int:
    """The ordered steps a played turn fulfilled: its moves that followed the guides."""
    mask = 0
    for effect in turn.effects:
        if effect.source in catalog.techniques and (effect.quality or 0) > 0:
            mask |= int(c.step_bit[catalog.techniques[effect.source].index])
    return mask


def _enter_builtin(
    state: SessionState, line: str, cause: str, effects: tuple[Effect, ...]
) -> SessionState:
    outcome = Outcome(
        kind=EndingKind.CUSTOMER_LEFT,
        rating=Rating.BAD,
        node=line,
        cause=cause,
        effects=effects,
        final_anger=100 if cause != "turn_limit" else state.anger,
    )
    return replace(
        state, node=line, phase=Phase.SPEAKING, outcome=outcome, anger=outcome.final_anger
    )


def _enter_ending(
    scenario: Scenario, state: SessionState, node_id: str, cause: str, rating: Rating, final: int
) -> SessionState:
    """An authored ending (or the `blowup` node), rated by the turn step's `finish`."""
    ending = scenario.node(node_id).ending
    assert ending is not None
    effects: tuple[Effect, ...] = ()
    if state.debt > 0 and cause == "ending":
        effects = (
            _side_effect(
                "debt",
                "promise_broken",
                final - state.anger,
                "G-RESOLVE-3",
                "promise broken",
                "The promise you couldn't keep came due after the call, and they are angrier than ever.",
            ),
        )
    outcome = Outcome(ending.kind, rating, node_id, cause, effects, final)
    return replace(state, node=node_id, phase=Phase.SPEAKING, outcome=outcome)


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


class Session:
    """A convenience holder over the pure runner for callers that keep one live session."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        catalog: Catalog,
        policy: Policy | None = None,
        seed: int = 0,
        timer: TimerMode = TimerMode.NORMAL,
        state: SessionState | None = None,
    ) -> None:
        self.scenario = scenario
        self.catalog = catalog
        self.state = state or start(
            scenario, policy=policy, seed=seed, timer=timer, catalog=catalog
        )

    @property
    def phase(self) -> Phase:
        return self.state.phase

    def current(self, lang: str = "en") -> Moment:
        return current(self.scenario, self.state, lang, catalog=self.catalog)

    def proceed(self) -> None:
        self.state = proceed(self.scenario, self.state)

    def choose(self, number: int) -> Turn:
        self.state, turn = choose(self.scenario, self.state, number, catalog=self.catalog)
        return turn

    def tick(self, seconds: float) -> None:
        self.state = tick(self.scenario, self.state, seconds, catalog=self.catalog)

    @property
    def live_anger(self) -> float:
        return live_anger(self.scenario, self.state, catalog=self.catalog)
