"""What the cohort is learning: the values of choice maps, progress and principle trends.

The store counts (game/records/store/analytics.py: SQL over tallies the turns trigger keeps
current, see schema v8, and over the attempts table); nothing replays an attempt. The
functions here only name and divide what SQL counted: a reply's verdict is the judge's
`verdict_for` of the quality it recorded, its principle the one the technique catalog gives
its technique, a day's week its ISO week.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from game.engine.catalog import Catalog
from game.engine.scoring import verdict_for
from game.scenario.model import Scenario, Text, Verdict

COHORT_MAX = 100  # characters in a cohort's name (the column's width)
WRONG = frozenset(
    {Verdict.POOR, Verdict.BAD}
)  # verdicts that count as going wrong at a decision point


class CohortError(ValueError):
    """A cohort name the records cannot take: say why."""


@dataclass(frozen=True, slots=True)
class Window:
    """Which records an analysis reads: one cohort (None: all), attempts started in
    [since, until) by UTC date (None: open)."""

    cohort: str | None = None
    since: date | None = None
    until: date | None = None

    def words(self) -> str:
        parts = [f"cohort {self.cohort}" if self.cohort else "every cohort"]
        if self.since:
            parts.append(f"from {self.since.isoformat()}")
        if self.until:
            parts.append(f"before {self.until.isoformat()}")
        return ", ".join(parts)


EVERYONE = Window()  # every cohort, all time


@dataclass(frozen=True, slots=True)
class ReplyShare:
    """One reply at a decision point, and who picked it."""

    choice: int  # authoring number
    say: Text | None  # None: the level no longer has this reply
    verdict: Verdict | None  # the judge's verdict of most of its picks; None: never picked
    verdicts: MappingProxyType[Verdict, int]  # picks per verdict
    principle: str | None  # the guide principle its technique cites first
    picks: int  # every time it was picked, in every attempt
    share: float  # of all picks at this decision point
    first: int  # trainees whose first attempt picked it here
    first_share: float
    latest: int  # trainees whose latest attempt picked it here
    latest_share: float
    anger_on_arrival: float | None  # mean anger when the customer's line was said
    leads_to: tuple[tuple[str, int], ...]  # next decision point and how often, most first
    ended: int  # picks after which the call had no further decision


@dataclass(frozen=True, slots=True)
class DecisionPoint:
    node: str
    line: Text | None  # what the customer says there (None: no longer in the level)
    visits: int
    first_visits: int  # trainees whose first attempt reached it
    latest_visits: int
    anger_on_arrival: float | None
    replies: tuple[ReplyShare, ...]  # in authoring order
    wrong_first_share: float  # of first attempts reaching it, the share that went wrong here
    wrong_latest_share: float


@dataclass(frozen=True, slots=True)
class ChoiceMap:
    scenario_id: str
    window: Window
    attempts_reaching: int  # picks at the opening decision point: attempts with a reply
    points: tuple[DecisionPoint, ...]  # in the level's order, unknown nodes last

    @property
    def hardest(self) -> tuple[DecisionPoint, ...]:
        """Decision points where most trainees go wrong on their first attempt, worst first
        (only those where at least one went wrong)."""
        wrong = [p for p in self.points if p.first_visits and p.wrong_first_share > 0]
        return tuple(sorted(wrong, key=lambda p: (-p.wrong_first_share, -p.first_visits)))


@dataclass(frozen=True, slots=True)
class TraineeProgress:
    trainee_id: int
    name: str
    cohort: str | None
    completed: int  # completed attempts at the level in the window
    first_score: int
    latest_score: int
    first_competencies: MappingProxyType[str, int | None]
    latest_competencies: MappingProxyType[str, int | None]

    @property
    def score_change(self) -> int:
        return self.latest_score - self.first_score

    def competency_change(self, competency: str) -> int | None:
        first = self.first_competencies.get(competency)
        latest = self.latest_competencies.get(competency)
        return None if first is None or latest is None else latest - first


@dataclass(frozen=True, slots=True)
class LevelProgress:
    scenario_id: str
    window: Window
    trainees: tuple[TraineeProgress, ...]  # by name

    @property
    def first_mean(self) -> float | None:
        return _mean(t.first_score for t in self.trainees)

    @property
    def latest_mean(self) -> float | None:
        return _mean(t.latest_score for t in self.trainees)

    @property
    def change_mean(self) -> float | None:
        return _mean(t.score_change for t in self.trainees)

    def competency_change_mean(self, competency: str) -> float | None:
        return _mean(
            change for t in self.trainees if (change := t.competency_change(competency)) is not None
        )

    @property
    def competencies(self) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for t in self.trainees:
            found.update(dict.fromkeys(t.first_competencies))
        return tuple(found)


@dataclass(frozen=True, slots=True)
class WeekCount:
    week: date  # the Monday the ISO week starts
    broken: int  # turns that broke the principle
    turns: int  # every turn played that week (the same window)

    @property
    def rate(self) -> float:
        return self.broken / self.turns if self.turns else 0.0


@dataclass(frozen=True, slots=True)
class PrincipleTrend:
    principle: str
    broken: int
    weeks: tuple[WeekCount, ...]  # every week of the window that had turns, oldest first


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


# ---- cohorts --------------------------------------------------------------------------------


def check_cohort(name: str | None) -> str | None:
    """A cohort name as stored (trimmed; empty means none), or CohortError saying why not."""
    if name is None:
        return None
    cleaned = " ".join(name.split())
    if not cleaned:
        return None
    if len(cleaned) > COHORT_MAX:
        raise CohortError(f"a cohort's name has at most {COHORT_MAX} characters")
    if any(not ch.isprintable() for ch in cleaned):
        raise CohortError("a cohort's name cannot hold control characters")
    return cleaned


# ---- the choice map -------------------------------------------------------------------------


def assemble_choice_map(
    scenario_id: str,
    window: Window,
    picks: Sequence[Any],
    walks: Sequence[Any],
    scenario: Scenario | None,
    catalog: Catalog | None,
) -> ChoiceMap:
    # (kind, node, choice) -> count; verdicts and anger only from 'all'
    counts: dict[tuple[str, str, int], int] = defaultdict(int)
    wrong: dict[tuple[str, str], int] = defaultdict(int)
    verdicts: dict[tuple[str, int], dict[Verdict, int]] = defaultdict(lambda: defaultdict(int))
    anger: dict[tuple[str, int], int] = defaultdict(int)
    for kind, node, choice, quality, count, anger_sum in picks:
        count = int(count)
        verdict = verdict_for(float(quality))
        counts[(kind, node, int(choice))] += count
        if verdict in WRONG:
            wrong[(kind, node)] += count
        if kind == "all":
            verdicts[(node, int(choice))][verdict] += count
            anger[(node, int(choice))] += int(anger_sum)
    leads: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for node, choice, next_node, count in walks:
        leads[(node, int(choice))][next_node] = int(count)

    nodes: dict[str, None] = {}
    if scenario is not None:
        nodes.update((n.id, None) for n in scenario.nodes if n.choices)
    nodes.update((node, None) for (_, node, _) in sorted(counts))

    def total(kind: str, node: str) -> int:
        return sum(v for (k, n, _), v in counts.items() if k == kind and n == node)

    points = []
    for node_id in nodes:
        level_node = scenario.index.get(node_id) if scenario is not None else None
        numbers: dict[int, None] = {}
        if level_node is not None:
            numbers.update((c.number, None) for c in level_node.choices)
        numbers.update((c, None) for (_, n, c) in sorted(counts) if n == node_id)
        visits, first_visits, latest_visits = (
            total(k, node_id) for k in ("all", "first", "latest")
        )
        if level_node is None and not visits:
            continue
        replies = []
        for number in sorted(numbers):
            said = (
                next((c for c in level_node.choices if c.number == number), None)
                if level_node
                else None
            )
            picked = counts.get(("all", node_id, number), 0)
            by_verdict = verdicts.get((node_id, number), {})
            first = counts.get(("first", node_id, number), 0)
            latest = counts.get(("latest", node_id, number), 0)
            led = leads.get((node_id, number), {})
            replies.append(
                ReplyShare(
                    choice=number,
                    say=said.say if said is not None else None,
                    verdict=max(by_verdict, key=lambda v: (by_verdict[v], v))
                    if by_verdict
                    else None,
                    verdicts=MappingProxyType(dict(by_verdict)),
                    principle=_principle(said.techniques, catalog) if said is not None else None,
                    picks=picked,
                    share=picked / visits if visits else 0.0,
                    first=first,
                    first_share=first / first_visits if first_visits else 0.0,
                    latest=latest,
                    latest_share=latest / latest_visits if latest_visits else 0.0,
                    anger_on_arrival=anger[(node_id, number)] / picked if picked else None,
                    leads_to=tuple(sorted(led.items(), key=lambda kv: (-kv[1], kv[0]))),
                    ended=max(0, picked - sum(led.values())),
                )
            )
        anger_total = sum(anger[(node_id, r.choice)] for r in replies)
        points.append(
            DecisionPoint(
                node=node_id,
                line=level_node.customer if level_node is not None else None,
                visits=visits,
                first_visits=first_visits,
                latest_visits=latest_visits,
                anger_on_arrival=anger_total / visits if visits else None,
                replies=tuple(replies),
                wrong_first_share=wrong[("first", node_id)] / first_visits if first_visits else 0.0,
                wrong_latest_share=(
                    wrong[("latest", node_id)] / latest_visits if latest_visits else 0.0
                ),
            )
        )
    opening = scenario.start if scenario is not None else None
    reaching = next((p.visits for p in points if p.node == opening), 0)
    return ChoiceMap(scenario_id, window, reaching, tuple(points))


def _principle(techniques: Sequence[str], catalog: Catalog | None) -> str | None:
    if catalog is None:
        return None
    for technique in techniques:
        found = catalog.techniques.get(technique)
        if found is not None and found.principles:
            return found.principles[0]
    return None


# ---- progress and trends --------------------------------------------------------------------


def assemble_progress(scenario_id: str, window: Window, rows: Sequence[Any]) -> LevelProgress:
    """Rows of (trainee_id, name, cohort, completed, first score, first competencies JSON,
    latest score, latest competencies JSON): each trainee's first and latest completed
    attempt at the level (the same one when they completed it once)."""
    out = [
        TraineeProgress(
            trainee_id=int(trainee_id),
            name=str(name),
            cohort=cohort,
            completed=int(completed),
            first_score=int(first_score or 0),
            latest_score=int(latest_score or 0),
            first_competencies=_competencies(first_comp),
            latest_competencies=_competencies(latest_comp),
        )
        for (trainee_id, name, cohort, completed, first_score, first_comp, latest_score,
             latest_comp) in rows
    ]  # fmt: skip
    out.sort(key=lambda t: (t.name.casefold(), t.trainee_id))
    return LevelProgress(scenario_id, window, tuple(out))


def assemble_trends(
    broken: Sequence[Any], played: Sequence[Any], limit: int
) -> tuple[PrincipleTrend, ...]:
    """Rows of (day, principle, broken) and of (day, turns): the most broken principles,
    with every week that had turns."""
    turns_by_week: dict[date, int] = defaultdict(int)
    for day, count in played:
        turns_by_week[week_of(date.fromisoformat(day))] += int(count)
    by_principle: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for day, principle, count in broken:
        by_principle[principle][week_of(date.fromisoformat(day))] += int(count)
    weeks = sorted(turns_by_week)
    trends = [
        PrincipleTrend(
            principle,
            sum(counts.values()),
            tuple(WeekCount(w, counts.get(w, 0), turns_by_week[w]) for w in weeks),
        )
        for principle, counts in by_principle.items()
    ]
    trends.sort(key=lambda t: (-t.broken, t.principle))
    return tuple(trends[:limit])


def _competencies(raw: Any) -> MappingProxyType[str, int | None]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    return MappingProxyType(
        {str(k): (int(v) if isinstance(v, int | float) else None) for k, v in data.items()}
    )


__all__ = [
    "EVERYONE",
    "ChoiceMap",
    "CohortError",
    "DecisionPoint",
    "LevelProgress",
    "PrincipleTrend",
    "ReplyShare",
    "TraineeProgress",
    "WeekCount",
    "Window",
    "assemble_choice_map",
    "assemble_progress",
    "assemble_trends",
    "check_cohort",
]
