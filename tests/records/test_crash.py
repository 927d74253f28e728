"""Crash safety: a game killed with SIGKILL at random moments loses no completed turn.

A worker process plays attempts through the Recorder on a real SQLite file and reports each
write on stdout after its commit returned. It is killed 50 times at random moments (often
inside a transaction); each new worker opens the store as the game does (abandon_stale).
Afterwards the file is intact, every finished attempt is complete, and every interrupted one
is abandoned with exactly the turns it wrote (the one in flight at the kill may hold one
turn, or its ending, more than it managed to report).
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest

from game.engine.catalog import load_catalog
from game.records.api import AttemptStatus
from game.records.replayed import replay_recorded
from game.records.store import open_store
from tests.records.play import expected_bests, good_choices, scenario
from tests.records.procs import spawn

KILLS = 50


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_at_random_moments_loses_nothing_committed(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    url = f"sqlite:///{db}"
    with open_store(url) as store:
        trainee_id = store.add_trainee("Crash Test").id
    rng = random.Random(20261122)
    turns: dict[int, int] = defaultdict(int)  # reported committed turns per attempt
    done: set[int] = set()
    left: set[int] = set()
    last_of_run: set[int] = set()  # the attempt each killed worker was busy with
    runs_with_kill_mid_call = 0
    # One warmed-up process forks each game, so a run costs its play time, not its imports.
    with spawn("zygote", url, trainee_id, stdin=True) as zygote:
        assert zygote.stdin is not None
        assert zygote.stdout is not None
        lines = _Lines(zygote.stdout)
        zygote.stdin.write(f"{rng.randrange(2**31)}\n")
        zygote.stdin.flush()
        for run in range(KILLS):
            ready = lines.next().split()
            assert ready[0] == "ready", (ready, zygote.stderr.read() if zygote.stderr else "")
            time.sleep(rng.uniform(0.0, 0.6))
            os.kill(int(ready[1]), signal.SIGKILL)
            if run < KILLS - 1:
                zygote.stdin.write(f"{rng.randrange(2**31)}\n")  # reap it, start the next
                zygote.stdin.flush()
            else:
                zygote.stdin.close()  # reap it and stop
            current = None
            written, reaped = lines.until("reaped")
            assert reaped.split()[1:] == [ready[1], str(int(signal.SIGKILL))], reaped
            for line in written:
                kind, raw_id, *rest = line.split()
                current = int(raw_id)
                if kind == "turn":
                    assert int(rest[0]) == turns[current] + 1
                    turns[current] = int(rest[0])
                elif kind == "done":
                    done.add(current)
                elif kind == "left":
                    left.add(current)
                else:
                    assert kind == "start", line
                    turns.setdefault(current, 0)
            if current is not None and current not in done | left:
                last_of_run.add(current)
                runs_with_kill_mid_call += 1
        assert zygote.wait(timeout=60) == 0

    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []

    with open_store(url) as store:
        store.abandon_stale()
        in_db = {a.id: a for a in store.attempts()}
        assert set(turns) <= set(in_db), "an attempt reported as started is missing"
        unreported = set(in_db) - set(turns)
        # only a start committed just before a kill can go unreported, one per run at most
        assert len(unreported) <= KILLS
        for aid, attempt in in_db.items():
            detail = store.attempt_detail(aid)
            assert detail is not None
            assert attempt.turn_count == len(detail.turns)
            assert [t.number for t in detail.turns] == list(range(1, len(detail.turns) + 1))
            if aid in done:
                assert attempt.status is AttemptStatus.COMPLETED
                assert len(detail.turns) == turns[aid]
                call = replay_recorded(detail, scenario(), load_catalog())
                assert call.exact and call.note is None  # replayed: the same turns, scored alike
                assert attempt.score is not None
            elif aid in left:
                assert attempt.status is AttemptStatus.ABANDONED
                assert len(detail.turns) == turns[aid]
            elif aid in unreported:
                assert attempt.status is AttemptStatus.ABANDONED
                assert detail.turns == ()
            else:
                assert aid in last_of_run
                reported = turns[aid]
                kept = len(detail.turns)
                if attempt.status is AttemptStatus.COMPLETED:
                    # killed after the ending committed, before it was reported
                    assert kept >= reported
                    assert replay_recorded(detail, scenario(), load_catalog()).exact
                else:
                    assert attempt.status is AttemptStatus.ABANDONED
                    assert reported <= kept <= reported + 1
        # the summary table agrees with the attempts, kills and all
        got = {
            sid: (b.best_score, b.best_grade, b.passed, b.attempts, b.failed)
            for sid, b in store.level_bests(trainee_id).items()
        }
        assert got == expected_bests(store, trainee_id)
        (row,) = store.overview()
        assert row.attempts == len(in_db)
    assert len(done) > 10, "the workers hardly finished anything: kills came too early"
    assert runs_with_kill_mid_call > KILLS // 3, "few kills landed inside a call"
    assert max(turns.values()) <= len(good_choices())


class _Lines:
    """The zygote's stdout, read by a thread so a killed child never blocks the test."""

    def __init__(self, stream: Iterable[str]) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: Iterable[str]) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def next(self) -> str:
        line = self._queue.get(timeout=60)
        if line is None:
            raise AssertionError("the zygote exited")
        return line

    def until(self, prefix: str) -> tuple[list[str], str]:
        """The lines before the next one starting with `prefix`, and that line."""
        got: list[str] = []
        while not (line := self.next()).startswith(prefix):
            got.append(line)
        return got, line
