"""Practice, not recall: exam mode, and drills on a spaced schedule (issue 12, item 6).

**Exam mode.** Once a trainee has passed a level, a later attempt may be an exam: during the
call nothing grades the trainee (no anger change per reply, no verdict, no chips, no
feedback), as on a real floor, where nobody scores you while the customer talks. The meter
still moves and the customer still answers: the customer's mood is what a real call shows
(the tone of voice on the phone, the face in person). Everything is revealed in the debrief.
A supervisor can require exam mode for a level; then every attempt at it is an exam, the
first one included (the debrief still teaches after each call). The window and the terminal
only ask `exam_mode`; they never decide it.

**Drills.** A *weak result* is a completed attempt that failed, or that passed with at
least one reply judged poor or bad (`verdict_for`, the judge's own words). After one, the
game proposes a drill: the open levels where the principles this trainee breaks most
(`weakest_principles`, the desk's own tally) are the main lesson of a reply
(`game.analysis.curriculum.level_lessons`, the curriculum's own rule). Each drill level is due
at once, then again 1, 3 and 7 days after each practice that was not itself weak (expanding
intervals: each successful recall after a longer gap strengthens it more than massed
repetition; four practices in about a fortnight, short enough for a two-week onboarding).
A new weak result starts a new drill from its own principles. Every date is computed from
the records and a clock passed in, so the rule is tested with a fixed clock.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType

from game.engine.catalog import Catalog
from game.engine.scoring import verdict_for
from game.records.api import LevelBest, PracticeRecord, Store
from game.scenario.campaign import Campaign
from game.training.progress import progress

SPACING = (timedelta(days=1), timedelta(days=3), timedelta(days=7))  # after each good practice
DRILL_PRINCIPLES = 2  # the trainee's most-broken principles a drill works on
DRILL_LEVELS = 3  # levels proposed at most in one drill
WEAK_VERDICTS = frozenset({"poor", "bad"})


class ExamRefused(ValueError):
    """Exam mode was asked for on a level the trainee has not passed yet."""


def exam_mode(level: str, passed: Collection[str], required: Collection[str], asked: bool) -> bool:
    """Whether this attempt at `level` is an exam.

    Required by a supervisor: always. Asked for by the trainee: only once the level is
    passed (the first passes are learning, with feedback); asking earlier raises
    `ExamRefused` with what to do."""
    if level in required:
        return True
    if not asked:
        return False
    if level not in passed:
        raise ExamRefused(
            "exam mode opens once you have passed this level: play it with feedback first"
        )
    return True


def call_is_exam(store: Store, trainee_id: int, level: str, *, asked: bool) -> bool:
    """Whether the call the window is starting is an exam, from the records: the window
    offers the exam only where `exam_offered`, so an ask it should not have made is practice."""
    from game.training.progress import passed_levels

    passed = passed_levels(store.level_bests(trainee_id))
    try:
        return exam_mode(level, passed, required_exams(store), asked)
    except ExamRefused:
        return False


def exam_offered(level: str, passed: Collection[str], required: Collection[str]) -> bool:
    """The level list offers an exam attempt (or says one is required) at this level."""
    return level in passed or level in required


def weak_turn(quality: float) -> bool:
    """A reply the judge called poor or bad."""
    return verdict_for(quality) in WEAK_VERDICTS


def is_weak(passed: bool, worst_quality: float | None) -> bool:
    """A weak result: failed, or passed with a reply judged poor or bad."""
    return not passed or (worst_quality is not None and weak_turn(worst_quality))


@dataclass(frozen=True, slots=True)
class Drill:
    """One level to practise, and when."""

    scenario_id: str
    principles: tuple[str, ...]  # the trainee's weak principles this level teaches
    due_at: datetime
    done: int  # practices since the weak result (0: not yet)

    def due(self, now: datetime) -> bool:
        """A drill just proposed is due at once, whatever the clocks of a room's machines
        say about when the weak result ended; a practised one when its interval is over."""
        return self.done == 0 or self.due_at <= now

    def days_left(self, now: datetime) -> int:
        """0 when due now, else the calendar days until it is (at least 1)."""
        if self.due(now):
            return 0
        return max(1, (self.due_at.date() - now.date()).days)


def drill_plan(
    results: Iterable[PracticeRecord],
    weakest: Sequence[str],
    teaches: Mapping[str, Collection[str]],
    open_levels: Sequence[str],
) -> tuple[Drill, ...]:
    """The trainee's drill: due levels first, then by when they are due.

    `results`: the trainee's completed attempts; `weakest`: their most-broken principles,
    most first; `teaches`: level key → principles that are the main lesson of a reply there
    (`lessons_by_level`); `open_levels`: the levels they may play, in campaign order.
    Finished drills (every interval practised) are left out."""
    ordered = sorted(results, key=lambda r: r.ended_at)
    weak = [r for r in ordered if is_weak(r.passed, r.worst_quality)]
    if not weak:
        return ()
    last = weak[-1]
    principles = tuple(weakest[:DRILL_PRINCIPLES])
    chosen: list[tuple[str, tuple[str, ...]]] = []
    for level in open_levels:
        mine = tuple(p for p in principles if p in teaches.get(level, ()))
        if mine:
            chosen.append((level, mine))
    # the levels that work on most of the weak principles first, in campaign order
    chosen.sort(key=lambda lp: -len(lp[1]))
    chosen = chosen[:DRILL_LEVELS]
    if not chosen and not last.passed and last.scenario_id in open_levels:
        chosen = [(last.scenario_id, ())]  # nothing to aim at: the failed level itself
    drills = []
    for level, mine in chosen:
        practised = [r for r in ordered if r.scenario_id == level and r.ended_at > last.ended_at]
        if len(practised) >= len(SPACING) + 1:
            continue  # every interval done: the drill is over
        due = last.ended_at
        if practised:
            due = practised[-1].ended_at + SPACING[len(practised) - 1]
        drills.append(Drill(level, mine, due, len(practised)))
    return tuple(sorted(drills, key=lambda d: (d.done > 0, d.due_at,
                                               open_levels.index(d.scenario_id))))  # fmt: skip


_LESSONS: dict[tuple[str, str, str, str], frozenset[str]] = {}


def lessons_by_level(
    campaign: Campaign, catalog: Catalog, only: Collection[str] | None = None
) -> Mapping[str, frozenset[str]]:
    """Level key → the principles its replies teach as their main lesson (the curriculum's
    rule), for the levels in `only` (None: every level). Exploring every path takes up to
    a few seconds per level, so only the levels a drill may propose (the open ones) are
    explored, and each answer is kept while its file and the catalog are unchanged."""
    from game.analysis.curriculum import level_lessons

    found: dict[str, frozenset[str]] = {}
    for level in campaign.levels:
        scenario = level.scenario
        if scenario is None or (only is not None and level.key not in only):
            continue
        policy = campaign.policy_for(scenario)
        key = (scenario.id, scenario.content_hash, catalog.content_hash, repr(policy))
        if key not in _LESSONS:
            _LESSONS[key] = level_lessons(scenario, catalog, policy).taught
        found[level.key] = _LESSONS[key]
    return MappingProxyType(found)


def due_now(drills: Iterable[Drill], now: datetime) -> tuple[Drill, ...]:
    return tuple(d for d in drills if d.due(now))


def required_exams(store: Store) -> frozenset[str]:
    """The levels a supervisor requires exam mode for (what `exam_mode` is given)."""
    return frozenset(store.exam_rules())


def trainee_drills(
    store: Store,
    campaign: Campaign,
    catalog: Catalog,
    trainee_id: int,
    bests: Mapping[str, LevelBest] | None = None,
) -> tuple[Drill, ...]:
    """One trainee's drill, from their records (the campaign screen's "practice due")."""
    records = store.practice_records(trainee_id)
    if not any(is_weak(r.passed, r.worst_quality) for r in records):
        return ()  # nothing weak yet: no need to explore the levels
    if bests is None:
        bests = store.level_bests(trainee_id)
    weakest = tuple(t.principle for t in store.weakest_principles(trainee_id, DRILL_PRINCIPLES))
    opened = _open_levels(campaign, bests)
    return drill_plan(records, weakest, lessons_by_level(campaign, catalog, opened), opened)


@dataclass(frozen=True, slots=True)
class DueDrill:
    """A trainee with a drill level due: what the supervisor's desk lists."""

    trainee_id: int
    trainee_name: str
    drill: Drill


