"""The session runner: pull API, phases, dead air, blow-ups, JSON state and exact replay."""

from __future__ import annotations

import json

import pytest

from game.engine.session import (
    DEAD_AIR_LINE,
    MAX_TURNS,
    ChoicePrompt,
    CustomerLine,
    Event,
    Finished,
    InvalidChoice,
    Phase,
    Session,
    SessionError,
    SessionState,
    TimerMode,
    choose,
    current,
    play_choices,
    proceed,
    reading_allowance,
    replay,
    shuffled,
    start,
    tick,
)
from game.scenario.loader import load_scenario
from game.scenario.model import AtFaultApology, EndingKind, PartingPolicy, Policy, Rating
from tests.catalog import CATALOG
from tests.conftest import SCENARIOS
from tests.engine.helpers import make, one_move

LATE = load_scenario(SCENARIOS / "late-delivery.yaml")
GOOD = [1, 1, 1, 1, 1, 1, 1, 1]


def test_pull_api_walks_line_prompt_line_end() -> None:
    session = Session(LATE, seed=7, timer=TimerMode.OFF, catalog=CATALOG)
    moment = session.current()
    assert isinstance(moment, CustomerLine) and not moment.final
    assert moment.text.startswith("Finally, a human!")
    session.proceed()
    prompt = session.current()
    assert isinstance(prompt, ChoicePrompt)
    assert sorted(o.number for o in prompt.options) == [1, 2, 3, 4, 5] or len(prompt.options) in (
        3,
        4,
        5,
    )
    turn = session.choose(1)
    assert turn.node == "opening" and turn.techniques == ("listen",)
    assert isinstance(session.current(), CustomerLine)


def test_wrong_phase_calls_raise() -> None:
    session = Session(LATE, catalog=CATALOG)
    with pytest.raises(SessionError):
        session.choose(1)
    session.proceed()
    with pytest.raises(SessionError):
        session.proceed()
    with pytest.raises(InvalidChoice):
        session.choose(99)
    with pytest.raises(InvalidChoice):
        session.choose(0)


def test_a_whole_call_ends_with_an_outcome() -> None:
    state = play_choices(LATE, GOOD, catalog=CATALOG)
    assert state.phase is Phase.ENDED
    assert isinstance(current(LATE, state, catalog=CATALOG), Finished)
    assert state.outcome is not None
    assert state.outcome.kind is EndingKind.RESOLVED and state.outcome.rating is Rating.GOOD
    with pytest.raises(SessionError):
        choose(LATE, state, 1, catalog=CATALOG)
    assert state.anger_trace()[0] == 65 and len(state.anger_trace()) == len(GOOD) + 1


def test_choices_are_shuffled_deterministically_and_position_gives_nothing_away() -> None:
    node = LATE.node("opening")
    orders = {tuple(c.number for c in shuffled(node, seed, 0)) for seed in range(40)}
    assert len(orders) > 5
    assert tuple(c.number for c in shuffled(node, 3, 0)) == tuple(
        c.number for c in shuffled(node, 3, 0)
    )
    first_positions = {next(c.number for c in shuffled(node, seed, 0)) for seed in range(40)}
    assert first_positions == {c.number for c in node.choices}


def test_state_round_trips_through_json_at_every_step() -> None:
    state = start(LATE, seed=11, catalog=CATALOG)
    seen = 0
    for number in GOOD:
        while state.phase is Phase.SPEAKING:
            assert SessionState.from_json(state.to_json()) == state
            state = proceed(LATE, state)
        state = tick(LATE, state, 3.5, catalog=CATALOG)
        assert SessionState.from_json(state.to_json()) == state
        state, _ = choose(LATE, state, number, catalog=CATALOG)
        seen += 1
    state = proceed(LATE, state)
    text = state.to_json()
    assert json.loads(text)["version"] == 1
    assert SessionState.from_json(text) == state
    assert seen == len(GOOD)


