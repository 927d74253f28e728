"""Report and export fixtures: a real SQLite records file filled with a small training room.

The room is recorded once per test session and copied for each test that asks for `demo`,
so every test still gets its own file to read and write.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from game.records.namespace import NAMESPACE_SETTING
from game.records.store import SqlStore, open_store
from tests.pg import pg_server, pg_url  # noqa: F401  (PostgreSQL fixtures for the tests here)
from tests.reports.seed import Demo, fill_demo

DB_NAME = "records.db"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Demo]:
    path = tmp_path_factory.mktemp("demo") / DB_NAME
    with open_store(f"sqlite:///{path}") as store:
        demo = fill_demo(store)
    return path, demo


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / DB_NAME}"


@pytest.fixture
def demo(demo_template: tuple[Path, Demo], tmp_path: Path) -> Demo:
    """The training room, in this test's own database file (before `store` opens it)."""
    template, made = demo_template
    target = tmp_path / DB_NAME
    assert not target.exists(), "`demo` must come before anything that opens the database"
    for suffix in ("", "-wal", "-shm"):
        source = template.with_name(DB_NAME + suffix)
        if source.exists():
            shutil.copyfile(source, target.with_name(DB_NAME + suffix))
    # A copy is a room of its own: its own statement-id namespace, as a new database gets,
    # so tests sharing one LRS do not see each other's statements as already there.
    with closing(sqlite3.connect(target)) as conn, conn:
        conn.execute(
            "UPDATE settings SET value = ? WHERE key = ?", (str(uuid.uuid4()), NAMESPACE_SETTING)
        )
    return made


@pytest.fixture
def store(db_url: str, request: pytest.FixtureRequest) -> Iterator[SqlStore]:
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo")  # copy the room in first
    opened = open_store(db_url)
    try:
        yield opened
    finally:
        opened.close()
