"""`hold-the-line plan PLAN…`: replay transcript plans and check what they expect."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.errors import EXIT_OK, EXIT_PROBLEMS
from game.cli.settings import add_settings_arguments, settings

NAME = "plan"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    plan = sub.add_parser(NAME, help="replay transcript plans and check what they expect")
    plan.add_argument("plans", nargs="+", type=Path, metavar="PLAN")
    plan.add_argument(
        "--scenario", type=Path, help="play every plan against this scenario file instead"
    )
    add_settings_arguments(plan)


def run(args: argparse.Namespace) -> int:
    """One line per expectation; exit 1 if any plan failed."""
    from game.analysis.plans import load_plan, resolve_scenario, run_plan, show_value
    from game.paths import default_campaign
    from game.scenario.problems import ScenarioError

    paths: list[Path] = args.plans
    scenario: Path | None = args.scenario
    search = [default_campaign().parent]
    catalog, policy = settings(args)
    failed = 0
    for path in paths:
        try:
            plan = load_plan(path)
            scenario_file = scenario or resolve_scenario(plan, search)
            result = run_plan(plan, scenario_file, catalog=catalog, policy=policy)
        except ScenarioError as error:
            failed += 1
            for problem in error.problems:
                print(problem)
            print(f"FAIL {path}: the plan could not be run")
            continue
        print(
            f"{'PASS' if result.passed else 'FAIL'} {path} "
            f"(scenario {result.scenario_file}: {result.facts.outcome}, "
            f"score {result.facts.score}, {'passed' if result.facts.passed else 'not passed'})"
        )
        for check in result.checks:
            mark = "ok  " if check.held else "FAIL"
            print(f"  {mark} {check.expectation.key}: {show_value(check.expectation.value)}")
        for problem in result.failures():
            print(problem)
        failed += not result.passed
    total = len(paths)
    print(
        f"{total - failed} of {total} plan{'s' if total != 1 else ''} passed",
        file=sys.stderr,
    )
    return EXIT_PROBLEMS if failed else EXIT_OK
