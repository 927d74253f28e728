"""`hold-the-line graph SCENARIO`: the scenario's shape as Mermaid or Graphviz dot."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.errors import EXIT_OK, EXIT_USAGE
from game.cli.settings import settings

NAME = "graph"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    graph = sub.add_parser(NAME, help="the scenario as a graph")
    graph.add_argument("scenario", type=Path)
    graph.add_argument("--format", choices=("dot", "mermaid"), default="mermaid")


def run(args: argparse.Namespace) -> int:
    from game.analysis.graph import dot, mermaid
    from game.cli.loading import load_for_command

    scenario = load_for_command(args.scenario)
    if scenario is None:
        return EXIT_USAGE
    catalog, _ = settings(args)  # a composition root: the catalog is loaded here, passed in
    draw = mermaid if args.format == "mermaid" else dot
    sys.stdout.write(draw(scenario, catalog))
    return EXIT_OK
