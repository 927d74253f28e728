"""The records contract: the values and the store protocol the game and reports rely on.

Implementations (SQLite by default, PostgreSQL by URL) live in `game.records.store`;
`open_store(url)` picks one. Everything returned is an immutable value; nothing here
imports pygame.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol

from game.engine.session import Effect, Event, Turn
from game.scenario.model import Policy

if TYPE_CHECKING:
    from game.engine.catalog import Catalog
    from game.records.analytics import ChoiceMap, LevelProgress, PrincipleTrend, Window
    from game.scenario.model import Scenario

STUCK_AFTER_FAILS = 3  # failed attempts at one level, with no pass, that mark a trainee stuck
PAGE_MAX = 500  # the most rows one overview page may ask for
NOTE_MAX = 10_000  # characters in one coaching note: the store refuses more; the desk stops there


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class DuplicateTrainee(ValueError):
    """A trainee with that name (case-insensitively) already exists."""


class AccessRefused(ValueError):
    """The database refused this login the read or write (a trainee's login on a room)."""


class RecordNotFound(LookupError):
    """No trainee, attempt or note with that id."""


@dataclass(frozen=True, slots=True)
class Trainee:
    id: int
    name: str
    created_at: datetime
    last_active: datetime | None


@dataclass(frozen=True, slots=True)
class AttemptStart:
    """What is known when a call begins."""

    trainee_id: int
    scenario_id: str
    content_hash: str
    level: int | None  # position in the campaign, if played from it
    pass_score: int
    seed: int
    policy: Policy
    timer: str  # normal | relaxed | off
    lang: str
    started_at: datetime
    catalog_hash: str | None = None  # the technique catalog that scores the call
    exam: bool = False  # exam mode: no grading shown during the call, all of it in the debrief


@dataclass(frozen=True, slots=True)
class Attempt:
    id: int
    trainee_id: int
    trainee_name: str
    scenario_id: str
    content_hash: str
    level: int | None
    status: AttemptStatus
    started_at: datetime
    ended_at: datetime | None
    outcome: str | None  # ending kind
    rating: str | None  # good | partial | bad
    score: int | None
    grade: str | None
    passed: bool | None
    final_anger: int | None
    pass_score: int
    turn_count: int
    seed: int
    policy: Policy
    timer: str
    lang: str
    catalog_hash: str | None = None  # the catalog that scored it; None: recorded before v6
    exam: bool = False  # taken in exam mode (v10; every attempt before it was practice)

    @property
    def duration_seconds(self) -> float | None:
        if self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds()


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    attempt_id: int
    trainee_id: int
    author: str
    text: str
    created_at: datetime
    read_at: datetime | None
    edited_at: datetime | None = None  # the supervisor changed it after writing it


@dataclass(frozen=True, slots=True)
class Footprint:
    """What a trainee's profile holds: what deleting it erases (said before it is done)."""

    attempts: int
    turns: int
    notes: int


@dataclass(frozen=True, slots=True)
class AttemptDetail:
    attempt: Attempt
    turns: tuple[Turn, ...]  # the engine's own turn values, restored exactly
    events: tuple[Event, ...]  # what replay needs: the choice and the silence before it
    response_times: tuple[float, ...]  # seconds from the options appearing to the answer
    anger_trace: tuple[int, ...]  # start value first
    closing_effects: tuple[Effect, ...]  # e.g. a broken promise landing after the call
    competencies: MappingProxyType[str, int | None]
    notes: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class LevelBest:
    scenario_id: str
    best_score: int | None  # None while no attempt is completed
    best_grade: str | None
    passed: bool
    attempts: int  # completed + abandoned
    failed: int  # completed and not passed
    last_played: datetime | None


@dataclass(frozen=True, slots=True)
class OverviewRow:
    trainee: Trainee
    levels: MappingProxyType[str, LevelBest]
    attempts: int
    last_activity: datetime | None

    @property
    def stuck_levels(self) -> tuple[str, ...]:
        """Levels with several failed attempts and no pass: the trainee needs coaching."""
        return tuple(
            sid
            for sid, best in self.levels.items()
            if not best.passed and best.failed >= STUCK_AFTER_FAILS
        )


class OverviewSort(StrEnum):
    """How the supervisor's paged overview can be ordered."""

    NAME = "name"  # by name, A to Z ascending
    ACTIVITY = "activity"  # by last activity; never active counts as oldest
    PASSED = "passed"  # by how many levels are passed
    COACHING = "coaching"  # by stuck levels, then failed attempts at levels not yet passed


@dataclass(frozen=True, slots=True)
class PrincipleTally:
    """How many of a trainee's turns broke one guide principle."""

    principle: str
    broken: int  # turns with at least one effect citing it and going against it


def broken_principles(effects: tuple[Effect, ...]) -> frozenset[str]:
    """The principles a turn broke: those its effects cite with a negative quality.

    Side effects the trainee did not choose (a flare-up, a threat, feeling heard) have no
    quality and never count; dead air does (the trainee let the silence run).
    """
    return frozenset(
        e.principle
        for e in effects
        if e.principle is not None and e.quality is not None and e.quality < 0
    )


class Roster(Protocol):
    """The trainees: who they are, and how they sign in."""

    def add_trainee(self, name: str) -> Trainee: ...
    def trainees(self) -> tuple[Trainee, ...]: ...
    def get_trainee(self, trainee_id: int) -> Trainee | None: ...
    def find_trainee(self, name: str) -> Trainee | None: ...
    # names holding `term`, case and diacritics ignored; whole-name matches first
    def search_trainees(self, term: str, limit: int = 20) -> tuple[Trainee, ...]: ...
    # a new name, under the same rules as a new profile (DuplicateTrainee for a taken one)
    def rename_trainee(self, trainee_id: int, name: str) -> Trainee: ...
    def trainee_footprint(self, trainee_id: int) -> Footprint: ...
    # erase the profile with its attempts, turns, notes and summaries, in one transaction
    def delete_trainee(self, trainee_id: int) -> Footprint: ...
    # the profile's own settings (JSON written by the game; None: the machine's default)
    def trainee_settings(self, trainee_id: int) -> str | None: ...
    def set_trainee_settings(self, trainee_id: int, settings: str) -> None: ...

    # sign-in: a trainee's PIN hash (None: no PIN) and wrong PINs in a row
    # (PIN hash or None, wrong PINs in a row, when the last wrong one was typed)
    def trainee_pin(self, trainee_id: int) -> tuple[str | None, int, datetime | None]: ...
    def set_trainee_pin(self, trainee_id: int, pin_hash: str | None) -> None: ...
    def count_pin_failure(self, trainee_id: int, when: datetime) -> int: ...
    def clear_pin_failures(self, trainee_id: int) -> None: ...


class AttemptLog(Protocol):
    """Attempts written turn by turn as the call goes, and read back."""

    # attempts, written as the call goes: each call is one transaction
    def start_attempt(self, start: AttemptStart) -> int: ...
    def record_turn(
        self, attempt_id: int, turn: Turn, event: Event, response_time: float
    ) -> None: ...
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
        timeout_silence: float | None = None,  # the customer gave up on dead air
    ) -> None: ...
    def abandon_attempt(self, attempt_id: int, ended_at: datetime) -> None: ...
    # every in_progress attempt whose game is gone (its process on this machine has exited,
    # or it has been silent for hours) becomes abandoned; live calls elsewhere are left alone
    def abandon_stale(self) -> int: ...

    # reading
    def attempts(
        self,
        *,
        trainee_id: int | None = None,
        scenario_id: str | None = None,
        since: datetime | None = None,
    ) -> tuple[Attempt, ...]: ...
    def attempt_detail(self, attempt_id: int) -> AttemptDetail | None: ...


