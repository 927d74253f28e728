"""What the supervisor report's pages show: the view values (attempts, turns, notes, trainees, the cohort's levels) and how one recorded attempt becomes an `AttemptView` (its replayed transcript, effects and ending), with the competency means over many attempts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from game.engine.catalog import Catalog
from game.engine.scoring import verdict_for
from game.engine.session import Effect, Turn, line_text
from game.i18n import formats
from game.i18n.translator import ENGLISH, Translator
from game.records.api import (
    AttemptDetail,
    AttemptStatus,
    LevelBest,
    Trainee,
)
from game.records.export import Library, ScenarioRef
from game.records.replayed import replay_recorded, scored_elsewhere
from game.records.report_charts import AngerChart, BarChart, anger_chart, competency_chart
from game.scenario.model import Scenario, Verdict

if TYPE_CHECKING:
    from game.records.analytics_view import LevelSection


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
    verdict: Verdict
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
    outcome_label: str | None  # how the call ended, in the reader's words
    rating: str | None
    final_anger: int | None
    chart: AngerChart | None  # None when the call was abandoned before a single reply
    turns: tuple[TurnView, ...]
    ending: str | None  # the customer's last line
    closing: tuple[EffectView, ...]
    notes: tuple[NoteView, ...]
    scenario_changed: bool
    catalog_changed: bool  # scored under another edition of the rules: shown as stored
    exam: bool = False  # taken in exam mode: no grading was shown during the call


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
    exam: bool = False  # taken in exam mode


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


def local_time(moment: datetime | None, lang: str = "en") -> str:
    """A moment in the machine's time zone, as a reader of `lang` writes it (Babel)."""
    if moment is None:
        return "—"
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return formats.when(aware, lang)


def human_duration(seconds: float | None, tr: Translator = ENGLISH) -> str:
    if seconds is None:
        return "—"
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    if minutes:
        padded = f"{secs:02d}"
        return tr._("{minutes} min {seconds} s", minutes=minutes, seconds=padded)
    return tr._("{seconds} s", seconds=secs)


def _ending_label(outcome: str | None, catalog: Catalog) -> str | None:
    if outcome is None:
        return None
    ending = catalog.endings.get(outcome)
    return ending.label if ending is not None else outcome.replace("_", " ")


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


def _ending_line(
    detail: AttemptDetail, ref: ScenarioRef, catalog: Catalog, lang: str | None = None
) -> str | None:
    """The customer's last words, from the recorded turns or else the one replay of a
    recorded attempt (`replay_recorded`)."""
    scenario = ref.scenario
    attempt = detail.attempt
    if scenario is None or scenario.content_hash != attempt.content_hash or not detail.events:
        return None
    if all(event.choice is not None for event in detail.events):
        node = ending_node(scenario, detail.turns)
        if node is not None:
            return line_text(scenario, node, lang or attempt.lang, catalog)
    return replay_recorded(detail, scenario, catalog, lang).ending_line(scenario, catalog)


def attempt_view(
    detail: AttemptDetail,
    library: Library,
    catalog: Catalog,
    lang: str | None = None,
    tr: Translator = ENGLISH,
) -> AttemptView:
    """One attempt as the report shows it: its words in `lang` (a supervisor's `--lang`),
    else in the language it was played in; the report's own words in `tr`'s."""
    attempt = detail.attempt
    shown = lang or attempt.lang
    ref = library.ref(attempt.scenario_id)
    scenario = ref.scenario
    same = scenario is not None and scenario.content_hash == attempt.content_hash
    recorded, closing_effects = detail.turns, detail.closing_effects
    if lang is not None and scenario is not None and same:
        # the stored turns hold the words of the language it was played in; the one replay
        # of a recorded attempt words them in the supervisor's
        call = replay_recorded(detail, scenario, catalog, lang)
        if call.state is not None and len(call.state.turns) == len(detail.turns):
            recorded = call.state.turns
            if call.report is not None:
                closing_effects = call.report.closing_effects
    turns = []
    for index, turn in enumerate(recorded):
        customer = None
        if scenario is not None and same and turn.node in scenario.index:
            customer = scenario.node(turn.node).customer.get(shown)
        labels = tuple(
            catalog.techniques[t].label if t in catalog.techniques else t for t in turn.techniques
        )
        turns.append(
            TurnView(
                number=turn.number,
                customer=customer,
                said=turn.say.get(shown),
                techniques=labels,
                anger_before=turn.anger_before,
                anger_after=turn.anger_after,
                delta=turn.delta,
                verdict=verdict_for(turn.quality),
                feedback=None if turn.feedback is None else turn.feedback.get(shown),
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
            local_time(n.created_at, tr.lang),
            n.read_at is not None,
            None if n.edited_at is None else local_time(n.edited_at, tr.lang),
        )
        for n in detail.notes
    )
    return AttemptView(
        id=attempt.id,
        scenario_id=attempt.scenario_id,
        title=ref.title.get(shown),
        level=attempt.level if attempt.level is not None else ref.level,
        started=local_time(attempt.started_at, tr.lang),
        duration=human_duration(attempt.duration_seconds, tr),
        status=attempt.status.value,
        score=attempt.score,
        grade=attempt.grade,
        passed=attempt.passed,
        pass_score=attempt.pass_score,
        outcome=attempt.outcome,
        outcome_label=_ending_label(attempt.outcome, catalog),
        rating=attempt.rating,
        final_anger=attempt.final_anger,
        chart=None if not trace else anger_chart(trace, detail.turns, tr),
        turns=tuple(turns),
        ending=_ending_line(detail, ref, catalog, lang)
        if attempt.status is AttemptStatus.COMPLETED
        else None,
        closing=tuple(_effect_view(e, catalog) for e in closing_effects),
        notes=notes,
        scenario_changed=scenario is not None and not same,
        catalog_changed=scored_elsewhere(detail, catalog),
        exam=attempt.exam,
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

    def chart(self, catalog: Catalog, tr: Translator = ENGLISH) -> BarChart:
        return competency_chart(
            [
                (
                    label,
                    round(self.sums[cid] / self.counts[cid]) if self.counts[cid] else None,
                    self.counts[cid],
                )
                for cid, label in catalog.competencies.items()
            ],
            tr,
        )


def competency_profile(
    items: Sequence[AttemptDetail], catalog: Catalog, tr: Translator = ENGLISH
) -> BarChart:
    """Each competency's mean over the completed attempts that called on it."""
    tally = CompetencyTally()
    for detail in items:
        tally.add(detail.attempt.status, detail.competencies)
    return tally.chart(catalog, tr)
