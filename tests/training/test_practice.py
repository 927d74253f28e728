"""Practice, not recall, without a window: exam mode, weak results, drills and their
spaced schedule, on a fixed clock and over a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.engine.scoring import verdict_for
from game.records.api import PracticeRecord
from game.records.store import SqlStore
from game.scenario.campaign import Campaign
from game.training import (
    DRILL_LEVELS,
    DRILL_PRINCIPLES,
    SPACING,
    ExamRefused,
    call_is_exam,
    desk_drills,
    drill_plan,
    due_now,
    exam_mode,
    exam_offered,
    is_weak,
    lessons_by_level,
    trainee_drills,
)
from game.ui.words import due_words
from tests.training.conftest import plan_choices, play

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a fixed clock: every date below is from it
DAY = timedelta(days=1)
TEACHES = {
    "a": frozenset({"G-LISTEN-1", "G-EMPATHY-1"}),
    "b": frozenset({"G-EMPATHY-1"}),
    "c": frozenset({"G-CALM-2"}),
    "d": frozenset({"G-LISTEN-1"}),
}
OPEN = ("a", "b", "c", "d")


def result(
    level: str, when: datetime, *, passed: bool = True, worst: float = 0.9
) -> PracticeRecord:
    return PracticeRecord(1, level, when, passed, False, worst)


# ---- exam mode ------------------------------------------------------------------------------


def test_an_exam_opens_once_the_level_is_passed() -> None:
    assert exam_mode("a", {"a"}, (), asked=True) is True
    assert exam_mode("a", {"a"}, (), asked=False) is False
    with pytest.raises(ExamRefused, match="once you have passed this level"):
        exam_mode("b", {"a"}, (), asked=True)
    assert exam_offered("a", {"a"}, ()) and not exam_offered("b", {"a"}, ())


def test_a_level_a_supervisor_requires_is_always_an_exam() -> None:
    assert exam_mode("b", (), {"b"}, asked=False) is True  # even the first attempt
    assert exam_mode("b", {"b"}, {"b"}, asked=False) is True
    assert exam_offered("b", (), {"b"})


# ---- weak results ---------------------------------------------------------------------------


@given(st.booleans(), st.none() | st.floats(-1.0, 1.0))
def test_a_weak_result_is_a_fail_or_a_pass_with_a_poor_or_bad_reply(
    passed: bool, worst: float | None
) -> None:
    weak_reply = worst is not None and verdict_for(worst) in ("poor", "bad")
    assert is_weak(passed, worst) == (not passed or weak_reply)


# ---- drills on the spaced schedule ----------------------------------------------------------


def test_no_weak_result_no_drill() -> None:
    assert drill_plan([result("a", T0)], ("G-LISTEN-1",), TEACHES, OPEN) == ()


def test_a_weak_result_proposes_the_levels_that_teach_the_weakest_principles() -> None:
    weak = result("c", T0, passed=False)
    drills = drill_plan([weak], ("G-EMPATHY-1", "G-LISTEN-1", "G-CALM-2"), TEACHES, OPEN)
    # the two most-broken principles; the level that works on both first
    assert [d.scenario_id for d in drills] == ["a", "b", "d"]
    assert drills[0].principles == ("G-EMPATHY-1", "G-LISTEN-1")
    assert all(d.due_at == T0 and d.done == 0 and d.due(T0) for d in drills)
    assert "c" not in {d.scenario_id for d in drills}  # G-CALM-2 is third: not this drill


def test_each_practice_pushes_the_level_out_by_one_then_three_then_seven_days() -> None:
    history = [result("a", T0, worst=-0.5)]  # passed, with a poor reply: weak
    schedule = []
    when = T0 + timedelta(hours=1)
    for _ in range(len(SPACING) + 1):
        (drill,) = [
            d for d in drill_plan(history, ("G-CALM-2",), TEACHES, OPEN) if d.scenario_id == "c"
        ]
        schedule.append((drill.done, drill.due_at))
        when = max(when, drill.due_at)
        assert drill.due(when)
        # proposed: due at once; practised: not a second before its interval is over
        assert drill.due(drill.due_at - timedelta(seconds=1)) == (drill.done == 0)
        history.append(result("c", when))  # practised the moment it was due
        when += timedelta(hours=2)
    assert [done for done, _ in schedule] == [0, 1, 2, 3]
    gaps = [later - earlier for (_, earlier), (_, later) in pairwise(schedule)]
    # practised an hour after the weak result, then each time the moment it was due
    assert gaps == [timedelta(hours=1) + SPACING[0], SPACING[1], SPACING[2]]
    # every interval practised: the drill is over
    assert drill_plan(history, ("G-CALM-2",), TEACHES, OPEN) == ()


def test_a_new_weak_result_starts_the_drill_again() -> None:
    history = [result("c", T0, passed=False), result("c", T0 + DAY)]
    (drill,) = drill_plan(history, ("G-CALM-2",), TEACHES, OPEN)
    assert drill.due_at == T0 + DAY + SPACING[0]
    history.append(result("a", T0 + 2 * DAY, passed=False))
    (drill,) = drill_plan(history, ("G-CALM-2",), TEACHES, OPEN)
    assert (drill.done, drill.due_at) == (0, T0 + 2 * DAY)


def test_a_failure_with_no_broken_principle_drills_the_failed_level() -> None:
    (drill,) = drill_plan([result("b", T0, passed=False)], (), TEACHES, OPEN)
    assert (drill.scenario_id, drill.principles) == ("b", ())


def test_a_proposed_drill_is_due_even_if_a_clock_ran_ahead() -> None:
    """A room's machines disagree about the time: a weak result stamped in the future."""
    (drill,) = drill_plan([result("c", T0 + 3 * DAY, passed=False)], ("G-CALM-2",), TEACHES, OPEN)
    assert drill.due(T0) and due_words(drill, T0) == "due now"


