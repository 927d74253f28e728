"""Vectorised play: thousands of conversations at once, for authors and for tests.

Every step moves all live conversations together through the engine's one turn step
(`game.engine.step.advance`), the same one the session runner takes with a batch of one.
A test replays the same choices through both and demands identical anger traces, endings
and scores.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.catalog import Catalog
from game.engine.scoring import DEFAULT_PASS_SCORE
from game.engine.session import BLOWUP_LINE, TURN_LIMIT_LINE
from game.engine.step import (
    BLOWUP,
    ENDING,
    MAX_TURNS,
    ORDERED_STEPS,
    RUNNING,
    TURN_LIMIT,
    Batch,
    Compiled,
    advance,
    broken_promises,
    compile_scenario,
    finish,
    starting_rows,
)
from game.engine.variation import starting_corners
from game.scenario.model import Policy, Scenario

Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
Floats = NDArray[np.float64]

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
    catalog: Catalog,
    seeds: Ints | None = None,
) -> Runs:
    """Play `rows` conversations.

    `pick(step, rows, nodes, counts)` gets the live rows, the node each is at and how many
    choices that node has, and returns each row's choice (0-based, authoring order).
    `seeds`: each row's attempt seed, for its starting point (default: seed 0 for all).
    """
    c = compiled
    seeds = np.zeros(rows, dtype=np.int64) if seeds is None else seeds
    batch = Batch(c, catalog, rows, trace=True, starts=starting_rows(c, seeds))
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
    """Every complete path (to a loop bound), as found by exploring all choices at once.

    Paths are in the order of their choices (as tuples compare: a path before its
    continuations), one row each; every array is read-only."""

    moves: NDArray[np.int16]  # (paths, longest): authoring numbers, 1-based; 0 past the end
    lengths: Ints  # how many choices each path made
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
    # every state a customer line was said in, one distinct row each: (node, anger, flag
    # bits, turns, venting, acknowledged, promise standing, resolved), for the lint of line
    # variants
    arrivals: Ints


def explore_tree(
    compiled: Compiled,
    *,
    max_visits: int = 1,
    max_paths: int = 200_000,
    max_frontier: int = 500_000,
    catalog: Catalog,
) -> Tree:
    """Breadth-first over every choice at every step, all live paths moving together.

    A path that would make a choice at a node it has already chosen at `max_visits`
    times is going round a loop: it is cut and counted in `pruned`.
    Each path is kept as links (the row it grew from and the choice it made), step by step,
    and spelt out once at the end: copying every path's choices at every step cost more
    than playing the step.
    """
    c = compiled
    corners = starting_corners(c.scenario)
    frontier = Batch(c, catalog, len(corners), trace=False, starts=corners)
    visits = np.zeros((len(corners), len(c.node_ids)), dtype=np.int16)
    links: list[tuple[Ints, Ints]] = []  # per step: each row's parent row and choice number
    arrivals: list[Ints] = [_arrivals(c, frontier)]
    done: list[tuple[Batch, int, Ints]] = []  # (finished rows, their step, their row numbers)
    visited: set[int] = set()
    taken: set[tuple[int, int, int]] = set()
    cases: set[tuple[int, int, int]] = set()
    quality: dict[tuple[int, int], tuple[float, float]] = {}
    pruned = 0
    found = 0
    truncated = False
    while frontier.node.size:
        ended = frontier.cause != RUNNING
        if ended.any():
            rows = np.flatnonzero(ended)
            done.append((frontier.take(rows), len(links), rows))
            ends = np.unique(frontier.node[rows])
            visited.update(ends[ends >= 0].tolist())
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
        visited.update(np.unique(at).tolist())
        visits = visits[parent]
        visits[np.arange(parent.size), at] += 1
        choice = c.choice_offset[at] + local
        step = advance(c, catalog, batch, choice)
        number = local + 1
        taken.update(
            map(tuple, _unique_rows(np.stack([at, number, step.branch], axis=1))[0].tolist())
        )
        used_in, used = np.nonzero(step.chosen)  # (row, technique) of every technique used
        for flat, tech, case in _unique_rows(
            np.stack([choice[used_in], used, step.verdict_case[used_in, used]], axis=1)
        )[0].tolist():
            cases.add((flat, tech, case))
        for key, low, high in _ranges(at, number, step.quality):
            old = quality.get(key)
            quality[key] = (low, high) if old is None else (min(old[0], low), max(old[1], high))
        links.append((parent, number))
        arrivals.append(_arrivals(c, batch))
        frontier = batch
    seen_states = _unique_rows(np.concatenate(arrivals))[0]
    if not done:
        empty = np.zeros(0, dtype=np.int64)
        return _frozen(Tree(np.zeros((0, 0), dtype=np.int16), empty, empty, empty, empty,
                            empty, empty, empty, empty, empty.astype(bool), truncated, pruned,
                            frozenset(visited), frozenset(taken), (), frozenset(cases),
                            seen_states))  # fmt: skip
    longest = max(depth for _, depth, _ in done)
    moves = np.zeros((sum(rows.size for _, _, rows in done), longest), dtype=np.int16)
    lengths = np.concatenate([np.full(rows.size, depth) for _, depth, rows in done])
    first = 0
    for _, depth, rows in done:
        moves[first : first + rows.size, :depth] = _trace_back(links[:depth], rows)
        first += rows.size
    # the order of the choices, as tuples compare (a 0 past the end sorts a path before its
    # continuations); stable, so paths with the same choices keep the order they ended in
    order = np.lexsort(moves.T[::-1]) if longest else np.arange(lengths.size)
    finished = [(batch, *finish(c, catalog, batch)) for batch, _, _ in done]

    def gather(values: list[Ints]) -> Ints:
        joined: Ints = np.concatenate(values)
        return joined[order]

    def gather_flags(values: list[Bools]) -> Bools:
        joined: Bools = np.concatenate(values)
        return joined[order]

    return _frozen(
        Tree(
            moves=moves[order],
            lengths=lengths[order],
            final_node=gather([b.node for b, *_ in finished]),
            cause=gather([b.cause for b, *_ in finished]),
            rating=gather([r for _, r, _, _ in finished]),
            final_anger=gather([f for _, _, f, _ in finished]),
            score=gather([s for _, _, _, s in finished]),
            quality2=gather([b.quality2 for b, *_ in finished]),
            turns=gather([b.turns for b, *_ in finished]),
            broken_promise=gather_flags([broken_promises(b) for b, *_ in finished]),
            truncated=truncated,
            pruned=pruned,
            visited=frozenset(visited),
            taken=frozenset(taken),
            quality_range=tuple(sorted(quality.items())),
            cases=frozenset(cases),
            arrivals=seen_states,
        )
    )


def _trace_back(links: list[tuple[Ints, Ints]], rows: Ints) -> NDArray[np.int16]:
    """The choice numbers that led to each of `rows` (of the frontier after the last of
    `links`), from the start: each row walked back through its parents, all rows at once."""
    moves = np.zeros((rows.size, len(links)), dtype=np.int16)
    for back in range(len(links) - 1, -1, -1):
        parent, number = links[back]
        moves[:, back] = number[rows]
        rows = parent[rows]
    return moves


def _frozen(tree: Tree) -> Tree:
    """The tree with every array made read-only: it is shared, never changed."""
    for field in dataclasses.fields(tree):
        value = getattr(tree, field.name)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return tree


def _arrivals(c: Compiled, b: Batch) -> Ints:
    """The distinct states the rows' customers speak in at the nodes they have reached."""
    at = b.node >= 0
    resolve_bit = 1 << ORDERED_STEPS.index("resolve")
    table = np.stack(
        [
            b.node,
            b.mood.anger,
            b.flags,
            b.turns,
            (b.mood.vent > 0).astype(np.int64),
            b.mood.acknowledged.astype(np.int64),
            (b.mood.debt > 0).astype(np.int64),
            ((b.done_steps & resolve_bit) != 0).astype(np.int64),
        ],
        axis=1,
    )[at]
    return _unique_rows(table)[0]


