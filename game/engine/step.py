"""The turn step: one implementation for a batch of one (the session runner) and a batch of
thousands (path and Monte Carlo analysis).

A scenario is compiled into arrays (choices × techniques, branch conditions, node tags); a
`Batch` holds the live state of many conversations; `advance` moves every row one turn on
(judge, apply, turn quality and weight, flags, branch, flare and threat floor, ending) and
`finish` rates and scores the rows that ended. The session runner builds a batch of one from
its state and reads the explanation of the turn off the `Step`; nothing here is written twice.
The compiled form of a scenario is `compiled.py`; its names are re-exported here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.catalog import Catalog
from game.engine.compiled import CRITICAL_TAGS as CRITICAL_TAGS
from game.engine.compiled import ENDS_DESPITE_BLOWUP as ENDS_DESPITE_BLOWUP
from game.engine.compiled import JUDGED_ENDINGS as JUDGED_ENDINGS
from game.engine.compiled import ORDER_EXEMPT_TAGS as ORDER_EXEMPT_TAGS
from game.engine.compiled import ORDERED_STEPS as ORDERED_STEPS
from game.engine.compiled import RATINGS as RATINGS
from game.engine.compiled import Bools, Floats, Ints
from game.engine.compiled import Compiled as Compiled
from game.engine.compiled import compile_scenario as compile_scenario
from game.engine.compiled import compiled_for as compiled_for
from game.engine.compiled import starting_rows as starting_rows
from game.engine.mood import Applied, Context, Judgement, Mood, apply, initial_mood, judge
from game.engine.variation import StartingPoint
from game.scenario.model import (
    Rating,
    Verdict,
)

MAX_TURNS = 50  # a conversation that long is going in circles; the customer gives up

# The score: 60 points for how well each turn followed the guides (weighted by how much the
# moment mattered), 25 for the outcome, 15 for how calm the customer was at the end.
PRACTICE_POINTS = 60
OUTCOME_POINTS = 25
CALM_POINTS = 15
DEFAULT_PASS_SCORE = 70
OUTCOME_VALUE = {Rating.GOOD: 1.0, Rating.PARTIAL: 0.5, Rating.BAD: 0.0}
MISTAKE_WEIGHT = 2  # a turn that broke a guide counts double: one argument can lose a customer
ORDER_POINTS = 2  # practice points lost per turn that jumped ahead ...
ORDER_POINTS_MAX = 6  # ... and no more than this over a call

RUNNING, ENDING, BLOWUP, TURN_LIMIT = 0, 1, 2, 3


class Batch:
    """The live state of many conversations; private to one run, so mutated in place."""

    _FIELDS = (
        "node", "cause", "flags", "turns", "numerator", "weight_sum", "quality2", "judged",
        "policy_broken", "done_steps", "jumps", "at_fault",
    )  # fmt: skip

    def __init__(
        self,
        c: Compiled,
        catalog: Catalog,
        rows: int,
        trace: bool,
        starts: tuple[StartingPoint, ...] | None = None,
    ) -> None:
        """`starts`: each row's starting point (default: the scenario's lowest anger and
        venting, no story flags; `starting_rows` gives an attempt's by its seed)."""
        self.mood = initial_mood(catalog, rows, c.start_anger, c.vent)
        self.node = np.full(rows, c.start, dtype=np.int64)
        self.cause = np.full(rows, ENDING if c.is_end[c.start] else RUNNING, dtype=np.int64)
        self.flags = np.zeros(rows, dtype=np.int64)
        if starts is not None:
            self.mood = replace(
                self.mood,
                anger=np.array([s.anger for s in starts], dtype=np.int64),
                vent=np.array([s.vent for s in starts], dtype=np.int64),
            )
            self.flags = np.array([c.flags_mask(s.flags) for s in starts], dtype=np.int64)
        self.turns = np.zeros(rows, dtype=np.int64)
        self.numerator = np.zeros(rows, dtype=np.int64)
        self.weight_sum = np.zeros(rows, dtype=np.int64)
        self.quality2 = np.zeros(rows, dtype=np.int64)  # sum of 2 × turn quality
        self.judged = np.full(rows, -1, dtype=np.int64)
        self.policy_broken = np.zeros(rows, dtype=bool)
        self.done_steps = np.zeros(rows, dtype=np.int64)  # ordered steps fulfilled so far
        self.jumps = np.zeros((rows, 16), dtype=np.int16)  # turns that jumped, by missing steps
        self.at_fault = np.zeros(rows, dtype=bool)  # a `customer_at_fault` moment was reached
        self.trace: Ints | None = None
        if trace:
            self.trace = np.full((rows, MAX_TURNS + 1), -1, dtype=np.int64)
            self.trace[:, 0] = self.mood.anger

    @staticmethod
    def one_row(
        mood: Mood,
        node: int,
        flags: int,
        turns: int,
        policy_broken: bool,
        done_steps: int,
        at_fault: bool,
        jumps: NDArray[np.integer[Any]],
    ) -> Batch:
        """A batch of one conversation partway through (the session runner's turn), with
        nothing summed yet: the runner keeps its own score."""
        one = object.__new__(Batch)
        one.mood = mood
        one.node = np.array([node], dtype=np.int64)
        one.cause = np.array([RUNNING], dtype=np.int64)
        one.flags = np.array([flags], dtype=np.int64)
        one.turns = np.array([turns], dtype=np.int64)
        one.numerator = np.zeros(1, dtype=np.int64)
        one.weight_sum = np.zeros(1, dtype=np.int64)
        one.quality2 = np.zeros(1, dtype=np.int64)
        one.judged = np.array([-1], dtype=np.int64)
        one.policy_broken = np.array([policy_broken], dtype=bool)
        one.done_steps = np.array([done_steps], dtype=np.int64)
        one.jumps = jumps.astype(np.int16).reshape(1, 16)
        one.at_fault = np.array([at_fault], dtype=bool)
        one.trace = None
        return one

    def take(self, rows: Ints) -> Batch:
        """A copy of some rows (repeated rows allowed: that is how exploration branches)."""
        other = object.__new__(Batch)
        other.mood = mood_rows(self.mood, rows)
        for name in self._FIELDS:
            setattr(other, name, getattr(self, name)[rows].copy())
        other.trace = None if self.trace is None else self.trace[rows].copy()
        return other

    def put(self, rows: Ints, other: Batch) -> None:
        for field in dataclasses.fields(Mood):
            getattr(self.mood, field.name)[rows] = getattr(other.mood, field.name)
        for name in self._FIELDS:
            getattr(self, name)[rows] = getattr(other, name)
        if self.trace is not None and other.trace is not None:
            self.trace[rows] = other.trace


