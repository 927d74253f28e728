"""The supervisor's HTML report: one self-contained file to open in any browser.

Everything a supervisor needs to coach: who is stuck where, each trainee's competency
profile, and every attempt with its transcript, anger curve and turn-by-turn feedback
citing the guide. The page makes no external request (CSS, SVG charts and a few lines of
script are inline) and its Content-Security-Policy only lets that one script run.
Templates autoescape everything; the chart geometry is computed here so the templates
only place numbers.
"""

from __future__ import annotations

import base64
import hashlib
import sys
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from game.engine.bands import BANDS
from game.engine.catalog import Catalog
from game.engine.scoring import verdict_for
from game.engine.session import Effect, Turn, line_text
from game.records.api import (
    AttemptDetail,
    AttemptStatus,
    LevelBest,
    OverviewRow,
    Trainee,
)
from game.records.export import Library, ScenarioRef
from game.records.replayed import replay_recorded, scored_elsewhere
from game.scenario.model import Scenario

if TYPE_CHECKING:
    from game.records.analytics_view import LevelSection
    from game.records.api import Store
    from game.records.bulk import AttemptSummary


# ---- chart geometry -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True, slots=True)
class BandRect:
    name: str
    css: str
    y: float
    height: float
    label_y: float


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    y: float
    shape: str  # ring (the start) | circle (followed the guides) | cross (broke them) | square
    css: str  # start | good | fair | poor | bad | end
    label: str