class Overview(Protocol):
    """What the supervisor's desk reads: level bests, pages of trainees, weak spots."""

    def level_bests(self, trainee_id: int) -> MappingProxyType[str, LevelBest]: ...
    def overview(self) -> tuple[OverviewRow, ...]: ...
    # one screenful of the overview, sorted in the database: (rows, trainees in all that match)
    def overview_page(
        self,
        sort: str,
        descending: bool,
        offset: int,
        limit: int,
        search: str | None = None,
    ) -> tuple[tuple[OverviewRow, ...], int]: ...
    # the principles a trainee's turns broke most often, most first (kept current on write)
    def weakest_principles(self, trainee_id: int, limit: int = 5) -> tuple[PrincipleTally, ...]: ...
    def competency_averages(self, trainee_id: int) -> MappingProxyType[str, float | None]: ...


class Notes(Protocol):
    """Coaching notes a supervisor writes on an attempt."""

    def add_note(self, attempt_id: int, author: str, text: str) -> Note: ...
    def notes_for_trainee(
        self, trainee_id: int, *, unread_only: bool = False
    ) -> tuple[Note, ...]: ...
    def mark_note_read(self, note_id: int) -> None: ...
    # the supervisor's own words changed: stamped edited, and new to the trainee again
    def edit_note(self, note_id: int, text: str) -> Note: ...
    def delete_note(self, note_id: int) -> None: ...


