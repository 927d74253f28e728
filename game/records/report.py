"""The supervisor's HTML report: one self-contained file to open in any browser.

Everything a supervisor needs to coach: who is stuck where, each trainee's competency
profile, and every attempt with its transcript, anger curve and turn-by-turn feedback
citing the guide. The page makes no external request (CSS, SVG charts and a few lines of
script are inline) and its Content-Security-Policy only lets that one script run.
Templates autoescape everything. The chart geometry is `report_charts.py` and what the
pages show is `report_views.py`; this module builds the page model and writes it.
"""

from __future__ import annotations

import base64
import hashlib
import sys
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from game.engine.catalog import Catalog
from game.i18n.translator import ENGLISH, Translator
from game.records.api import (
    AttemptDetail,
    OverviewRow,
)
from game.records.export import Library
from game.records.report_charts import BarChart
from game.records.report_charts import anger_chart as anger_chart
from game.records.report_charts import competency_chart as competency_chart
from game.records.report_views import (
    Cell,
    CohortLevel,
    Column,
    CompetencyTally,
    RecentRow,
    ReportModel,
    TraineeView,
    competency_profile,
    human_duration,
    local_time,
)
from game.records.report_views import attempt_view as attempt_view
from game.records.report_views import ending_node as ending_node

if TYPE_CHECKING:
    from game.records.api import Store
    from game.records.bulk import AttemptSummary


def build_report(
    rows: Sequence[OverviewRow],
    items: Iterable[AttemptDetail],
    library: Library,
    *,
    catalog: Catalog,
    generated: datetime,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: ReportProgress | None = None,
    tr: Translator = ENGLISH,
    lang: str | None = None,
) -> ReportModel:
    """Everything the page shows, as values: the store's overview plus attempt details.
    The report's words are `tr`'s; the calls' in `lang`, else each in its own language."""
    by_trainee: dict[int, list[AttemptDetail]] = defaultdict(list)
    listed = 0
    for detail in items:
        by_trainee[detail.attempt.trainee_id].append(detail)
        listed += 1
        if progress is not None:
            progress.advance()
    order, columns, ordered = _frame(rows, library, tr.lang)
    trainees = []
    for row in ordered:
        own = by_trainee.get(row.trainee.id, [])
        stuck = row.stuck_levels
        cells = tuple(Cell(sid, row.levels.get(sid), sid in stuck) for sid in order)
        attempts = tuple(
            attempt_view(d, library, catalog, lang, tr)
            for d in sorted(own, key=lambda d: (d.attempt.started_at, d.attempt.id), reverse=True)
        )
        trainees.append(
            TraineeView(
                trainee=row.trainee,
                anchor=f"trainee-{row.trainee.id}",
                cells=cells,
                attempts_total=row.attempts,
                last_activity=local_time(row.last_activity, tr.lang),
                stuck=tuple(library.title(sid, tr.lang) for sid in stuck),
                passed_levels=sum(1 for best in row.levels.values() if best.passed),
                competencies=competency_profile(own, catalog, tr),
                attempts=attempts,
                listed=len(attempts),
            )
        )
    finished = [d.attempt for ds in by_trainee.values() for d in ds if d.attempt.passed is not None]
    return _model(
        tuple(trainees), columns, generated=generated, since=since, until=until, listed=listed,
        finished=len(finished), passed=sum(1 for a in finished if a.passed),
        cohort=_cohort(rows, columns) if len(ordered) > 1 else (), tr=tr,
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
    progress: ReportProgress | None = None,
    transcript_limit: int = 0,
    tr: Translator = ENGLISH,
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
                attempt.id, ref.title.get(tr.lang),
                attempt.level if attempt.level is not None else ref.level,
                local_time(attempt.started_at, tr.lang), human_duration(attempt.duration_seconds, tr),
                attempt.status.value, attempt.score, attempt.grade, attempt.passed,
                attempt.exam,
            )
        )  # fmt: skip
        listed_by[attempt.trainee_id] += 1
        listed += 1
        if attempt.passed is not None:
            finished += 1
            passed += attempt.passed
        if progress is not None:
            progress.advance()
    order, columns, ordered = _frame(rows, library, tr.lang)
    trainees = tuple(
        TraineeView(
            trainee=row.trainee,
            anchor=f"trainee-{row.trainee.id}",
            cells=tuple(Cell(sid, row.levels.get(sid), sid in row.stuck_levels) for sid in order),
            attempts_total=row.attempts,
            last_activity=local_time(row.last_activity, tr.lang),
            stuck=tuple(library.title(sid, tr.lang) for sid in row.stuck_levels),
            passed_levels=sum(1 for best in row.levels.values() if best.passed),
            competencies=tallies[row.trainee.id].chart(catalog, tr),
            attempts=(),
            listed=listed_by.get(row.trainee.id, 0),
            recent=tuple(reversed(recent.get(row.trainee.id, ()))),
        )
        for row in ordered
    )
    return _model(
        trainees, columns, generated=generated, since=since, until=until, listed=listed,
        finished=finished, passed=passed, cohort=_cohort(rows, columns),
        cohort_competencies=cohort_tally.chart(catalog, tr), summary_only=True,
        transcript_limit=transcript_limit, tr=tr,
    )  # fmt: skip


