"""Campaign progress: which levels are open to a trainee, and which one is next.

A level unlocks when the playable level before it is passed. A level whose file failed to
load is never playable and never blocks the ones after it: the rest still play.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Protocol


class LevelLike(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def playable(self) -> bool: ...


def unlocked(levels: Sequence[LevelLike], passed: Collection[str]) -> Mapping[str, bool]:
    result: dict[str, bool] = {}
    open_ = True
    for level in levels:
        if not level.playable:
            result[level.key] = False
            continue
        result[level.key] = open_
        open_ = level.key in passed
    return result


def next_level(levels: Sequence[LevelLike], passed: Collection[str]) -> int:
    """Index of the first open level not yet passed; else the last open one; else 0."""
    opened = unlocked(levels, passed)
    last_open = 0
    for index, level in enumerate(levels):
        if opened[level.key]:
            last_open = index
            if level.key not in passed:
                return index
    return last_open


def following(levels: Sequence[LevelLike], index: int) -> int | None:
    """The next playable level after `index`, if there is one."""
    for later in range(index + 1, len(levels)):
        if levels[later].playable:
            return later
    return None
