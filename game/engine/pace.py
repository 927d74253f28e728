"""Pace: the dead-air rule for a channel and timer, the reading allowance at a decision, the anger silence adds, and what pace cost on a turn (its own lesson, never the verdict)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine.catalog import Catalog, DeadAirRule
from game.engine.mood import dead_air_anger
from game.engine.state import Phase, SessionState, Side, TimerMode, Turn
from game.scenario.model import (
    Scenario,
)

# ---- helpers ------------------------------------------------------------------------------


def dead_air_rule(scenario: Scenario, timer: TimerMode, *, catalog: Catalog) -> DeadAirRule | None:
    rule = catalog.channels[scenario.channel.value].dead_air
    if rule is None or timer is TimerMode.OFF:
        return None
    if timer is TimerMode.RELAXED:
        return DeadAirRule(
            rule.grace * 2, rule.rate / 2, rule.nudge_after * 2, rule.cap, rule.give_up * 2
        )
    return rule


def screen_words(scenario: Scenario, node_id: str) -> int:
    """Words on screen at a decision: the customer's line and every reply, in English, so
    that an attempt is timed (and replays) the same in every language. Where a line or a
    reply has several wordings the longest counts, so every attempt gets the same time."""
    counted = _SCREEN_WORDS.get((scenario.path, scenario.content_hash))
    if counted is None or counted[0] is not scenario:
        if len(_SCREEN_WORDS) >= 64:
            _SCREEN_WORDS.clear()
        counted = (scenario, {})
        _SCREEN_WORDS[(scenario.path, scenario.content_hash)] = counted
    words = counted[1].get(node_id)
    if words is None:
        words = counted[1][node_id] = _count_screen_words(scenario, node_id)
    return words


# A turn asks for a decision's word count several times (allowance, silence, reading): it
# is counted once per scenario object and node. Keyed by the scenario's path and content,
# and used only for that very (immutable) scenario object; at most 64 scenarios are kept.
_SCREEN_WORDS: dict[tuple[str, str], tuple[Scenario, dict[str, int]]] = {}


def _count_screen_words(scenario: Scenario, node_id: str) -> int:
    node = scenario.node(node_id)
    line = max((len(v.text.en.split()) for v in node.lines), default=len(node.customer.en.split()))
    return line + sum(
        max(len(w.en.split()) for w in (c.wordings or (c.say,))) for c in node.choices
    )


def reading_seconds(
    scenario: Scenario, node_id: str, timer: TimerMode = TimerMode.NORMAL, *, catalog: Catalog
) -> float:
    """How long reading the screen takes at the catalog's reading speed (half speed relaxed)."""
    wpm = catalog.params.reading_wpm
    if timer is TimerMode.RELAXED:
        wpm /= 2
    return 60.0 * screen_words(scenario, node_id) / wpm


def reading_allowance(
    scenario: Scenario, node_id: str, timer: TimerMode = TimerMode.NORMAL, *, catalog: Catalog
) -> float:
    """Seconds of silence that cost nothing at this decision: the time to read what is on
    screen (customer line and all replies, at `reading_wpm`) plus the channel's grace.
    The silence clock starts when this runs out; without a timer it never does."""
    rule = dead_air_rule(scenario, timer, catalog=catalog)
    if rule is None:
        return float("inf")
    return reading_seconds(scenario, node_id, timer, catalog=catalog) + rule.grace


def silence_anger(
    scenario: Scenario, node_id: str, timer: TimerMode, silence: float, *, catalog: Catalog
) -> int:
    """Anger that `silence` seconds add at this decision, past the reading allowance."""
    rule = dead_air_rule(scenario, timer, catalog=catalog)
    if rule is None:
        return 0
    allowance = reading_allowance(scenario, node_id, timer, catalog=catalog)
    return int(np.rint(dead_air_anger(silence, allowance, rule.rate, rule.cap)))


def live_anger(scenario: Scenario, state: SessionState, *, catalog: Catalog) -> float:
    """The meter as the trainee sees it right now, silence included."""
    rule = dead_air_rule(scenario, state.timer, catalog=catalog)
    if state.phase is not Phase.CHOOSING or rule is None:
        return float(state.anger)
    allowance = reading_allowance(scenario, state.node, state.timer, catalog=catalog)
    return min(100.0, state.anger + dead_air_anger(state.silence, allowance, rule.rate, rule.cap))


@dataclass(frozen=True, slots=True)
class PaceCost:
    """What the pace of one turn cost: its own lesson, never part of the reply's verdict."""

    seconds: float  # silence before the reply
    reading: float  # seconds allowed for reading the screen
    allowance: float  # reading plus the channel's grace: silence up to this was free
    anger: int  # anger the silence added past the allowance
    points: float  # score points the Pace line lost for it
    lookup: bool  # silent at a lookup without keeping them informed (a G-RESOLVE-7 mistake)


PACE_POINTS_PER_ANGER = 0.25  # the Pace line loses this many points per point of silence anger
PACE_POINTS_MAX = 10  # ... and never more than this over a whole call


def pace_cost(turn: Turn) -> PaceCost:
    """What pace cost on `turn`: seconds taken, reading allowance, anger added, points lost."""
    anger = sum(e.anger for e in turn.effects if e.source == Side.SILENCE)
    return PaceCost(
        seconds=turn.silence,
        reading=turn.reading,
        allowance=turn.allowance,
        anger=anger,
        points=round(PACE_POINTS_PER_ANGER * anger, 2),
        lookup=any(e.source == Side.LOOKUP_SILENCE for e in turn.effects),
    )
