"""Reading many attempts at once, for exports and reports: a few queries per chunk.

The first edition read each attempt with three queries of its own (seven round trips per
attempt on PostgreSQL) and kept every detail in memory. Here attempts come in chunks in
(started_at, id) order, by keyset (no OFFSET: each chunk starts where the last ended, on
the `ix_attempts_started` index), with one query for the chunk's turns and one for its notes:
round trips grow with chunks, not attempts, and memory holds one chunk.

All chunks are read in one transaction, so a room that keeps playing during an export
cannot make it skip or repeat an attempt (SQLite's read transaction is one snapshot;
PostgreSQL gets REPEATABLE READ).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, and_, or_, select

from game.records.api import Attempt, AttemptDetail, Note
from game.records.database import attempts, notes, turns
from game.records.store.rows import (
    _attempt,
    _attempt_select,
    _note,
    _partial_trace,
    _turn,
    detail_from_rows,
    detail_select,
)

if TYPE_CHECKING:
    from game.records.store import SqlStore

CHUNK = 500  # attempts per round of queries: ~10,000 turns, a few MB


@dataclass(frozen=True, slots=True)
class AttemptLine:
    """An attempt with what a one-row-per-attempt table needs: its anger trace and notes."""

    attempt: Attempt
    anger_trace: tuple[int, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class AttemptSummary:
    """An attempt without its turns: what a room report summarises."""

    attempt: Attempt
    competencies: dict[str, int | None]


def _window(
    query: Select[Any], trainee_id: int | None, since: datetime | None, until: datetime | None
) -> Select[Any]:
    if trainee_id is not None:
        query = query.where(attempts.c.trainee_id == trainee_id)
    if since is not None:
        query = query.where(attempts.c.started_at >= since)
    if until is not None:
        query = query.where(attempts.c.started_at < until)
    return query


def _after(query: Select[Any], last: tuple[datetime, int] | None) -> Select[Any]:
    """Keyset paging on (started_at, id); the first condition lets the index do the work."""
    if last is None:
        return query
    started, ident = last
    return query.where(
        attempts.c.started_at >= started,
        or_(
            attempts.c.started_at > started,
            and_(attempts.c.started_at == started, attempts.c.id > ident),
        ),
    )


def _chunks(conn: Connection, query: Select[Any], chunk: int) -> Iterator[Sequence[Any]]:
    last: tuple[datetime, int] | None = None
    order = (attempts.c.started_at, attempts.c.id)
    while True:
        rows = conn.execute(_after(query, last).order_by(*order).limit(chunk)).all()
        if not rows:
            return
        yield rows
        if len(rows) < chunk:
            return
        last = (rows[-1].started_at, int(rows[-1].id))


def _read(store: SqlStore) -> Any:
    """One read transaction for the whole walk (REPEATABLE READ on PostgreSQL)."""
    conn = store.engine.connect()
    transaction = conn.begin()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    return conn, transaction


def iter_details(
    store: SqlStore,
    *,
    trainee_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    chunk: int | None = None,
    with_turns: bool = True,
) -> Generator[AttemptDetail, None, None]:
    """Every attempt in the window with its turns and notes, oldest first, chunk by chunk.

    Three queries per `chunk` attempts (default `CHUNK`), whatever their turns and notes.
    `with_turns=False` skips the turns of attempts whose anger trace is stored (every ended
    one): for a per-attempt table, which needs the trace but not the transcript.
    """
    chunk = chunk or CHUNK
    conn, transaction = _read(store)
    try:
        query = _window(detail_select(), trainee_id, since, until)
        for rows in _chunks(conn, query, chunk):
            ids = [int(r.id) for r in rows]
            wanted = ids if with_turns else [int(r.id) for r in rows if r.anger_trace is None]
            by_turns: dict[int, list[Any]] = defaultdict(list)
            if wanted:
                for t in conn.execute(
                    select(turns)
                    .where(turns.c.attempt_id.in_(wanted))
                    .order_by(turns.c.attempt_id, turns.c.number)
                ):
                    by_turns[int(t.attempt_id)].append(t)
            by_notes: dict[int, list[Any]] = defaultdict(list)
            for n in conn.execute(
                select(notes).where(notes.c.attempt_id.in_(ids)).order_by(notes.c.id)
            ):
                by_notes[int(n.attempt_id)].append(n)
            for row in rows:
                ident = int(row.id)
                yield detail_from_rows(row, by_turns.pop(ident, ()), by_notes.pop(ident, ()))
    finally:
        transaction.rollback()
        conn.close()


def iter_lines(
    store: SqlStore,
    *,
    trainee_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    chunk: int | None = None,
) -> Generator[AttemptLine, None, None]:
    """Every attempt with its trace and notes, oldest first: the CSV's rows, without turns.

    Turns are read only for attempts that never stored a trace (abandoned or in progress),
    and then only to rebuild the trace, by the store's own rule.
    """
    chunk = chunk or CHUNK * 4
    conn, transaction = _read(store)
    try:
        query = _window(
            _attempt_select().add_columns(attempts.c.anger_trace), trainee_id, since, until
        )
        for rows in _chunks(conn, query, chunk):
            ids = [int(r.id) for r in rows]
            unfinished = [int(r.id) for r in rows if r.anger_trace is None]
            by_turns: dict[int, list[Any]] = defaultdict(list)
            if unfinished:
                for t in conn.execute(
                    select(turns)
                    .where(turns.c.attempt_id.in_(unfinished))
                    .order_by(turns.c.attempt_id, turns.c.number)
                ):
                    by_turns[int(t.attempt_id)].append(t)
            by_notes: dict[int, list[Note]] = defaultdict(list)
            for n in conn.execute(
                select(notes).where(notes.c.attempt_id.in_(ids)).order_by(notes.c.id)
            ):
                by_notes[int(n.attempt_id)].append(_note(n))
            for row in rows:
                ident = int(row.id)
                if row.anger_trace is not None:
                    trace = tuple(json.loads(row.anger_trace))  # stored by us: a list of ints
                else:  # the store's rule for the start, read off the first turn only
                    played = by_turns.pop(ident, [])
                    trace = (
                        _partial_trace((_turn(played[0]),))
                        + tuple(int(t.anger_after) for t in played[1:])
                        if played
                        else ()
                    )
                yield AttemptLine(_attempt(row), trace, tuple(by_notes.pop(ident, ())))
    finally:
        transaction.rollback()
        conn.close()


def iter_summaries(
    store: SqlStore,
    *,
    trainee_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    chunk: int | None = None,
) -> Generator[AttemptSummary, None, None]:
    """Every attempt in the window without its turns, oldest first: one query per chunk."""
    chunk = chunk or CHUNK * 4
    conn, transaction = _read(store)
    try:
        query = _window(detail_select(), trainee_id, since, until)
        for rows in _chunks(conn, query, chunk):
            for row in rows:
                competencies = {} if row.competencies is None else json.loads(row.competencies)
                yield AttemptSummary(_attempt(row), competencies)
    finally:
        transaction.rollback()
        conn.close()


def count_attempts(
    store: SqlStore,
    *,
    trainee_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    from sqlalchemy import func

    with store.engine.connect() as conn, conn.begin():
        query = _window(select(func.count()).select_from(attempts), trainee_id, since, until)
        return int(conn.execute(query).scalar_one())