def test_state_json_keeps_every_policy_and_reads_older_states_by_their_rules() -> None:
    stricter = Policy(
        parting_ways=PartingPolicy.NEEDS_SUPERVISOR,
        apology_when_customer_at_fault=AtFaultApology.NO_APOLOGY_NEEDED,
    )
    state = start(LATE, policy=stricter, catalog=CATALOG)
    assert SessionState.from_json(state.to_json()).policy == stricter
    older = json.loads(state.to_json())  # saved before the two newer keys existed
    del older["policy"]["parting_ways"], older["policy"]["apology_when_customer_at_fault"]
    assert SessionState.from_json(json.dumps(older)).policy == Policy()


def test_state_json_rejects_other_versions_and_garbage() -> None:
    data = json.loads(start(LATE, catalog=CATALOG).to_json())
    data["version"] = 99
    with pytest.raises(ValueError, match="version"):
        SessionState.from_json(json.dumps(data))
    with pytest.raises(ValueError, match="not a valid session state"):
        SessionState.from_json("{not json")
    with pytest.raises(ValueError, match="not a valid session state"):
        SessionState.from_json('{"version": 1}')


def test_replay_from_recorded_events_is_exact() -> None:
    state = start(LATE, seed=5, catalog=CATALOG)
    for number, wait in zip(GOOD, [2.0, 9.5, 1.0, 12.25, 0.5, 3.0, 20.0, 1.0], strict=True):
        while state.phase is Phase.SPEAKING:
            state = proceed(LATE, state)
        for _ in range(int(wait * 10)):
            state = tick(LATE, state, 0.1, catalog=CATALOG)
        state, _ = choose(LATE, state, number, catalog=CATALOG)
    state = proceed(LATE, state)
    again = replay(LATE, state.events, seed=5, catalog=CATALOG)
    assert again == state


def test_dead_air_on_the_phone_grows_anger_and_the_customer_prompts() -> None:
    """The clock starts after the reading allowance; past it anger grows and they ask;
    the reply that follows keeps its own verdict (pace is scored on its own line)."""
    state = proceed(LATE, start(LATE, timer=TimerMode.NORMAL, catalog=CATALOG))
    allowance = reading_allowance(LATE, state.node, TimerMode.NORMAL, catalog=CATALOG)
    state = tick(LATE, state, allowance - 1.0, catalog=CATALOG)
    prompt = current(LATE, state, catalog=CATALOG)
    assert isinstance(prompt, ChoicePrompt) and prompt.live_anger == 65 and prompt.nudge is None
    state = tick(LATE, state, 9.0, catalog=CATALOG)
    prompt = current(LATE, state, catalog=CATALOG)
    assert isinstance(prompt, ChoicePrompt)
    assert prompt.live_anger > 65 and prompt.nudge == "Hello? Are you still there?"
    state, turn = choose(LATE, state, 1, catalog=CATALOG)
    silence = [e for e in turn.effects if e.source == "silence"]
    assert silence and silence[0].principle == "G-RESOLVE-7" and silence[0].anger > 0
    assert silence[0].quality is None and turn.quality == 1.0  # a good reply stays good


def test_dead_air_rules_per_channel_and_setting() -> None:
    for channel, expect_growth in (
        ("phone", True),
        ("in_person", True),
        ("chat", True),
        ("email", False),
    ):
        scenario = make(one_move("listen"), channel=channel)
        state = tick(
            scenario, proceed(scenario, start(scenario, catalog=CATALOG)), 30.0, catalog=CATALOG
        )
        prompt = current(scenario, state, catalog=CATALOG)
        assert isinstance(prompt, ChoicePrompt)
        assert (prompt.live_anger > 50) is expect_growth, channel
    phone = make(one_move("listen"))
    normal = current(
        phone,
        tick(phone, proceed(phone, start(phone, catalog=CATALOG)), 25.0, catalog=CATALOG),
        catalog=CATALOG,
    )
    relaxed = current(
        phone,
        tick(
            phone,
            proceed(phone, start(phone, timer=TimerMode.RELAXED, catalog=CATALOG)),
            25.0,
            catalog=CATALOG,
        ),
        catalog=CATALOG,
    )
    off = current(
        phone,
        tick(
            phone,
            proceed(phone, start(phone, timer=TimerMode.OFF, catalog=CATALOG)),
            25.0,
            catalog=CATALOG,
        ),
        catalog=CATALOG,
    )
    assert (
        isinstance(normal, ChoicePrompt)
        and isinstance(relaxed, ChoicePrompt)
        and isinstance(off, ChoicePrompt)
    )
    assert normal.live_anger > relaxed.live_anger > off.live_anger == 50
    assert off.nudge is None


