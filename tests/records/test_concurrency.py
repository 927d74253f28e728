"""Several game processes writing to one database at once lose nothing and fail nothing."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from game.records.api import AttemptStatus
from game.records.database import level_stats, turns
from game.records.store import SqlStore, open_store
from tests.records.play import expected_bests
from tests.records.procs import spawn

PROCESSES = 4
EACH = 250


@pytest.mark.slow
def test_four_processes_write_a_thousand_attempts(store: SqlStore) -> None:
    # Shared trainees: every process updates the same summary rows and counters.
    trainee_ids = [store.add_trainee(name).id for name in ("Ana", "Ben", "Cy")]
    workers = [
        spawn("bulk", store.url, EACH, seed, ",".join(map(str, trainee_ids)), stdin=True)
        for seed in range(PROCESSES)
    ]
    outputs = []
    # A supervisor's screen refreshing the whole time: its incremental overview must end up
    # exactly where a fresh read does, whatever order the writers committed in.
    stop = threading.Event()
    refreshes: list[int] = []

    def supervise() -> None:
        while not stop.is_set():
            refreshes.append(sum(r.attempts for r in store.overview()))

    watcher = threading.Thread(target=supervise)
    watcher.start()
    try:
        for worker in workers:  # all imported and connected: start them together
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        for worker in workers:
            out, err = worker.communicate(timeout=900)
            outputs.append((worker.returncode, out.strip(), err.strip()[-2000:]))
    finally:
        stop.set()
        watcher.join()
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    assert outputs == [(0, f"ok {EACH}", "")] * PROCESSES
    assert len(refreshes) > 10
    assert refreshes == sorted(refreshes)  # never went backwards
    with open_store(store.url) as fresh:
        assert store.overview() == fresh.overview()

    everything = store.attempts()
    assert len(everything) == PROCESSES * EACH
    assert {a.status for a in everything} == {AttemptStatus.COMPLETED}
    assert len({a.id for a in everything}) == PROCESSES * EACH
    with store.engine.connect() as conn:
        stored_turns = conn.execute(select(func.count()).select_from(turns)).scalar()
        summarised = conn.execute(select(func.sum(level_stats.c.attempts))).scalar()
    assert stored_turns == sum(a.turn_count for a in everything)
    assert summarised == PROCESSES * EACH
    for trainee_id in trainee_ids:
        got = {
            sid: (b.best_score, b.best_grade, b.passed, b.attempts, b.failed)
            for sid, b in store.level_bests(trainee_id).items()
        }
        assert got == expected_bests(store, trainee_id)
    rows = store.overview()
    assert sum(r.attempts for r in rows) == PROCESSES * EACH
    for row in rows:
        assert row.attempts == sum(1 for a in everything if a.trainee_id == row.trainee.id)
    if store.engine.dialect.name == "sqlite":
        path = store.engine.url.database
        assert path is not None
        with sqlite3.connect(path) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
