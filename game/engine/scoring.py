"""Scores and the debrief: how well the trainee followed the guides, turn by turn.

The score rewards practice more than luck: 60 points for how well each turn followed the
guides (weighted by how much the moment mattered), 25 for the outcome, 15 for how calm the
customer was at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from game.engine.catalog import Catalog
from game.engine.session import (
    PACE_POINTS_MAX,
    Effect,
    Phase,
    SessionError,
    SessionState,
    Turn,
    choose,
    pace_cost,
    proceed,
    start,
    tick,
)
from game.engine.step import (
    CALM_POINTS,
    CRITICAL_TAGS,
    DEFAULT_PASS_SCORE,
    MISTAKE_WEIGHT,
    ORDER_POINTS,
    ORDER_POINTS_MAX,
    ORDERED_STEPS,
    OUTCOME_POINTS,
    OUTCOME_VALUE,
    PRACTICE_POINTS,
    RATINGS,
    compiled_for,
    order_points,
    practice_share,
    quality_steps,
    required_steps,
    score_points,
    verdict_for,
)
from game.engine.step import turn_weight as step_weight
from game.scenario.model import Rating, Scenario, Text, Verdict

__all__ = [
    "CALM_POINTS",
    "CRITICAL_TAGS",
    "DEFAULT_PASS_SCORE",
    "MISTAKE_WEIGHT",
    "ORDERED_STEPS",
    "ORDER_POINTS",
    "ORDER_POINTS_MAX",
    "OUTCOME_POINTS",
    "OUTCOME_VALUE",
    "PRACTICE_POINTS",
    "verdict_for",
]

GRADES = ((90, "A"), (80, "B"), (70, "C"), (60, "D"), (0, "F"))


@dataclass(frozen=True, slots=True)
class BetterReply:
    """A reply that was on screen at that moment and would have been judged good."""

    number: int  # authoring order
    say: Text
    principle: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class TurnReview:
    turn: Turn
    verdict: Verdict
    weight: float
    steps: tuple[str, ...]  # which of Listen/Recap/Apologise/Resolve/Close it served
    skipped: tuple[str, ...]  # earlier steps it jumped over (empty when in order)
    instead: BetterReply | None = None  # for a turn that was not good: what would have been


@dataclass(frozen=True, slots=True)
class CompetencyScore:
    id: str
    label: str
    score: int | None  # 0..100, None when the call never called on it
    uses: int


@dataclass(frozen=True, slots=True)
class PrincipleReview:
    id: str
    title: str
    followed: int
    broken: int


@dataclass(frozen=True, slots=True)
class Debrief:
    scenario_id: str
    outcome: str
    rating: Rating
    cause: str
    score: int
    grade: str
    passed: bool
    pass_score: int
    final_anger: int
    anger_trace: tuple[int, ...]
    practice_points: float
    outcome_points: float
    calm_points: float
    pace_points: float  # zero or negative: what silence past the reading allowance cost
    order_points: float  # zero or negative: practice points lost for jumping ahead (included)
    turns: tuple[TurnReview, ...]
    competencies: tuple[CompetencyScore, ...]
    first_step_turn: tuple[tuple[str, int | None], ...]  # step -> first turn that served it
    required_steps: tuple[str, ...]  # the ordered steps this call called for (see _required_steps)
    principles: tuple[PrincipleReview, ...]
    closing_effects: tuple[Effect, ...]
    promise_broken: bool  # the call ended on a promise that can't be kept: never a pass

    @property
    def in_order(self) -> bool:
        return not any(review.skipped for review in self.turns)


def turn_weight(anger_before: int, tags: frozenset[str], quality: float = 1.0) -> int:
    """How much a turn counts, in hundredths (the turn step's rule, for one turn)."""
    return int(
        step_weight(
            np.array([anger_before]),
            np.array([bool(tags & CRITICAL_TAGS)]),
            quality_steps(np.array([quality])),
        )[0]
    )


def practice_fraction(weights: list[int], qualities: list[float]) -> float:
    """Weighted share of guide-following, computed in integers so every path agrees exactly."""
    steps = quality_steps(np.array(qualities, dtype=np.float64))
    numerator = int((np.array(weights, dtype=np.int64) * (steps + 2)).sum())
    return float(practice_share(np.array([numerator]), np.array([sum(weights)]))[0])


def pace_points(turns: tuple[Turn, ...]) -> float:
    """The Pace line: silence past each screen's reading allowance costs points of its own
    (`PACE_POINTS_PER_ANGER` per point of anger it added, at most `PACE_POINTS_MAX`)."""
    lost = sum(pace_cost(t).points for t in turns)
    return -min(float(PACE_POINTS_MAX), lost)


def is_pass(score: int, pass_score: int, rating: Rating, promise_broken: bool) -> bool:
    """A pass needs the score, an ending that isn't bad, and no promise left to break (G-RESOLVE-3)."""
    return score >= pass_score and rating is not Rating.BAD and not promise_broken


def grade_for(score: int) -> str:
    return next(letter for floor, letter in GRADES if score >= floor)


def better_replies(
    scenario: Scenario, state: SessionState, *, catalog: Catalog
) -> tuple[BetterReply | None, ...]:
    """For every turn that was not good, a reply available at that moment that would have
    been good (those its author declared `expect: good` first), played through the engine
    from the recorded events. Empty when the attempt no longer replays on this scenario.

    When the attempt was played on this very scenario and catalog (their hashes are in the
    state), the replay is known to hold, so it stops after the last turn that needs a better
    reply: the turns after it were good and get none. Otherwise it runs to the end, which is
    how a changed scenario is found out."""
    pairs = list(zip(state.events, state.turns, strict=False))
    answered = next((i for i, (event, _) in enumerate(pairs) if event.choice is None), len(pairs))
    same = (
        state.content_hash == scenario.content_hash
        and state.catalog_hash != ""
        and state.catalog_hash == catalog.content_hash
    )
    if same:
        weak = [i for i, (_, turn) in enumerate(pairs[:answered]) if turn.quality < 0.75]
        pairs = pairs[: weak[-1] + 1] if weak else []
    try:
        live = start(
            scenario, policy=state.policy, seed=state.seed, timer=state.timer, catalog=catalog
        )
        found: list[BetterReply | None] = []
        for event, turn in pairs:
            while live.phase is Phase.SPEAKING:
                live = proceed(scenario, live)
            live = tick(scenario, live, event.silence, catalog=catalog)
            if event.choice is None:
                break
            found.append(
                None if turn.quality >= 0.75 else _better(scenario, live, event.choice, catalog)
            )
            live, _ = choose(scenario, live, event.choice, catalog=catalog)
        return tuple(found) + (None,) * (answered - len(found))
    except (SessionError, KeyError, IndexError):
        return ()


def _better(
    scenario: Scenario, live: SessionState, chosen: int, catalog: Catalog
) -> BetterReply | None:
    node = scenario.node(live.node)
    others = sorted(
        (c for c in node.choices if c.number != chosen),
        key=lambda c: (c.expect is not Verdict.GOOD, c.number),
    )
    for choice in others:
        _, turn = choose(scenario, live, choice.number, catalog=catalog)
        if turn.quality < 0.75:
            continue
        best = next(e for e in turn.effects if e.quality is not None and e.quality >= 0.75)
        return BetterReply(choice.number, choice.say, best.principle, best.reason)
    return None


def debrief(
    scenario: Scenario,
    state: SessionState,
    pass_score: int = DEFAULT_PASS_SCORE,
    *,
    catalog: Catalog,
) -> Debrief:
    """Score a finished session and explain every turn of it, under `catalog` (the one that
    scored it: its hash is in the state)."""
    if state.phase is not Phase.ENDED or state.outcome is None:
        raise ValueError("only a finished session can be scored")
    outcome = state.outcome

    weights = [turn_weight(t.anger_before, t.tags, t.quality) for t in state.turns]
    practice = practice_fraction(weights, [t.quality for t in state.turns])
    pace = pace_points(state.turns)
    order = _order_points(scenario, state, catalog)
    parts = score_points(
        np.array([practice]),
        np.array([RATINGS.index(outcome.rating)]),
        np.array([outcome.final_anger]),
        np.array([pace]),
        np.array([order]),
    )
    practice_points, outcome_points, calm_points = (float(p[0]) for p in parts[:3])
    score = int(parts[3][0])
    promise_broken = any(e.source == "debt" for e in outcome.effects)

    required = _required_steps(scenario, state, catalog)
    reviews = _order_reviews(state, weights, required, catalog)
    instead = better_replies(scenario, state, catalog=catalog)
    if len(instead) == len(reviews):
        reviews = tuple(
            replace(review, instead=better) for review, better in zip(reviews, instead, strict=True)
        )

    per_competency: dict[str, list[float]] = {c: [] for c in catalog.competencies}
    tallies: dict[str, list[int]] = {}
    for turn in state.turns:
        for effect in turn.effects:
            if effect.quality is None or effect.principle is None:
                continue
            tally = tallies.setdefault(effect.principle, [0, 0])
            tally[0 if effect.quality > 0 else 1] += 1
            if effect.source in catalog.techniques:
                competency = catalog.techniques[effect.source].competency
                per_competency[competency].append((effect.quality + 1) / 2)
    competencies = tuple(
        CompetencyScore(
            cid,
            label,
            None
            if not per_competency[cid]
            else round(100 * sum(per_competency[cid]) / len(per_competency[cid])),
            len(per_competency[cid]),
        )
        for cid, label in catalog.competencies.items()
    )
    principles = tuple(
        PrincipleReview(pid, catalog.principles[pid].title, good, bad)
        for pid, (good, bad) in sorted(tallies.items())
    )
    first_step: dict[str, int | None] = {step: None for step in catalog.steps}
    for review in reviews:
        for step in review.steps:
            if first_step[step] is None:
                first_step[step] = review.turn.number
    return Debrief(
        scenario_id=scenario.id,
        outcome=outcome.kind.value,
        rating=outcome.rating,
        cause=outcome.cause,
        score=score,
        grade=grade_for(score),
        passed=is_pass(score, pass_score, outcome.rating, promise_broken),
        pass_score=pass_score,
        final_anger=outcome.final_anger,
        anger_trace=state.anger_trace(),
        practice_points=round(practice_points, 1),
        outcome_points=round(outcome_points, 1),
        calm_points=round(calm_points, 1),
        pace_points=round(pace, 1),
        order_points=-round(order, 1),
        turns=reviews,
        competencies=competencies,
        first_step_turn=tuple(first_step.items()),
        required_steps=required,
        principles=principles,
        closing_effects=outcome.effects,
        promise_broken=promise_broken,
    )


def review_turns(
    scenario: Scenario, state: SessionState, *, catalog: Catalog
) -> tuple[TurnReview, ...]:
    """The review of every turn played so far (verdict, weight, steps served and skipped),
    for a call that is still going as for a finished one; `debrief` adds what to do instead."""
    weights = [turn_weight(t.anger_before, t.tags, t.quality) for t in state.turns]
    return _order_reviews(state, weights, _required_steps(scenario, state, catalog), catalog)


def _required_steps(scenario: Scenario, state: SessionState, catalog: Catalog) -> tuple[str, ...]:
    """The ordered steps this call called for (the turn step's rule, see `required_steps`)."""
    mask = _required_mask(scenario, state, catalog)
    return tuple(step for i, step in enumerate(ORDERED_STEPS) if mask >> i & 1)


def _required_mask(scenario: Scenario, state: SessionState, catalog: Catalog) -> int:
    compiled = compiled_for(scenario, state.policy, catalog)
    at_fault = any("customer_at_fault" in t.tags for t in state.turns)
    return int(required_steps(compiled.base_required, np.array([at_fault]))[0])


def _order_points(scenario: Scenario, state: SessionState, catalog: Catalog) -> float:
    jumps = np.zeros((1, 16), dtype=np.int64)
    for turn in state.turns:
        if turn.jumped:
            jumps[0, turn.jumped] += 1
    return float(order_points(jumps, np.array([_required_mask(scenario, state, catalog)]))[0])


def _order_reviews(
    state: SessionState, weights: list[int], required: tuple[str, ...], catalog: Catalog
) -> tuple[TurnReview, ...]:
    """Which step each turn served (only moves that followed the guides fulfil one) and
    which required earlier steps it jumped over (recorded by the turn step)."""
    reviews: list[TurnReview] = []
    for turn, weight in zip(state.turns, weights, strict=True):
        steps: list[str] = []
        for effect in turn.effects:
            if effect.source not in catalog.techniques or (effect.quality or 0) <= 0:
                continue
            step = catalog.techniques[effect.source].step
            if step in catalog.steps and step not in steps:
                steps.append(step)
        skipped = tuple(
            step
            for i, step in enumerate(ORDERED_STEPS)
            if turn.jumped >> i & 1 and step in required
        )
        reviews.append(
            TurnReview(turn, verdict_for(turn.quality), weight / 100, tuple(steps), skipped)
        )
    return tuple(reviews)
