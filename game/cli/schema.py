"""`hold-the-line schema [--campaign]`: the JSON Schema of the scenario (or campaign) file."""

from __future__ import annotations

import argparse
import sys

from game.cli.errors import EXIT_OK
from game.cli.settings import settings

NAME = "schema"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    schema = sub.add_parser(NAME, help="print the JSON Schema of the scenario format")
    schema.add_argument(
        "--campaign", action="store_true", help="the campaign file's schema instead"
    )


def run(args: argparse.Namespace) -> int:
    from game.scenario.schema import campaign_schema, dump, scenario_schema

    catalog, _ = settings(args)
    sys.stdout.write(dump(campaign_schema() if args.campaign else scenario_schema(catalog)))
    return EXIT_OK
