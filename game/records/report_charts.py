"""The report's chart geometry: the anger curve over an attempt's turns and the competency bars, computed here so the templates only place numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from game.engine.bands import BANDS
from game.engine.scoring import verdict_for
from game.engine.session import Turn
from game.i18n.translator import ENGLISH, Translator

# ---- chart geometry -------------------------------------------------------------------------


ANGER_WIDTH, ANGER_HEIGHT = 760, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 42.0, 78.0, 10.0, 40.0


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


def anger_chart(
    trace: Sequence[int], turns: Sequence[Turn], tr: Translator = ENGLISH
) -> AngerChart:
    """Trace values are the start, then after each turn, then the final value if it moved."""
    left, top = MARGIN_LEFT, MARGIN_TOP
    right, bottom = ANGER_WIDTH - MARGIN_RIGHT, ANGER_HEIGHT - MARGIN_BOTTOM
    values = list(trace) or [0]
    step = (right - left) / max(1, len(values) - 1)

    def y_of(anger: float) -> float:
        return round(bottom - (bottom - top) * max(0.0, min(100.0, anger)) / 100, 1)

    bands = tuple(
        BandRect(
            tr.text(f"band:{band.name}", band.name),
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
            # i18n: the anger chart's first point, on its axis
            label, shape, css = tr._("Start"), "ring", "start"
            words.append(tr._("starts at {value}", value=value))
            tip = tr._("Start: anger {value}", value=value)
        elif index <= len(turns):
            turn = turns[index - 1]
            label = str(turn.number)
            css = verdict_for(turn.quality)
            shape = "circle" if turn.quality > 0 else "cross"
            tip = tr._(
                "Turn {number}: {techniques}, anger {before} → {after} ({delta}), {verdict}",
                number=turn.number,
                techniques=", ".join(turn.techniques) or tr._("no technique"),
                before=turn.anger_before,
                after=turn.anger_after,
                delta=f"{turn.delta:+d}",
                verdict=tr._(css),
            )
            words.append(
                tr._("turn {number} {verdict} {value}", number=turn.number, verdict=tr._(css),
                     value=value)
            )  # fmt: skip
        else:
            # i18n: the anger chart's last point (after the call), on its axis
            label, shape, css = tr._("End"), "square", "end"
            tip = tr._("After the call: anger {value}", value=value)
            words.append(tr._("after the call {value}", value=value))
        x_ticks.append(Tick(x, label))
        markers.append(Marker(x, y, shape, css, tip))
    if len(x_ticks) > 16:  # too many labels to read: keep every other, and the last
        x_ticks = [t for i, t in enumerate(x_ticks) if i % 2 == 0 or i == len(x_ticks) - 1]
    y_ticks = tuple(Tick(y_of(v), str(v)) for v in (0, 25, 50, 75, 100))
    points = " ".join(f"{m.x},{m.y}" for m in markers)
    return AngerChart(
        ANGER_WIDTH, ANGER_HEIGHT, left, top, right, bottom, bands, tuple(x_ticks), y_ticks,
        points, tuple(markers), tr._("Anger {points}.", points="; ".join(words)),
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


def competency_chart(
    scores: Sequence[tuple[str, int | None, int]], tr: Translator = ENGLISH
) -> BarChart:
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
        f"{label} {tr._('not practised') if score is None else score}" for label, score, _ in scores
    )
    height = int(top + row * len(scores) + 6)
    return BarChart(
        int(label_width + scale_width + 70), height, label_width, scale_width, row,
        tuple(bars), grid, tr._("Competencies: {summary}.", summary=summary),
    )  # fmt: skip
