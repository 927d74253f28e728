"""Vectorised play: thousands of conversations at once, for authors and for tests.

Every step moves all live conversations together through the engine's one turn step
(`game.engine.step.advance`), the same one the session runner takes with a batch of one.
A test replays the same choices through both and demands identical anger traces, endings
and scores.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.catalog import Catalog, load_catalog
from game.engine.scoring import DEFAULT_PASS_SCORE
from game.engine.session import BLOWUP_LINE, TURN_LIMIT_LINE
from game.engine.step import (
    BLOWUP,
    ENDING,
    MAX_TURNS,
    RUNNING,
    TURN_LIMIT,
    Batch,
    Compiled,
    advance,
    broken_promises,
    compile_scenario,
    finish,
)
from game.scenario.model import Policy, Scenario

Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]

__all__ = ["BLOWUP", "ENDING", "RUNNING", "TURN_LIMIT", "Compiled", "compile_scenario"]


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
    batch = Batch(c, catalog, rows, trace=True)
    for step in range(MAX_TURNS):
        live = np.flatnonzero(batch.cause == RUNNING)
        if live.size == 0:
            break
        sub = batch.take(live)
        local = np.asarray(pick(step, live, sub.node, c.choice_count[sub.node]), dtype=np.int64)
        advance(c, catalog, sub, c.choice_offset[sub.node] + local)
        batch.put(live, sub)
    rating, final, score = finish(c, catalog, batch)
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
    # (node, choice number) -> {2 × turn quality: an example path (choices up to and including
    # this one)}, over the paths that reach the choice with the fewest earlier mistakes
    # (none, unless only a mistake leads there): what `lint` checks `expect` against
    clean_verdicts: tuple[tuple[tuple[int, int], tuple[tuple[int, tuple[int, ...]], ...]], ...]
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
    frontier = Batch(c, catalog, 1, trace=False)
    visits = np.zeros((1, len(c.node_ids)), dtype=np.int16)
    mistakes = np.zeros(1, dtype=np.int64)  # turns so far that broke a guide
    verdicts: dict[tuple[int, int], tuple[int, dict[int, tuple[int, ...]]]] = {}
    paths: list[tuple[int, ...]] = [()]
    done: list[tuple[Batch, list[tuple[int, ...]]]] = []
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
        mistakes = mistakes[parent]
        visits[np.arange(parent.size), at] += 1
        choice = c.choice_offset[at] + local
        step = advance(c, catalog, batch, choice)
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
        steps2 = np.rint(2 * step.quality).astype(np.int64)
        for row, before in enumerate(mistakes.tolist()):
            key = (int(at[row]), int(local[row]) + 1)
            fewest, seen = verdicts.get(key, (before, {}))
            if before < fewest:
                fewest, seen = before, {}
            if before == fewest:
                seen.setdefault(int(steps2[row]), paths[row])
                verdicts[key] = (fewest, seen)
        mistakes = mistakes + (step.quality < 0)
        frontier = batch
    choices: list[tuple[int, ...]] = []
    parts = []
    for batch, batch_paths in done:
        choices.extend(batch_paths)
        parts.append((batch, *finish(c, catalog, batch)))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Tree((), empty, empty, empty, empty, empty, empty, empty, empty.astype(bool),
                    truncated, pruned, frozenset(visited), frozenset(taken), (), (),
                    frozenset(cases))  # fmt: skip
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
        clean_verdicts=tuple(
            sorted((key, tuple(sorted(found.items()))) for key, (_, found) in verdicts.items())
        ),
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
