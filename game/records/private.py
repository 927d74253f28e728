"""Files and folders only their user can read: records, logs, settings hold people's data."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO


def make_private_dir(folder: Path) -> None:
    """Create `folder` and any missing parents readable by this user only (0700).

    A folder that already exists is left exactly as it is: the records may be put in a shared
    place (`--db sqlite:///tmp/…`, a team folder), and tightening it would lock others out of
    everything else in it. The files the game creates there are private (0600) either way.
    """
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:  # made by a concurrent opener in the meantime
            continue
        if os.name == "posix":
            path.chmod(0o700)  # mkdir's mode is filtered by the umask


def open_private(path: Path) -> TextIO:
    """Open a text file for appending, creating it readable by this user only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    return os.fdopen(fd, "a", encoding="utf-8")