def _ranges(
    nodes: Ints, numbers: Ints, quality: NDArray[np.float64]
) -> list[tuple[tuple[int, int], float, float]]:
    """(node, choice number) → the worst and best turn quality among the rows, by key."""
    keys = nodes * 1024 + numbers
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    lows = np.minimum.reduceat(quality[order], starts).tolist()
    highs = np.maximum.reduceat(quality[order], starts).tolist()
    return [
        ((key // 1024, key % 1024), low, high)
        for key, low, high in zip(ordered[starts].tolist(), lows, highs, strict=True)
    ]


def _unique_rows(table: Ints) -> tuple[Ints, Ints]:
    """`np.unique(table, axis=0, return_index=True)`, faster: each row packed into one
    integer (columns offset to start at 0, the first column most significant) when they fit,
    so the same rows come out in the same order. When the packed values are few (the usual
    case: a node, a choice, a verdict), each one's first row is found by a scatter over
    every possible value instead of a sort."""
    count = table.shape[0]
    if count == 0:
        return table, np.zeros(0, dtype=np.int64)
    low = table.min(axis=0)
    spans = (table.max(axis=0) - low + 1).tolist()
    if sum(max(1, int(span - 1).bit_length()) for span in spans) > 62:
        rows, first = np.unique(table, axis=0, return_index=True)
        return rows, first
    packed = np.zeros(count, dtype=np.int64)
    for column, span in enumerate(spans):
        packed = packed * span + (table[:, column] - low[column])
    possible = math.prod(spans)
    if possible <= max(_SCATTER_VALUES, 4 * count):
        first_at = np.full(possible, count, dtype=np.int64)
        np.minimum.at(first_at, packed, np.arange(count))
        first = first_at[first_at < count]
    else:
        _, first = np.unique(packed, return_index=True)
    return table[first], first


_SCATTER_VALUES = 1 << 16  # a table this long costs less to fill than a sort of a few rows


BATCH_ROWS = 8_192  # conversations played together: big enough to amortise numpy's per-call
# cost, small enough that a turn's (rows × techniques × fields) tables stay a few MiB
_SEED_BLOCK = 1_024  # runs that share one random stream (see `random_draws`)


def random_draws(seed: int, first: int, rows: int) -> Floats:
    """Uniform draws for runs `first … first + rows - 1`, one per run and turn.

    Run r's draws come from the stream of its block of `_SEED_BLOCK` runs (seeded by the
    seed and the block number), so they are the same whatever batch the run is played in.
    """
    out = np.empty((rows, MAX_TURNS), dtype=np.float64)
    block = first // _SEED_BLOCK
    while block * _SEED_BLOCK < first + rows:
        low = block * _SEED_BLOCK
        stream = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))
        draws = stream.random((_SEED_BLOCK, MAX_TURNS))
        begin, end = max(low, first), min(low + _SEED_BLOCK, first + rows)
        out[begin - first : end - first] = draws[begin - low : end - low]
        block += 1
    return out


