"""Fixtures for the terminal player's tests: a records database on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from game.records.store import SqlStore, open_store
from tests.pg import pg_server, pg_url  # noqa: F401  (fixtures used through `db_url`)


@pytest.fixture(params=("sqlite", "postgresql"))
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty records database: a real SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def records(db_url: str) -> Iterator[SqlStore]:
    """The same database, opened by the test to read what a command stored."""
    store = open_store(db_url)
    try:
        yield store
    finally:
        store.close()
