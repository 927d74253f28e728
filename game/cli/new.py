"""`hold-the-line new ID [--dir FOLDER]`: a small, valid, commented starter level and plans."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.errors import EXIT_OK, EXIT_USAGE
from game.cli.settings import settings

NAME = "new"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = sub.add_parser(NAME, help="write a small, valid, commented starter level and plans")
    new.add_argument("id", help="the new scenario's id, e.g. cracked-teapot")
    new.add_argument("--dir", type=Path, default=Path("."), help="folder to write into")


def run(args: argparse.Namespace) -> int:
    from game.analysis.starter import StarterError, write_starter

    try:
        written = write_starter(args.id, args.dir, settings(args)[0])
    except StarterError as error:
        print(f"hold-the-line new: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {written.scenario}")
    for plan in written.plans:
        print(f"wrote {plan}")
    if written.schema is not None:
        print(f"wrote {written.schema} (editors validate and autocomplete from it)")
    print(
        "next: hold-the-line validate {0} && hold-the-line lint {0} && "
        "hold-the-line plan {1}/*.yaml && hold-the-line text {0}".format(
            written.scenario, written.scenario.parent / "plans"
        )
    )
    return EXIT_OK
