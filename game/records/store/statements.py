"""The write path's statements, built once per store, and the SQL helpers they share."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    and_,
    bindparam,
    case,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.sql.expression import Executable

from game.records.api import (
    AccessRefused,
    AttemptStatus,
)
from game.records.database import (
    NEXT_REVISION_FUNCTION,
    REVISION_LOCK,
    UtcDateTime,
    attempts,
    level_stats,
    principle_stats,
    trainees,
    turns,
)


@dataclass(frozen=True, slots=True)
class _Statements:
    """The statements every turn and ending runs, with bind parameters, built once per store.

    Building SQLAlchemy constructs per call costs more than the SQL itself; these are
    compiled once and cached by the engine. They are immutable (every change to a construct
    makes a new one), so every store on the same kind of database shares one set.
    """

    touch_trainee_start: Executable
    touch_trainee_end: Executable
    insert_attempt: Executable
    advance_turn: Executable
    insert_turn: Executable
    finish: Executable
    abandon: Executable
    upsert_level: Executable
    upsert_principle: Executable
    revision_lock: Executable

    @staticmethod
    @functools.cache
    def build(pg: bool) -> _Statements:
        a = attempts.c
        aid: Any = bindparam("b_aid")
        in_progress = a.status == AttemptStatus.IN_PROGRESS.value
        ended = bindparam("b_ended", type_=UtcDateTime())
        when = bindparam("b_when", type_=UtcDateTime())
        returning = (a.trainee_id, a.scenario_id, a.level)

        upsert = (postgresql.insert if pg else sqlite.insert)(level_stats)
        new = upsert.excluded
        old = level_stats.c
        better = and_(
            new.best_score.is_not(None),
            old.best_score.is_(None) | (new.best_score > old.best_score),
        )
        upsert = upsert.on_conflict_do_update(
            index_elements=[old.trainee_id, old.scenario_id],
            set_={
                "level": case((old.level.is_(None), new.level), else_=old.level),
                "attempts": old.attempts + 1,
                "failed": old.failed + new.failed,
                "passed": old.passed | new.passed,
                "best_score": case((better, new.best_score), else_=old.best_score),
                "best_grade": case((better, new.best_grade), else_=old.best_grade),
                "last_played": _later(old.last_played, new.last_played),
            },
        )
        tally = (postgresql.insert if pg else sqlite.insert)(principle_stats)
        tally = tally.on_conflict_do_update(
            index_elements=[principle_stats.c.trainee_id, principle_stats.c.principle],
            set_={"broken": principle_stats.c.broken + tally.excluded.broken},
        )
        return _Statements(
            touch_trainee_start=trainees.update()
            .where(trainees.c.id == bindparam("b_tid"))
            .values(
                attempt_count=trainees.c.attempt_count + 1,
                last_active=_later(trainees.c.last_active, when),
                revision=_next_revision(pg),
            ),
            touch_trainee_end=trainees.update()
            .where(trainees.c.id == bindparam("b_tid"))
            .values(last_active=_later(trainees.c.last_active, when), revision=_next_revision(pg)),
            insert_attempt=attempts.insert(),
            advance_turn=attempts.update()
            .where(a.id == aid, in_progress, a.turn_count == bindparam("b_prev"))
            .values(
                turn_count=bindparam("b_n"),
                updated_at=bindparam("b_now", type_=UtcDateTime()),
            )
            .returning(a.trainee_id),
            insert_turn=turns.insert(),
            finish=attempts.update()
            .where(a.id == aid, in_progress)
            .values(
                status=AttemptStatus.COMPLETED.value,
                ended_at=ended,
                updated_at=ended,
                outcome=bindparam("b_outcome"),
                rating=bindparam("b_rating"),
                cause=bindparam("b_cause"),
                score=bindparam("b_score"),
                grade=bindparam("b_grade"),
                passed=bindparam("b_passed", type_=Boolean()),
                final_anger=bindparam("b_final"),
                anger_trace=bindparam("b_trace"),
                closing_effects=bindparam("b_closing"),
                competencies=bindparam("b_comp"),
                timeout_silence=bindparam("b_timeout", type_=Float()),
            )
            .returning(*returning),
            abandon=attempts.update()
            .where(a.id == aid, in_progress)
            .values(status=AttemptStatus.ABANDONED.value, ended_at=ended, updated_at=ended)
            .returning(*returning),
            upsert_level=upsert,
            upsert_principle=tally,
            revision_lock=select(func.pg_advisory_xact_lock(REVISION_LOCK)),
        )


@contextmanager
def _refusals() -> Iterator[None]:
    """PostgreSQL's "permission denied" (a trainee's login on a room) as AccessRefused."""
    try:
        yield
    except ProgrammingError as error:
        code = getattr(error.orig, "sqlstate", None)
        if code in ("42501", "42883"):  # insufficient_privilege; a function it may not see
            raise AccessRefused(
                "this database login may not do that (the room gives each login only its"
                " own records): ask the room's administrator"
            ) from error
        raise


@functools.cache
def _next_revision(pg: bool) -> Any:
    """(SELECT MAX(revision) + 1 FROM trainees), through an alias so it never correlates.

    On PostgreSQL the schema's function computes it as the tables' owner (see schema v6).
    Built once per kind of database (an immutable construct; every statement may embed it).
    """
    if pg:
        return getattr(func, NEXT_REVISION_FUNCTION)()
    other = trainees.alias("rev")
    return select(func.coalesce(func.max(other.c.revision), 0) + 1).scalar_subquery()


def _later(column: Any, value: Any) -> Any:
    """SQL for max(column, value) that both backends accept (no GREATEST in SQLite)."""
    return case((column.is_(None) | (column < value), value), else_=column)
