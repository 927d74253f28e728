"""`hold-the-line play` (the default): open the game window."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from game.cli.languages import add_language_argument, checked_language
from game.cli.settings import add_settings_arguments, settings

NAME = "play"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--campaign", type=Path, help="campaign file (default: the bundled one)")
    parser.add_argument("--db", help="database URL (default: the local SQLite file)")
    parser.add_argument("--fullscreen", action="store_true")
    add_language_argument(parser, "the game speaks (default: the one chosen in Settings)")
    parser.add_argument(
        "--watch",
        action="store_true",
        help="reload a scenario when its file changes and resume the call where it was",
    )
    add_settings_arguments(parser)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add_arguments(sub.add_parser(NAME, help="open the game window (the default)"))


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # before pygame is imported
    from game.ui.app import run_game

    catalog, policy = settings(args)
    return run_game(
        campaign=args.campaign,
        db=args.db,
        fullscreen=args.fullscreen,
        lang=checked_language(args.lang, catalog),
        watch=args.watch,
        catalog=catalog,
        policy=policy,
    )