def test_long_enough_silence_loses_the_customer() -> None:
    state = proceed(LATE, start(LATE, catalog=CATALOG))
    for _ in range(600):
        state = tick(LATE, state, 0.5, catalog=CATALOG)
        if state.phase is not Phase.CHOOSING:
            break
    assert state.phase is Phase.SPEAKING and state.node == DEAD_AIR_LINE
    line = current(LATE, state, catalog=CATALOG)
    assert isinstance(line, CustomerLine) and line.final
    state = proceed(LATE, state)
    assert state.outcome is not None and state.outcome.cause == "dead_air"
    assert state.outcome.final_anger == 100 and state.events[-1].choice is None
    assert replay(LATE, state.events, catalog=CATALOG) == state


def test_blowup_goes_to_the_blowup_node_or_a_built_in_ending() -> None:
    nodes = (
        one_move("retaliate")
        + """\
    blowup:
      customer: "That's it!"
      end: customer_left
    """
    )
    state = play_choices(make(nodes, anger=95), [1], catalog=CATALOG)
    assert state.outcome is not None and state.outcome.node == "blowup"
    assert state.outcome.cause == "blowup" and state.outcome.final_anger == 100
    state = play_choices(make(one_move("retaliate"), anger=95), [1], catalog=CATALOG)
    assert state.outcome is not None and state.outcome.node == "(blowup)"
    assert state.outcome.rating is Rating.BAD


def test_a_conversation_going_in_circles_ends_at_the_turn_limit() -> None:
    nodes = """\
    opening:
      customer: "Again."
      choices:
        - {say: "a", technique: thank, next: opening}
        - {say: "b", technique: thank, next: done}
    done:
      customer: "ok"
      end: resolved
    """
    state = play_choices(make(nodes, anger=0), [1] * MAX_TURNS, catalog=CATALOG)
    assert state.outcome is not None and state.outcome.cause == "turn_limit"
    assert len(state.turns) == MAX_TURNS


def test_conditional_next_sees_the_anger_and_flags_after_the_choice() -> None:
    nodes = """\
    opening:
      customer: "Well?"
      choices:
        - say: "x"
          technique: argue
          set: [argued]
          next:
            - when: {flag: argued, anger_at_least: 60}
              goto: furious
            - goto: calm
        - say: "y"
          technique: recap
          next:
            - when: {anger_at_least: 60}
              goto: furious
            - goto: calm
    furious: {customer: "!", end: customer_left}
    calm: {customer: ".", end: resolved}
    """
    scenario = make(nodes, anger=50)
    assert play_choices(scenario, [1], catalog=CATALOG).outcome.node == "furious"  # type: ignore[union-attr]
    assert play_choices(scenario, [2], catalog=CATALOG).outcome.node == "calm"  # type: ignore[union-attr]


def test_scripted_play_rejects_bad_scripts() -> None:
    with pytest.raises(SessionError, match="ran out"):
        play_choices(LATE, [1], catalog=CATALOG)
    with pytest.raises(InvalidChoice):
        play_choices(LATE, [9], catalog=CATALOG)
    with pytest.raises(SessionError, match="ended"):
        replay(LATE, [Event(1, 0.0)] * 30, catalog=CATALOG)


def test_a_call_keeps_the_hash_of_the_catalog_that_scores_it() -> None:
    from game.engine.catalog import load_catalog

    state = start(LATE, catalog=CATALOG)
    assert len(state.catalog_hash) == 64 and state.catalog_hash == load_catalog().content_hash
    assert SessionState.from_json(state.to_json()).catalog_hash == state.catalog_hash
    old = json.loads(state.to_json())
    del old["catalog_hash"]  # a state saved before the hash was kept
    assert SessionState.from_json(json.dumps(old)).catalog_hash == ""
