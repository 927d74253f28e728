"""`hold-the-line analyze SCENARIO`: every path and a Monte Carlo of random play."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from game.cli.errors import EXIT_OK, EXIT_USAGE, positive_int

NAME = "analyze"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    analyze = sub.add_parser(NAME, help="every path and a Monte Carlo of random play")
    analyze.add_argument("scenario", type=Path)
    analyze.add_argument("--runs", type=positive_int, default=10_000)
    analyze.add_argument("--json", action="store_true")
    analyze.add_argument("--seed", type=int, default=1)


def run(args: argparse.Namespace) -> int:
    from game.analysis.montecarlo import simulate
    from game.analysis.paths import explore
    from game.analysis.summary import summarise
    from game.cli.loading import load_for_command
    from game.engine.scoring import DEFAULT_PASS_SCORE
    from game.scenario.campaign import find_campaign_for
    from game.scenario.model import Policy

    path, runs, as_json, seed = args.scenario, args.runs, args.json, args.seed
    scenario = load_for_command(path)
    if scenario is None:
        return EXIT_USAGE
    campaign = find_campaign_for(path)
    policy = campaign.policy if campaign else Policy()
    level = campaign.level(scenario.id) if campaign else None
    pass_score = level.pass_score if level else DEFAULT_PASS_SCORE
    summary = summarise(scenario, explore(scenario, policy=policy, pass_score=pass_score))
    summary["monte_carlo"] = simulate(scenario, policy=policy, runs=runs, seed=seed).as_dict()
    if as_json:
        print(json.dumps(summary, indent=2))
        return EXIT_OK
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
    mc = summary.get("monte_carlo")
    if mc:
        print(
            f"  random play ({mc['runs']} runs): pass {mc['pass_rate']:.1%}, "
            f"mean final anger {mc['mean_final_anger']:.0f}, mean turns {mc['mean_turns']:.1f}"
        )
    return EXIT_OK
