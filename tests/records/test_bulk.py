"""Bulk reads (game.records.bulk) on both backends: the same records as one-by-one reads, in
a few queries per chunk, whatever the number of attempts.

The first edition ran three queries per attempt (seven round trips on PostgreSQL); the
counts here fail on that code.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from game.cli import main
from game.records import bulk
from game.records.api import AttemptDetail
from game.records.bulk import count_attempts, iter_details, iter_lines, iter_summaries
from game.records.store import SqlStore, open_store
from tests.reports.seed import T0, Demo, fill_demo, plan_for, record


def one_by_one(store: SqlStore, **window: Any) -> list[AttemptDetail]:
    found = [store.attempt_detail(a.id) for a in store.attempts(**window)]
    return [d for d in found if d is not None]


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Every statement any engine sends while inside."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", count)


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Demo]:
    """The room recorded once into a SQLite file, for each SQLite test to copy."""
    path = tmp_path_factory.mktemp("bulk") / "records.db"
    with open_store(f"sqlite:///{path}") as store:
        return path, fill_demo(store)


@pytest.fixture
def demo_store(store_url: str, request: pytest.FixtureRequest) -> Iterator[tuple[SqlStore, Demo]]:
    """The training room of tests/reports/seed.py in a database of the test's own: on SQLite
    a copy of the file it was recorded into once, on PostgreSQL recorded again."""
    demo: Demo | None = None
    if store_url.startswith("sqlite:///"):
        template, demo = request.getfixturevalue("sqlite_demo")
        target = Path(store_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            source = template.with_name(template.name + suffix)
            if source.exists():
                shutil.copyfile(source, target.with_name(target.name + suffix))
    store = open_store(store_url)
    try:
        yield store, demo or fill_demo(store)
    finally:
        store.close()


@pytest.mark.parametrize("chunk", [1, 2, 5, 500])
def test_bulk_details_are_the_one_by_one_details(
    demo_store: tuple[SqlStore, Demo], chunk: int
) -> None:
    store, demo = demo_store
    ana = demo.trainees["Ana Reyes"]
    since, until = T0 + timedelta(hours=5), T0 + timedelta(hours=30)
    for window in ({}, {"trainee_id": ana}, {"since": since}):
        assert list(iter_details(store, chunk=chunk, **window)) == one_by_one(store, **window)
    windowed = list(iter_details(store, chunk=chunk, since=since, until=until))
    assert windowed == [d for d in one_by_one(store, since=since) if d.attempt.started_at < until]
    assert 0 < len(windowed) < len(demo.attempts)
    assert count_attempts(store, since=since, until=until) == len(windowed)


def test_lines_and_summaries_match_the_details(demo_store: tuple[SqlStore, Demo]) -> None:
    store, demo = demo_store
    full = one_by_one(store)
    lines = list(iter_lines(store, chunk=3))
    assert [(x.attempt, x.anger_trace, x.notes) for x in lines] == [
        (d.attempt, d.anger_trace, d.notes) for d in full
    ]
    assert any(x.attempt.id == demo.abandoned and x.anger_trace for x in lines)  # rebuilt
    summaries = list(iter_summaries(store, chunk=4))
    assert [(s.attempt, s.competencies) for s in summaries] == [
        (d.attempt, dict(d.competencies)) for d in full
    ]


def test_attempts_started_at_the_same_instant_are_neither_skipped_nor_repeated(
    store: SqlStore,
) -> None:
    trainee = store.add_trainee("Ties").id
    plan = plan_for("late-delivery", passes=True)
    made = [record(store, trainee, plan, started_at=T0) for _ in range(7)]
    for chunk in (1, 2, 3, 6, 7, 8):
        assert [d.attempt.id for d in iter_details(store, chunk=chunk)] == sorted(made)


def test_round_trips_grow_with_chunks_not_attempts(demo_store: tuple[SqlStore, Demo]) -> None:
    store, demo = demo_store
    attempts = len(demo.attempts) + 1  # and the one in progress
    for chunk in (2, 5, attempts):
        with counting_queries() as seen:
            assert len(list(iter_details(store, chunk=chunk))) == attempts
        chunks = math.ceil(attempts / chunk) + (attempts % chunk == 0)  # the last, empty look
        selects = [q for q in seen if q.lstrip().upper().startswith("SELECT")]
        assert len(selects) <= 3 * chunks, (chunk, len(selects))
    with counting_queries() as seen:
        list(iter_details(store, chunk=attempts + 10))
    assert len([q for q in seen if q.lstrip().upper().startswith("SELECT")]) == 3


@pytest.mark.parametrize(
    "command",
    [["export", "--format", "csv"], ["export", "--format", "csv", "--turns"],
     ["export", "--format", "xapi"], ["report"]],
    ids=["csv", "csv-turns", "xapi", "report"],
)  # fmt: skip
def test_commands_read_in_chunks(
    demo_store: tuple[SqlStore, Demo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:  # fmt: skip
    store, demo = demo_store
    monkeypatch.setattr(bulk, "CHUNK", 3)
    out = tmp_path / "out"
    with counting_queries() as seen:
        assert main([*command, "--db", store.url, "--out", str(out)]) == 0
    attempts = len(demo.attempts) + 1
    per_attempt = [q for q in seen if "WHERE attempts.id =" in q or "attempt_id = " in q]
    assert per_attempt == []  # no query for one attempt at a time
    # A few queries to open and check the database and load the overview, then at most
    # three per chunk of three attempts: far below the first edition's three per attempt.
    # The room's report adds, per level played, the cohort analytics of the level (a
    # transaction each for its choice map, progress and trends: 8 statements, whatever
    # the number of attempts).
    per_level = 8 * len(store.levels_played()) + 2 if command == ["report"] else 0
    assert len(seen) <= 3 * math.ceil(attempts / 3) + 3 + 25 + per_level, len(seen)
