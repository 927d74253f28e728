"""`--catalog FILE` and `--policy KEY=VALUE`: try a scenario under other settings without
editing it. The one composition root of the catalog and the policy override for commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from game.cli.errors import UsageError

if TYPE_CHECKING:
    from game.engine.catalog import Catalog
    from game.scenario.model import PolicyOverride


def add_settings_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalog",
        type=Path,
        metavar="FILE",
        help="judge with this technique catalog (the shape of techniques.yaml; what it gives"
        " replaces the bundled values)",
    )
    parser.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="company policy over the campaign's and the scenario's, e.g."
        " abusive_caller=transfer (repeatable)",
    )


def settings(args: argparse.Namespace) -> tuple[Catalog, PolicyOverride | None]:
    """The catalog and policy override a command runs under."""
    from game.engine.catalog import load_catalog
    from game.scenario.overrides import PolicyOptionError, parse_policy

    try:
        policy = parse_policy(getattr(args, "policy", None) or [])
    except PolicyOptionError as error:
        raise UsageError(str(error)) from None
    path = getattr(args, "catalog", None)
    if path is None:
        return load_catalog(), policy
    from game.scenario.catalog_file import catalog_from_file
    from game.scenario.problems import ScenarioError

    try:
        return catalog_from_file(path), policy
    except ScenarioError as error:
        lines = [str(problem) for problem in error.problems]
        raise UsageError(
            "\n".join([*lines, f"--catalog {path}: the catalog file cannot be used"])
        ) from None
