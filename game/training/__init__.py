"""The headless training layer: the use cases every host (window, terminal, CLI) calls.

Plain Python over the core and the records; it never imports pygame, so every rule here is
tested without a window. A host renders what these functions return and sends back what the
trainee or supervisor chose; it decides nothing itself.
"""

from game.training.access import (
    LocalThrottle,
    TryResult,
    check_supervisor,
    needs_pin,
    own_login,
    shows_private,
    supervisor_failures,
    supervisor_wait_left,
    wait_after,
)
from game.training.breather import HARD_ANGER, is_hard
from game.training.practice import (
    DRILL_LEVELS,
    DRILL_PRINCIPLES,
    SPACING,
    Drill,
    DueDrill,
    ExamRefused,
    call_is_exam,
    desk_drills,
    drill_plan,
    due_now,
    exam_mode,
    exam_offered,
    is_weak,
    lessons_by_level,
    required_exams,
    trainee_drills,
)
from game.training.progress import Progress, next_unlocked, passed_levels, progress
from game.training.review import AttemptReview, review_attempt, spoken_lines
from game.training.titles import Titles

__all__ = [
    "DRILL_LEVELS",
    "DRILL_PRINCIPLES",
    "HARD_ANGER",
    "SPACING",
    "AttemptReview",
    "Drill",
    "DueDrill",
    "ExamRefused",
    "LocalThrottle",
    "Progress",
    "Titles",
    "TryResult",
    "call_is_exam",
    "check_supervisor",
    "desk_drills",
    "drill_plan",
    "due_now",
    "exam_mode",
    "exam_offered",
    "is_hard",
    "is_weak",
    "lessons_by_level",
    "needs_pin",
    "next_unlocked",
    "own_login",
    "passed_levels",
    "progress",
    "required_exams",
    "review_attempt",
    "shows_private",
    "spoken_lines",
    "supervisor_failures",
    "supervisor_wait_left",
    "trainee_drills",
    "wait_after",
]
