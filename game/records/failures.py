"""The expected ways `report` and `export` fail, each with its own exit status.

Every one is named in words with what to do about it; none is an "internal error" (exit 3,
kept for bugs). The statuses are documented in docs/supervisors.md:

    0  done
    1  the LRS refused the statements or could not be reached in time
    2  a usage error: a bad option, date, trainee name or LRS address
    4  the records cannot be read: no database at that path, not a Hold the Line database,
       a damaged file, a newer schema, the server refused the connection or the password
    5  the output cannot be written (`--out`): no such folder, no permission, disk full
"""

from __future__ import annotations

from game.records.redact import redact

__all__ = ["CommandFailure", "LrsFailed", "OutputUnwritable", "RecordsUnavailable", "redact"]

EXIT_LRS = 1
EXIT_RECORDS = 4
EXIT_OUTPUT = 5


class CommandFailure(Exception):
    """An expected failure: its message says what happened and what to do."""

    exit_status = EXIT_LRS


class LrsFailed(CommandFailure):
    exit_status = EXIT_LRS


class RecordsUnavailable(CommandFailure):
    exit_status = EXIT_RECORDS


class OutputUnwritable(CommandFailure):
    exit_status = EXIT_OUTPUT
