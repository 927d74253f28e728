"""`hold-the-line validate`: check scenario and campaign files, report every problem."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from game.scenario.campaign import load_campaign
from game.scenario.loader import load_scenario
from game.scenario.problems import Position, Problem, ScenarioError
from game.scenario.source import inside, not_regular, os_reason

CAMPAIGN_FILE = "campaign.yaml"


@dataclass(frozen=True, slots=True)
class Report:
    files: int
    problems: tuple[Problem, ...]


def yaml_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders to their YAML files; what cannot be read is a problem, not a crash.

    Nothing is opened here. A named pipe, device or socket is refused by name (opening a
    FIFO would wait for ever); so is a file in a folder that links outside that folder.
    """
    files: list[Path] = []
    problems: list[Problem] = []

    def refuse(path: Path, message: str) -> None:
        problems.append(Problem(str(path), 1, 1, "SC027", message))

    for path in paths:
        try:
            mode = os.stat(path).st_mode
        except OSError as error:
            refuse(path, os_reason(error))
            continue
        if stat.S_ISREG(mode):
            files.append(path)
            continue
        if not stat.S_ISDIR(mode):
            refuse(path, f"{not_regular(mode)}, not a scenario file; nothing was read")
            continue
        try:
            names = sorted(os.listdir(path))
        except OSError as error:
            refuse(path, f"cannot list this folder: {os_reason(error)}")
            continue
        for name in names:
            file = path / name
            if file.suffix not in (".yaml", ".yml"):
                continue
            try:
                mode = os.stat(file).st_mode
            except OSError as error:
                refuse(file, os_reason(error))
                continue
            if stat.S_ISDIR(mode):
                continue
            if not stat.S_ISREG(mode):
                refuse(file, f"{not_regular(mode)}, not a scenario file; nothing was read")
            elif not inside(path, file):
                refuse(file, "a link to a file outside this folder; it was not read")
            else:
                files.append(file)
    return files, problems


def validate(paths: list[Path]) -> Report:
    """Every problem in the given files and folders, each file read and parsed once."""
    files, problems = yaml_files(paths)
    checked = {_identity(file) for file in files}
    from_campaigns: dict[str, tuple[Problem, ...]] = {}  # a level's problems, by its path
    for file in files:
        if file.name != CAMPAIGN_FILE:
            continue
        try:
            campaign = load_campaign(file)
        except ScenarioError as error:
            problems.extend(error.problems)
            continue
        except RecursionError:
            problems.append(Problem(str(file), 1, 1, "SC018", "nested too deeply"))
            continue
        for level in campaign.levels:
            own = [p for p in level.problems if p.path == str(file)]
            if own:  # located in the campaign file: a duplicate id, a level outside
                problems.extend(own)
            elif _identity(level.file) in checked:
                from_campaigns[str(level.file)] = level.problems  # reported as its own file
            else:
                problems.extend(level.problems)  # not among the files checked
    for file in files:
        if file.name == CAMPAIGN_FILE:
            continue
        if str(file) in from_campaigns:  # already read, as a level: not read again
            problems.extend(from_campaigns[str(file)])
            continue
        try:
            load_scenario(file)
        except ScenarioError as error:
            problems.extend(error.problems)
        except RecursionError:
            problems.append(Problem(str(file), 1, 1, "SC018", "nested too deeply"))
    unique = sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.code, p.message))
    return Report(len(files), tuple(unique))


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file a path names (device, inode), whatever links or `..` lead there."""
    try:
        status = os.stat(path)
    except OSError:  # missing, unreadable, a loop of links
        return None
    return (status.st_dev, status.st_ino)


__all__ = ["Position", "Report", "validate"]