def desk_drills(store: Store, campaign: Campaign, catalog: Catalog) -> tuple[DueDrill, ...]:
    """Every trainee's drill levels (due now or later), soonest first, then by name."""
    by_trainee: dict[int, list[PracticeRecord]] = {}
    for record in store.practice_records():
        by_trainee.setdefault(record.trainee_id, []).append(record)
    weak = [
        tid
        for tid, records in by_trainee.items()
        if any(is_weak(r.passed, r.worst_quality) for r in records)
    ]
    if not weak:
        return ()
    names = {t.id: t.name for t in store.trainees()}
    opened = {tid: _open_levels(campaign, store.level_bests(tid)) for tid in weak if tid in names}
    lessons = lessons_by_level(campaign, catalog, {key for keys in opened.values() for key in keys})
    found: list[DueDrill] = []
    for tid, levels in opened.items():
        weakest = tuple(t.principle for t in store.weakest_principles(tid, DRILL_PRINCIPLES))
        for drill in drill_plan(by_trainee[tid], weakest, lessons, levels):
            found.append(DueDrill(tid, names[tid], drill))
    return tuple(
        sorted(found, key=lambda d: (d.drill.done > 0, d.drill.due_at, d.trainee_name.casefold()))
    )


def _open_levels(campaign: Campaign, bests: Mapping[str, LevelBest]) -> tuple[str, ...]:
    opened = progress(campaign.levels, bests).open
    return tuple(level.key for level in campaign.levels if opened.get(level.key, False))
