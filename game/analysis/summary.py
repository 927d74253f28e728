"""`hold-the-line analyze`: what every path and random play through a scenario look like."""

from __future__ import annotations

from typing import Any

from game.analysis.paths import Exploration, PathResult
from game.engine.catalog import Catalog
from game.scenario.model import Policy, Scenario


def _path_json(path: PathResult) -> dict[str, Any]:
    return {
        "choices": list(path.choices),
        "ending": path.ending,
        "outcome": path.outcome,
        "rating": path.rating,
        "score": path.score,
        "passed": path.passed,
        "final_anger": path.final_anger,
    }


def summarise(scenario: Scenario, exploration: Exploration) -> dict[str, Any]:
    paths = exploration.paths
    branches_total = {
        (node.id, choice.number, index)
        for node in scenario.nodes
        for choice in node.choices
        for index in range(len(choice.branches))
    }
    guide = exploration.guide_following()
    return {
        "scenario": scenario.id,
        "paths": len(paths),
        "truncated": exploration.truncated,
        "pruned_loops": exploration.pruned,
        "pass_rate": round(paths.pass_count() / len(paths), 3) if paths else 0.0,
        "endings": dict(exploration.endings.most_common()),
        "best": _path_json(exploration.best()) if paths else None,
        "worst": _path_json(exploration.worst()) if paths else None,
        "guide_following": {
            "paths": len(guide),
            "all_pass": len(guide) == guide.pass_count(),
            "lowest": _path_json(min(guide, key=lambda p: p.score)) if guide else None,
        },
        "unvisited_nodes": sorted({n.id for n in scenario.nodes} - exploration.visited_nodes),
        "untaken_branches": sorted(
            f"{node}: choice {choice}, branch {index + 1}"
            for node, choice, index in branches_total - exploration.taken_branches
        ),
    }


def explain_path(
    scenario: Scenario, policy: Policy, choices: list[int], catalog: Catalog
) -> list[dict[str, Any]]:
    """Per turn of a path: the verdict, the conversation facts it was judged by and the rule
    that decided it (played through the session runner, the same step as the analysis)."""
    from game.engine.session import FACT_LABELS, play_choices
    from game.engine.step import verdict_for

    state = play_choices(scenario, choices, policy=policy, catalog=catalog)
    return [
        {
            "number": turn.number,
            "node": turn.node,
            "choice": turn.choice,
            "verdict": verdict_for(turn.quality),
            "facts": [FACT_LABELS.get(fact, fact) for fact in turn.facts],
            "rule": turn.why.rule if turn.why else None,
            "sentence": turn.why.sentence if turn.why else None,
        }
        for turn in state.turns
    ]
