"""`hold-the-line curriculum`: levels × principles taught, as Markdown."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.errors import EXIT_OK, EXIT_USAGE
from game.cli.settings import settings

NAME = "curriculum"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    curriculum = sub.add_parser(NAME, help="levels × principles taught, as Markdown")
    curriculum.add_argument("--campaign", type=Path)
    curriculum.add_argument("--out", type=Path)


def run(args: argparse.Namespace) -> int:
    from game.analysis.curriculum import coverage, curriculum_markdown
    from game.cli.loading import load_campaign_for_command
    from game.paths import default_campaign

    campaign = load_campaign_for_command(args.campaign or default_campaign())
    if campaign is None:
        return EXIT_USAGE
    catalog, _ = settings(args)  # a composition root: the catalog is loaded here, passed in
    cov = coverage(campaign, catalog)
    text = curriculum_markdown(campaign, catalog, cov)
    out: Path | None = args.out
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    if cov.uncovered:
        print(f"not the main lesson of any reply: {', '.join(cov.uncovered)}", file=sys.stderr)
    lacking = [p for p in cov.one_sided if p not in cov.uncovered]
    if lacking:
        print(f"main lesson of good or bad replies only: {', '.join(lacking)}", file=sys.stderr)
    return EXIT_OK