@dataclass(frozen=True, slots=True)
class AngerChart:
    """A line chart of anger after every turn over the named bands, each turn marked."""

    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    bands: tuple[BandRect, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    points: str  # for <polyline points="…">
    markers: tuple[Marker, ...]
    summary: str  # the same data in words, for screen readers


ANGER_WIDTH, ANGER_HEIGHT = 760, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 42.0, 78.0, 10.0, 40.0


def anger_chart(trace: Sequence[int], turns: Sequence[Turn]) -> AngerChart:
    """Trace values are the start, then after each turn, then the final value if it moved."""
    left, top = MARGIN_LEFT, MARGIN_TOP
    right, bottom = ANGER_WIDTH - MARGIN_RIGHT, ANGER_HEIGHT - MARGIN_BOTTOM
    values = list(trace) or [0]
    step = (right - left) / max(1, len(values) - 1)

    def y_of(anger: float) -> float:
        return round(bottom - (bottom - top) * max(0.0, min(100.0, anger)) / 100, 1)

    bands = tuple(
        BandRect(
            band.name,
            band.name.lower(),
            y_of(band.high + (1 if band.high < 100 else 0)),
            round(y_of(band.low) - y_of(band.high + (1 if band.high < 100 else 0)), 1),
            round((y_of(band.low) + y_of(band.high)) / 2 + 4, 1),
        )
        for band in BANDS
    )
    x_ticks: list[Tick] = []
    markers: list[Marker] = []
    words: list[str] = []
    for index, value in enumerate(values):
        x = round(left + step * index, 1)
        y = y_of(value)
        if index == 0:
            label, shape, css = "Start", "ring", "start"
            words.append(f"starts at {value}")
            tip = f"Start: anger {value}"
        elif index <= len(turns):
            turn = turns[index - 1]
            label = str(turn.number)
            css = verdict_for(turn.quality)
            shape = "circle" if turn.quality > 0 else "cross"
            tip = (
                f"Turn {turn.number}: {', '.join(turn.techniques) or 'no technique'}, "
                f"anger {turn.anger_before} → {turn.anger_after} ({turn.delta:+d}), {css}"
            )
            words.append(f"turn {turn.number} {css} {value}")
        else:
            label, shape, css = "End", "square", "end"
            tip = f"After the call: anger {value}"
            words.append(f"after the call {value}")
        x_ticks.append(Tick(x, label))
        markers.append(Marker(x, y, shape, css, tip))
    if len(x_ticks) > 16:  # too many labels to read: keep every other, and the last
        x_ticks = [t for i, t in enumerate(x_ticks) if i % 2 == 0 or i == len(x_ticks) - 1]
    y_ticks = tuple(Tick(y_of(v), str(v)) for v in (0, 25, 50, 75, 100))
    points = " ".join(f"{m.x},{m.y}" for m in markers)
    return AngerChart(
        ANGER_WIDTH, ANGER_HEIGHT, left, top, right, bottom, bands, tuple(x_ticks), y_ticks,
        points, tuple(markers), "Anger " + "; ".join(words) + ".",
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    score: int | None
    uses: int
    y: float
    width: float  # of the filled bar
    css: str  # strong | fair | weak | none


@dataclass(frozen=True, slots=True)
class BarChart:
    """Horizontal bars, 0..100, one per competency."""

    width: int
    height: int
    label_width: float
    scale_width: float
    row: float
    bars: tuple[Bar, ...]
    grid: tuple[Tick, ...]
    summary: str


def competency_chart(scores: Sequence[tuple[str, int | None, int]]) -> BarChart:
    label_width, scale_width, row = 190.0, 300.0, 28.0
    top = 20.0
    bars = []
    for index, (label, score, uses) in enumerate(scores):
        css = (
            "none"
            if score is None
            else ("strong" if score >= 75 else "fair" if score >= 50 else "weak")
        )
        width = 0.0 if score is None else round(scale_width * score / 100, 1)
        bars.append(Bar(label, score, uses, top + index * row, width, css))
    grid = tuple(
        Tick(round(label_width + scale_width * v / 100, 1), str(v)) for v in (0, 25, 50, 75, 100)
    )
    summary = "; ".join(
        f"{label} {'not practised' if score is None else score}" for label, score, _ in scores
    )
    height = int(top + row * len(scores) + 6)
    return BarChart(
        int(label_width + scale_width + 70), height, label_width, scale_width, row,
        tuple(bars), grid, "Competencies: " + summary + ".",
    )  # fmt: skip


# ---- what the page shows --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EffectView:
    anger: int
    short: str
    reason: str
    principle: str | None
    principle_title: str | None


@dataclass(frozen=True, slots=True)
class TurnView:
    number: int
    customer: str | None  # what the customer said before the reply (None: scenario changed)
    said: str
    techniques: tuple[str, ...]  # labels
    anger_before: int
    anger_after: int
    delta: int
    verdict: str
    feedback: str | None  # the scenario author's own words, when they gave some
    effects: tuple[EffectView, ...]
    response_time: float | None


@dataclass(frozen=True, slots=True)
class NoteView:
    author: str
    text: str
    created: str
    read: bool
    edited: str | None = None  # when the supervisor last changed it


@dataclass(frozen=True, slots=True)
class AttemptView:
    id: int
    scenario_id: str
    title: str
    level: int | None
    started: str
    duration: str
    status: str
    score: int | None
    grade: str | None
    passed: bool | None
    pass_score: int
    outcome: str | None
    rating: str | None
    final_anger: int | None
    chart: AngerChart | None  # None when the call was abandoned before a single reply
    turns: tuple[TurnView, ...]
    ending: str | None  # the customer's last line
    closing: tuple[EffectView, ...]
    notes: tuple[NoteView, ...]
    scenario_changed: bool
    catalog_changed: bool  # scored under another edition of the rules: shown as stored


@dataclass(frozen=True, slots=True)
class Cell:
    scenario_id: str
    best: LevelBest | None
    stuck: bool

    @property
    def state(self) -> str:
        if self.best is None or self.best.attempts == 0:
            return "unplayed"
        if self.stuck:
            return "stuck"
        return "passed" if self.best.passed else "trying"


@dataclass(frozen=True, slots=True)
class RecentRow:
    """One line of an attempt in a room summary: no transcript."""

    id: int
    title: str
    level: int | None
    started: str
    duration: str
    status: str
    score: int | None
    grade: str | None
    passed: bool | None


@dataclass(frozen=True, slots=True)
class TraineeView:
    trainee: Trainee
    anchor: str
    cells: tuple[Cell, ...]
    attempts_total: int
    last_activity: str
    stuck: tuple[str, ...]  # level titles
    passed_levels: int
    competencies: BarChart
    attempts: tuple[AttemptView, ...]  # newest first, within the report's window
    listed: int = 0  # attempts of theirs in the window
    recent: tuple[RecentRow, ...] = ()  # a room summary: their latest attempts, one line each


@dataclass(frozen=True, slots=True)
class CohortLevel:
    """One level across the room: who played it, passed it, is stuck on it."""

    number: str
    title: str
    played: int
    passed: int
    stuck: int
    mean_best: str


@dataclass(frozen=True, slots=True)
class Column:
    scenario_id: str
    number: str
    title: str


@dataclass(frozen=True, slots=True)
class ReportModel:
    title: str
    generated: str
    timezone: str
    window: str  # which attempts are listed
    columns: tuple[Column, ...]
    trainees: tuple[TraineeView, ...]
    attempts_listed: int
    stuck_count: int
    pass_rate: str
    data: Mapping[str, Any]  # a machine-readable summary, embedded as JSON
    cohort: tuple[CohortLevel, ...] = ()
    cohort_competencies: BarChart | None = None
    summary_only: bool = False  # a room too big for transcripts: each trainee's latest lines
    transcript_limit: int = 0
    levels: tuple[LevelSection, ...] = ()  # the cohort's choice analytics, a section a level


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M")


def human_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _effect_view(effect: Effect, catalog: Catalog) -> EffectView:
    principle = catalog.principles.get(effect.principle) if effect.principle else None
    return EffectView(
        effect.anger,
        effect.short,
        effect.reason,
        effect.principle,
        principle.title if principle else None,
    )


def ending_node(scenario: Scenario, turns: Sequence[Turn]) -> str | None:
    """Where the last reply led, when that was an authored ending (the common case).

    The same rule as the engine's `choose()`, read off the recorded turns: flags are what the
    chosen replies set. Anything else (a blowup, dead air, the turn limit) returns None, and
    the caller replays the attempt instead, which is exact but costs the mood model a turn.
    """
    if not turns:
        return None
    try:
        chosen = [scenario.node(t.node).choices[t.choice - 1] for t in turns]
    except (KeyError, IndexError):
        return None
    flags = frozenset(flag for choice in chosen for flag in choice.sets)
    last = turns[-1]
    target = chosen[-1].next_node(last.anger_after, flags, last.number)
    node = scenario.index.get(target)
    return target if node is not None and node.is_end else None


def _ending_line(detail: AttemptDetail, ref: ScenarioRef, catalog: Catalog) -> str | None:
    """The customer's last words, from the recorded turns or else the one replay of a
    recorded attempt (`replay_recorded`)."""
    scenario = ref.scenario
    attempt = detail.attempt
    if scenario is None or scenario.content_hash != attempt.content_hash or not detail.events:
        return None
    if all(event.choice is not None for event in detail.events):
        node = ending_node(scenario, detail.turns)
        if node is not None:
            return line_text(scenario, node, attempt.lang)
    return replay_recorded(detail, scenario, catalog).ending_line(scenario)


def attempt_view(detail: AttemptDetail, library: Library, catalog: Catalog) -> AttemptView:
    attempt = detail.attempt
    ref = library.ref(attempt.scenario_id)
    scenario = ref.scenario
    same = scenario is not None and scenario.content_hash == attempt.content_hash
    turns = []
    for index, turn in enumerate(detail.turns):
        customer = None
        if scenario is not None and same and turn.node in scenario.index:
            customer = scenario.node(turn.node).customer.get(attempt.lang)
        labels = tuple(
            catalog.techniques[t].label if t in catalog.techniques else t for t in turn.techniques
        )
        turns.append(
            TurnView(
                number=turn.number,
                customer=customer,
                said=turn.say.get(attempt.lang),
                techniques=labels,
                anger_before=turn.anger_before,
                anger_after=turn.anger_after,
                delta=turn.delta,
                verdict=verdict_for(turn.quality),
                feedback=None if turn.feedback is None else turn.feedback.get(attempt.lang),
                effects=tuple(_effect_view(e, catalog) for e in turn.effects),
                response_time=(
                    detail.response_times[index] if index < len(detail.response_times) else None
                ),
            )
        )
    trace = detail.anger_trace
    if not trace and detail.turns:  # an abandoned call: the turns still tell the curve
        trace = (detail.turns[0].anger_before, *(t.anger_after for t in detail.turns))
    notes = tuple(
        NoteView(
            n.author,
            n.text,
            local_time(n.created_at),
            n.read_at is not None,
            None if n.edited_at is None else local_time(n.edited_at),
        )
        for n in detail.notes
    )
    return AttemptView(
        id=attempt.id,
        scenario_id=attempt.scenario_id,
        title=ref.title.en,
        level=attempt.level if attempt.level is not None else ref.level,
        started=local_time(attempt.started_at),
        duration=human_duration(attempt.duration_seconds),
        status=attempt.status.value,
        score=attempt.score,
        grade=attempt.grade,
        passed=attempt.passed,
        pass_score=attempt.pass_score,
        outcome=attempt.outcome,
        rating=attempt.rating,
        final_anger=attempt.final_anger,
        chart=None if not trace else anger_chart(trace, detail.turns),
        turns=tuple(turns),
        ending=_ending_line(detail, ref, catalog)
        if attempt.status is AttemptStatus.COMPLETED
        else None,
        closing=tuple(_effect_view(e, catalog) for e in detail.closing_effects),
        notes=notes,
        scenario_changed=scenario is not None and not same,
        catalog_changed=scored_elsewhere(detail, catalog),
    )


class CompetencyTally:
    """Running sums of competency scores over completed attempts: constant memory."""

    def __init__(self) -> None:
        self.sums: dict[str, int] = defaultdict(int)
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, status: AttemptStatus, competencies: Mapping[str, int | None]) -> None:
        if status is not AttemptStatus.COMPLETED:
            return
        for cid, score in competencies.items():
            if score is not None:
                self.sums[cid] += score
                self.counts[cid] += 1

    def chart(self, catalog: Catalog) -> BarChart:
        return competency_chart(
            [
                (
                    label,
                    round(self.sums[cid] / self.counts[cid]) if self.counts[cid] else None,
                    self.counts[cid],
                )
                for cid, label in catalog.competencies.items()
            ]
        )


def _competency_profile(items: Sequence[AttemptDetail], catalog: Catalog) -> BarChart:
    """Each competency's mean over the completed attempts that called on it."""
    tally = CompetencyTally()
    for detail in items:
        tally.add(detail.attempt.status, detail.competencies)
    return tally.chart(catalog)


def build_report(
    rows: Sequence[OverviewRow],
    items: Iterable[AttemptDetail],
    library: Library,
    *,
    catalog: Catalog,
    generated: datetime,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: Progress | None = None,
) -> ReportModel:
    """Everything the page shows, as values: the store's overview plus attempt details."""
    by_trainee: dict[int, list[AttemptDetail]] = defaultdict(list)
    listed = 0
    for detail in items:
        by_trainee[detail.attempt.trainee_id].append(detail)
        listed += 1
        if progress is not None:
            progress.advance()
    order, columns, ordered = _frame(rows, library)
    trainees = []
    for row in ordered:
        own = by_trainee.get(row.trainee.id, [])
        stuck = row.stuck_levels
        cells = tuple(Cell(sid, row.levels.get(sid), sid in stuck) for sid in order)
        attempts = tuple(
            attempt_view(d, library, catalog)
            for d in sorted(own, key=lambda d: (d.attempt.started_at, d.attempt.id), reverse=True)
        )
        trainees.append(
            TraineeView(
                trainee=row.trainee,
                anchor=f"trainee-{row.trainee.id}",
                cells=cells,
                attempts_total=row.attempts,
                last_activity=local_time(row.last_activity),
                stuck=tuple(library.title(sid) for sid in stuck),
                passed_levels=sum(1 for best in row.levels.values() if best.passed),
                competencies=_competency_profile(own, catalog),
                attempts=attempts,
                listed=len(attempts),
            )
        )
    finished = [d.attempt for ds in by_trainee.values() for d in ds if d.attempt.passed is not None]
    return _model(
        tuple(trainees), columns, generated=generated, since=since, until=until, listed=listed,
        finished=len(finished), passed=sum(1 for a in finished if a.passed),
        cohort=_cohort(rows, columns) if len(ordered) > 1 else (),
    )  # fmt: skip


RECENT_PER_TRAINEE = 10


def _cohort(rows: Sequence[OverviewRow], columns: Sequence[Column]) -> tuple[CohortLevel, ...]:
    out = []
    for column in columns:
        bests = [r.levels[column.scenario_id] for r in rows if column.scenario_id in r.levels]
        played = [b for b in bests if b.attempts]
        scores = [b.best_score for b in played if b.best_score is not None]
        out.append(
            CohortLevel(
                column.number,
                column.title,
                len(played),
                sum(1 for b in played if b.passed),
                sum(1 for r in rows if column.scenario_id in r.stuck_levels),
                f"{round(sum(scores) / len(scores))}" if scores else "—",
            )
        )
    return tuple(out)


def build_room_summary(
    rows: Sequence[OverviewRow],
    summaries: Iterable[AttemptSummary],
    library: Library,
    *,
    catalog: Catalog,
    generated: datetime,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: Progress | None = None,
    transcript_limit: int = 0,
) -> ReportModel:
    """A room report without transcripts, read in one pass of constant memory per trainee.

    Each trainee keeps running competency sums and their latest few attempts as one line
    each; the transcripts are a `--trainee` report (or a narrower `--since`/`--until`) away.
    """
    tallies: dict[int, CompetencyTally] = defaultdict(CompetencyTally)
    cohort_tally = CompetencyTally()
    recent: dict[int, deque[RecentRow]] = defaultdict(lambda: deque(maxlen=RECENT_PER_TRAINEE))
    listed_by: dict[int, int] = defaultdict(int)
    listed = finished = passed = 0
    for summary in summaries:
        attempt = summary.attempt
        tallies[attempt.trainee_id].add(attempt.status, summary.competencies)
        cohort_tally.add(attempt.status, summary.competencies)
        ref = library.ref(attempt.scenario_id)
        recent[attempt.trainee_id].append(
            RecentRow(
                attempt.id, ref.title.en,
                attempt.level if attempt.level is not None else ref.level,
                local_time(attempt.started_at), human_duration(attempt.duration_seconds),
                attempt.status.value, attempt.score, attempt.grade, attempt.passed,
            )
        )  # fmt: skip
        listed_by[attempt.trainee_id] += 1
        listed += 1
        if attempt.passed is not None:
            finished += 1
            passed += attempt.passed
        if progress is not None:
            progress.advance()
    order, columns, ordered = _frame(rows, library)
    trainees = tuple(
        TraineeView(
            trainee=row.trainee,
            anchor=f"trainee-{row.trainee.id}",
            cells=tuple(Cell(sid, row.levels.get(sid), sid in row.stuck_levels) for sid in order),
            attempts_total=row.attempts,
            last_activity=local_time(row.last_activity),
            stuck=tuple(library.title(sid) for sid in row.stuck_levels),
            passed_levels=sum(1 for best in row.levels.values() if best.passed),
            competencies=tallies[row.trainee.id].chart(catalog),
            attempts=(),
            listed=listed_by.get(row.trainee.id, 0),
            recent=tuple(reversed(recent.get(row.trainee.id, ()))),
        )
        for row in ordered
    )
    return _model(
        trainees, columns, generated=generated, since=since, until=until, listed=listed,
        finished=finished, passed=passed, cohort=_cohort(rows, columns),
        cohort_competencies=cohort_tally.chart(catalog), summary_only=True,
        transcript_limit=transcript_limit,
    )  # fmt: skip


def _frame(
    rows: Sequence[OverviewRow], library: Library
) -> tuple[tuple[str, ...], tuple[Column, ...], list[OverviewRow]]:
    """The level columns (campaign order, then anything played) and the trainees in name order."""
    played = {sid for row in rows for sid in row.levels}
    order = library.order([*library.scenarios, *played])
    columns = tuple(
        Column(sid, str(library.ref(sid).level or "·"), library.title(sid)) for sid in order
    )
    ordered = sorted(rows, key=lambda r: (r.trainee.name.casefold(), r.trainee.id))
    return order, columns, ordered


def _window_words(since: datetime | None, until: datetime | None) -> str:
    if since is None and until is None:
        return "all attempts"
    if until is None:
        assert since is not None
        return f"attempts since {since.date().isoformat()}"
    if since is None:
        return f"attempts before {until.date().isoformat()}"
    return f"attempts from {since.date().isoformat()} to before {until.date().isoformat()}"


def _model(
    trainees: tuple[TraineeView, ...],
    columns: tuple[Column, ...],
    *,
    generated: datetime,
    since: datetime | None,
    until: datetime | None,
    listed: int,
    finished: int,
    passed: int,
    cohort: tuple[CohortLevel, ...] = (),
    cohort_competencies: BarChart | None = None,
    summary_only: bool = False,
    transcript_limit: int = 0,
) -> ReportModel:
    data = {
        "generated": generated.astimezone(UTC).isoformat(timespec="seconds"),
        "since": None if since is None else since.date().isoformat(),
        "until": None if until is None else until.date().isoformat(),
        "trainees": [
            {
                "id": t.trainee.id,
                "name": t.trainee.name,
                "attempts": t.attempts_total,
                "passed_levels": t.passed_levels,
                "stuck": [c.scenario_id for c in t.cells if c.stuck],
            }
            for t in trainees
        ],
    }
    offset = generated.astimezone().strftime("%z")
    return ReportModel(
        title="Hold the Line · Supervisor report",
        generated=local_time(generated),
        timezone=f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC",
        window=_window_words(since, until),
        columns=columns,
        trainees=trainees,
        attempts_listed=listed,
        stuck_count=sum(1 for t in trainees if t.stuck),
        pass_rate=f"{round(100 * passed / finished)} %" if finished else "—",
        data=data,
        cohort=cohort,
        cohort_competencies=cohort_competencies,
        summary_only=summary_only,
        transcript_limit=transcript_limit,
    )


# ---- rendering ------------------------------------------------------------------------------


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("game.records", "templates"),
        autoescape=True,  # every template, whatever its name: names and notes are trainees' text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["signed"] = lambda value: f"{value:+d}".replace("-", "−")
    return env


def _template_args(model: ReportModel) -> tuple[Any, dict[str, Any]]:
    from markupsafe import Markup

    env = _environment()
    script, _, _ = env.loader.get_source(env, "report-script.html")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    template = env.get_template("report.html")
    return template, {"report": model, "script": Markup(script), "script_hash": f"sha256-{digest}"}


def render_html(model: ReportModel) -> str:
    template, args = _template_args(model)
    html: str = template.render(**args)
    return html


def render_to(model: ReportModel, out: TextIO) -> int:
    """Render straight into a file, piece by piece (no second copy of the page in memory)."""
    template, args = _template_args(model)
    size = 0
    for piece in template.generate(**args):
        out.write(piece)
        size += len(piece.encode("utf-8"))
    return size


# ---- progress on the terminal ---------------------------------------------------------------


class Progress:
    """A bar on stderr while attempts are read, when stderr is a terminal; always a summary."""

    def __init__(self, total: int, stream: TextIO | None = None, label: str = "report") -> None:
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self._drawn = -1

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.live:
            return
        width = 30
        filled = width * self.done // max(1, self.total)
        if filled == self._drawn and self.done < self.total:
            return
        self._drawn = filled
        bar = "█" * filled + "░" * (width - filled)
        self.stream.write(f"\r{self.label}: {bar} {self.done}/{self.total} attempts")
        self.stream.flush()

    def finish(self, summary: str) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K")
        elapsed = time.monotonic() - self.started
        self.stream.write(f"{self.label}: {summary} in {elapsed:.1f} s\n")
        self.stream.flush()


# ---- the command ----------------------------------------------------------------------------


TRANSCRIPT_LIMIT = 300  # a room report lists transcripts inline up to this many attempts


def write_report(
    store: Store,
    out: Path,
    *,
    catalog: Catalog,
    trainee: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    library: Library | None = None,
    stream: TextIO | None = None,
    now: datetime | None = None,
    transcript_limit: int = TRANSCRIPT_LIMIT,
    cohort: str | None = None,
) -> ReportModel:
    """The page for one trainee (every transcript) or the room.

    A room whose window holds more than `transcript_limit` attempts gets a summary:
    overview, cohort and each trainee's profile and latest attempts, with the way to each
    trainee's transcripts. That keeps the page one a browser opens (issue 15: the first
    edition wrote 606 MB for 50 trainees × 1,000 attempts).
    """
    from game.records.analytics_view import cohort_members, in_cohort
    from game.records.bulk import count_attempts, iter_summaries
    from game.records.export import details, find_trainee_id, load_library, output_file
    from game.records.store import SqlStore

    assert isinstance(store, SqlStore), "reports read the SQL store in bulk"
    library = library or load_library()
    trainee_id = find_trainee_id(store, trainee)
    rows = store.overview()
    if trainee_id is not None:
        rows = tuple(r for r in rows if r.trainee.id == trainee_id)
    members = cohort_members(store, cohort)
    if members is not None:
        rows = tuple(r for r in rows if r.trainee.id in members)
    total = count_attempts(store, trainee_id=trainee_id, since=since, until=until)
    progress = Progress(total, stream)
    generated = now or datetime.now(UTC)
    if trainee_id is None and total > transcript_limit:
        with closing(iter_summaries(store, since=since, until=until)) as summaries:
            model = build_room_summary(
                rows, in_cohort(summaries, members), library, catalog=catalog, generated=generated, since=since,
                until=until, progress=progress, transcript_limit=transcript_limit,
            )  # fmt: skip
    else:
        with closing(details(store, trainee_id=trainee_id, since=since, until=until)) as items:
            model = build_report(
                rows, in_cohort(items, members), library, catalog=catalog, generated=generated, since=since,
                until=until, progress=progress,
            )  # fmt: skip
    if trainee_id is None:  # the room's report: what the cohort is learning, level by level
        from game.records.analytics import Window
        from game.records.analytics_view import level_sections

        window = Window(
            cohort, None if since is None else since.date(), None if until is None else until.date()
        )
        model = replace(model, levels=level_sections(store, window, library, catalog))
    with output_file(out) as handle:
        size = render_to(model, handle)
    people = len(model.trainees)
    progress.finish(
        f"{people} trainee{'s' if people != 1 else ''}, {model.attempts_listed} "
        f"attempt{'s' if model.attempts_listed != 1 else ''} → {out} ({size / 1024:.0f} KiB)"
        + (", a summary: transcripts per trainee with --trainee" if model.summary_only else "")
    )
    return model