def _frame(
    rows: Sequence[OverviewRow], library: Library, lang: str = "en"
) -> tuple[tuple[str, ...], tuple[Column, ...], list[OverviewRow]]:
    """The level columns (campaign order, then anything played) and the trainees in name order."""
    played = {sid for row in rows for sid in row.levels}
    order = library.order([*library.scenarios, *played])
    columns = tuple(
        Column(sid, str(library.ref(sid).level or "·"), library.title(sid, lang)) for sid in order
    )
    ordered = sorted(rows, key=lambda r: (r.trainee.name.casefold(), r.trainee.id))
    return order, columns, ordered


def _window_words(since: datetime | None, until: datetime | None, tr: Translator = ENGLISH) -> str:
    if since is None and until is None:
        return tr._("all attempts")
    if until is None:
        assert since is not None
        return tr._("attempts since {date}", date=since.date().isoformat())
    if since is None:
        return tr._("attempts before {date}", date=until.date().isoformat())
    return tr._(
        "attempts from {since} to before {until}",
        since=since.date().isoformat(),
        until=until.date().isoformat(),
    )


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
    tr: Translator = ENGLISH,
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
        title=tr._("Hold the Line · Supervisor report"),
        generated=local_time(generated, tr.lang),
        timezone=f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC",
        window=_window_words(since, until, tr),
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


def _new_environment(tr: Translator) -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("game.records", "templates"),
        autoescape=True,  # every template, whatever its name: names and notes are trainees' text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["signed"] = lambda value: f"{value:+d}".replace("-", "−")
    # the reader's words (see game.i18n.translator): {{ _("Attempts") }}, {{ _n(…) }}
    env.globals.update(_=tr._, _p=tr._p, _n=tr._n, _np=tr._np, lang=tr.lang)
    return env


def _template_args(model: ReportModel, tr: Translator = ENGLISH) -> tuple[Any, dict[str, Any]]:
    from markupsafe import Markup

    env = _environment(tr)
    script, _, _ = env.loader.get_source(env, "report-script.html")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    template = env.get_template("report.html")
    return template, {"report": model, "script": Markup(script), "script_hash": f"sha256-{digest}"}


def render_html(model: ReportModel, tr: Translator = ENGLISH) -> str:
    template, args = _template_args(model, tr)
    html: str = template.render(**args)
    return html