@dataclass(frozen=True, slots=True)
class Step:
    """What one step did: the new state is in the batch; this is the explanation."""

    anger_before: Ints
    verdict: Judgement
    applied: Applied
    branch: Ints  # index of the branch taken
    target: Ints  # node each row moved to (before a blow-up redirects it)
    quality: Floats  # turn quality
    flared: Ints  # anger a flare-up at the target added
    lifted: Ints  # anger the threat floor added
    held: Ints  # anger the unresolved floor kept (talk alone doesn't make them calm)
    fulfilled: Ints  # bit mask of the ordered steps this turn's landed moves fulfilled
    jumped: Ints  # bit mask of the undone earlier steps this turn jumped over

    @property
    def verdict_case(self) -> Ints:
        return self.verdict.case

    @property
    def chosen(self) -> Bools:
        return self.verdict.chosen


def verdict_for(quality: float) -> Verdict:
    """A turn's verdict in words: good, fair, poor or bad (what `expect:` declares)."""
    if quality >= 0.75:
        return Verdict.GOOD
    if quality > 0:
        return Verdict.FAIR
    if quality > -0.75:
        return Verdict.POOR
    return Verdict.BAD


def turn_quality(quality: Floats, chosen: Bools, extra: Floats | None = None) -> Floats:
    """A turn is as good as its best part, unless any part broke a guide: then its worst.
    `extra` is a judged side lesson (dead air at a lookup), NaN where there is none."""
    worst = np.where(chosen, quality, np.inf).min(axis=1)
    best = np.where(chosen, quality, -np.inf).max(axis=1)
    if extra is not None:
        missing = np.isnan(extra)
        worst = np.minimum(worst, np.where(missing, np.inf, extra))
        best = np.maximum(best, np.where(missing, -np.inf, extra))
    result: Floats = np.where(np.isinf(worst), 0.0, np.where(worst < 0, worst, best))
    return result


