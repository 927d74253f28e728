"""Loading what a tool command was pointed at, with the problems printed for the author."""

from __future__ import annotations

import sys
from pathlib import Path

from game.scenario.campaign import Campaign, load_campaign
from game.scenario.loader import load_scenario
from game.scenario.model import Scenario
from game.scenario.problems import ScenarioError


def load_for_command(path: Path) -> Scenario | None:
    """A scenario for a tool command, or None after printing its problems to stderr."""
    try:
        return load_scenario(path)
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return None


def load_campaign_for_command(path: Path) -> Campaign | None:
    """The campaign for a tool command, or None after printing its problems to stderr."""
    try:
        return load_campaign(path)
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return None
