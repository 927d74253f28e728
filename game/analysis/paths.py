"""Exhaustive search over every way a conversation can go, for authors and for tests.

Built on the vectorised simulation (`montecarlo.explore_tree`), which expands every choice
of every live path at once; tests check it against a plain depth-first search.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import overload

import numpy as np
from numpy.typing import NDArray

from game.analysis.kept import Kept
from game.analysis.montecarlo import BLOWUP, Tree, compile_scenario, explore_tree
from game.engine.catalog import Catalog
from game.engine.scoring import DEFAULT_PASS_SCORE, is_pass
from game.engine.session import BLOWUP_LINE, TURN_LIMIT_LINE
from game.engine.variation import fact_names
from game.scenario.model import Policy, Rating, Scenario

_RATING_NAMES = ("good", "partial", "bad")
GUIDE_FOLLOWING = 0.999  # a path's mean quality from which no turn on it broke a guide

Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
Floats = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class PathResult:
    choices: tuple[int, ...]
    ending: str  # the end node (or built-in ending) reached
    outcome: str
    rating: str
    score: int
    passed: bool
    final_anger: int
    mean_quality: float  # how well the path followed the guides, -1..1


@dataclass(frozen=True, slots=True, eq=False)
class PathTable(Sequence[PathResult]):
    """Every path's result, column by column, in read-only arrays.

    A level can have hundreds of thousands of paths and most callers ask one question of
    all of them (which endings are reached, is any guide-following path good), so a
    `PathResult` is made only for the paths a caller reads.
    """

    moves: NDArray[np.int16]  # (paths, longest): choice numbers; 0 past the path's end
    lengths: Ints
    ending: Ints  # index into `ending_names`
    ending_names: tuple[str, ...]
    outcome_names: tuple[str, ...]  # the outcome of each of `ending_names`
    rating: Ints  # index into ("good", "partial", "bad")
    score: Ints
    passed: Bools
    final_anger: Ints
    mean_quality: Floats

    @staticmethod
    def of(results: Iterable[PathResult]) -> PathTable:
        """The table of paths found one by one (the plain search the tests compare with)."""
        found = tuple(results)
        longest = max((len(p.choices) for p in found), default=0)
        names = tuple(dict.fromkeys(p.ending for p in found))
        outcomes = {p.ending: p.outcome for p in found}
        return _read_only(
            PathTable(
                moves=np.array(
                    [(*p.choices, *(0,) * (longest - len(p.choices))) for p in found],
                    dtype=np.int16,
                ).reshape(len(found), longest),
                lengths=np.array([len(p.choices) for p in found], dtype=np.int64),
                ending=np.array([names.index(p.ending) for p in found], dtype=np.int64),
                ending_names=names,
                outcome_names=tuple(outcomes[n] for n in names),
                rating=np.array([_RATING_NAMES.index(p.rating) for p in found], dtype=np.int64),
                score=np.array([p.score for p in found], dtype=np.int64),
                passed=np.array([p.passed for p in found], dtype=bool),
                final_anger=np.array([p.final_anger for p in found], dtype=np.int64),
                mean_quality=np.array([p.mean_quality for p in found], dtype=np.float64),
            )
        )

    def __len__(self) -> int:
        return int(self.lengths.size)

    @overload
    def __getitem__(self, index: int) -> PathResult: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[PathResult, ...]: ...
    def __getitem__(self, index: int | slice) -> PathResult | tuple[PathResult, ...]:
        if isinstance(index, slice):
            return tuple(self.take(np.arange(len(self))[index]))
        row = range(len(self))[index]  # IndexError past either end, as a tuple raises
        return next(iter(self.take(np.array([row], dtype=np.int64))))

    def __iter__(self) -> Iterator[PathResult]:
        endings, outcomes = self.ending_names, self.outcome_names
        for moves, length, ending, rating, score, passed, final, quality in zip(
            self.moves.tolist(),
            self.lengths.tolist(),
            self.ending.tolist(),
            self.rating.tolist(),
            self.score.tolist(),
            self.passed.tolist(),
            self.final_anger.tolist(),
            self.mean_quality.tolist(),
            strict=True,
        ):
            yield PathResult(
                choices=tuple(moves[:length]),
                ending=endings[ending],
                outcome=outcomes[ending],
                rating=_RATING_NAMES[rating],
                score=score,
                passed=passed,
                final_anger=final,
                mean_quality=quality,
            )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"PathTable({len(self)} paths)"

    def take(self, rows: Ints | Bools) -> PathTable:
        """The paths at `rows` (indices or a mask), in that order."""
        return _read_only(
            PathTable(
                moves=self.moves[rows],
                lengths=self.lengths[rows],
                ending=self.ending[rows],
                ending_names=self.ending_names,
                outcome_names=self.outcome_names,
                rating=self.rating[rows],
                score=self.score[rows],
                passed=self.passed[rows],
                final_anger=self.final_anger[rows],
                mean_quality=self.mean_quality[rows],
            )
        )

    def ending_counts(self) -> Counter[str]:
        """How many paths reach each ending, in the order the paths first reach them."""
        codes, first = np.unique(self.ending, return_index=True)
        counts = np.bincount(self.ending, minlength=len(self.ending_names))
        found: Counter[str] = Counter()
        for code in codes[np.argsort(first, kind="stable")].tolist():
            found[self.ending_names[code]] += int(counts[code])
        return found

    def endings_reached(self, rating: str | None = None) -> frozenset[str]:
        """The endings some path reaches (with that rating, if one is given)."""
        codes = self.ending if rating is None else self.ending[self.rating == _rating(rating)]
        return frozenset(self.ending_names[code] for code in np.unique(codes).tolist())

    def pass_count(self) -> int:
        return int(self.passed.sum())

    def first_best(self, by_length: int) -> PathResult:
        """The first path with the highest score (`by_length` -1) or the lowest (1), and of
        those the shortest."""
        scores = self.score * by_length
        tied = np.flatnonzero(scores == scores.min())
        return self[int(tied[np.argmin(self.lengths[tied])])]


def _rating(name: str) -> int:
    return _RATING_NAMES.index(Rating(name).value)


def _read_only(table: PathTable) -> PathTable:
    for column in (table.moves, table.lengths, table.ending, table.rating, table.score,
                   table.passed, table.final_anger, table.mean_quality):  # fmt: skip
        column.flags.writeable = False
    return table


LineState = tuple[str, int, frozenset[str], int, frozenset[str]]


@dataclass(frozen=True, slots=True)
class Exploration:
    paths: PathTable
    truncated: bool  # stopped at max_paths; the counts are a lower bound
    pruned: int  # paths cut because they went round a loop more than `max_visits` times
    visited_nodes: frozenset[str]
    taken_branches: frozenset[tuple[str, int, int]]  # (node, choice, branch index)
    # (node, choice) -> (worst, best) turn quality seen when playing that choice
    choice_quality: tuple[tuple[tuple[str, int], tuple[float, float]], ...] = ()
    # (node, choice) -> guide principles its effects cited somewhere in play
    choice_principles: tuple[tuple[tuple[str, int], frozenset[str]], ...] = ()
    # every state a customer line is said in: (node, anger, flags, turns, conversation facts)
    line_states: tuple[LineState, ...] = ()
    # (node, choice) -> the (technique, case) pairs it was judged under somewhere in play
    choice_cases: tuple[tuple[tuple[str, int], frozenset[tuple[str, str]]], ...] = ()

    @property
    def endings(self) -> Counter[str]:
        return self.paths.ending_counts()

    def best(self) -> PathResult:
        """The highest-scoring path, the shortest of those (the first, if several)."""
        return self.paths.first_best(-1)

    def worst(self) -> PathResult:
        """The lowest-scoring path, the shortest of those (the first, if several)."""
        return self.paths.first_best(1)

    def guide_following(self) -> PathTable:
        """Paths on which no turn broke a guide."""
        return self.paths.take(self.paths.mean_quality >= GUIDE_FOLLOWING)

    def quality_of(self, node: str, choice: int) -> tuple[float, float] | None:
        return dict(self.choice_quality).get((node, choice))

    @property
    def principles_cited(self) -> frozenset[str]:
        return frozenset(p for _, cited in self.choice_principles for p in cited)


_EXPLORED: Kept[Exploration] = Kept(24)  # every shipped level, and a few more


def explore(
    scenario: Scenario,
    *,
    catalog: Catalog,
    policy: Policy | None = None,
    pass_score: int = DEFAULT_PASS_SCORE,
    max_paths: int = 200_000,
    max_visits: int = 1,
) -> Exploration:
    """Every complete path through the scenario, in authoring order of choices.

    A path that would choose again at a node it already chose at `max_visits` times is
    going round a loop; it is cut and counted in `pruned`.
    """
    key = (
        scenario,
        scenario.policy.over(policy or Policy()),
        catalog.content_hash,
        pass_score,
        max_paths,
        max_visits,
    )
    return _EXPLORED.get(
        key if catalog.content_hash else None,
        lambda: _explore(scenario, catalog, policy, pass_score, max_paths, max_visits),
    )


def _explore(
    scenario: Scenario,
    catalog: Catalog,
    policy: Policy | None,
    pass_score: int,
    max_paths: int,
    max_visits: int,
) -> Exploration:
    compiled = compile_scenario(scenario, policy, catalog=catalog)
    tree = explore_tree(compiled, max_visits=max_visits, max_paths=max_paths, catalog=catalog)
    ids = compiled.node_ids
    flat = [(node.id, choice.number) for node in scenario.nodes for choice in node.choices]
    cited: dict[tuple[str, int], set[str]] = {}
    judged: dict[tuple[str, int], set[tuple[str, str]]] = {}
    for flat_index, technique, case in tree.cases:
        tid = catalog.technique_order[technique]
        found = catalog.techniques[tid].cases[case]
        cited.setdefault(flat[flat_index], set()).update(found.cited)
        judged.setdefault(flat[flat_index], set()).add((tid, found.name))
    return Exploration(
        paths=_path_table(scenario, tree, ids, pass_score),
        truncated=tree.truncated,
        pruned=tree.pruned,
        visited_nodes=frozenset(ids[i] for i in tree.visited),
        taken_branches=frozenset((ids[n], number, b) for n, number, b in tree.taken),
        choice_quality=tuple(((ids[n], number), q) for (n, number), q in tree.quality_range),
        choice_principles=tuple(sorted((k, frozenset(v)) for k, v in cited.items())),
        line_states=_line_states(scenario, tree, ids, compiled.flag_bits),
        choice_cases=tuple(sorted((k, frozenset(v)) for k, v in judged.items())),
    )


def _path_table(scenario: Scenario, tree: Tree, ids: tuple[str, ...], pass_score: int) -> PathTable:
    """The tree's paths as results: endings named, passes decided by the scoring rule."""
    ending_kind = {n.id: n.ending.kind.value for n in scenario.nodes if n.ending is not None}
    names = (*ids, BLOWUP_LINE, TURN_LIMIT_LINE)
    ending = np.where(
        tree.final_node >= 0,
        tree.final_node,
        np.where(tree.cause == BLOWUP, len(ids), len(ids) + 1),
    )
    # `is_pass` decides each distinct (score, rating, promise broken): there are few
    low = int(tree.score.min()) if tree.score.size else 0
    combos, back = np.unique(
        ((tree.score - low) * len(_RATING_NAMES) + tree.rating) * 2 + tree.broken_promise,
        return_inverse=True,
    )
    verdicts = np.array(
        [
            is_pass(
                combo // 2 // len(_RATING_NAMES) + low,
                pass_score,
                Rating(_RATING_NAMES[combo // 2 % len(_RATING_NAMES)]),
                bool(combo % 2),
            )
            for combo in combos.tolist()
        ],
        dtype=bool,
    )
    mean_quality = np.zeros(tree.turns.size, dtype=np.float64)
    np.divide(tree.quality2, 2 * tree.turns, out=mean_quality, where=tree.turns > 0)
    return _read_only(
        PathTable(
            moves=tree.moves,
            lengths=tree.lengths,
            ending=ending,
            ending_names=names,
            outcome_names=tuple(ending_kind.get(name, "customer_left") for name in names),
            rating=tree.rating,
            score=tree.score,
            passed=verdicts[back.reshape(-1)] if combos.size else np.zeros(0, dtype=bool),
            final_anger=tree.final_anger,
            mean_quality=mean_quality,
        )
    )


def _line_states(
    scenario: Scenario, tree: Tree, ids: tuple[str, ...], flag_bits: dict[str, int]
) -> tuple[LineState, ...]:
    """Every state a customer line is said in, ordered by node id, anger, flags (as sorted
    names), turns and facts (as sorted names); the order is found on small rank tables
    (one per distinct node, flag set and fact set), not by comparing every state."""
    flag_names = {bit: name for name, bit in flag_bits.items()}

    @cache
    def flag_set(flags: int) -> frozenset[str]:
        return frozenset(name for bit, name in flag_names.items() if flags & bit)

    asked = ["asks_for_fix" in node.tags for node in scenario.nodes]

    @cache
    def facts(
        asks: bool, venting: int, acknowledged: int, owes: int, resolved: int
    ) -> frozenset[str]:
        return frozenset(
            fact_names(
                venting=bool(venting),
                acknowledged=bool(acknowledged),
                asked=asks,
                owes=bool(owes),
                resolved=bool(resolved),
            )
        )

    rows = tree.arrivals
    if rows.shape[0] == 0:
        return ()
    node, anger, flags, turns = (rows[:, i] for i in range(4))
    by_id = {node_id: place for place, node_id in enumerate(sorted(ids))}
    node_rank = np.array([by_id[node_id] for node_id in ids], dtype=np.int64)
    flag_values, flag_index = np.unique(flags, return_inverse=True)
    flag_keys = [sorted(flag_set(v)) for v in flag_values.tolist()]
    flag_rank = _dense_ranks(flag_keys)[flag_index.reshape(-1)]
    # the facts' five yes/no inputs, as the bits of one number
    fact_bits = np.array(asked, dtype=np.int64)[node]
    for column in range(4, 8):
        fact_bits = fact_bits * 2 + (rows[:, column] != 0)
    fact_values, fact_index = np.unique(fact_bits, return_inverse=True)
    fact_sets = [facts(bool(v & 16), v & 8, v & 4, v & 2, v & 1) for v in fact_values.tolist()]
    fact_rank = _dense_ranks([sorted(f) for f in fact_sets])[fact_index.reshape(-1)]
    order = np.lexsort((fact_rank, turns, flag_rank, anger, node_rank[node]))
    fact_of = fact_index.reshape(-1)
    return tuple(
        (ids[n], a, flag_set(f), t, fact_sets[k])
        for n, a, f, t, k in zip(
            node[order].tolist(),
            anger[order].tolist(),
            flags[order].tolist(),
            turns[order].tolist(),
            fact_of[order].tolist(),
            strict=True,
        )
    )


def _dense_ranks(keys: list[list[str]]) -> Ints:
    """Each key's place among the distinct keys, in sorted order (equal keys, equal places)."""
    distinct = sorted({tuple(k) for k in keys})
    place = {k: i for i, k in enumerate(distinct)}
    return np.array([place[tuple(k)] for k in keys], dtype=np.int64)
