"""The attempt log: attempts and turns written as the call goes, and read back."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from sqlalchemy import (
    Connection,
    select,
)

from game.engine.session import Effect, Event, TimerMode, Turn, turn_to_json
from game.records.api import (
    Attempt,
    AttemptDetail,
    AttemptStart,
    AttemptStatus,
    RecordNotFound,
    broken_principles,
)
from game.records.database import (
    attempts,
    notes,
    turns,
)
from game.records.store.base import StoreBase
from game.records.store.rows import (
    TURN_COLUMNS,
    _attempt,
    _attempt_select,
    _dumps,
    _effects_to_json,
    _now,
    detail_from_rows,
    detail_select,
)

STALE_AFTER = timedelta(hours=12)  # an in-progress attempt untouched this long is abandoned

TIMERS = frozenset(mode.value for mode in TimerMode)  # what `attempts.timer` may hold


def _pid_alive(pid: int) -> bool:
    """Is a process with this id running on this machine? (POSIX; elsewhere assume not.)"""
    if os.name != "posix" or pid <= 0:
        return False  # os.kill(pid, 0) would terminate the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it just is not ours
    return True


class AttemptLogMixin(StoreBase):
    """The attempt log: attempts and turns written as the call goes, and read back."""

    def start_attempt(self, start: AttemptStart) -> int:
        if start.timer not in TIMERS:
            raise ValueError(f"timer must be one of {sorted(TIMERS)}, not {start.timer!r}")
        if not 0 <= start.pass_score <= 100:
            raise ValueError(f"pass score {start.pass_score} is outside 0..100")
        st = self._sql
        with self._writing(revises=True) as conn:
            touched = conn.execute(
                st.touch_trainee_start, {"b_tid": start.trainee_id, "b_when": start.started_at}
            )
            if touched.rowcount != 1:
                raise RecordNotFound(f"no trainee with id {start.trainee_id}")
            result = conn.execute(
                st.insert_attempt,
                {
                    "trainee_id": start.trainee_id,
                    "scenario_id": start.scenario_id,
                    "content_hash": start.content_hash,
                    "level": start.level,
                    "pass_score": start.pass_score,
                    "seed": start.seed,
                    "abusive_caller": start.policy.abusive_caller.value,
                    "supervisor_request": start.policy.supervisor_request.value,
                    "parting_ways": start.policy.parting_ways.value,
                    "apology_when_customer_at_fault": (
                        start.policy.apology_when_customer_at_fault.value
                    ),
                    "timer": start.timer,
                    "lang": start.lang,
                    "status": AttemptStatus.IN_PROGRESS.value,
                    "started_at": start.started_at,
                    "catalog_hash": start.catalog_hash,
                    "exam": start.exam,
                    "turn_count": 0,
                    "owner": self._owner,
                    "host": self._host,
                    "pid": self._pid,
                    "updated_at": start.started_at,
                },
            )
            pk = result.inserted_primary_key
            assert pk is not None
            return int(pk[0])

    def record_turn(self, attempt_id: int, turn: Turn, event: Event, response_time: float) -> None:
        if event.choice != turn.choice or event.silence != turn.silence:
            raise ValueError(
                f"event {event} does not match turn {turn.number} (choice {turn.choice},"
                f" silence {turn.silence})"
            )
        if response_time < 0:
            raise ValueError(f"response time {response_time} is negative")
        now = _now()
        data = turn_to_json(turn)
        extra = {k: v for k, v in data.items() if k not in TURN_COLUMNS}
        st = self._sql
        with self._writing() as conn:
            moved = conn.execute(
                st.advance_turn,
                {"b_aid": attempt_id, "b_prev": turn.number - 1, "b_n": turn.number, "b_now": now},
            ).first()
            if moved is None:
                self._explain_refusal(conn, attempt_id, f"record turn {turn.number}")
                return
            conn.execute(
                st.insert_turn,
                {
                    "attempt_id": attempt_id,
                    "number": turn.number,
                    "node": turn.node,
                    "choice": turn.choice,
                    "say": _dumps(data["say"]),
                    "techniques": _dumps(data["techniques"]),
                    "tags": _dumps(data["tags"]),
                    "anger_before": turn.anger_before,
                    "anger_after": turn.anger_after,
                    "silence": turn.silence,
                    "effects": _dumps(data["effects"]),
                    # SQLite drops the sign of a zero; store every zero as 0.0 on both
                    # databases so they read back the same (the sign of zero means nothing)
                    "quality": turn.quality + 0.0,
                    "feedback": None if data["feedback"] is None else _dumps(data["feedback"]),
                    "response_time": response_time,
                    "recorded_at": now,
                    "extra": _dumps(extra) if extra else None,
                },
            )
            broken = broken_principles(turn.effects)
            if broken:  # the trainee's tallies move with the turn, in the same transaction
                conn.execute(
                    st.upsert_principle,
                    [
                        {"trainee_id": moved.trainee_id, "principle": p, "broken": 1}
                        for p in sorted(broken)
                    ],
                )

    def finish_attempt(
        self,
        attempt_id: int,
        *,
        ended_at: datetime,
        outcome: str,
        rating: str,
        cause: str,
        score: int,
        grade: str,
        passed: bool,
        final_anger: int,
        anger_trace: tuple[int, ...],
        closing_effects: tuple[Effect, ...],
        competencies: dict[str, int | None],
        timeout_silence: float | None = None,
    ) -> None:
        with self._writing(revises=True) as conn:
            row = conn.execute(
                self._sql.finish,
                {
                    "b_aid": attempt_id,
                    "b_ended": ended_at,
                    "b_outcome": outcome,
                    "b_rating": rating,
                    "b_cause": cause,
                    "b_score": score,
                    "b_grade": grade,
                    "b_passed": passed,
                    "b_final": final_anger,
                    "b_trace": _dumps(list(anger_trace)),
                    "b_closing": _dumps(_effects_to_json(closing_effects)),
                    "b_comp": _dumps(dict(competencies)),
                    "b_timeout": timeout_silence,
                },
            ).first()
            if row is None:
                self._explain_refusal(conn, attempt_id, "finish")
                return
            self._count_ended(
                conn,
                trainee_id=row.trainee_id,
                scenario_id=row.scenario_id,
                level=row.level,
                ended_at=ended_at,
                score=score,
                grade=grade,
                passed=passed,
                completed=True,
            )

    def abandon_attempt(self, attempt_id: int, ended_at: datetime) -> None:
        """Leave a call mid-way; the turns stay. Harmless on an attempt that already ended."""
        with self._writing(revises=True) as conn:
            if not self._abandon(conn, attempt_id, ended_at):
                exists = conn.execute(
                    select(attempts.c.id).where(attempts.c.id == attempt_id)
                ).first()
                if exists is None:
                    raise RecordNotFound(f"no attempt with id {attempt_id}")

    def abandon_stale(self) -> int:
        """Mark abandoned every in-progress attempt whose game is gone; returns how many.

        Gone means: written by a process of this machine that is no longer running (or by this
        very process through an earlier store, i.e. before a restart of the game in-process),
        or untouched for STALE_AFTER. Live calls of other games on a shared PostgreSQL
        database, or of other processes on this machine, are left alone.
        """
        now = _now()
        count = 0
        with self._writing(revises=True) as conn:
            rows = conn.execute(
                select(
                    attempts.c.id,
                    attempts.c.owner,
                    attempts.c.host,
                    attempts.c.pid,
                    attempts.c.started_at,
                    attempts.c.updated_at,
                ).where(attempts.c.status == AttemptStatus.IN_PROGRESS.value)
            ).all()
            for r in rows:
                if r.owner == self._owner:
                    continue  # our own live call
                last = r.updated_at or r.started_at
                same_host = r.host == self._host
                gone = (
                    r.host is None
                    or now - last >= STALE_AFTER
                    or (same_host and (r.pid == self._pid or not _pid_alive(int(r.pid or 0))))
                )
                if gone and self._abandon(conn, int(r.id), last):
                    count += 1
        return count

    def _abandon(self, conn: Connection, attempt_id: int, ended_at: datetime) -> bool:
        row = conn.execute(self._sql.abandon, {"b_aid": attempt_id, "b_ended": ended_at}).first()
        if row is None:
            return False
        self._count_ended(
            conn,
            trainee_id=row.trainee_id,
            scenario_id=row.scenario_id,
            level=row.level,
            ended_at=ended_at,
            score=None,
            grade=None,
            passed=False,
            completed=False,
        )
        return True

    def _count_ended(
        self,
        conn: Connection,
        *,
        trainee_id: int,
        scenario_id: str,
        level: int | None,
        ended_at: datetime,
        score: int | None,
        grade: str | None,
        passed: bool,
        completed: bool,
    ) -> None:
        """Fold one ended attempt into its trainee x scenario summary (an atomic upsert)."""
        conn.execute(
            self._sql.upsert_level,
            {
                "trainee_id": trainee_id,
                "scenario_id": scenario_id,
                "level": level,
                "attempts": 1,
                "failed": 1 if completed and not passed else 0,
                "passed": completed and passed,
                "best_score": score,
                "best_grade": grade,
                "last_played": ended_at,
            },
        )
        conn.execute(self._sql.touch_trainee_end, {"b_tid": trainee_id, "b_when": ended_at})

    def attempts(
        self,
        *,
        trainee_id: int | None = None,
        scenario_id: str | None = None,
        since: datetime | None = None,
    ) -> tuple[Attempt, ...]:
        """Attempts oldest first, optionally only one trainee's, one scenario's, or recent ones."""
        query = _attempt_select()
        if trainee_id is not None:
            query = query.where(attempts.c.trainee_id == trainee_id)
        if scenario_id is not None:
            query = query.where(attempts.c.scenario_id == scenario_id)
        if since is not None:
            query = query.where(attempts.c.started_at >= since)
        with self._reading() as conn:
            rows = conn.execute(query.order_by(attempts.c.started_at, attempts.c.id))
            return tuple(_attempt(r) for r in rows)

    def attempt_detail(self, attempt_id: int) -> AttemptDetail | None:
        with self._reading(snapshot=True) as conn:
            row = conn.execute(detail_select().where(attempts.c.id == attempt_id)).first()
            if row is None:
                return None
            turn_rows = conn.execute(
                select(turns).where(turns.c.attempt_id == attempt_id).order_by(turns.c.number)
            ).all()
            note_rows = conn.execute(
                select(notes).where(notes.c.attempt_id == attempt_id).order_by(notes.c.id)
            ).all()
        return detail_from_rows(row, turn_rows, note_rows)
