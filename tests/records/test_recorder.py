"""The Recorder: a session whose turns reach the store as they are played."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from game.engine.catalog import load_catalog
from game.engine.session import (
    ChoicePrompt,
    CustomerLine,
    Finished,
    InvalidChoice,
    Phase,
    TimerMode,
)
from game.records.api import AttemptStatus
from game.records.recorder import Recorder, RecorderClosed
from game.records.replayed import replay_recorded
from game.records.store import SqlStore
from game.scenario.model import AbusivePolicy, Policy, SupervisorPolicy
from tests.catalog import CATALOG
from tests.records.play import StepClock, bad_choices, good_choices, play, scenario


def test_every_turn_is_in_the_store_as_soon_as_it_is_played(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    seen: list[int] = []

    def check(recorder: Recorder) -> None:
        detail = store.attempt_detail(recorder.attempt_id)
        assert detail is not None
        assert detail.turns == recorder.state.turns
        seen.append(len(detail.turns))

    recorder = play(store, ana.id, good_choices(), on_turn=check)
    assert seen == list(range(1, len(good_choices()) + 1))
    assert recorder.finished


def test_response_times_come_from_the_clock(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    clock = StepClock(2.5)  # each reading is 2.5 s after the last: prompt shown, then answered
    recorder = play(store, ana.id, good_choices(), clock=clock)
    detail = store.attempt_detail(recorder.attempt_id)
    assert detail is not None
    assert detail.response_times == (2.5,) * len(good_choices())


def test_the_attempt_is_finished_when_the_outcome_is_known(store: SqlStore) -> None:
    """The parting line may still be on screen; the record is complete already."""
    ana = store.add_trainee("Ana")
    recorder = Recorder.begin(store, ana.id, scenario(), 1, 70, None, 3, "off", "en", CATALOG)
    for number in good_choices():
        while recorder.phase is Phase.SPEAKING:
            assert isinstance(recorder.current(), CustomerLine)
            recorder.proceed()
        assert isinstance(recorder.current(), ChoicePrompt)
        recorder.choose(number)
    assert recorder.phase is Phase.SPEAKING  # the customer's last line
    assert recorder.finished
    (attempt,) = store.attempts()
    assert attempt.status is AttemptStatus.COMPLETED
    recorder.proceed()
    assert isinstance(recorder.current(), Finished)
    report = recorder.debrief
    assert report is not None
    assert attempt.score == report.score
    with pytest.raises(RecorderClosed):
        recorder.choose(1)
    recorder.abandon()  # leaving the debrief screen does not undo the result
    assert store.attempts()[0].status is AttemptStatus.COMPLETED


def test_a_dead_air_timeout_is_recorded_and_replays(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    sc = scenario()
    assert sc.channel.value == "phone"
    recorder = Recorder.begin(store, ana.id, sc, 1, 70, None, 5, TimerMode.NORMAL, "en", CATALOG)
    recorder.proceed()
    recorder.choose(good_choices()[0])
    recorder.proceed()
    for _ in range(600):  # the UI ticks every frame until the customer gives up
        recorder.tick(0.25)
        if recorder.finished:
            break
    assert recorder.finished
    detail = store.attempt_detail(recorder.attempt_id)
    assert detail is not None
    assert len(detail.turns) == 1
    assert detail.events[-1].choice is None
    assert detail.events[-1].silence == recorder.state.events[-1].silence
    assert detail.attempt.outcome == "customer_left"
    replayed = replay_recorded(detail, sc, load_catalog()).state
    assert replayed is not None
    assert replayed.outcome == recorder.state.outcome
    assert replayed.anger_trace() == detail.anger_trace


def test_abandoning_mid_call_closes_the_recorder(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    recorder = play(store, ana.id, good_choices(), stop_after=2)
    recorder.abandon()
    assert recorder.abandoned
    with pytest.raises(RecorderClosed):
        recorder.choose(1)
    with pytest.raises(RecorderClosed):
        recorder.tick(1.0)
    (attempt,) = store.attempts()
    assert attempt.status is AttemptStatus.ABANDONED
    assert attempt.turn_count == 2


def test_a_failed_write_leaves_the_session_where_it_was(store: SqlStore) -> None:
    """What the trainee saw and what was recorded never drift apart."""
    ana = store.add_trainee("Ana")
    recorder = play(store, ana.id, good_choices(), stop_after=2)
    while recorder.phase is Phase.SPEAKING:
        recorder.proceed()
    before = recorder.state
    store.abandon_attempt(recorder.attempt_id, datetime.now(UTC))  # behind its back
    with pytest.raises(ValueError, match="already abandoned"):
        recorder.choose(1)
    assert recorder.state == before


def test_an_invalid_choice_records_nothing(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    recorder = Recorder.begin(store, ana.id, scenario(), 1, 70, None, 0, "off", "en", CATALOG)
    recorder.proceed()
    with pytest.raises(InvalidChoice):
        recorder.choose(99)
    assert store.attempts()[0].turn_count == 0
    recorder.choose(1)
    assert store.attempts()[0].turn_count == 1


def test_the_effective_policy_seed_timer_and_language_are_recorded(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    policy = Policy(AbusivePolicy.TRANSFER, SupervisorPolicy.HELP_FIRST)
    recorder = Recorder.begin(
        store, ana.id, scenario(), None, 80, policy, 41, "relaxed", "fil", CATALOG
    )
    (attempt,) = store.attempts()
    assert attempt.id == recorder.attempt_id
    assert attempt.policy == recorder.state.policy == scenario().policy.over(policy)
    assert (attempt.seed, attempt.timer, attempt.lang) == (41, "relaxed", "fil")
    assert (attempt.level, attempt.pass_score) == (None, 80)
    assert attempt.content_hash == scenario().content_hash


def test_a_failed_and_a_passed_attempt_are_scored_like_the_engine(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    passed = play(store, ana.id, good_choices())
    failed = play(store, ana.id, bad_choices())
    assert passed.debrief is not None
    assert failed.debrief is not None
    assert passed.debrief.passed
    assert not failed.debrief.passed
    by_id = {a.id: a for a in store.attempts()}
    assert by_id[passed.attempt_id].passed is True
    assert by_id[failed.attempt_id].passed is False
    assert by_id[failed.attempt_id].score == failed.debrief.score
