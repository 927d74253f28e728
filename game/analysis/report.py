"""`hold-the-line analyze`: what every path and random play through a scenario look like."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game.analysis.montecarlo import simulate
from game.analysis.paths import Exploration, PathResult, explore
from game.engine.catalog import Catalog
from game.engine.scoring import DEFAULT_PASS_SCORE
from game.scenario.campaign import find_campaign_for
from game.scenario.model import Policy, PolicyOverride, Scenario
from game.scenario.overrides import with_policy
from game.scenario.validate import load_for_command


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
        "pass_rate": round(sum(p.passed for p in paths) / len(paths), 3) if paths else 0.0,
        "endings": dict(exploration.endings.most_common()),
        "best": _path_json(exploration.best()) if paths else None,
        "worst": _path_json(exploration.worst()) if paths else None,
        "guide_following": {
            "paths": len(guide),
            "all_pass": all(p.passed for p in guide),
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


def analyze_command(
    path: Path,
    *,
    runs: int,
    as_json: bool,
    seed: int,
    catalog: Catalog,
    policy: PolicyOverride | None = None,
    why: bool = False,
) -> int:
    scenario = load_for_command(path)
    if scenario is None:
        return 2
    if policy is not None:
        scenario = with_policy(scenario, policy)
    campaign = find_campaign_for(path)
    base = campaign.policy if campaign else Policy()
    level = campaign.level(scenario.id) if campaign else None
    pass_score = level.pass_score if level else DEFAULT_PASS_SCORE
    explored = explore(scenario, policy=base, pass_score=pass_score, catalog=catalog)
    summary = summarise(scenario, explored)
    summary["monte_carlo"] = simulate(
        scenario, policy=base, runs=runs, seed=seed, catalog=catalog
    ).as_dict()
    if why:
        summary["why"] = {
            label: explain_path(scenario, base, list(summary[label]["choices"]), catalog)
            for label in ("best", "worst")
            if summary[label]
        }
        lowest = summary["guide_following"]["lowest"]
        if lowest:
            summary["why"]["guide_lowest"] = explain_path(
                scenario, base, list(lowest["choices"]), catalog
            )
    if as_json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"{scenario.title.en} ({scenario.id}) · pass mark {pass_score}")
    print(f"  {summary['paths']} complete paths" + (" (truncated)" if summary["truncated"] else ""))
    print(f"  {summary['pruned_loops']} paths cut for going round a loop")
    print(f"  pass rate over all paths: {summary['pass_rate']:.0%}")
    print("  endings: " + ", ".join(f"{k} ×{v}" for k, v in summary["endings"].items()))
    for label in ("best", "worst"):
        p = summary[label]
        if p:
            print(
                f"  {label}: {p['score']} ({p['ending']}, {p['rating']}) "
                f"choices {','.join(map(str, p['choices']))}"
            )
    g = summary["guide_following"]
    print(f"  guide-following paths: {g['paths']}, all pass: {g['all_pass']}")
    if g["lowest"]:
        print(
            f"    lowest: {g['lowest']['score']} choices {','.join(map(str, g['lowest']['choices']))}"
        )
    if summary["unvisited_nodes"]:
        print("  never visited: " + ", ".join(summary["unvisited_nodes"]))
    if summary["untaken_branches"]:
        print("  branches never taken: " + "; ".join(summary["untaken_branches"]))
    for label, turns in summary.get("why", {}).items():
        print(f"  why, turn by turn ({label.replace('_', ' ')} path):")
        for turn in turns:
            print(
                f"    {turn['number']}. {turn['node']} choice {turn['choice']}: {turn['verdict']}"
                f" [{turn['rule']}] {turn['sentence']}"
            )
            print(f"       facts: {', '.join(turn['facts'])}")
    mc = summary.get("monte_carlo")
    if mc:
        print(
            f"  random play ({mc['runs']} runs): pass {mc['pass_rate']:.1%}, "
            f"mean final anger {mc['mean_final_anger']:.0f}, mean turns {mc['mean_turns']:.1f}"
        )
    return 0
