"""What the cohort is learning, counted in SQL: cohorts, choice maps, progress, trends.

The choice map and the principle trends sum the tallies the turns trigger keeps (schema
v8): a few thousand rows for a level, whatever the number of attempts. Progress reads each
trainee's first and latest completed attempt with window functions over the attempts of
one level. Naming verdicts and dividing is game/records/analytics.py's.

On a PostgreSQL room the tallies are the supervisors' alone (row-level security, room.py):
a trainee's login that asks gets `AccessRefused`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from types import MappingProxyType
from typing import Any

from sqlalchemy import text

from game.engine.catalog import Catalog
from game.records.analytics import (
    EVERYONE,
    ChoiceMap,
    LevelProgress,
    PrincipleTrend,
    Window,
    assemble_choice_map,
    assemble_progress,
    assemble_trends,
    check_cohort,
)
from game.records.api import RecordNotFound
from game.records.database import tally_choices
from game.records.store.base import StoreBase
from game.scenario.model import Scenario


def _filters(
    window: Window, *, day: str = "day", cohort: str = "cohort = :cohort", stamps: Any = None
) -> tuple[str, dict[str, Any]]:
    """SQL conditions (each starting with AND) and their parameters for a window."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if window.cohort is not None:
        clauses.append(cohort)
        params["cohort"] = window.cohort
    for name, bound, op in (("since", window.since, ">="), ("until", window.until, "<")):
        if bound is not None:
            clauses.append(f"{day} {op} :{name}")
            params[name] = bound.isoformat() if stamps is None else stamps(bound)
    return "".join(f" AND {c}" for c in clauses), params


class AnalyticsMixin(StoreBase):
    """Cohorts and the cohort's choice analytics."""

    def set_cohort(self, trainee_id: int, cohort: str | None) -> str | None:
        """Put a trainee in a cohort (None: in none), moving their counts with them, in one
        transaction. Returns the name as stored."""
        name = check_cohort(cohort)
        with self._writing() as conn:
            found = conn.execute(
                text("SELECT cohort FROM trainees WHERE id = :t"), {"t": trainee_id}
            ).first()
            if found is None:
                raise RecordNotFound(f"no trainee with id {trainee_id}")
            if found[0] == name:
                return name
            tally_choices(conn, trainee_id=trainee_id, sign=-1)
            conn.execute(
                text("UPDATE trainees SET cohort = :c WHERE id = :t"), {"c": name, "t": trainee_id}
            )
            tally_choices(conn, trainee_id=trainee_id, sign=1)
        return name

    def cohorts(self) -> tuple[tuple[str, int], ...]:
        """Every cohort with its number of trainees, by name."""
        with self._reading() as conn:
            rows = conn.execute(
                text(
                    "SELECT cohort, COUNT(*) FROM trainees WHERE cohort IS NOT NULL"
                    " GROUP BY cohort ORDER BY cohort"
                )
            ).all()
        return tuple((str(name), int(count)) for name, count in rows)

    def trainee_cohorts(self) -> MappingProxyType[int, str]:
        """The cohort of each trainee who is in one, by trainee id."""
        with self._reading() as conn:
            rows = conn.execute(
                text("SELECT id, cohort FROM trainees WHERE cohort IS NOT NULL")
            ).all()
        return MappingProxyType({int(i): str(c) for i, c in rows})

    def choice_map(
        self,
        scenario_id: str,
        window: Window = EVERYONE,
        *,
        scenario: Scenario | None = None,
        catalog: Catalog | None = None,
    ) -> ChoiceMap:
        """Every decision point of a level: who picked which reply, with what verdict, from
        what anger, and where it led. `scenario` (the level as it is now) adds the words and
        the replies nobody picked; `catalog` adds each reply's principle."""
        where, params = _filters(window)
        params["sid"] = scenario_id
        with self._reading(snapshot=True) as conn:
            picks = conn.execute(
                text(
                    f"""SELECT kind, node, choice, quality, SUM(picks), SUM(anger_sum)
                    FROM choice_tallies WHERE scenario_id = :sid{where}
                    GROUP BY kind, node, choice, quality HAVING SUM(picks) > 0"""
                ),
                params,
            ).all()
            walks = conn.execute(
                text(
                    f"""SELECT node, choice, next_node, SUM(walks) FROM path_tallies
                    WHERE scenario_id = :sid{where}
                    GROUP BY node, choice, next_node HAVING SUM(walks) > 0"""
                ),
                params,
            ).all()
        return assemble_choice_map(scenario_id, window, picks, walks, scenario, catalog)

    def level_progress(self, scenario_id: str, window: Window = EVERYONE) -> LevelProgress:
        """Each trainee's first and latest completed attempt at a level in the window."""
        # the first and latest ids from the level's index alone, then two rows a trainee
        where, params = _filters(
            window,
            day="started_at",
            cohort="trainee_id IN (SELECT id FROM trainees WHERE cohort = :cohort)",
            stamps=self._day_stamp,
        )
        params["sid"] = scenario_id
        with self._reading(snapshot=True) as conn:
            rows = conn.execute(
                text(
                    f"""SELECT g.trainee_id, tr.name, tr.cohort, g.n,
                           f.score, f.competencies, l.score, l.competencies
                    FROM (
                        SELECT trainee_id, MIN(id) AS first_id, MAX(id) AS last_id, COUNT(*) AS n
                        FROM attempts
                        WHERE scenario_id = :sid AND status = 'completed'{where}
                        GROUP BY trainee_id
                    ) g
                    JOIN trainees tr ON tr.id = g.trainee_id
                    JOIN attempts f ON f.id = g.first_id
                    JOIN attempts l ON l.id = g.last_id"""
                ),
                params,
            ).all()
        return assemble_progress(scenario_id, window, rows)

    def principle_trends(
        self, window: Window = EVERYONE, *, scenario_id: str | None = None, limit: int = 5
    ) -> tuple[PrincipleTrend, ...]:
        """The principles the cohort's turns broke most (at one level, or all), by week."""
        where, params = _filters(window)
        if scenario_id is not None:
            where += " AND scenario_id = :sid"
            params["sid"] = scenario_id
        with self._reading(snapshot=True) as conn:
            broken = conn.execute(
                text(
                    f"""SELECT day, principle, SUM(broken) FROM principle_tallies
                    WHERE 1 = 1{where} GROUP BY day, principle HAVING SUM(broken) > 0"""
                ),
                params,
            ).all()
            played = conn.execute(
                text(
                    f"""SELECT day, SUM(picks) FROM choice_tallies
                    WHERE kind = 'all'{where} GROUP BY day HAVING SUM(picks) > 0"""
                ),
                params,
            ).all()
        return assemble_trends(broken, played, limit)

    def levels_played(self, window: Window = EVERYONE) -> tuple[str, ...]:
        """The levels with at least one counted turn in the window."""
        where, params = _filters(window)
        with self._reading() as conn:
            rows = conn.execute(
                text(
                    f"""SELECT scenario_id FROM choice_tallies WHERE kind = 'all'{where}
                    GROUP BY scenario_id HAVING SUM(picks) > 0 ORDER BY scenario_id"""
                ),
                params,
            ).all()
        return tuple(str(r[0]) for r in rows)

    def _day_stamp(self, day: date) -> Any:
        """Midnight UTC of a date, as the attempts table compares it (schema.UtcDateTime)."""
        if self._pg:
            return datetime.combine(day, time(), UTC)
        return f"{day.isoformat()} 00:00:00.000000"
