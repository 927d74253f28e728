"""Every level of the campaign replays from its record to exactly the recorded result.

Each playable level is played through the Recorder with its transcript plans (tests/plans/),
once with the timer off and once with the dead-air timer running and varied silences, and
then replayed from nothing but what the store kept: same turns, effects, anger trace,
outcome and score. Levels still being written (not loadable yet) are skipped with the reason.
"""

from __future__ import annotations

import random

import pytest

from game.engine.catalog import load_catalog
from game.engine.scoring import debrief
from game.engine.session import TimerMode
from game.records.replayed import replay_recorded
from game.records.store import SqlStore
from game.scenario.campaign import Level
from game.scenario.overrides import parse_policy
from tests.catalog import CATALOG
from tests.records.play import campaign, find_path, plans, play

LEVELS = campaign().levels


def _level_id(level: Level) -> str:
    return f"{level.number:02d}-{level.file.stem}"


def _choice_lists(level: Level) -> list[tuple[str, tuple[int, ...]]]:
    mine = [(p.name, p.choices) for p in plans() if p.scenario_file == level.file.name]
    if mine:
        return mine
    assert level.scenario is not None
    path = find_path(level.scenario, lambda s: True)
    assert path is not None
    return [("any-path", path)]


@pytest.mark.parametrize("level", LEVELS, ids=[_level_id(lvl) for lvl in LEVELS])
def test_every_level_replays_exactly_from_its_record(store: SqlStore, level: Level) -> None:
    if level.scenario is None:
        why = "; ".join(f"{p.code} {p.message}" for p in level.problems[:2]) or "?"
        pytest.skip(f"level {level.number} ({level.file.name}) does not load yet: {why}")
    sc = level.scenario
    trainee = store.add_trainee(f"Trainee {level.number}")
    policy = campaign().policy
    played = 0
    for name, choices in _choice_lists(level):
        rng = random.Random(f"{name}:{level.number}")
        for timer in (TimerMode.OFF, TimerMode.NORMAL):
            silences = [rng.choice((0.0, 1.5, 4.0, rng.uniform(0, 12))) for _ in choices]
            seed = rng.randrange(2**31)
            recorder = play(
                store,
                trainee.id,
                choices,
                scenario_obj=sc,
                level=level.number,
                pass_score=level.pass_score,
                seed=seed,
                policy=policy,
                timer=timer,
                silences=silences,
            )
            where = f"{level.file.name} {name} timer={timer.value}"
            report = recorder.debrief
            assert report is not None, f"{where}: the plan did not finish the call"
            detail = store.attempt_detail(recorder.attempt_id)
            assert detail is not None
            state = replay_recorded(detail, sc, load_catalog()).state
            assert state is not None, where
            assert state.turns == detail.turns == recorder.state.turns, where
            assert [t.effects for t in state.turns] == [t.effects for t in detail.turns], where
            assert state.events == detail.events, where
            assert state.anger_trace() == detail.anger_trace == report.anger_trace, where
            assert state.outcome == recorder.state.outcome, where
            again = debrief(sc, state, level.pass_score, catalog=CATALOG)
            assert again == report, where
            assert detail.attempt.score == again.score, where
            assert detail.attempt.passed is again.passed, where
            assert detail.closing_effects == again.closing_effects, where
            assert dict(detail.competencies) == {c.id: c.score for c in again.competencies}
            played += 1
    assert played >= 2


def test_a_changed_scenario_is_not_replayed(store: SqlStore) -> None:
    level = LEVELS[0]
    assert level.scenario is not None
    trainee = store.add_trainee("Ana")
    recorder = play(store, trainee.id, plans()[0].choices, scenario_obj=level.scenario)
    detail = store.attempt_detail(recorder.attempt_id)
    assert detail is not None
    other = next((lvl.scenario for lvl in LEVELS[1:] if lvl.scenario is not None), None)
    if other is None:
        pytest.skip("only one level loads so far")
    shown = replay_recorded(detail, other, load_catalog())
    assert shown.state is None and not shown.exact  # never replayed on another scenario


def test_plans_end_the_same_way_through_the_recorder(store: SqlStore) -> None:
    """With the timer off, recording changes nothing: each plan's expectation still holds."""
    trainee = store.add_trainee("Ana")
    checked = 0
    for plan in plans():
        level = next((lvl for lvl in LEVELS if lvl.file.name == plan.scenario_file), None)
        if level is None or level.scenario is None:
            continue
        policy = campaign().policy_for(level.scenario)
        if plan.policy is not None:  # the plan's own company policy, as `hold-the-line plan`
            items = [f"{key}={value}" for key, value in plan.policy.items()]
            override = parse_policy(items)
            assert override is not None
            policy = override.over(policy)
        recorder = play(
            store, trainee.id, plan.choices, scenario_obj=level.scenario,
            pass_score=level.pass_score, policy=policy,
        )  # fmt: skip
        report = recorder.debrief
        assert report is not None, plan.name
        if "passed" in plan.expect:
            assert report.passed is plan.expect["passed"], plan.name
        if "outcome" in plan.expect:
            assert report.outcome == plan.expect["outcome"], plan.name
        checked += 1
    assert checked >= 2