def render_to(model: ReportModel, out: TextIO, tr: Translator = ENGLISH) -> int:
    """Render straight into a file, a chunk at a time (no second copy of the page in memory);
    returns the size written, in UTF-8 bytes. Jinja yields some 50,000 tiny pieces for a
    room's page: they are gathered into chunks of RENDER_CHUNK characters, one write each
    (see `_write_chunked`)."""
    template, args = _template_args(model, tr)
    pieces = template.generate(**args)
    return _write_chunked(pieces, out)


# ---- progress on the terminal ---------------------------------------------------------------


class ReportProgress:
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
    tr: Translator = ENGLISH,
    lang: str | None = None,
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
    progress = ReportProgress(total, stream)
    generated = now or datetime.now(UTC)
    if trainee_id is None and total > transcript_limit:
        with closing(iter_summaries(store, since=since, until=until)) as summaries:
            model = build_room_summary(
                rows, in_cohort(summaries, members), library, catalog=catalog, generated=generated, since=since,
                until=until, progress=progress, transcript_limit=transcript_limit, tr=tr,
            )  # fmt: skip
    else:
        with closing(details(store, trainee_id=trainee_id, since=since, until=until)) as items:
            model = build_report(
                rows, in_cohort(items, members), library, catalog=catalog, generated=generated, since=since,
                until=until, progress=progress, tr=tr, lang=lang,
            )  # fmt: skip
    if trainee_id is None:  # the room's report: what the cohort is learning, level by level
        from game.records.analytics import Window
        from game.records.analytics_view import level_sections

        window = Window(
            cohort, None if since is None else since.date(), None if until is None else until.date()
        )
        model = replace(
            model, levels=level_sections(store, window, library, catalog, lang=tr.lang, tr=tr)
        )
    with output_file(out) as handle:
        size = render_to(model, handle, tr)
    people = len(model.trainees)
    kib = f"{size / 1024:.0f}"
    progress.finish(
        tr._(
            "{trainees}, {attempts} → {out} ({kib} KiB)",
            trainees=tr._n("{n} trainee", "{n} trainees", people),
            attempts=tr._n("{n} attempt", "{n} attempts", model.attempts_listed),
            out=out,
            kib=kib,
        )
        + (
            tr._(", a summary: transcripts per trainee with --trainee")
            if model.summary_only
            else ""
        )
    )
    return model


# ---- kept environments, chunked writing -----------------------------------------------------
# (below everything with words to translate: the PO files name those by line)

_ENVIRONMENTS_LIMIT = 8  # languages a process renders reports in (five today)
# One slot holding the kept ones, most recent first. The tuple is replaced whole, never
# changed in place, so threads need no lock: two adding at once may lose one entry (a miss
# later), never get a wrong environment.
_ENVIRONMENTS: list[tuple[tuple[Translator, Any], ...]] = [()]


def _environment(tr: Translator = ENGLISH) -> Any:
    """The templates, speaking `tr`'s language: one environment per translator (equal
    translators share one), so each template is compiled once, not on every report. Jinja
    checks the template files on each use and compiles a changed one again."""
    kept = _ENVIRONMENTS[0]
    for known, env in kept:
        if known is tr or known == tr:
            return env
    env = _new_environment(tr)
    _ENVIRONMENTS[0] = ((tr, env), *kept)[:_ENVIRONMENTS_LIMIT]
    return env


RENDER_CHUNK = 1 << 16  # characters gathered before each write


def _write_chunked(pieces: Iterable[str], out: TextIO) -> int:
    """Write `pieces` in chunks of about RENDER_CHUNK characters; the UTF-8 bytes written."""
    size = 0
    pending: list[str] = []
    gathered = 0
    for piece in pieces:
        pending.append(piece)
        gathered += len(piece)
        if gathered >= RENDER_CHUNK:
            size += _write_chunk(out, pending)
            pending, gathered = [], 0
    return size + _write_chunk(out, pending)


def _write_chunk(out: TextIO, pieces: list[str]) -> int:
    if not pieces:
        return 0
    chunk = "".join(pieces)
    out.write(chunk)
    return len(chunk.encode("utf-8"))
