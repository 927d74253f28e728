"""The command line: `hold-the-line` and `python -m game` (see `game.cli.main`)."""

from game.cli.errors import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_PROBLEMS,
    EXIT_RECORDS,
    EXIT_USAGE,
    UsageError,
)
from game.cli.main import build_parser, main

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_OUTPUT",
    "EXIT_PROBLEMS",
    "EXIT_RECORDS",
    "EXIT_USAGE",
    "UsageError",
    "build_parser",
    "main",
]
