"""Where unexpected errors go: a log file in the user's log directory, never the screen.

The player sees a calm error scene; the trainer who looks into it finds the traceback here.
"""

from __future__ import annotations

from pathlib import Path

from game.paths import log_dir

LOG_NAME = "game-errors.log"


def log_exception(error: BaseException, context: str = "") -> Path | None:
    """Append the traceback to the log; returns its path, or None if even that failed."""
    import traceback  # here, not at the top: the game's start-up should not pay for it
    from datetime import UTC, datetime

    from game.records.private import make_private_dir, open_private
    from game.records.redact import redact

    try:
        path = log_dir() / LOG_NAME
        make_private_dir(path.parent)
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        text = redact("".join(traceback.format_exception(type(error), error, error.__traceback__)))
        with open_private(path) as handle:
            handle.write(f"=== {stamp} {context}\n{text}\n")
        return path
    except OSError:
        return None
