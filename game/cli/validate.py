"""`hold-the-line validate PATH…`: check scenario and campaign files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.errors import EXIT_OK, EXIT_PROBLEMS

NAME = "validate"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    validate = sub.add_parser(NAME, help="check scenario and campaign files")
    validate.add_argument("paths", nargs="+", type=Path)


def run(args: argparse.Namespace) -> int:
    from game.scenario.validate import validate

    report = validate(args.paths)
    for problem in report.problems:
        print(problem)
    count = len(report.problems)
    summary = f"{report.files} file{'s' if report.files != 1 else ''} checked"
    summary += ", all valid" if not count else f", {count} problem{'s' if count != 1 else ''}"
    print(summary, file=sys.stderr)
    return EXIT_PROBLEMS if count else EXIT_OK
