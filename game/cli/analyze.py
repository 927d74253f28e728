"""`hold-the-line analyze SCENARIO`: every path and a Monte Carlo of random play."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from game.cli.errors import EXIT_OK, EXIT_USAGE, positive_int
from game.cli.settings import add_settings_arguments, settings

NAME = "analyze"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    analyze = sub.add_parser(NAME, help="every path and a Monte Carlo of random play")
    analyze.add_argument("scenario", type=Path)
    analyze.add_argument("--runs", type=positive_int, default=10_000)
    analyze.add_argument("--json", action="store_true")
    analyze.add_argument("--seed", type=int, default=1)
    analyze.add_argument(
        "--why",
        action="store_true",
        help="per turn of the best, worst and lowest guide path: facts and the deciding rule",
    )
    add_settings_arguments(analyze)


def run(args: argparse.Namespace) -> int:
    from game.analysis.montecarlo import simulate
    from game.analysis.paths import explore
    from game.analysis.summary import explain_path, summarise
    from game.cli.loading import load_for_command
    from game.engine.scoring import DEFAULT_PASS_SCORE
    from game.scenario.campaign import find_campaign_for
    from game.scenario.model import Policy

    path, runs, as_json, seed = args.scenario, args.runs, args.json, args.seed
    catalog, override = settings(args)
    scenario = load_for_command(path)
    if scenario is None:
        return EXIT_USAGE
    if override is not None:
        from game.scenario.overrides import with_policy

        scenario = with_policy(scenario, override)
    campaign = find_campaign_for(path)
    policy = campaign.policy if campaign else Policy()
    level = campaign.level(scenario.id) if campaign else None
    pass_score = level.pass_score if level else DEFAULT_PASS_SCORE
    explored = explore(scenario, policy=policy, pass_score=pass_score, catalog=catalog)
    summary = summarise(scenario, explored)
    summary["monte_carlo"] = simulate(
        scenario, policy=policy, runs=runs, seed=seed, catalog=catalog
    ).as_dict()
    if args.why:
        summary["why"] = {
            label: explain_path(scenario, policy, list(summary[label]["choices"]), catalog)
            for label in ("best", "worst")
            if summary[label]
        }
        lowest = summary["guide_following"]["lowest"]
        if lowest:
            summary["why"]["guide_lowest"] = explain_path(
                scenario, policy, list(lowest["choices"]), catalog
            )
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
    return EXIT_OK
