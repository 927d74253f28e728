"""Exhaustive search over every way a conversation can go, for authors and for tests.

Built on the vectorised simulation (`montecarlo.explore_tree`), which expands every choice
of every live path at once; tests check it against a plain depth-first search.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from game.analysis.montecarlo import BLOWUP, compile_scenario, explore_tree
from game.engine.catalog import Catalog
from game.engine.scoring import DEFAULT_PASS_SCORE, is_pass
from game.engine.session import BLOWUP_LINE, TURN_LIMIT_LINE
from game.engine.variation import fact_names
from game.scenario.model import Policy, Rating, Scenario

_RATING_NAMES = ("good", "partial", "bad")


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


@dataclass(frozen=True, slots=True)
class Exploration:
    paths: tuple[PathResult, ...]
    truncated: bool  # stopped at max_paths; the counts are a lower bound
    pruned: int  # paths cut because they went round a loop more than `max_visits` times
    visited_nodes: frozenset[str]
    taken_branches: frozenset[tuple[str, int, int]]  # (node, choice, branch index)
    # (node, choice) -> (worst, best) turn quality seen when playing that choice
    choice_quality: tuple[tuple[tuple[str, int], tuple[float, float]], ...] = ()
    # (node, choice) -> guide principles its effects cited somewhere in play
    choice_principles: tuple[tuple[tuple[str, int], frozenset[str]], ...] = ()
    # every state a customer line is said in: (node, anger, flags, turns, conversation facts)
    line_states: tuple[tuple[str, int, frozenset[str], int, frozenset[str]], ...] = ()
    # (node, choice) -> the (technique, case) pairs it was judged under somewhere in play
    choice_cases: tuple[tuple[tuple[str, int], frozenset[tuple[str, str]]], ...] = ()

    @property
    def endings(self) -> Counter[str]:
        return Counter(p.ending for p in self.paths)

    def best(self) -> PathResult:
        return max(self.paths, key=lambda p: (p.score, -len(p.choices)))

    def worst(self) -> PathResult:
        return min(self.paths, key=lambda p: (p.score, len(p.choices)))

    def guide_following(self) -> tuple[PathResult, ...]:
        """Paths on which no turn broke a guide."""
        return tuple(p for p in self.paths if p.mean_quality >= 0.999)

    def quality_of(self, node: str, choice: int) -> tuple[float, float] | None:
        return dict(self.choice_quality).get((node, choice))

    @property
    def principles_cited(self) -> frozenset[str]:
        return frozenset(p for _, cited in self.choice_principles for p in cited)


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
    compiled = compile_scenario(scenario, policy, catalog=catalog)
    tree = explore_tree(compiled, max_visits=max_visits, max_paths=max_paths, catalog=catalog)
    ids = compiled.node_ids
    ending_kind = {n.id: n.ending.kind.value for n in scenario.nodes if n.ending is not None}
    ratings = [(Rating(name), name) for name in _RATING_NAMES]
    paths = []
    # plain ints, read once: indexing numpy arrays one element at a time is slow
    for choices, node, cause, rated, score, turns, broken, final, quality2 in zip(
        tree.choices,
        tree.final_node.tolist(),
        tree.cause.tolist(),
        tree.rating.tolist(),
        tree.score.tolist(),
        tree.turns.tolist(),
        tree.broken_promise.tolist(),
        tree.final_anger.tolist(),
        tree.quality2.tolist(),
        strict=True,
    ):
        ending = ids[node] if node >= 0 else (BLOWUP_LINE if cause == BLOWUP else TURN_LIMIT_LINE)
        rating, rating_name = ratings[rated]
        paths.append(
            PathResult(
                choices=choices,
                ending=ending,
                outcome=ending_kind.get(ending, "customer_left"),
                rating=rating_name,
                score=score,
                passed=is_pass(score, pass_score, rating, bool(broken)),
                final_anger=final,
                mean_quality=quality2 / (2 * turns) if turns else 0.0,
            )
        )
    flat = [(node.id, choice.number) for node in scenario.nodes for choice in node.choices]
    flag_names = {bit: name for name, bit in compiled.flag_bits.items()}

    @cache
    def flag_set(flags: int) -> frozenset[str]:
        return frozenset(name for bit, name in flag_names.items() if flags & bit)

    @cache
    def facts(
        node: int, venting: int, acknowledged: int, owes: int, resolved: int
    ) -> frozenset[str]:
        return frozenset(
            fact_names(
                venting=bool(venting),
                acknowledged=bool(acknowledged),
                asked="asks_for_fix" in scenario.node(ids[node]).tags,
                owes=bool(owes),
                resolved=bool(resolved),
            )
        )

    states = [
        (
            ids[node],
            anger,
            flag_set(flags),
            turns,
            facts(node, venting, acknowledged, owes, resolved),
        )
        for node, anger, flags, turns, venting, acknowledged, owes, resolved in tree.arrivals
    ]
    line_states = tuple(
        sorted(states, key=lambda s: (s[0], s[1], sorted(s[2]), s[3], sorted(s[4])))
    )
    cited: dict[tuple[str, int], set[str]] = {}
    judged: dict[tuple[str, int], set[tuple[str, str]]] = {}
    for flat_index, technique, case in tree.cases:
        tid = catalog.technique_order[technique]
        found = catalog.techniques[tid].cases[case]
        cited.setdefault(flat[flat_index], set()).update(found.cited)
        judged.setdefault(flat[flat_index], set()).add((tid, found.name))
    return Exploration(
        paths=tuple(paths),
        truncated=tree.truncated,
        pruned=tree.pruned,
        visited_nodes=frozenset(ids[i] for i in tree.visited),
        taken_branches=frozenset((ids[n], number, b) for n, number, b in tree.taken),
        choice_quality=tuple(((ids[n], number), q) for (n, number), q in tree.quality_range),
        choice_principles=tuple(sorted((k, frozenset(v)) for k, v in cited.items())),
        line_states=line_states,
        choice_cases=tuple(sorted((k, frozenset(v)) for k, v in judged.items())),
    )