@dataclass(slots=True)
class _Tally:
    """Running sums over finished runs: what `simulate` reports, in constant memory."""

    passed: int = 0
    score: int = 0
    final_anger: int = 0
    turns: int = 0
    histogram: Ints = dataclasses.field(default_factory=lambda: np.zeros(10, dtype=np.int64))
    endings: Ints = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    first_seen: Ints = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def _play_random(
    c: Compiled, catalog: Catalog, seed: int, first: int, rows: int, pass_score: int, tally: _Tally
) -> None:
    """Play runs `first … first + rows - 1` at random, dropping each run from the batch as
    it ends (so no turn copies finished rows back and forth) and adding it to `tally`."""
    draws = random_draws(seed, first, rows)
    run = np.arange(first, first + rows, dtype=np.int64)  # global run number of each row
    # each run is an attempt with its own seed: its own starting point within the ranges
    batch = Batch(c, catalog, rows, trace=False, starts=starting_rows(c, attempt_seeds(seed, run)))
    endings = len(c.node_ids) + 2  # authored endings, then blow-up and turn limit
    for step in range(MAX_TURNS + 1):
        ended = batch.cause != RUNNING
        if ended.any():
            done = np.flatnonzero(ended)
            out = batch.take(done)
            rating, final, score = finish(c, catalog, out)
            passed = (score >= pass_score) & (rating != 2) & ~broken_promises(out)
            tally.passed += int(passed.sum())
            tally.score += int(score.sum())
            tally.final_anger += int(final.sum())
            tally.turns += int(out.turns.sum())
            tally.histogram += np.bincount(np.minimum(score // 10, 9), minlength=10)
            code = np.where(
                out.node >= 0, out.node, np.where(out.cause == BLOWUP, endings - 2, endings - 1)
            )
            tally.endings += np.bincount(code, minlength=endings)
            np.minimum.at(tally.first_seen, code, run[done])
            if done.size == batch.node.size:
                return
            live = np.flatnonzero(~ended)
            batch = batch.take(live)
            run = run[live]
        node = batch.node
        local = (draws[run - first, step] * c.choice_count[node]).astype(np.int64)
        advance(c, catalog, batch, c.choice_offset[node] + local)
    raise AssertionError("every run ends by the turn limit")


def attempt_seeds(seed: int, runs: Ints) -> Ints:
    """The attempt seed of each simulated run: its own, whatever batch it is played in."""
    result: Ints = (seed * 1_000_003 + runs).astype(np.int64)
    return result


def simulate(
    scenario: Scenario,
    *,
    policy: Policy | None = None,
    runs: int = 10_000,
    seed: int = 1,
    pass_score: int = DEFAULT_PASS_SCORE,
    batch_rows: int = BATCH_ROWS,
    catalog: Catalog,
) -> MonteCarlo:
    """Random play: every choice equally likely at every node.

    Runs are played `batch_rows` at a time, so memory stays bounded however many there are,
    and each run draws from its own seeded stream: the same seed gives the same result
    whatever the batch size.
    """
    if runs < 1 or batch_rows < 1:
        raise ValueError(f"runs and batch_rows must be at least 1 (got {runs}, {batch_rows})")
    compiled = compile_scenario(scenario, policy, catalog=catalog)
    endings = len(compiled.node_ids) + 2
    tally = _Tally(
        endings=np.zeros(endings, dtype=np.int64),
        first_seen=np.full(endings, runs, dtype=np.int64),
    )
    for first in range(0, runs, batch_rows):
        _play_random(
            compiled, catalog, seed, first, min(batch_rows, runs - first), pass_score, tally
        )
    names = (*compiled.node_ids, BLOWUP_LINE, TURN_LIMIT_LINE)
    # most common first; ties in the order the runs first reached them (as Counter does)
    seen = sorted(
        np.flatnonzero(tally.endings).tolist(),
        key=lambda e: (-tally.endings[e], tally.first_seen[e]),
    )
    return MonteCarlo(
        runs=runs,
        pass_rate=round(tally.passed / runs, 4),
        mean_score=round(tally.score / runs, 2),
        mean_final_anger=round(tally.final_anger / runs, 2),
        mean_turns=round(tally.turns / runs, 2),
        endings=tuple((names[e], int(tally.endings[e])) for e in seen),
        score_histogram=tuple(int(x) for x in tally.histogram),
    )


@dataclass(frozen=True, slots=True)
class StateSpace:
    """Every verdict each choice can get, over every reachable conversation state."""

    # (node index, choice number) -> ((earlier declared mistakes, 2 × turn quality, an
    # example path to and including the choice), …): one example per count and verdict,
    # a shortest one
    verdicts: tuple[tuple[tuple[int, int], tuple[tuple[int, int, tuple[int, ...]], ...]], ...]
    states: int  # distinct (node, conversation state) pairs reached
    pruned: int  # choices not made because the path had chosen there `max_visits` times
    capped: bool  # stopped at max_states: some states were not explored


MISTAKES_KEPT = 3  # earlier declared mistakes are counted up to this (the key stays small)


def state_keys(
    c: Compiled, b: Batch, visits: NDArray[np.int16], mistakes: Ints, rows: Ints | None = None
) -> list[bytes]:
    """What decides every later verdict and branch, one key a row (of `rows`, else of all):
    the node, the customer's whole state (anger, heard, trust, venting, debt, honest
    attempts, boundary, what was acknowledged, every technique's use count), the flags and,
    when a branch tests it, the turn; how often the path has chosen at each node (what the
    loop bound counts) and how many of its replies their author declared a mistake. The
    score's running sums are left out: they never change a verdict."""
    pick = slice(None) if rows is None else rows
    columns = [
        b.node,
        b.mood.anger,
        b.mood.vent,
        b.mood.debt,
        b.mood.helped,
        b.mood.boundary,
        b.mood.acknowledged,
        b.flags,
        np.ascontiguousarray(b.mood.heard).view(np.int64),
        np.ascontiguousarray(b.mood.trust).view(np.int64),
        mistakes,
    ]
    if (c.turn_at_least > _NO_TURN_TEST).any():
        columns.append(b.turns)
    size = b.node[pick].size
    scalars = np.empty((size, len(columns)), dtype=np.int64)
    for place, column in enumerate(columns):
        scalars[:, place] = column[pick]
    # use counts and visits are at most one a turn: two bytes each hold them
    techniques = b.mood.uses.shape[1]
    counts = np.empty((size, techniques + visits.shape[1]), dtype=np.int16)
    counts[:, :techniques] = b.mood.uses[pick]
    counts[:, techniques:] = visits[pick]
    table = np.concatenate([scalars.view(np.uint8), counts.view(np.uint8)], axis=1)
    # one bytes object for the table, cut into rows: far cheaper than a `tobytes` a row
    data, width = table.tobytes(), table.shape[1]
    return [data[start : start + width] for start in range(0, len(data), width)]


assert MAX_TURNS < 2**15  # so a use count or a visit count fits in `state_keys`' two bytes


_NO_TURN_TEST = -1


def explore_states(
    compiled: Compiled,
    *,
    catalog: Catalog,
    declared_mistake: Bools | None = None,
    max_visits: int = 1,
    max_states: int = 200_000,
) -> StateSpace:
    """Breadth-first over every reachable conversation state, each expanded once.

    Two paths that arrive at the same node with the customer in the same state (see
    `state_keys`) face the same moment: every later verdict is the same, so the second is
    not expanded again. That is what makes this finish where listing every path cannot
    (with the loops bounded as `explore` bounds them: a path that would choose again at a
    node where it already chose `max_visits` times is cut and counted in `pruned`), and the
    first path to a state is a shortest one, the example a report shows.
    `declared_mistake` (by flattened choice) marks the replies their author declared poor
    or bad; each verdict is kept with how many of those came before it on the path.
    """
    c = compiled
    mistake = (
        np.zeros(len(c.techniques), dtype=bool) if declared_mistake is None else declared_mistake
    )
    corners = starting_corners(c.scenario)  # every extreme an attempt can start from
    frontier = Batch(c, catalog, len(corners), trace=False, starts=corners)
    visits = np.zeros((len(corners), len(c.node_ids)), dtype=np.int16)
    mistakes = np.zeros(len(corners), dtype=np.int64)
    links: list[tuple[Ints, Ints]] = []  # per step: each kept row's parent and choice number
    seen = set(state_keys(c, frontier, visits, mistakes))
    verdicts: dict[tuple[int, int], dict[tuple[int, int], tuple[int, ...]]] = {}
    capped = False
    pruned = 0
    while frontier.node.size:
        live = np.flatnonzero(frontier.cause == RUNNING)
        over = visits[live, frontier.node[live]] >= max_visits
        pruned += int(over.sum())
        live = live[~over]
        if live.size == 0:
            break
        counts = c.choice_count[frontier.node[live]]
        parent = np.repeat(live, counts)
        local = np.arange(parent.size) - np.repeat(np.cumsum(counts) - counts, counts)
        batch = frontier.take(parent)
        at = batch.node.copy()
        visits = visits[parent]
        visits[np.arange(parent.size), at] += 1
        before = mistakes[parent]
        choice = c.choice_offset[at] + local
        step = advance(c, catalog, batch, choice)
        steps2 = np.rint(2 * step.quality).astype(np.int64)
        combos, first = _unique_rows(np.stack([at, local + 1, before, steps2], axis=1))
        examples: list[tuple[dict[tuple[int, int], tuple[int, ...]], tuple[int, int], int]] = []
        for (node, number, earlier, quality2), row in zip(
            combos.tolist(), first.tolist(), strict=True
        ):
            found = verdicts.setdefault((node, number), {})
            if (earlier, quality2) not in found:
                found[(earlier, quality2)] = ()  # spelt out below, with the others
                examples.append((found, (earlier, quality2), row))
        if examples:
            rows = np.array([row for _, _, row in examples], dtype=np.int64)
            spelt = _trace_back(links, parent[rows]).tolist()
            for (found, verdict, _), path, number in zip(
                examples, spelt, (local[rows] + 1).tolist(), strict=True
            ):
                found[verdict] = (*path, number)
        mistakes = np.minimum(MISTAKES_KEPT, before + mistake[choice])
        keep: list[int] = []
        running = np.flatnonzero(batch.cause == RUNNING)
        for row, key in zip(
            running.tolist(), state_keys(c, batch, visits, mistakes, running), strict=True
        ):
            if key not in seen:
                seen.add(key)
                keep.append(row)
        if len(seen) > max_states:
            capped = True
            break
        rows = np.array(keep, dtype=np.int64)
        links.append((parent[rows], local[rows] + 1))
        frontier = batch.take(rows)
        visits = visits[rows]
        mistakes = mistakes[rows]
    return StateSpace(
        verdicts=tuple(
            sorted(
                (key, tuple((n, q2, path) for (n, q2), path in sorted(found.items())))
                for key, found in verdicts.items()
            )
        ),
        states=len(seen),
        pruned=pruned,
        capped=capped,
    )
