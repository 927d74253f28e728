"""The cohort analytics of a level as the report, the desk and the CSV show them.

Reads the store's counts (game/records/store/analytics.py) and turns them into rows of
words and whole percentages: one place decides how a share, a verdict or a trend is
written, for the HTML report's level sections, the supervisor desk's level page and the
choice-map CSV.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol, TypeVar

from game.engine.catalog import Catalog
from game.i18n.translator import ENGLISH, Translator
from game.records.analytics import (
    ChoiceMap,
    DecisionPoint,
    LevelProgress,
    PrincipleTrend,
    Window,
)
from game.records.api import Attempt, Store
from game.records.export import Cell, Library

CHOICE_MAP_HEADER = (
    "level", "cohort", "since", "until", "decision_point", "visits", "first_visits",
    "latest_visits", "anger_on_arrival", "wrong_first_share", "reply", "words", "verdict",
    "principle", "picks", "share", "first", "first_share", "latest", "latest_share",
    "reply_anger_on_arrival", "leads_to", "ended_here",
)  # fmt: skip


def percent(share: float) -> int:
    """A share as a whole percentage (half up), as every view writes it."""
    return int(share * 100 + 0.5)


def anger_words(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


@dataclass(frozen=True, slots=True)
class ReplyRow:
    number: int
    words: str
    verdict: str  # good | fair | poor | bad | "" (never picked)
    principle: str  # "G-… title", or ""
    picks: int
    share: int  # percent of the picks at this decision point
    first: int  # percent of trainees' first attempts reaching it
    latest: int  # percent of trainees' latest attempts reaching it
    anger: str
    leads: str  # "vents_more 3 · wrap_up 1", "call ended 2"


@dataclass(frozen=True, slots=True)
class PointRow:
    node: str
    line: str
    visits: int
    first_visits: int
    latest_visits: int
    anger: str
    wrong_first: int  # percent
    wrong_latest: int  # percent
    replies: tuple[ReplyRow, ...]


@dataclass(frozen=True, slots=True)
class ProgressRow:
    name: str
    cohort: str
    completed: int
    first: int
    latest: int
    change: int


@dataclass(frozen=True, slots=True)
class TrendRow:
    principle: str
    title: str
    broken: int
    rates: tuple[int, ...]  # percent of the week's turns that broke it, per week


@dataclass(frozen=True, slots=True)
class LevelSection:
    scenario_id: str
    number: str
    title: str
    anchor: str
    window: str
    attempts: int  # attempts with a reply at the opening
    points: tuple[PointRow, ...]
    hardest: tuple[tuple[str, int, int], ...]  # (decision point, % wrong first, % wrong latest)
    progress: tuple[ProgressRow, ...]
    first_mean: str
    latest_mean: str
    change_mean: str
    competency_changes: tuple[tuple[str, str], ...]  # (competency, mean change)
    weeks: tuple[str, ...]  # "2026-11-02" Mondays
    trends: tuple[TrendRow, ...]

    @property
    def empty(self) -> bool:
        return not any(p.visits for p in self.points) and not self.progress


def _signed(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}".replace("-", "−")


def _mean(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _principle_words(principle: str | None, catalog: Catalog) -> str:
    if principle is None:
        return ""
    found = catalog.principles.get(principle)
    return principle if found is None else f"{principle} {found.title}"


def level_section(
    store: Store,
    scenario_id: str,
    window: Window,
    library: Library,
    catalog: Catalog,
    *,
    lang: str = "en",
    trends: int = 5,
    tr: Translator = ENGLISH,
) -> LevelSection:
    ref = library.ref(scenario_id)
    found = store.choice_map(scenario_id, window, scenario=ref.scenario, catalog=catalog)
    progress = store.level_progress(scenario_id, window)
    broken = store.principle_trends(window, scenario_id=scenario_id, limit=trends)
    return section_from(found, progress, broken, library, catalog, lang=lang, tr=tr)


def section_from(
    found: ChoiceMap,
    progress: LevelProgress,
    trends: Sequence[PrincipleTrend],
    library: Library,
    catalog: Catalog,
    *,
    lang: str = "en",
    tr: Translator = ENGLISH,
) -> LevelSection:
    ref = library.ref(found.scenario_id)
    points = tuple(_point_row(p, catalog, lang, tr) for p in found.points)
    weeks = tuple(w.week.isoformat() for w in trends[0].weeks) if trends else ()
    return LevelSection(
        scenario_id=found.scenario_id,
        number=str(ref.level or "·"),
        title=ref.title.get(lang),
        anchor=f"level-{found.scenario_id}",
        window=found.window.words(),
        attempts=found.attempts_reaching,
        points=points,
        hardest=tuple(
            (p.node, percent(p.wrong_first_share), percent(p.wrong_latest_share))
            for p in found.hardest[:3]
        ),
        progress=tuple(
            ProgressRow(
                t.name, t.cohort or "", t.completed, t.first_score, t.latest_score, t.score_change
            )
            for t in progress.trainees
        ),
        first_mean=_mean(progress.first_mean),
        latest_mean=_mean(progress.latest_mean),
        change_mean=_signed(progress.change_mean),
        competency_changes=tuple(
            (catalog.competencies.get(c, c), _signed(progress.competency_change_mean(c)))
            for c in progress.competencies
        ),
        weeks=weeks,
        trends=tuple(
            TrendRow(
                t.principle,
                _principle_words(t.principle, catalog),
                t.broken,
                tuple(percent(w.rate) for w in t.weeks),
            )
            for t in trends
        ),
    )


def _point_row(
    point: DecisionPoint, catalog: Catalog, lang: str, tr: Translator = ENGLISH
) -> PointRow:
    replies = []
    for r in point.replies:
        leads = [f"{node} {count}" for node, count in r.leads_to]
        if r.ended:
            # i18n: where the replies led: "vents_more 3 · call ended 2" (node ids, counts)
            leads.append(tr._("call ended {count}", count=r.ended))
        replies.append(
            ReplyRow(
                number=r.choice,
                words=r.say.get(lang) if r.say is not None else tr._("(no longer in the level)"),
                verdict=r.verdict or "",
                principle=_principle_words(r.principle, catalog),
                picks=r.picks,
                share=percent(r.share),
                first=percent(r.first_share),
                latest=percent(r.latest_share),
                anger=anger_words(r.anger_on_arrival),
                leads=" · ".join(leads),
            )
        )
    return PointRow(
        node=point.node,
        line=point.line.get(lang) if point.line is not None else "",
        visits=point.visits,
        first_visits=point.first_visits,
        latest_visits=point.latest_visits,
        anger=anger_words(point.anger_on_arrival),
        wrong_first=percent(point.wrong_first_share),
        wrong_latest=percent(point.wrong_latest_share),
        replies=tuple(replies),
    )


def level_sections(
    store: Store,
    window: Window,
    library: Library,
    catalog: Catalog,
    *,
    lang: str = "en",
    tr: Translator = ENGLISH,
) -> tuple[LevelSection, ...]:
    """A section for every level played in the window, in campaign order."""
    played = store.levels_played(window)
    return tuple(
        level_section(store, sid, window, library, catalog, lang=lang, tr=tr)
        for sid in library.order(played)
    )


def choice_map_rows(
    found: ChoiceMap, catalog: Catalog, lang: str = "en"
) -> Iterator[tuple[Cell, ...]]:
    """The choice map as CSV rows (CHOICE_MAP_HEADER): one per reply per decision point."""
    window = found.window
    head = (
        found.scenario_id,
        window.cohort or "",
        window.since.isoformat() if isinstance(window.since, date) else "",
        window.until.isoformat() if isinstance(window.until, date) else "",
    )
    for point in found.points:
        row = _point_row(point, catalog, lang)
        for reply, raw in zip(row.replies, point.replies, strict=True):
            yield (
                *head, point.node, point.visits, point.first_visits, point.latest_visits,
                "" if point.anger_on_arrival is None else round(point.anger_on_arrival, 2),
                round(point.wrong_first_share, 4), reply.number, reply.words, reply.verdict,
                raw.principle or "", raw.picks, round(raw.share, 4), raw.first,
                round(raw.first_share, 4), raw.latest, round(raw.latest_share, 4),
                "" if raw.anger_on_arrival is None else round(raw.anger_on_arrival, 2),
                " ".join(f"{node}:{count}" for node, count in raw.leads_to), raw.ended,
            )  # fmt: skip


# ---- cohorts in the exports -----------------------------------------------------------------


class _OfAttempt(Protocol):
    @property
    def attempt(self) -> Attempt: ...


T = TypeVar("T", bound=_OfAttempt)


def cohort_members(store: Store, cohort: str | None) -> frozenset[int] | None:
    """The trainees of a cohort (None: no cohort asked for, everyone)."""
    if cohort is None:
        return None
    from game.records.analytics import check_cohort

    name = check_cohort(cohort)
    return frozenset(tid for tid, theirs in store.trainee_cohorts().items() if theirs == name)


def in_cohort(items: Iterable[T], members: frozenset[int] | None) -> Iterator[T]:
    """Only the attempts of a cohort's trainees (all of them when `members` is None)."""
    for item in items:
        if members is None or item.attempt.trainee_id in members:
            yield item


def export_choice_map(
    store: Store,
    library: Library,
    catalog: Catalog,
    *,
    cohort: str | None,
    levels: Sequence[str] | None,
    since: datetime | None,
    until: datetime | None,
    out: Path | None,
) -> int:
    """`export --format choices`: the choice map of each level asked for (default: every
    level played in the window) as CSV rows, one per reply per decision point; the number
    of rows written."""
    from game.records.export import output_file, write_csv

    window = Window(
        cohort,
        None if since is None else since.date(),
        None if until is None else until.date(),
    )
    chosen = tuple(levels or library.order(store.levels_played(window)))

    def rows() -> Iterator[tuple[Cell, ...]]:
        for sid in chosen:
            found = store.choice_map(sid, window, scenario=library.ref(sid).scenario,
                                     catalog=catalog)  # fmt: skip
            yield from choice_map_rows(found, catalog)

    if out is None:
        count = write_csv(CHOICE_MAP_HEADER, rows(), sys.stdout)
    else:
        with output_file(out) as handle:
            count = write_csv(CHOICE_MAP_HEADER, rows(), handle)
    print(f"{count} choice-map rows for {len(chosen)} level(s), {window.words()}", file=sys.stderr)
    return count
