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
from game.training.progress import Progress, next_unlocked, progress
from game.training.review import AttemptReview, review_attempt, spoken_lines
from game.training.titles import Titles

__all__ = [
    "HARD_ANGER",
    "AttemptReview",
    "LocalThrottle",
    "Progress",
    "Titles",
    "TryResult",
    "check_supervisor",
    "is_hard",
    "needs_pin",
    "next_unlocked",
    "own_login",
    "progress",
    "review_attempt",
    "shows_private",
    "spoken_lines",
    "supervisor_failures",
    "supervisor_wait_left",
    "wait_after",
]
