"""Exam rules per level and what spaced practice reads of the attempts (schema v10).

The rules themselves (who gets an exam, what a weak result is, when a drill is due) are the
training layer's (`game/training/practice.py`); this port only stores and reads. On a
PostgreSQL room every login may read `exam_levels`, and only a supervisor's may change it
(the trainees' group has SELECT alone), so a trainee's `require_exam` is `AccessRefused`.
"""

from __future__ import annotations

from types import MappingProxyType

from sqlalchemy import func, select

from game.records.api import AttemptStatus, ExamRule, PracticeRecord
from game.records.database import attempts, exam_levels, turns
from game.records.store.base import StoreBase
from game.records.store.rows import _clean_name, _now

SCENARIO_ID_MAX = 100  # the column's width


class PracticeMixin(StoreBase):
    """Exam rules per level, and the completed attempts spaced practice reads."""

    def exam_rules(self) -> MappingProxyType[str, ExamRule]:
        c = exam_levels.c
        with self._reading() as conn:
            rows = conn.execute(
                select(c.scenario_id, c.required_by, c.required_at).order_by(c.scenario_id)
            ).all()
        return MappingProxyType({str(r[0]): ExamRule(str(r[0]), str(r[1]), r[2]) for r in rows})

    def require_exam(self, scenario_id: str, required: bool, by: str) -> None:
        """Require exam mode at a level (or stop requiring it); idempotent."""
        level = scenario_id.strip()
        if not level or len(level) > SCENARIO_ID_MAX:
            raise ValueError(
                f"a level id is 1 to {SCENARIO_ID_MAX} characters, not {scenario_id!r}"
            )
        who = _clean_name(by, "who requires the exam")
        c = exam_levels.c
        with self._writing() as conn:
            if not required:
                conn.execute(exam_levels.delete().where(c.scenario_id == level))
                return
            stmt = self._insert(exam_levels).values(
                scenario_id=level, required_by=who, required_at=_now()
            )
            conn.execute(stmt.on_conflict_do_nothing(index_elements=[c.scenario_id]))

    def practice_records(self, trainee_id: int | None = None) -> tuple[PracticeRecord, ...]:
        a, t = attempts.c, turns.c
        worst = select(func.min(t.quality)).where(t.attempt_id == a.id).scalar_subquery()
        query = (
            select(a.trainee_id, a.scenario_id, a.ended_at, a.passed, a.exam, worst)
            .where(a.status == AttemptStatus.COMPLETED.value)
            .order_by(a.ended_at, a.id)
        )
        if trainee_id is not None:
            query = query.where(a.trainee_id == trainee_id)
        with self._reading() as conn:
            rows = conn.execute(query).all()
        return tuple(
            PracticeRecord(
                trainee_id=int(r[0]),
                scenario_id=str(r[1]),
                ended_at=r[2],
                passed=bool(r[3]),
                exam=bool(r[4]),
                worst_quality=None if r[5] is None else float(r[5]),
            )
            for r in rows
            if r[2] is not None
        )
