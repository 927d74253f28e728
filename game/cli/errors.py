"""Exit statuses and the usage error: what the command line, and only it, knows of them.

The statuses are documented in docs/supervisors.md (report, export) and docs/authoring.md:

    0  done
    1  problems found (validate, lint, plan), or the LRS refused the statements or could
       not be reached in time, or a room command was refused
    2  a usage error: a bad option, date, trainee name or LRS address
    3  an internal error (a bug): details in a log file, never a traceback
    4  the records cannot be read: no database at that path, not a Hold the Line database,
       a damaged file, a newer schema, the server refused the connection or the password
    5  the output cannot be written (`--out`): no such folder, no permission, disk full
"""

from __future__ import annotations

import argparse

from game.records.failures import (
    CommandFailure,
    InvalidRequest,
    LrsFailed,
    OutputUnwritable,
    RecordsUnavailable,
)

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_LRS = 1
EXIT_REFUSED = 1
EXIT_RECORDS = 4
EXIT_OUTPUT = 5

STATUS = (
    (InvalidRequest, EXIT_USAGE),
    (LrsFailed, EXIT_LRS),
    (RecordsUnavailable, EXIT_RECORDS),
    (OutputUnwritable, EXIT_OUTPUT),
)


class UsageError(Exception):
    """Bad input from the command line: a clear message and exit 2."""


def exit_status(failure: CommandFailure) -> int:
    """The status an expected failure leaves with."""
    for kind, status in STATUS:
        if isinstance(failure, kind):
            return status
    return EXIT_PROBLEMS


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (else a usage error, exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value
