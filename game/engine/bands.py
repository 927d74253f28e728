"""Named anger bands, so the meter reads without colour (and the same everywhere)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Band:
    name: str
    low: int
    high: int  # inclusive


BANDS = (
    Band("Calm", 0, 24),
    Band("Annoyed", 25, 49),
    Band("Angry", 50, 74),
    Band("Furious", 75, 100),
)


def band_for(anger: float) -> Band:
    value = max(0, min(100, round(anger)))
    return next(b for b in BANDS if b.low <= value <= b.high)
