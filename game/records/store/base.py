"""What every part of the store shares: the engine, its transactions and small helpers."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Self

from sqlalchemy import (
    Connection,
    Engine,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from game.records.api import (
    AttemptStatus,
    OverviewRow,
    RecordNotFound,
)
from game.records.database import (
    attempts,
    trainees,
)
from game.records.store.connect import _writer
from game.records.store.statements import _refusals, _Statements


class StoreBase:
    """What every part of the store shares: the engine, its transactions and small helpers."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self._engine = engine
        self._write = _writer(engine)
        self._pg = engine.dialect.name == "postgresql"
        self._sql = _Statements.build(self._pg)
        self._owner = uuid.uuid4().hex
        self._overview_lock = threading.Lock()
        self._overview_seen = -1
        self._overview: tuple[OverviewRow, ...] = ()
        self._overview_rows: dict[int, tuple[str, OverviewRow]] = {}
        self._host = socket.gethostname()[:255]
        self._pid = os.getpid()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for tests, migrations and bulk tools (bench)."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _writing(self, *, revises: bool = False) -> Iterator[Connection]:
        """A write transaction; `revises` when it bumps a trainee's revision (see schema v3).

        Revisions must be taken in commit order: SQLite's BEGIN IMMEDIATE already makes
        writers take turns; PostgreSQL writers take a transaction-scoped advisory lock first.
        """
        with _refusals(), self._write.begin() as conn:
            if revises and self._pg:
                conn.execute(self._sql.revision_lock)
            yield conn

    @contextmanager
    def _reading(self, *, snapshot: bool = False) -> Iterator[Connection]:
        """A read transaction; `snapshot` when several queries must agree with each other.

        SQLite's BEGIN already reads one snapshot; PostgreSQL's default READ COMMITTED takes
        a new one per statement, so multi-query reads ask for REPEATABLE READ.
        """
        with _refusals(), self._engine.connect() as conn, conn.begin():
            if snapshot and self._pg:
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield conn

    def _insert(self, table: Any) -> Any:
        return (postgresql.insert if self._pg else sqlite.insert)(table)

    def _explain_refusal(self, conn: Connection, attempt_id: int, action: str) -> None:
        row = conn.execute(
            select(attempts.c.status, attempts.c.turn_count).where(attempts.c.id == attempt_id)
        ).first()
        if row is None:
            raise RecordNotFound(f"no attempt with id {attempt_id}")
        if row.status != AttemptStatus.IN_PROGRESS.value:
            raise ValueError(f"cannot {action}: attempt {attempt_id} is already {row.status}")
        raise ValueError(
            f"cannot {action}: attempt {attempt_id} has {row.turn_count} turns recorded"
        )

    def _update_trainee(self, trainee_id: int, **values: Any) -> None:
        with self._writing() as conn:
            done = conn.execute(
                trainees.update().where(trainees.c.id == trainee_id).values(**values)
            )
            if done.rowcount != 1:
                raise RecordNotFound(f"no trainee with id {trainee_id}")
