"""The supervisor's overview: level bests, paging, competencies and weak principles."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    case,
    func,
    select,
)

from game.records.api import (
    PAGE_MAX,
    STUCK_AFTER_FAILS,
    AttemptStatus,
    LevelBest,
    OverviewRow,
    OverviewSort,
    PrincipleTally,
)
from game.records.database import (
    attempts,
    level_stats,
    principle_stats,
    trainees,
)
from game.records.names import search_key
from game.records.store.base import StoreBase
from game.records.store.rows import (
    _level_best,
    _level_select,
    _trainee,
    _trainee_select,
    holds_key,
)


class OverviewMixin(StoreBase):
    """The supervisor's overview: level bests, paging, competencies and weak principles."""

    def level_bests(self, trainee_id: int) -> MappingProxyType[str, LevelBest]:
        with self._reading() as conn:
            rows = conn.execute(_level_select().where(level_stats.c.trainee_id == trainee_id)).all()
        return MappingProxyType({r.scenario_id: _level_best(r) for r in rows})

    def overview(self) -> tuple[OverviewRow, ...]:
        """Every trainee with their level bests, in name order.

        Served from the summary table, and incrementally: each store remembers the rows it
        built and the highest trainee revision it saw, and re-reads only trainees whose
        revision moved since (the values are immutable, so sharing them is safe).
        A deleted profile moves no revision forward, so the trainee count is read too: when
        it no longer matches the rows kept (or the top revision went back), everything is
        read again.
        """
        with self._overview_lock, self._reading(snapshot=True) as conn:
            top, count = conn.execute(
                select(func.coalesce(func.max(trainees.c.revision), 0), func.count())
            ).one()
            top, count = int(top), int(count)
            rows = self._overview_rows
            if top == self._overview_seen and count == len(rows):
                return self._overview
            since = self._overview_seen
            if top < since or count < len(rows):  # someone was deleted: start again
                rows.clear()
                since = -1
            self._read_changed(conn, rows, since)
            if len(rows) != count:  # a deletion hidden by an addition: start again
                rows.clear()
                self._read_changed(conn, rows, -1)
            self._overview = tuple(
                row for _, row in sorted(rows.values(), key=lambda kr: (kr[0], kr[1].trainee.id))
            )
            self._overview_seen = top
            return self._overview

    @staticmethod
    def _read_changed(
        conn: Connection, rows: dict[int, tuple[str, OverviewRow]], since: int
    ) -> None:
        """Put the trainees whose revision is past `since` into `rows`, with their bests."""
        changed = conn.execute(
            _trainee_select()
            .add_columns(trainees.c.name_key, trainees.c.attempt_count)
            .where(trainees.c.revision > since)
        ).all()
        levels = conn.execute(
            _level_select()
            .join_from(level_stats, trainees, level_stats.c.trainee_id == trainees.c.id)
            .where(trainees.c.revision > since)
        ).all()
        by_trainee: dict[int, dict[str, LevelBest]] = {}
        for r in levels:
            by_trainee.setdefault(r[0], {})[r[1]] = _level_best(r)
        for p in changed:
            rows[int(p.id)] = (
                str(p.name_key),
                OverviewRow(
                    trainee=_trainee(p),
                    levels=MappingProxyType(by_trainee.get(p.id, {})),
                    attempts=int(p.attempt_count),
                    last_activity=p.last_active,
                ),
            )

    def competency_averages(self, trainee_id: int) -> MappingProxyType[str, float | None]:
        """Mean score per competency over the trainee's completed attempts (None: never used)."""
        with self._reading() as conn:
            rows = conn.execute(
                select(attempts.c.competencies).where(
                    attempts.c.trainee_id == trainee_id,
                    attempts.c.status == AttemptStatus.COMPLETED.value,
                )
            ).scalars()
            sums: dict[str, list[float]] = {}
            for raw in rows:
                if raw is None:
                    continue
                for cid, value in json.loads(raw).items():
                    bucket = sums.setdefault(cid, [0.0, 0.0])
                    if value is not None:
                        bucket[0] += value
                        bucket[1] += 1
        return MappingProxyType(
            {cid: (total / n if n else None) for cid, (total, n) in sums.items()}
        )

    def overview_page(
        self,
        sort: str,
        descending: bool,
        offset: int,
        limit: int,
        search: str | None = None,
    ) -> tuple[tuple[OverviewRow, ...], int]:
        """One screenful of the overview, ordered in SQL; with how many trainees match in all.

        Unlike `overview()` it reads only the page's trainees and their level rows, so it costs
        the same on the first call of a freshly opened store as on any other. Ties are broken by
        name (then id), so paging is stable. `search` matches anywhere in the name, ignoring case and diacritics
        (the stored `search_key`: "ngoc tram" finds "Ngọc Trâm").
        """
        order = OverviewSort(sort)
        if offset < 0 or not 0 < limit <= PAGE_MAX:
            raise ValueError(f"offset must be >= 0 and limit 1..{PAGE_MAX}, not {offset}, {limit}")
        t = trainees.c
        where: list[Any] = []
        term = search_key(search or "")
        if term:
            where.append(holds_key(t.search_key, term))
        query: Select[Any] = _trainee_select().add_columns(t.attempt_count).where(*where)
        keys: list[Any] = []
        if order is OverviewSort.NAME:
            keys = [t.name_key.desc(), t.id.desc()] if descending else [t.name_key, t.id]
        else:
            if order is OverviewSort.ACTIVITY:
                # never active counts as the oldest: first ascending, last descending
                keys = [case((t.last_active.is_(None), 0), else_=1), t.last_active]
            else:
                ls = level_stats.c
                counts = (
                    select(
                        ls.trainee_id,
                        func.sum(case((ls.passed, 1), else_=0)).label("passed_n"),
                        func.sum(
                            case((~ls.passed & (ls.failed >= STUCK_AFTER_FAILS), 1), else_=0)
                        ).label("stuck_n"),
                        func.sum(case((ls.passed, 0), else_=ls.failed)).label("failing_n"),
                    )
                    .group_by(ls.trainee_id)
                    .subquery("counts")
                )
                query = query.outerjoin(counts, counts.c.trainee_id == t.id)
                if order is OverviewSort.PASSED:
                    keys = [func.coalesce(counts.c.passed_n, 0)]
                else:
                    keys = [
                        func.coalesce(counts.c.stuck_n, 0),
                        func.coalesce(counts.c.failing_n, 0),
                    ]
            keys = [k.desc() if descending else k for k in keys] + [t.name_key, t.id]
        with self._reading(snapshot=True) as conn:
            found = conn.execute(query.order_by(*keys).offset(offset).limit(limit)).all()
            if 0 < len(found) < limit:  # the last page: everything from the offset is here
                total = offset + len(found)
            else:
                count = select(func.count()).select_from(trainees).where(*where)
                total = int(conn.execute(count).scalar_one())
            ids = [int(r.id) for r in found]
            levels = (
                conn.execute(_level_select().where(level_stats.c.trainee_id.in_(ids))).all()
                if ids
                else []
            )
        by_trainee: dict[int, dict[str, LevelBest]] = {}
        for r in levels:
            by_trainee.setdefault(r[0], {})[r[1]] = _level_best(r)
        rows = tuple(
            OverviewRow(
                trainee=_trainee(r),
                levels=MappingProxyType(by_trainee.get(int(r.id), {})),
                attempts=int(r.attempt_count),
                last_activity=r.last_active,
            )
            for r in found
        )
        return rows, total

    def weakest_principles(self, trainee_id: int, limit: int = 5) -> tuple[PrincipleTally, ...]:
        """The principles this trainee's turns broke most often (most first, then by id)."""
        c = principle_stats.c
        with self._reading() as conn:
            rows = conn.execute(
                select(c.principle, c.broken)
                .where(c.trainee_id == trainee_id, c.broken > 0)
                .order_by(c.broken.desc(), c.principle)
                .limit(limit)
            ).all()
        return tuple(PrincipleTally(str(r.principle), int(r.broken)) for r in rows)