def turn_weight(anger_before: Ints, critical: Bools, quality2: Ints) -> Ints:
    """How much a turn counts, in hundredths: angrier and critical moments count more, and a
    mistake counts more than a good move earns."""
    weight = 100 + anger_before + np.where(critical, 100, 0)
    result: Ints = np.where(quality2 < 0, weight * MISTAKE_WEIGHT, weight).astype(np.int64)
    return result


def quality_steps(quality: Floats) -> Ints:
    """Turn quality in half steps (-2..2), the integer form the score is summed in."""
    result: Ints = np.rint(2 * quality).astype(np.int64)
    return result


def step_masks(step_bit: Ints, chosen: Bools, quality: Floats) -> tuple[Ints, Ints]:
    """(attempted, fulfilled): the ordered steps a turn's moves belong to, and those its
    moves fulfilled (a move fulfils its step only when it followed the guides)."""
    # Only where a move was chosen (a row chooses one to three of some sixty techniques):
    # a hot spot of the analysis, and the same masks as or-reducing every column.
    row, tech = np.nonzero(chosen)
    bits = step_bit[tech]
    landed = quality[row, tech] > 0
    attempted = np.zeros(chosen.shape[0], dtype=np.int64)
    fulfilled = np.zeros(chosen.shape[0], dtype=np.int64)
    np.bitwise_or.at(attempted, row, bits)
    np.bitwise_or.at(fulfilled, row[landed], bits[landed])
    return attempted, fulfilled


def jumped_over(done: Ints, attempted: Ints, fulfilled: Ints) -> Ints:
    """The undone earlier steps a turn skipped: for each Apologise or Resolve move (of a step
    not done yet), every earlier step neither done before nor fulfilled by this turn. (Recap
    and empathy while they still vent are acknowledgements, not a jump.)"""
    missing = np.zeros_like(done)
    first = ORDERED_STEPS.index("apologise")
    if not (attempted >> first).any():  # no row made a move that could jump ahead
        return missing
    have = done | fulfilled
    for index in range(first, len(ORDERED_STEPS)):
        moved = ((attempted >> index) & 1).astype(bool) & ~((done >> index) & 1).astype(bool)
        earlier = (1 << index) - 1
        missing = np.where(moved, missing | (earlier & ~have), missing)
    return missing


def required_steps(base_required: int, at_fault: Bools) -> Ints:
    """The ordered steps the call calls for: no Listen step for a customer with nothing
    pent up, no Apologise step when the company did nothing wrong (G-APOLOGY-3)."""
    result: Ints = np.where(
        at_fault, base_required & ~(1 << ORDERED_STEPS.index("apologise")), base_required
    ).astype(np.int64)
    return result


def order_points(jumps: NDArray[np.integer[Any]], required: Ints) -> Floats:
    """Practice points lost for jumping ahead of Listen → Recap → Apologise → Resolve."""
    masks = np.arange(jumps.shape[1])
    counted = (masks[None, :] & required[:, None]) != 0
    turns = (jumps * counted).sum(axis=1)
    result: Floats = np.minimum(ORDER_POINTS_MAX, ORDER_POINTS * turns).astype(np.float64)
    return result


def context(c: Compiled, at: Ints) -> Context:
    """What is true of the moment and the company at nodes `at` (one row each)."""
    rows = at.size
    if rows == 1:
        node = int(at[0])
        cached = c.one_row_contexts.get(node)
        if cached is None:
            cached = c.one_row_contexts[node] = _read_only(_context(c, at))
        return cached
    return _context(c, at)


