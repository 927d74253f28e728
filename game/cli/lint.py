"""`hold-the-line lint PATH…`: pedagogy and graph warnings for scenario authors.

Exit 0 clean, 1 warnings, 2 errors. The printing still lives in `game.analysis.lint`
(`lint_command`) while the judge's catalog threading edits that module; it moves here next.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from game.cli.settings import add_settings_arguments, settings

NAME = "lint"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lint = sub.add_parser(
        NAME,
        help="pedagogy and graph warnings for scenario authors",
        description="Play every path of each scenario and warn (LN codes) where it may teach"
        " badly. Every code, with an example and the fix: docs/codes.md.",
    )
    lint.add_argument("paths", nargs="+", type=Path)
    lint.add_argument("--json", action="store_true")
    lint.add_argument(
        "--every-path",
        action="store_true",
        help="also list choices judged otherwise only after an earlier declared mistake (LN016)",
    )
    add_settings_arguments(lint)


def run(args: argparse.Namespace) -> int:
    from game.analysis.lint import lint_command

    catalog, policy = settings(args)
    return lint_command(
        args.paths, as_json=args.json, catalog=catalog, policy=policy, every_path=args.every_path
    )
