"""Vectorised play: thousands of conversations at once, for authors and for tests.

The scenario is compiled into arrays (choices × techniques, branch conditions, node tags),
and every step moves all live conversations together through the same `judge` and `apply`
the session runner uses. A test replays the same choices through both and demands
identical anger traces, endings and scores, so the two cannot drift apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.catalog import Catalog, load_catalog
from game.engine.mood import Context, Mood, apply, initial_mood, judge
from game.engine.scoring import (
    CALM_POINTS,
    CRITICAL_TAGS,
    DEFAULT_PASS_SCORE,
    MISTAKE_WEIGHT,
    OUTCOME_POINTS,
    OUTCOME_VALUE,
    PRACTICE_POINTS,
)
from game.engine.session import (
    BLOWUP_LINE,
    ENDS_DESPITE_BLOWUP,
    JUDGED_ENDINGS,
    MAX_TURNS,
    TURN_LIMIT_LINE,
)
from game.scenario.model import (
    BLOWUP_NODE,
    AbusivePolicy,
    Policy,
    Rating,
    Scenario,
    SupervisorPolicy,
)

Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]

RUNNING, ENDING, BLOWUP, TURN_LIMIT = 0, 1, 2, 3
_RATINGS = (Rating.GOOD, Rating.PARTIAL, Rating.BAD)
_NO_LIMIT_LOW, _NO_LIMIT_HIGH = -1, 1_000


@dataclass(frozen=True, slots=True)
class Compiled:
    """A scenario as arrays, indexed by node and by flattened choice."""

    node_ids: tuple[str, ...]
    start: int
    blowup: int  # index of the scenario's `blowup` node, or -1
    is_end: Bools  # (nodes,)
    holds_on_blowup: Bools  # (nodes,) endings that stand even when anger hits 100
    node_tags: Bools  # (nodes, tags)
    critical: Bools  # (nodes,)
    threat: Bools  # (nodes,) moments tagged `threat`
    flare: Ints  # (nodes,) anger added on reaching the node
    explicit_rating: Ints  # (nodes,) index into _RATINGS or -1
    default_rating: Ints  # (nodes,)
    choice_offset: Ints  # (nodes,) first flattened choice of each node
    choice_count: Ints  # (nodes,)
    techniques: Bools  # (choices, techniques)
    judged_technique: Ints  # (choices,) the escalate/hang_up/call_security it uses, or -1
    sets: Ints  # (choices,) flag bit mask
    branch_target: Ints  # (choices, max branches), -1 where padded
    anger_at_least: Ints
    anger_below: Ints
    flag_required: Ints  # bit masks, 0 = no test
    flag_forbidden: Ints
    turn_at_least: Ints
    persona: int
    start_anger: int
    vent: int
    transfer_policy: bool
    help_first: bool


def compile_scenario(scenario: Scenario, policy: Policy | None = None) -> Compiled:
    catalog = load_catalog()
    effective = scenario.policy.over(policy or Policy())
    ids = tuple(node.id for node in scenario.nodes)
    index = {node_id: i for i, node_id in enumerate(ids)}
    flags = sorted(
        {f for node in scenario.nodes for c in node.choices for f in c.sets}
        | {
            f
            for node in scenario.nodes
            for c in node.choices
            for b in c.branches
            if b.when is not None
            for f in (b.when.flag, b.when.not_flag)
            if f is not None
        }
    )
    if len(flags) > 62:
        raise ValueError("the simulation supports at most 62 distinct flags per scenario")
    bit = {flag: 1 << i for i, flag in enumerate(flags)}
    choices = [c for node in scenario.nodes for c in node.choices]
    max_branches = max((len(c.branches) for c in choices), default=1)
    shape = (len(choices), max_branches)
    target = np.full(shape, -1, dtype=np.int64)
    at_least = np.full(shape, _NO_LIMIT_LOW, dtype=np.int64)
    below = np.full(shape, _NO_LIMIT_HIGH, dtype=np.int64)
    required = np.zeros(shape, dtype=np.int64)
    forbidden = np.zeros(shape, dtype=np.int64)
    turn_min = np.full(shape, _NO_LIMIT_LOW, dtype=np.int64)
    techniques = np.zeros((len(choices), len(catalog.technique_order)), dtype=bool)
    judged = np.full(len(choices), -1, dtype=np.int64)
    sets = np.zeros(len(choices), dtype=np.int64)
    for ci, choice in enumerate(choices):
        for tid in choice.techniques:
            techniques[ci, catalog.techniques[tid].index] = True
        judged_ids = [t for t in choice.techniques if t in JUDGED_ENDINGS]
        if judged_ids:
            judged[ci] = catalog.techniques[judged_ids[0]].index
        sets[ci] = sum(bit[f] for f in set(choice.sets))
        for bi, branch in enumerate(choice.branches):
            target[ci, bi] = index[branch.goto]
            when = branch.when
            if when is None:
                continue
            if when.anger_at_least is not None:
                at_least[ci, bi] = when.anger_at_least
            if when.anger_below is not None:
                below[ci, bi] = when.anger_below
            if when.flag is not None:
                required[ci, bi] = bit[when.flag]
            if when.not_flag is not None:
                forbidden[ci, bi] = bit[when.not_flag]
            if when.turn_at_least is not None:
                turn_min[ci, bi] = when.turn_at_least
    counts = np.array([len(node.choices) for node in scenario.nodes], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    tags = np.array(
        [[t in node.tags for t in catalog.tag_order] for node in scenario.nodes], dtype=bool
    ).reshape(len(ids), len(catalog.tag_order))
    ratings = [r.value for r in _RATINGS]
    explicit = np.array(
        [
            ratings.index(node.ending.rating.value)
            if node.ending is not None and node.ending.rating is not None
            else -1
            for node in scenario.nodes
        ],
        dtype=np.int64,
    )
    default = np.array(
        [
            ratings.index(catalog.endings[node.ending.kind.value].rating)
            if node.ending is not None
            else -1
            for node in scenario.nodes
        ],
        dtype=np.int64,
    )
    return Compiled(
        node_ids=ids,
        start=index[scenario.start],
        blowup=index.get(BLOWUP_NODE, -1),
        is_end=np.array([node.is_end for node in scenario.nodes], dtype=bool),
        holds_on_blowup=np.array(
            [
                node.ending is not None and node.ending.kind in ENDS_DESPITE_BLOWUP
                for node in scenario.nodes
            ],
            dtype=bool,
        ),
        node_tags=tags,
        critical=np.array([bool(node.tags & CRITICAL_TAGS) for node in scenario.nodes]),
        threat=np.array(["threat" in node.tags for node in scenario.nodes], dtype=bool),
        flare=np.array([node.flare for node in scenario.nodes], dtype=np.int64),
        explicit_rating=explicit,
        default_rating=default,
        choice_offset=offsets,
        choice_count=counts,
        techniques=techniques,
        judged_technique=judged,
        sets=sets,
        branch_target=target,
        anger_at_least=at_least,
        anger_below=below,
        flag_required=required,
        flag_forbidden=forbidden,
        turn_at_least=turn_min,
        persona=catalog.personas[scenario.customer.persona.value].index,
        start_anger=scenario.customer.anger,
        vent=scenario.customer.vent,
        transfer_policy=effective.abusive_caller is AbusivePolicy.TRANSFER,
        help_first=effective.supervisor_request is SupervisorPolicy.HELP_FIRST,
    )


@dataclass(frozen=True, slots=True)
class Runs:
    """The raw outcome of every simulated conversation."""

    node_ids: tuple[str, ...]
    final_node: Ints  # -1 for built-in endings
    cause: Ints  # ENDING, BLOWUP or TURN_LIMIT
    rating: Ints  # index into (good, partial, bad)
    final_anger: Ints
    turns: Ints
    score: Ints
    broken_promise: Bools
    trace: Ints  # (runs, turns + 1): anger at the start and after each turn; -1 after the end

    def ending_name(self, run: int) -> str:
        if self.final_node[run] >= 0:
            return self.node_ids[int(self.final_node[run])]
        return BLOWUP_LINE if self.cause[run] == BLOWUP else TURN_LIMIT_LINE


@dataclass(frozen=True, slots=True)
class MonteCarlo:
    runs: int
    pass_rate: float
    mean_score: float
    mean_final_anger: float
    mean_turns: float
    endings: tuple[tuple[str, int], ...]
    score_histogram: tuple[int, ...]  # ten buckets: 0-9, 10-19, … 90-100

    def as_dict(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "pass_rate": self.pass_rate,
            "mean_score": self.mean_score,
            "mean_final_anger": self.mean_final_anger,
            "mean_turns": self.mean_turns,
            "endings": dict(self.endings),
            "score_histogram": list(self.score_histogram),
        }


class _Batch:
    """The live state of many conversations; private to one simulation, so mutated in place."""

    def __init__(self, c: Compiled, catalog: Catalog, rows: int, trace: bool) -> None:
        self.mood = initial_mood(catalog, rows, c.start_anger, c.vent)
        self.node = np.full(rows, c.start, dtype=np.int64)
        self.cause = np.full(rows, ENDING if c.is_end[c.start] else RUNNING, dtype=np.int64)
        self.flags = np.zeros(rows, dtype=np.int64)
        self.turns = np.zeros(rows, dtype=np.int64)
        self.numerator = np.zeros(rows, dtype=np.int64)
        self.weight_sum = np.zeros(rows, dtype=np.int64)
        self.quality2 = np.zeros(rows, dtype=np.int64)  # sum of 2 × turn quality
        self.judged = np.full(rows, -1, dtype=np.int64)
        self.policy_broken = np.zeros(rows, dtype=bool)
        self.trace: Ints | None = None
        if trace:
            self.trace = np.full((rows, MAX_TURNS + 1), -1, dtype=np.int64)
            self.trace[:, 0] = c.start_anger

    _FIELDS = (
        "node", "cause", "flags", "turns", "numerator", "weight_sum", "quality2", "judged",
        "policy_broken",
    )  # fmt: skip

    def take(self, rows: Ints) -> _Batch:
        """A copy of some rows (repeated rows allowed: that is how exploration branches)."""
        other = object.__new__(_Batch)
        other.mood = _rows(self.mood, rows)
        for name in self._FIELDS:
            setattr(other, name, getattr(self, name)[rows].copy())
        other.trace = None if self.trace is None else self.trace[rows].copy()
        return other

    def put(self, rows: Ints, other: _Batch) -> None:
        _store(self.mood, rows, other.mood, other.mood.anger)
        for name in self._FIELDS:
            getattr(self, name)[rows] = getattr(other, name)
        if self.trace is not None and other.trace is not None:
            self.trace[rows] = other.trace


@dataclass(frozen=True, slots=True)
class _Step:
    """What one step did, for analyses that need more than the new state."""

    verdict_case: Ints  # (rows, techniques)
    chosen: Bools
    branch: Ints  # index of the branch taken
    quality: NDArray[np.float64]  # turn quality


def _advance(c: Compiled, catalog: Catalog, b: _Batch, choice: Ints) -> _Step:
    """Every row makes its choice (flattened index); the batch moves one turn on."""
    at = b.node
    rows = at.size
    ctx = Context(
        persona=np.full(rows, c.persona, dtype=np.int64),
        transfer_policy=np.full(rows, c.transfer_policy),
        help_first=np.full(rows, c.help_first),
        tags=c.node_tags[at],
    )
    chosen = c.techniques[choice]
    verdict = judge(catalog, b.mood, ctx, chosen)
    applied = apply(catalog, b.mood, ctx, verdict)

    quality = verdict.quality
    worst = np.min(np.where(chosen, quality, np.inf), axis=1)
    best = np.max(np.where(chosen, quality, -np.inf), axis=1)
    turn_quality = np.where(worst < 0, worst, best)
    quality2 = np.rint(2 * turn_quality).astype(np.int64)
    weight = 100 + b.mood.anger + np.where(c.critical[at], 100, 0)
    weight = np.where(quality2 < 0, weight * MISTAKE_WEIGHT, weight)
    b.numerator += weight * (quality2 + 2)
    b.weight_sum += weight
    b.quality2 += quality2

    b.judged = np.where(c.judged_technique[choice] >= 0, np.where(turn_quality > 0, 0, 2), -1)
    b.policy_broken = b.policy_broken | verdict.breaks_policy

    anger_after = np.where(applied.blown, 100, applied.mood.anger).astype(np.int64)
    b.mood = Mood(
        anger=anger_after,
        heard=applied.mood.heard,
        trust=applied.mood.trust,
        vent=applied.mood.vent,
        debt=applied.mood.debt,
        helped=applied.mood.helped,
        boundary=applied.mood.boundary,
        uses=applied.mood.uses,
    )
    b.flags = b.flags | c.sets[choice]
    b.turns = b.turns + 1
    if b.trace is not None:
        b.trace[np.arange(rows), b.turns] = anger_after

    branch = _branch(c, choice, anger_after, b.flags, b.turns)
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
    if lifted.any() or (flared != anger_after).any():
        anger_after = np.where(lifted, floor, flared)
        b.mood = replace(b.mood, anger=anger_after)
        if b.trace is not None:
            b.trace[np.arange(rows), b.turns] = anger_after
    return _Step(verdict.case, chosen, branch, turn_quality)


def broken_promises(b: _Batch) -> Bools:
    """Rows whose call ended (at an authored ending) with a promise still to break."""
    result: Bools = (b.cause == ENDING) & (b.mood.debt > 0)
    return result


def _finish(c: Compiled, catalog: Catalog, b: _Batch) -> tuple[Ints, Ints, Ints]:
    """Rating, final anger and score of finished rows, exactly as the runner decides them."""
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
    partial = _RATINGS.index(Rating(catalog.params.debt_rating))
    debt = b.mood.debt
    rating = np.where(at_node, base, rating)
    rating = np.where(
        ended & (debt > 0) & (base == 0) & (c.explicit_rating[nodes] < 0), partial, rating
    )
    final = np.where(ended, np.minimum(100, final + np.maximum(debt, 0)), final)
    final = np.where(b.cause == BLOWUP, 100, final)
    practice = np.where(b.weight_sum > 0, b.numerator / np.maximum(4 * b.weight_sum, 1), 0.0)
    outcome_value = np.array([OUTCOME_VALUE[r] for r in _RATINGS])[rating]
    raw = (
        PRACTICE_POINTS * practice
        + OUTCOME_POINTS * outcome_value
        + CALM_POINTS * (100 - final) / 100
    )
    score = np.clip(np.rint(raw), 0, 100).astype(np.int64)
    return rating, final.astype(np.int64), score


def run_batch(
    compiled: Compiled,
    pick: Any,
    rows: int,
    catalog: Catalog | None = None,
) -> Runs:
    """Play `rows` conversations.

    `pick(step, rows, nodes, counts)` gets the live rows, the node each is at and how many
    choices that node has, and returns each row's choice (0-based, authoring order).
    """
    catalog = catalog or load_catalog()
    c = compiled
    batch = _Batch(c, catalog, rows, trace=True)
    for step in range(MAX_TURNS):
        live = np.flatnonzero(batch.cause == RUNNING)
        if live.size == 0:
            break
        sub = batch.take(live)
        local = np.asarray(pick(step, live, sub.node, c.choice_count[sub.node]), dtype=np.int64)
        _advance(c, catalog, sub, c.choice_offset[sub.node] + local)
        batch.put(live, sub)
    rating, final, score = _finish(c, catalog, batch)
    trace = batch.trace
    assert trace is not None
    tail = (final != trace[np.arange(rows), batch.turns]) & (batch.turns < MAX_TURNS)
    trace[np.flatnonzero(tail), batch.turns[tail] + 1] = final[tail]
    return Runs(
        node_ids=c.node_ids,
        final_node=batch.node,
        cause=batch.cause,
        rating=rating,
        final_anger=final,
        turns=batch.turns,
        score=score,
        broken_promise=broken_promises(batch),
        trace=trace,
    )


@dataclass(frozen=True, slots=True)
class Tree:
    """Every complete path (to a loop bound), as found by exploring all choices at once."""

    choices: tuple[tuple[int, ...], ...]  # authoring numbers, 1-based, per path
    final_node: Ints
    cause: Ints
    rating: Ints
    final_anger: Ints
    score: Ints
    quality2: Ints  # sum of 2 × turn quality along the path
    turns: Ints
    broken_promise: Bools
    truncated: bool
    pruned: int
    visited: frozenset[int]  # node indices where a choice was made or an ending reached
    taken: frozenset[tuple[int, int, int]]  # (node, choice number, branch index)
    quality_range: tuple[tuple[tuple[int, int], tuple[float, float]], ...]
    cases: frozenset[tuple[int, int, int]]  # (flattened choice, technique, case) seen in play


def explore_tree(
    compiled: Compiled,
    *,
    max_visits: int = 1,
    max_paths: int = 200_000,
    max_frontier: int = 500_000,
    catalog: Catalog | None = None,
) -> Tree:
    """Breadth-first over every choice at every step, all live paths moving together.

    A path that would make a choice at a node it has already chosen at `max_visits`
    times is going round a loop: it is cut and counted in `pruned`.
    """
    catalog = catalog or load_catalog()
    c = compiled
    frontier = _Batch(c, catalog, 1, trace=False)
    visits = np.zeros((1, len(c.node_ids)), dtype=np.int16)
    paths: list[tuple[int, ...]] = [()]
    done: list[tuple[_Batch, list[tuple[int, ...]]]] = []
    visited: set[int] = set()
    taken: set[tuple[int, int, int]] = set()
    cases: set[tuple[int, int, int]] = set()
    quality: dict[tuple[int, int], tuple[float, float]] = {}
    pruned = 0
    found = 0
    truncated = False
    while paths:
        ended = frontier.cause != RUNNING
        if ended.any():
            rows = np.flatnonzero(ended)
            done.append((frontier.take(rows), [paths[i] for i in rows]))
            visited.update(int(n) for n in frontier.node[rows] if n >= 0)
            found += rows.size
        live = np.flatnonzero(~ended)
        if found >= max_paths:
            truncated = truncated or live.size > 0
            break
        over = visits[live, frontier.node[live]] >= max_visits
        pruned += int(over.sum())
        live = live[~over]
        if live.size == 0:
            break
        counts = c.choice_count[frontier.node[live]]
        parent = np.repeat(live, counts)
        if parent.size > max_frontier:
            truncated = True
            parent = parent[:max_frontier]
        starts = np.repeat(np.cumsum(counts) - counts, counts)[: parent.size]
        local = np.arange(parent.size) - starts
        batch = frontier.take(parent)
        at = batch.node.copy()
        visited.update(int(n) for n in np.unique(at))
        visits = visits[parent]
        visits[np.arange(parent.size), at] += 1
        choice = c.choice_offset[at] + local
        step = _advance(c, catalog, batch, choice)
        for node_index, number, branch in set(
            zip(at.tolist(), (local + 1).tolist(), step.branch.tolist(), strict=True)
        ):
            taken.add((node_index, number, branch))
        picked = np.argwhere(step.chosen)
        for flat, tech, case in np.unique(
            np.stack(
                [choice[picked[:, 0]], picked[:, 1], step.verdict_case[picked[:, 0], picked[:, 1]]],
                axis=1,
            ),
            axis=0,
        ).tolist():
            cases.add((flat, tech, case))
        for key, low, high in _ranges(at, local + 1, step.quality):
            old = quality.get(key)
            quality[key] = (low, high) if old is None else (min(old[0], low), max(old[1], high))
        paths = [(*paths[p], n) for p, n in zip(parent.tolist(), (local + 1).tolist(), strict=True)]
        frontier = batch
    choices: list[tuple[int, ...]] = []
    parts = []
    for batch, batch_paths in done:
        choices.extend(batch_paths)
        parts.append((batch, *_finish(c, catalog, batch)))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Tree((), empty, empty, empty, empty, empty, empty, empty, empty.astype(bool),
                    truncated, pruned, frozenset(visited), frozenset(taken), (), frozenset(cases))  # fmt: skip
    order = sorted(range(len(choices)), key=lambda i: choices[i])

    def gather(values: list[Ints]) -> Ints:
        joined: Ints = np.concatenate(values)
        return joined[order]

    def gather_flags(values: list[Bools]) -> Bools:
        joined: Bools = np.concatenate(values)
        return joined[order]

    return Tree(
        choices=tuple(choices[i] for i in order),
        final_node=gather([b.node for b, *_ in parts]),
        cause=gather([b.cause for b, *_ in parts]),
        rating=gather([r for _, r, _, _ in parts]),
        final_anger=gather([f for _, _, f, _ in parts]),
        score=gather([s for _, _, _, s in parts]),
        quality2=gather([b.quality2 for b, *_ in parts]),
        turns=gather([b.turns for b, *_ in parts]),
        broken_promise=gather_flags([broken_promises(b) for b, *_ in parts]),
        truncated=truncated,
        pruned=pruned,
        visited=frozenset(visited),
        taken=frozenset(taken),
        quality_range=tuple(sorted(quality.items())),
        cases=frozenset(cases),
    )


def _ranges(
    nodes: Ints, numbers: Ints, quality: NDArray[np.float64]
) -> list[tuple[tuple[int, int], float, float]]:
    keys = nodes * 1024 + numbers
    result = []
    for key in np.unique(keys).tolist():
        mask = keys == key
        low, high = float(quality[mask].min()), float(quality[mask].max())
        result.append(((key // 1024, key % 1024), low, high))
    return result


def simulate(
    scenario: Scenario,
    *,
    policy: Policy | None = None,
    runs: int = 10_000,
    seed: int = 1,
    pass_score: int = DEFAULT_PASS_SCORE,
) -> MonteCarlo:
    """Random play: every choice equally likely at every node."""
    rng = np.random.default_rng(seed)
    compiled = compile_scenario(scenario, policy)

    def pick(step: int, rows: Ints, nodes: Ints, counts: Ints) -> Ints:
        return (rng.random(nodes.size) * counts).astype(np.int64)

    result = run_batch(compiled, pick, runs)
    passed = (result.score >= pass_score) & (result.rating != 2) & ~result.broken_promise
    endings = Counter(result.ending_name(i) for i in range(runs))
    histogram = np.bincount(np.minimum(result.score // 10, 9), minlength=10)
    return MonteCarlo(
        runs=runs,
        pass_rate=round(float(passed.mean()), 4),
        mean_score=round(float(result.score.mean()), 2),
        mean_final_anger=round(float(result.final_anger.mean()), 2),
        mean_turns=round(float(result.turns.mean()), 2),
        endings=tuple(endings.most_common()),
        score_histogram=tuple(int(x) for x in histogram),
    )


def _rows(mood: Mood, rows: Ints) -> Mood:
    return Mood(
        anger=mood.anger[rows],
        heard=mood.heard[rows],
        trust=mood.trust[rows],
        vent=mood.vent[rows],
        debt=mood.debt[rows],
        helped=mood.helped[rows],
        boundary=mood.boundary[rows],
        uses=mood.uses[rows],
    )


def _store(mood: Mood, rows: Ints, after: Mood, anger: Ints) -> Mood:
    """Write the live rows back; the arrays are private to one batch, so in place is safe."""
    mood.anger[rows] = anger
    mood.heard[rows] = after.heard
    mood.trust[rows] = after.trust
    mood.vent[rows] = after.vent
    mood.debt[rows] = after.debt
    mood.helped[rows] = after.helped
    mood.boundary[rows] = after.boundary
    mood.uses[rows] = after.uses
    return mood


def _branch(c: Compiled, choice: Ints, anger: Ints, flags: Ints, turn: Ints) -> Ints:
    """Index of the first branch whose `when` holds (the last branch has none), per row."""
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