def _context(c: Compiled, at: Ints) -> Context:
    rows = at.size
    return Context(
        persona=np.full(rows, c.persona, dtype=np.int64),
        transfer_policy=np.full(rows, c.transfer_policy),
        help_first=np.full(rows, c.help_first),
        parting_approved=np.full(rows, c.parting_approved),
        apologise_at_fault=np.full(rows, c.apologise_at_fault),
        tags=c.node_tags[at],
    )


def _read_only(ctx: Context) -> Context:
    for field in dataclasses.fields(Context):
        getattr(ctx, field.name).flags.writeable = False
    return ctx


def advance(
    c: Compiled, catalog: Catalog, b: Batch, choice: Ints, extra_quality: Floats | None = None
) -> Step:
    """Every row makes its choice (flattened index); the batch moves one turn on."""
    at = b.node
    rows = at.size
    ctx = context(c, at)
    anger_before = b.mood.anger.copy()
    chosen = c.techniques[choice]
    verdict = judge(catalog, b.mood, ctx, chosen)
    applied = apply(catalog, b.mood, ctx, verdict)

    attempted, fulfilled = step_masks(c.step_bit, chosen, verdict.quality)
    jumped = np.where(c.order_exempt[at], 0, jumped_over(b.done_steps, attempted, fulfilled))
    if jumped.any():
        b.jumps[np.arange(rows), jumped] += jumped != 0
    b.done_steps = b.done_steps | fulfilled
    b.at_fault = b.at_fault | c.at_fault[at]

    quality = turn_quality(verdict.quality, chosen, extra_quality)
    quality2 = quality_steps(quality)
    weight = turn_weight(anger_before, c.critical[at], quality2)
    b.numerator += weight * (quality2 + 2)
    b.weight_sum += weight
    b.quality2 += quality2

    b.judged = np.where(c.judged_technique[choice] >= 0, np.where(quality > 0, 0, 2), -1)
    b.policy_broken = b.policy_broken | verdict.breaks_policy

    anger_after = np.where(applied.blown, 100, applied.mood.anger).astype(np.int64)
    b.flags = b.flags | c.sets[choice]
    b.turns = b.turns + 1

    branch = branch_taken(c, choice, anger_after, b.flags, b.turns)
    target = c.branch_target[choice, branch]
    target_end = c.is_end[target]
    blown = applied.blown & ~c.holds_on_blowup[target]
    cause = np.where(
        blown,
        BLOWUP,
        np.where(target_end, ENDING, np.where(b.turns >= MAX_TURNS, TURN_LIMIT, RUNNING)),
    )
    node = np.where(blown, c.blowup, target)
    b.node = np.where(cause == TURN_LIMIT, -1, node)
    b.cause = cause
    continuing = ~applied.blown & ~target_end
    floor = catalog.params.threat_floor
    flared = np.where(continuing, np.minimum(99, anger_after + c.flare[target]), anger_after)
    flared = np.maximum(flared, anger_after)
    lifted = continuing & c.threat[target] & (flared < floor)
    lifted_to = np.where(lifted, floor, flared)
    resolve_bit = 1 << ORDERED_STEPS.index("resolve")
    unresolved = ~applied.blown & ((b.done_steps & resolve_bit) == 0)
    hold_at = np.where(anger_before >= c.unresolved_floor, c.unresolved_floor, 0)
    held_to = np.where(unresolved, np.maximum(lifted_to, hold_at), lifted_to)
    after = applied.mood
    b.mood = Mood(
        anger=held_to.astype(np.int64),
        heard=after.heard,
        trust=after.trust,
        vent=after.vent,
        debt=after.debt,
        helped=after.helped,
        boundary=after.boundary,
        uses=after.uses,
        acknowledged=after.acknowledged,
    )
    if b.trace is not None:
        b.trace[np.arange(rows), b.turns] = held_to
    return Step(
        anger_before=anger_before,
        verdict=verdict,
        applied=applied,
        branch=branch,
        target=target,
        quality=quality,
        flared=(flared - anger_after).astype(np.int64),
        lifted=(lifted_to - flared).astype(np.int64),
        held=(held_to - lifted_to).astype(np.int64),
        fulfilled=fulfilled,
        jumped=jumped,
    )


