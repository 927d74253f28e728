"""abandon_stale(): calls whose game is gone become abandoned; live calls are left alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from game.engine.session import Phase
from game.records.api import AttemptStatus
from game.records.database import attempts
from game.records.store import STALE_AFTER, SqlStore, open_store
from tests.records.play import good_choices, play
from tests.records.procs import spawn


def test_a_call_left_open_by_an_earlier_game_is_abandoned_with_its_turns(
    store_url: str,
) -> None:
    with open_store(store_url) as crashed:
        ana = crashed.add_trainee("Ana")
        left = play(crashed, ana.id, good_choices(), stop_after=3)
        # the game "crashes": the store is never told. A new game opens the database.
        last_turn = crashed.attempt_detail(left.attempt_id)
    assert last_turn is not None
    with open_store(store_url) as restarted:
        assert restarted.abandon_stale() == 1
        assert restarted.abandon_stale() == 0
        detail = restarted.attempt_detail(left.attempt_id)
        assert detail is not None
        assert detail.attempt.status is AttemptStatus.ABANDONED
        assert detail.turns == last_turn.turns
        assert detail.attempt.ended_at is not None
        assert detail.attempt.ended_at >= detail.attempt.started_at
        assert restarted.level_bests(ana.id)["late-delivery"].attempts == 1


def test_a_store_keeps_its_own_live_call(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    live = play(store, ana.id, good_choices(), stop_after=2)
    assert store.abandon_stale() == 0
    while live.phase is Phase.SPEAKING:
        live.proceed()
    live.choose(good_choices()[2])  # the call goes on
    (attempt,) = store.attempts()
    assert (attempt.status, attempt.turn_count) == (AttemptStatus.IN_PROGRESS, 3)


@pytest.mark.slow  # starts a process and kills it
def test_a_live_call_in_another_process_is_left_alone_until_it_dies(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    with spawn("hold", store.url, ana.id, 2, stdin=True) as worker:
        assert worker.stdout is not None
        assert worker.stdin is not None
        line = worker.stdout.readline().split()
        assert line[:1] == ["held"], worker.stderr.read() if worker.stderr else line
        held = int(line[1])
        assert store.abandon_stale() == 0
        (attempt,) = store.attempts()
        assert (attempt.id, attempt.status) == (held, AttemptStatus.IN_PROGRESS)
        worker.stdin.close()  # the other game quits without finishing the call
        assert worker.wait(timeout=60) == 0
    assert store.abandon_stale() == 1
    (attempt,) = store.attempts()
    assert attempt.status is AttemptStatus.ABANDONED
    assert attempt.turn_count == 2


def test_calls_from_other_machines_are_abandoned_only_when_long_silent(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    recent = play(store, ana.id, good_choices(), stop_after=1).attempt_id
    old = play(store, ana.id, good_choices(), stop_after=1).attempt_id
    with store.engine.begin() as conn:
        conn.execute(
            update(attempts)
            .where(attempts.c.id.in_([recent, old]))
            .values(owner="another-game", host="till-3.training-room")
        )
        conn.execute(
            update(attempts)
            .where(attempts.c.id == old)
            .values(updated_at=datetime.now(UTC) - STALE_AFTER * 1.1)
        )
    assert store.abandon_stale() == 1
    status = {a.id: a.status for a in store.attempts()}
    assert status == {recent: AttemptStatus.IN_PROGRESS, old: AttemptStatus.ABANDONED}