class SharedSettings(Protocol):
    """Small settings shared by everyone on this database (e.g. the supervisor passphrase hash)."""

    def get_setting(self, key: str) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...
    # add one to a counting setting (missing counts as 0) in one statement; the new count
    def increment_setting(self, key: str) -> int: ...


class Analytics(Protocol):
    """Cohorts, and what the cohort is learning (game/records/analytics.py has the values)."""

    def set_cohort(self, trainee_id: int, cohort: str | None) -> str | None: ...
    def cohorts(self) -> tuple[tuple[str, int], ...]: ...
    def trainee_cohorts(self) -> MappingProxyType[int, str]: ...
    def choice_map(
        self,
        scenario_id: str,
        window: Window = ...,
        *,
        scenario: Scenario | None = None,
        catalog: Catalog | None = None,
    ) -> ChoiceMap: ...
    def level_progress(self, scenario_id: str, window: Window = ...) -> LevelProgress: ...
    def principle_trends(
        self, window: Window = ..., *, scenario_id: str | None = None, limit: int = 5
    ) -> tuple[PrincipleTrend, ...]: ...
    def levels_played(self, window: Window = ...) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class ExamRule:
    """A supervisor requires exam mode for a level."""

    scenario_id: str
    required_by: str
    required_at: datetime


@dataclass(frozen=True, slots=True)
class PracticeRecord:
    """One completed attempt as spaced practice reads it (game/training/practice.py)."""

    trainee_id: int
    scenario_id: str
    ended_at: datetime
    passed: bool
    exam: bool
    worst_quality: float | None  # the lowest judged quality of its turns (None: no turn)


class Practice(Protocol):
    """Exam rules per level, and what spaced practice reads of the attempts."""

    # the levels a supervisor requires exam mode for (every trainee may read them; on a
    # PostgreSQL room only a supervisor's login may change them)
    def exam_rules(self) -> MappingProxyType[str, ExamRule]: ...
    def require_exam(self, scenario_id: str, required: bool, by: str) -> None: ...
    # completed attempts, oldest first (one trainee's, or everyone's the login may read)
    def practice_records(self, trainee_id: int | None = None) -> tuple[PracticeRecord, ...]: ...


class Store(Roster, AttemptLog, Overview, Notes, SharedSettings, Analytics, Practice, Protocol):
    """Every port at once, as one database gives them; a caller that needs less asks for less."""

    url: str

    def close(self) -> None: ...
