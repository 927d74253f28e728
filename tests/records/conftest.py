"""Records fixtures: a `store` on both backends, and helpers to play attempts through it.

Every test that takes `store` runs twice: on a real SQLite file and on a fresh PostgreSQL
database (see tests/pg.py; skipped, with the reason, when no server can be had).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from game.records.store import SqlStore, open_store
from tests.pg import pg_server, pg_url  # noqa: F401  (fixtures used through `store_url`)

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for an empty records database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()