def broken_promises(b: Batch) -> Bools:
    """Rows whose call ended (at an authored ending) with a promise still to break."""
    result: Bools = (b.cause == ENDING) & (b.mood.debt > 0)
    return result


def practice_share(numerator: Ints, weight_sum: Ints) -> Floats:
    """Weighted share of guide-following, from integer sums so every path agrees exactly."""
    result: Floats = np.where(weight_sum > 0, numerator / np.maximum(4 * weight_sum, 1), 0.0)
    return result


def score_points(
    practice: Floats,
    rating: Ints,
    final: Ints,
    pace: Floats | None = None,
    order: Floats | None = None,
) -> tuple[Floats, Floats, Floats, Ints]:
    """Practice, outcome and calm points and the total score: the one score assembly.
    `order` is the practice points lost for jumping ahead (see `order_points`)."""
    outcome_value = np.array([OUTCOME_VALUE[r] for r in RATINGS])[rating]
    practice_points = np.maximum(
        0.0, PRACTICE_POINTS * practice - (0.0 if order is None else order)
    )
    outcome_points = OUTCOME_POINTS * outcome_value
    calm_points = CALM_POINTS * (100 - final) / 100
    raw = practice_points + outcome_points + calm_points + (0.0 if pace is None else pace)
    score = np.clip(np.rint(raw), 0, 100).astype(np.int64)
    return practice_points, outcome_points, calm_points, score


def finish(c: Compiled, catalog: Catalog, b: Batch) -> tuple[Ints, Ints, Ints]:
    """Rating, final anger and score of finished rows."""
    rows = b.node.size
    final = b.mood.anger.copy()
    rating = np.full(rows, 2, dtype=np.int64)
    at_node = (b.node >= 0) & (b.cause != RUNNING)
    nodes = np.maximum(b.node, 0)
    base = np.where(
        c.explicit_rating[nodes] >= 0,
        c.explicit_rating[nodes],
        np.where(b.policy_broken, 2, np.where(b.judged >= 0, b.judged, c.default_rating[nodes])),
    )
    ended = at_node & (b.cause == ENDING)
    partial = RATINGS.index(Rating(catalog.params.debt_rating))
    debt = b.mood.debt
    rating = np.where(at_node, base, rating)
    rating = np.where(
        ended & (debt > 0) & (base == 0) & (c.explicit_rating[nodes] < 0), partial, rating
    )
    final = np.where(ended, np.minimum(100, final + np.maximum(debt, 0)), final)
    final = np.where(b.cause == BLOWUP, 100, final)
    order = order_points(b.jumps, required_steps(c.base_required, b.at_fault))
    _, _, _, score = score_points(
        practice_share(b.numerator, b.weight_sum), rating, final, order=order
    )
    return rating, final.astype(np.int64), score


def mood_rows(mood: Mood, rows: Ints) -> Mood:
    return Mood(**{f.name: getattr(mood, f.name)[rows] for f in dataclasses.fields(Mood)})


def branch_taken(c: Compiled, choice: Ints, anger: Ints, flags: Ints, turn: Ints) -> Ints:
    """Index of the first branch whose `when` holds (the last branch has none), per row."""
    if not c.first_branch_conditional[choice].any():  # every row's first branch always holds
        return np.zeros(choice.size, dtype=np.int64)
    targets = c.branch_target[choice]
    holds = (
        (targets >= 0)
        & (anger[:, None] >= c.anger_at_least[choice])
        & (anger[:, None] < c.anger_below[choice])
        & ((flags[:, None] & c.flag_required[choice]) == c.flag_required[choice])
        & ((flags[:, None] & c.flag_forbidden[choice]) == 0)
        & (turn[:, None] >= c.turn_at_least[choice])
    )
    first: Ints = np.argmax(holds, axis=1)
    return first