def test_drill_words_read_from_the_clock() -> None:
    history = [result("c", T0, passed=False), result("c", T0 + timedelta(hours=1))]
    (drill,) = drill_plan(history, ("G-CALM-2",), TEACHES, OPEN)
    assert due_words(drill, T0 + timedelta(hours=2)) == "due tomorrow"
    assert due_words(drill, drill.due_at) == "due now"
    assert due_now([drill], T0 + timedelta(hours=2)) == ()
    assert due_now([drill], drill.due_at) == (drill,)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(OPEN),
            st.integers(0, 60 * 24 * 30),
            st.booleans(),
            st.floats(-1.0, 1.0),
        ),
        max_size=30,
    ),
    st.lists(st.sampled_from(sorted({p for ps in TEACHES.values() for p in ps})), unique=True),
    st.lists(st.sampled_from(OPEN), unique=True, min_size=1),
)
def test_drills_are_open_levels_due_no_earlier_than_the_weak_result(
    plays: list[tuple[str, int, bool, float]], weakest: list[str], opened: list[str]
) -> None:
    history = [result(lvl, T0 + timedelta(minutes=m), passed=p, worst=q) for lvl, m, p, q in plays]
    drills = drill_plan(history, tuple(weakest), TEACHES, tuple(opened))
    weak = [r.ended_at for r in history if is_weak(r.passed, r.worst_quality)]
    assert len(drills) <= DRILL_LEVELS
    assert all(d.scenario_id in opened for d in drills)
    assert all(set(d.principles) <= set(weakest[:DRILL_PRINCIPLES]) for d in drills)
    if not weak:
        assert drills == ()
    for drill in drills:
        assert drill.due_at >= max(weak)
        assert 0 <= drill.done <= len(SPACING)
        assert drill.due(max(weak)) == (drill.done == 0)  # proposed: due at once
    keys = [(d.done > 0, d.due_at) for d in drills]
    assert keys == sorted(keys)  # due ones first


# ---- over the records -----------------------------------------------------------------------


def test_lessons_by_level_is_the_curriculums_rule(campaign: Campaign) -> None:
    from game.analysis.curriculum import level_lessons
    from tests.catalog import CATALOG

    first = campaign.levels[0]
    found = lessons_by_level(campaign, CATALOG, {first.key, campaign.levels[1].key})
    assert first.scenario is not None
    expected = level_lessons(first.scenario, CATALOG, campaign.policy_for(first.scenario))
    assert found[first.key] == expected.taught
    assert lessons_by_level(campaign, CATALOG, {first.key})[first.key] is found[first.key]  # kept
    assert set(found) == {first.key, campaign.levels[1].key}  # only the levels asked about


def test_a_weak_call_in_the_records_proposes_a_drill(store: SqlStore, campaign: Campaign) -> None:
    from tests.catalog import CATALOG

    ana = store.add_trainee("Ana")
    first = campaign.levels[0]
    play(store, campaign, first, plan_choices("late-delivery-interrupt-excuse"), ana.id)
    records = store.practice_records(ana.id)
    assert len(records) == 1 and records[0].scenario_id == first.key
    assert is_weak(records[0].passed, records[0].worst_quality)
    weakest = [t.principle for t in store.weakest_principles(ana.id, DRILL_PRINCIPLES)]
    assert weakest
    drills = trainee_drills(store, campaign, CATALOG, ana.id)
    assert drills and all(d.due(datetime.now(UTC)) for d in drills)
    teaches = lessons_by_level(campaign, CATALOG, {d.scenario_id for d in drills})
    for drill in drills:  # every level proposed teaches one of her weakest principles
        assert drill.principles and set(drill.principles) <= set(weakest)
        assert set(drill.principles) <= teaches[drill.scenario_id]
    # the desk lists her, with the same drill
    listed = desk_drills(store, campaign, CATALOG)
    assert {(d.trainee_name, d.drill) for d in listed} == {("Ana", d) for d in drills}
    # a trainee with only clean passes has nothing due
    ben = store.add_trainee("Ben")
    play(store, campaign, first, plan_choices("late-delivery-good"), ben.id)
    assert trainee_drills(store, campaign, CATALOG, ben.id) == ()


def test_the_exam_is_recorded_and_required_levels_are_read_by_everyone(
    store: SqlStore, campaign: Campaign
) -> None:
    ana = store.add_trainee("Ana")
    first = campaign.levels[0]
    assert call_is_exam(store, ana.id, first.key, asked=True) is False  # not passed yet
    play(store, campaign, first, plan_choices("late-delivery-good"), ana.id)
    assert call_is_exam(store, ana.id, first.key, asked=True) is True
    attempt_id, _ = play(store, campaign, first, plan_choices("late-delivery-good"), ana.id,
                         exam=True)  # fmt: skip
    detail = store.attempt_detail(attempt_id)
    assert detail is not None and detail.attempt.exam is True
    assert [a.exam for a in store.attempts(trainee_id=ana.id)] == [False, True]
    second = campaign.levels[1].key
    store.require_exam(second, True, "Sam")
    store.require_exam(second, True, "Someone else")  # idempotent: the first stays
    rule = store.exam_rules()[second]
    assert (rule.scenario_id, rule.required_by) == (second, "Sam")
    assert call_is_exam(store, ana.id, second, asked=False) is True
    store.require_exam(second, False, "Sam")
    assert second not in store.exam_rules()
    assert call_is_exam(store, ana.id, second, asked=False) is False
    with pytest.raises(ValueError, match="level id"):
        store.require_exam("", True, "Sam")
