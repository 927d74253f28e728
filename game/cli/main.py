"""The `hold-the-line` command: one parser, one module per subcommand (`game/cli/*.py`).

Each command module adds its own parser and runs when chosen; it imports what it needs when
it runs, so `validate` never loads numpy or pygame and the game starts without loading the
report templates. This package is the only place that knows argparse and exit statuses: the
packages below raise errors that say what happened, and `main` maps them to a status.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import game.cli.analyze as analyze
import game.cli.cohort as cohort
import game.cli.curriculum as curriculum
import game.cli.export as export
import game.cli.graph as graph
import game.cli.i18n as i18n
import game.cli.lint as lint
import game.cli.new as new
import game.cli.plan as plan
import game.cli.play as play
import game.cli.report as report
import game.cli.room as room
import game.cli.schema as schema
import game.cli.text as text
import game.cli.validate as validate
from game import __version__
from game.cli.errors import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    exit_status,
)
from game.records.failures import CommandFailure, redact

# In the order `--help` lists them.
COMMANDS: tuple[ModuleType, ...] = (
    play,
    text,
    validate,
    lint,
    analyze,
    graph,
    report,
    export,
    schema,
    curriculum,
    plan,
    new,
    room,
    cohort,
    i18n,
)


def _runners() -> dict[str, Callable[[argparse.Namespace], int]]:
    runners: dict[str, Callable[[argparse.Namespace], int]] = {}
    for command in COMMANDS:
        for name in getattr(command, "NAMES", (getattr(command, "NAME", ""),)):
            runners[name] = command.run
    return runners


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hold-the-line",
        description="Hold the Line: de-escalation training for customer-service hires.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list or (
        args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list = ["play", *args_list]
    args = parser.parse_args(args_list)
    try:
        return _dispatch(args)
    except UsageError as error:
        print(f"hold-the-line: {redact(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except CommandFailure as error:  # expected: named in words, with its own exit status
        print(f"hold-the-line: {redact(str(error))}", file=sys.stderr)
        return exit_status(error)
    except KeyboardInterrupt:
        print("\nhold-the-line: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # the last line of defence: never a raw traceback
        from game.records.redact import public_message

        log = _write_crash_log()
        print(f"hold-the-line: internal error: {public_message(error)}", file=sys.stderr)
        if log is not None:
            print(f"hold-the-line: details were written to {log}", file=sys.stderr)
        return EXIT_INTERNAL


def _write_crash_log() -> Path | None:
    try:
        from game.paths import log_dir
        from game.records.private import make_private_dir, open_private
        from game.records.redact import redact

        path = log_dir() / "cli-error.log"
        make_private_dir(path.parent)
        with open_private(path) as handle:
            handle.write(redact(traceback.format_exc()) + "\n")
        return path
    except OSError:
        return None


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command or "play"
    runner = _runners().get(command)
    if runner is None:  # pragma: no cover - argparse guards
        raise UsageError(f"unknown command {command!r}")
    return runner(args)
