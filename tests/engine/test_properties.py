"""Property tests: random play over every shipped scenario never misbehaves."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.scoring import debrief
from game.engine.session import (
    MAX_TURNS,
    ChoicePrompt,
    Phase,
    SessionState,
    TimerMode,
    choose,
    current,
    live_anger,
    proceed,
    replay,
    start,
    tick,
)
from game.scenario.campaign import load_campaign
from game.scenario.model import Scenario
from tests.catalog import CATALOG
from tests.conftest import SCENARIOS


def shipped() -> list[Scenario]:
    campaign = load_campaign(SCENARIOS / "campaign.yaml")
    return [level.scenario for level in campaign.levels if level.scenario is not None]


SCENARIO_LIST = shipped()


@pytest.mark.parametrize("scenario", SCENARIO_LIST, ids=[s.id for s in SCENARIO_LIST])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picks=st.lists(st.integers(0, 1_000), min_size=MAX_TURNS + 1, max_size=MAX_TURNS + 1),
    waits=st.lists(st.floats(0, 30), min_size=MAX_TURNS + 1, max_size=MAX_TURNS + 1),
    timer=st.sampled_from(list(TimerMode)),
    seed=st.integers(0, 2**31),
)
def test_random_play_is_well_behaved(
    scenario: Scenario, picks: list[int], waits: list[float], timer: TimerMode, seed: int
) -> None:
    state = start(scenario, seed=seed, timer=timer, catalog=CATALOG)
    steps = 0
    while state.phase is not Phase.ENDED:
        steps += 1
        assert steps <= 3 * MAX_TURNS + 3, "the conversation must end within a bound"
        if state.phase is Phase.SPEAKING:
            state = proceed(scenario, state)
            continue
        prompt = current(scenario, state, catalog=CATALOG)
        assert isinstance(prompt, ChoicePrompt)
        assert len({o.number for o in prompt.options}) == len(prompt.options)
        state = tick(scenario, state, waits[len(state.turns)], catalog=CATALOG)
        assert 0 <= live_anger(scenario, state, catalog=CATALOG) <= 100
        if state.phase is not Phase.CHOOSING:
            continue  # the customer gave up waiting
        number = prompt.options[picks[len(state.turns)] % len(prompt.options)].number
        state, turn = choose(scenario, state, number, catalog=CATALOG)
        assert 0 <= turn.anger_before <= 100 and 0 <= turn.anger_after <= 100
        assert 0.0 <= state.heard <= 1.0 and 0.0 <= state.trust <= 1.0 and state.vent >= 0
    assert len(state.turns) <= MAX_TURNS
    assert state.outcome is not None and 0 <= state.outcome.final_anger <= 100
    assert all(0 <= a <= 100 for a in state.anger_trace())
    report = debrief(scenario, state, catalog=CATALOG)
    assert 0 <= report.score <= 100
    assert SessionState.from_json(state.to_json()) == state
    assert replay(scenario, state.events, seed=seed, timer=timer, catalog=CATALOG) == state


def test_there_are_scenarios_to_test() -> None:
    assert SCENARIO_LIST, f"no loadable scenario in {Path(SCENARIOS)}"
