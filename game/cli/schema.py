"""`hold-the-line schema [--campaign]`: the JSON Schema of the scenario (or campaign) file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.errors import EXIT_OK
from game.cli.settings import settings

NAME = "schema"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    schema = sub.add_parser(NAME, help="print the JSON Schema of the scenario format")
    schema.add_argument(
        "--campaign", action="store_true", help="the campaign file's schema instead"
    )
    schema.add_argument(
        "--for",
        dest="for_file",
        type=Path,
        help="a schema whose start/next/goto offer exactly this scenario's node ids",
    )


def run(args: argparse.Namespace) -> int:
    from game.scenario.json_schema import campaign_schema, dump, node_ids_of, scenario_schema

    catalog, _ = settings(args)
    if args.campaign:
        sys.stdout.write(dump(campaign_schema()))
    else:
        ids = None if args.for_file is None else node_ids_of(args.for_file)
        sys.stdout.write(dump(scenario_schema(catalog, ids)))
    return EXIT_OK
