"""The plain depth-first search the vectorised exploration is checked against.

Exhaustive search over every way a conversation can go, for authors and for tests."""

from __future__ import annotations

from game.analysis.paths import Exploration, PathResult, PathTable
from game.engine.scoring import DEFAULT_PASS_SCORE, debrief
from game.engine.session import Phase, SessionState, TimerMode, choose, proceed, start
from game.scenario.model import Branch, Policy, Scenario
from tests.catalog import CATALOG


def explore(
    scenario: Scenario,
    *,
    policy: Policy | None = None,
    pass_score: int = DEFAULT_PASS_SCORE,
    max_paths: int = 100_000,
    max_visits: int = 1,
) -> Exploration:
    """Every complete path through the scenario (depth-first, authoring order).

    A path that enters the same node more than `max_visits` times is going round a loop;
    it is cut and counted in `pruned` rather than followed to the turn limit.
    """
    results: list[PathResult] = []
    visited: set[str] = set()
    branches: set[tuple[str, int, int]] = set()
    quality: dict[tuple[str, int], tuple[float, float]] = {}
    root = start(scenario, policy=policy, timer=TimerMode.OFF, catalog=CATALOG)
    stack: list[tuple[SessionState, tuple[int, ...]]] = [(root, ())]
    truncated = False
    pruned = 0
    while stack:
        state, choices = stack.pop()
        if sum(1 for t in state.turns if t.node == state.node) >= max_visits:
            pruned += 1
            continue
        while state.phase is Phase.SPEAKING:
            if not state.node.startswith("("):  # built-in endings are not nodes
                visited.add(state.node)
            state = proceed(scenario, state)
        if state.phase is Phase.ENDED:
            assert state.outcome is not None
            report = debrief(scenario, state, pass_score, catalog=CATALOG)
            qualities = [t.quality for t in state.turns]
            results.append(
                PathResult(
                    choices=choices,
                    ending=state.outcome.node,
                    outcome=state.outcome.kind.value,
                    rating=state.outcome.rating.value,
                    score=report.score,
                    passed=report.passed,
                    final_anger=state.outcome.final_anger,
                    mean_quality=sum(qualities) / len(qualities) if qualities else 0.0,
                )
            )
            if len(results) >= max_paths:
                truncated = bool(stack)
                break
            continue
        node = scenario.node(state.node)
        for choice in reversed(node.choices):
            after, turn = choose(scenario, state, choice.number, catalog=CATALOG)
            # branches test the anger the reply left, before a flare-up or threat at the target
            lifted = sum(e.anger for e in turn.effects if e.source in ("flare", "threat"))
            anger = turn.anger_after - lifted
            index = _branch_taken(choice.branches, anger, after, turn.number)
            branches.add((node.id, choice.number, index))
            low, high = quality.get((node.id, choice.number), (turn.quality, turn.quality))
            quality[(node.id, choice.number)] = (min(low, turn.quality), max(high, turn.quality))
            stack.append((after, (*choices, choice.number)))
    return Exploration(
        PathTable.of(results),
        truncated,
        pruned,
        frozenset(visited),
        frozenset(branches),
        tuple(sorted(quality.items())),
    )


def _branch_taken(branches: tuple[Branch, ...], anger: int, state: SessionState, turn: int) -> int:
    for index, branch in enumerate(branches):
        if branch.when is None or branch.when.holds(anger, state.flags, turn):
            return int(index)
    return len(branches) - 1
