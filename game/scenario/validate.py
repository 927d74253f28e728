"""`hold-the-line validate`: check scenario and campaign files, report every problem."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from game.scenario.campaign import Campaign, load_campaign
from game.scenario.loader import load_scenario
from game.scenario.model import Scenario
from game.scenario.problems import Position, Problem, ScenarioError

CAMPAIGN_FILE = "campaign.yaml"


@dataclass(frozen=True, slots=True)
class Report:
    files: int
    problems: tuple[Problem, ...]


def yaml_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand directories to their YAML files; a missing path is a problem, not a crash."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            )
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), 1, 1, "SC027", "no such file or directory"))
    return files, problems


def validate(paths: list[Path]) -> Report:
    files, problems = yaml_files(paths)
    for file in files:
        try:
            if file.name == CAMPAIGN_FILE:
                campaign = load_campaign(file)
                for level in campaign.levels:
                    if not level.file.is_file():
                        problems.extend(level.problems)
                    elif level.file.resolve() not in {f.resolve() for f in files}:
                        problems.extend(level.problems)  # a level outside the checked set
                    elif any(p.code == "SC009" and p.path == str(file) for p in level.problems):
                        problems.extend(level.problems)
            else:
                load_scenario(file)
        except ScenarioError as error:
            problems.extend(error.problems)
        except RecursionError:
            problems.append(Problem(str(file), 1, 1, "SC018", "nested too deeply"))
    unique = sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.code, p.message))
    return Report(len(files), tuple(unique))


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


__all__ = ["Position", "Report", "load_campaign_for_command", "load_for_command", "validate"]
