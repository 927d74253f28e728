"""The session runner: plays one scenario, turn by turn, as pure functions over `SessionState`.

The UI and the text player pull what to show with `current()` and push the trainee's
decisions with `proceed()`, `choose()` and `tick()`. All mutable state of a conversation is
the one frozen `SessionState`, which round-trips through JSON; an attempt replays exactly
from its recorded events.

The values it works on (`state.py`), pace (`pace.py`), what is said (`lines.py`) and the
explained side effects (`effects.py`) live in their own modules; the names callers use are
re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from game.engine.catalog import Catalog
from game.engine.effects import (
    flare_effect,
    lookup_silence_effect,
    side_effect,
    silence_effect,
    threat_effect,
    unresolved_effect,
    why_of,
)
from game.engine.lines import (
    BUILTIN_LINES,
    NUDGE_LINES,
    authored_feedback,
    conversation_facts,
    customer_line,
)
from game.engine.lines import FACT_LABELS as FACT_LABELS
from game.engine.lines import line_text as line_text
from game.engine.lines import shuffled as shuffled
from game.engine.mood import Mood, dead_air_anger, decided_by
from game.engine.pace import PACE_POINTS_MAX as PACE_POINTS_MAX
from game.engine.pace import PACE_POINTS_PER_ANGER as PACE_POINTS_PER_ANGER
from game.engine.pace import PaceCost as PaceCost
from game.engine.pace import dead_air_rule as dead_air_rule
from game.engine.pace import live_anger as live_anger
from game.engine.pace import pace_cost as pace_cost
from game.engine.pace import reading_allowance as reading_allowance
from game.engine.pace import reading_seconds as reading_seconds
from game.engine.pace import screen_words as screen_words
from game.engine.pace import silence_anger
from game.engine.state import BLOWUP_LINE as BLOWUP_LINE
from game.engine.state import DEAD_AIR_LINE as DEAD_AIR_LINE
from game.engine.state import TURN_LIMIT_LINE as TURN_LIMIT_LINE
from game.engine.state import BuiltinLine as BuiltinLine
from game.engine.state import Cause as Cause
from game.engine.state import ChoicePrompt as ChoicePrompt
from game.engine.state import CustomerLine as CustomerLine
from game.engine.state import Effect as Effect
from game.engine.state import Event as Event
from game.engine.state import Finished as Finished
from game.engine.state import InvalidChoice as InvalidChoice
from game.engine.state import Moment as Moment
from game.engine.state import Option as Option
from game.engine.state import Outcome as Outcome
from game.engine.state import Phase as Phase
from game.engine.state import SessionError as SessionError
from game.engine.state import SessionState as SessionState
from game.engine.state import Side as Side
from game.engine.state import Speaker as Speaker
from game.engine.state import TimerMode as TimerMode
from game.engine.state import Turn as Turn
from game.engine.state import turn_from_json as turn_from_json
from game.engine.state import turn_to_json as turn_to_json
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
)
from game.engine.step import ENDS_DESPITE_BLOWUP as ENDS_DESPITE_BLOWUP
from game.engine.step import JUDGED_ENDINGS as JUDGED_ENDINGS
from game.engine.step import MAX_TURNS as MAX_TURNS
from game.engine.variation import starting_point, wording
from game.scenario.model import (
    EndingKind,
    Node,
    Policy,
    Rating,
    Scenario,
)

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
    channel = scenario.channel.value
    nudged = state.nudged and rule is not None
    nudge = catalog.said(f"nudge:{channel}", NUDGE_LINES[channel]) if nudged else None
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
        effect = silence_effect(max(0, 100 - state.anger), silence, allowance, catalog)
        timed_out = replace(
            state,
            silence=silence,
            nudged=nudged,
            events=(*state.events, Event(None, silence)),
            anger=100,
        )
        return _enter_builtin(timed_out, DEAD_AIR_LINE, Cause.DEAD_AIR, (effect,))
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
        effects.append(lookup_silence_effect(lookup_silence, state.silence, catalog))
    if silence_added > 0:
        effects.append(silence_effect(silence_added, state.silence, allowance, catalog))
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
        effects.append(side_effect(Side.RELAX, "heard", relax, "G-LISTEN-3", catalog))
    if int(step.flared[0]):
        effects.append(flare_effect(int(step.flared[0]), catalog))
    if int(step.lifted[0]):
        effects.append(threat_effect(int(step.lifted[0]), catalog))
    if int(step.held[0]):
        effects.append(unresolved_effect(int(step.held[0]), catalog))
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
        why=why_of(catalog, effects, float(step.quality[0]), decide),
    )
    uses = dict(state.uses)
    for tid in choice.techniques:
        uses[tid] = uses.get(tid, 0) + 1
    cause = int(batch.cause[0])
    running = cause == RUNNING
    played = replace(
        state,
        node=compiled.node_ids[int(step.target[0])] if running else state.node,
        phase=Phase.SPEAKING if running else state.phase,
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
    if running:
        return played, turn
    if cause == BLOWUP and not scenario.has_blowup:
        return _enter_builtin(played, BLOWUP_LINE, Cause.BLOWUP, ()), turn
    if cause in (BLOWUP, ENDING):
        ending_node = compiled.node_ids[int(batch.node[0])]
        rating, final, _ = finish(compiled, catalog, batch)
        how = Cause.ENDING if cause == ENDING else Cause.BLOWUP
        rated = RATINGS[int(rating[0])]
        ending = _enter_ending(scenario, played, ending_node, how, rated, int(final[0]), catalog)
        return ending, turn
    return _enter_builtin(played, TURN_LIMIT_LINE, Cause.TURN_LIMIT, ()), turn


@dataclass(frozen=True, slots=True)
class Spoken:
    """One line of a conversation as it was on screen: who said it, and the words."""

    speaker: Speaker
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
                lines.append(Spoken(Speaker.CUSTOMER, moment.text))
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
        lines.append(Spoken(Speaker.AGENT, turn.say.get(lang)))
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


def _is_final(scenario: Scenario, node_id: str) -> bool:
    return node_id in BUILTIN_LINES or scenario.node(node_id).is_end


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


def _batch_of_one(c: Compiled, catalog: Catalog, state: SessionState, anger: int) -> Batch:
    """The session's state as a batch of one row, for the one turn step."""
    uses = np.zeros((1, len(catalog.technique_order)), dtype=np.int64)
    for tid, count in state.uses:
        uses[0, catalog.techniques[tid].index] = count
    mood = Mood(
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
    done_steps = 0
    at_fault = False
    jumps = [0] * 16
    for turn in state.turns:
        done_steps |= _fulfilled_mask(c, catalog, turn)
        at_fault = at_fault or "customer_at_fault" in turn.tags
        if turn.jumped:
            jumps[turn.jumped] += 1
    return Batch.one_row(
        mood,
        node=c.node_index[state.node],
        flags=c.flags_mask(state.flags),
        turns=state.turn_count,
        policy_broken=state.policy_broken,
        done_steps=done_steps,
        at_fault=at_fault,
        jumps=np.array(jumps, dtype=np.int16),
    )


def _fulfilled_mask(c: Compiled, catalog: Catalog, turn: Turn) -> int:
    """The ordered steps a played turn fulfilled: its moves that followed the guides."""
    mask = 0
    for effect in turn.effects:
        if effect.source in catalog.techniques and (effect.quality or 0) > 0:
            mask |= int(c.step_bit[catalog.techniques[effect.source].index])
    return mask


def _enter_builtin(
    state: SessionState, line: BuiltinLine, cause: Cause, effects: tuple[Effect, ...]
) -> SessionState:
    outcome = Outcome(
        kind=EndingKind.CUSTOMER_LEFT,
        rating=Rating.BAD,
        node=line,
        cause=cause,
        effects=effects,
        final_anger=100 if cause is not Cause.TURN_LIMIT else state.anger,
    )
    return replace(
        state, node=line, phase=Phase.SPEAKING, outcome=outcome, anger=outcome.final_anger
    )


def _enter_ending(
    scenario: Scenario,
    state: SessionState,
    node_id: str,
    cause: Cause,
    rating: Rating,
    final: int,
    catalog: Catalog,
) -> SessionState:
    """An authored ending (or the `blowup` node), rated by the turn step's `finish`."""
    ending = scenario.node(node_id).ending
    assert ending is not None
    effects: tuple[Effect, ...] = ()
    if state.debt > 0 and cause is Cause.ENDING:
        effects = (
            side_effect(Side.DEBT, "promise_broken", final - state.anger, "G-RESOLVE-3", catalog),
        )
    outcome = Outcome(ending.kind, rating, node_id, cause, effects, final)
    return replace(state, node=node_id, phase=Phase.SPEAKING, outcome=outcome)


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
