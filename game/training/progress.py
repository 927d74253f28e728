"""A trainee's progress through the campaign: which levels are open, which is next.

The unlock rule itself is the engine's (`game.engine.progress`: a level opens when the
playable level before it is passed); this module applies it to what the records hold, so
the level list and the debrief's "next level" button agree by construction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from game.engine.progress import LevelLike, following, next_level, unlocked
from game.records.api import LevelBest


@dataclass(frozen=True, slots=True)
class Progress:
    """Which levels are open, and the one to offer first."""

    open: Mapping[str, bool]  # level key → playable now
    selected: int  # index of the level to offer first
    passed: frozenset[str]


def passed_levels(bests: Mapping[str, LevelBest]) -> frozenset[str]:
    return frozenset(key for key, best in bests.items() if best.passed)


def progress(levels: Sequence[LevelLike], bests: Mapping[str, LevelBest]) -> Progress:
    """The level list's state for a trainee with these best results."""
    passed = passed_levels(bests)
    return Progress(
        open=MappingProxyType(dict(unlocked(levels, passed))),
        selected=next_level(levels, passed),
        passed=passed,
    )


def next_unlocked(
    levels: Sequence[LevelLike], index: int, bests: Mapping[str, LevelBest]
) -> int | None:
    """The level after `index` if the trainee may play it now (the debrief's "Next level")."""
    later = following(levels, index)
    if later is None:
        return None
    opened = unlocked(levels, passed_levels(bests))
    return later if opened.get(levels[later].key, False) else None
