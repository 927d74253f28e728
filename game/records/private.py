"""Files and folders only their user can read: records, logs, settings hold people's data."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TextIO


def make_private_dir(folder: Path) -> None:
    """Create `folder` (and missing parents) readable by this user only; tighten it if ours."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix" and folder.stat().st_uid == os.getuid():
        mode = stat.S_IMODE(folder.stat().st_mode)
        if mode & 0o077:
            folder.chmod(mode & 0o700)


def open_private(path: Path) -> TextIO:
    """Open a text file for appending, creating it readable by this user only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    return os.fdopen(fd, "a", encoding="utf-8")
