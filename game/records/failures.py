"""The expected ways reading the records for a report or an export fails.

Every one is named in words with what to do about it; none is an "internal error". The
command line gives each its own exit status (`game.cli.errors`, documented in
docs/supervisors.md); this package knows no statuses.
"""

from __future__ import annotations

from game.records.redact import redact

__all__ = [
    "CommandFailure",
    "InvalidRequest",
    "LrsFailed",
    "OutputUnwritable",
    "RecordsUnavailable",
    "redact",
]


class CommandFailure(Exception):
    """An expected failure: its message says what happened and what to do."""


class InvalidRequest(CommandFailure):
    """What was asked for cannot be: a trainee that does not exist."""


class LrsFailed(CommandFailure):
    """The LRS refused the statements or could not be reached in time."""


class RecordsUnavailable(CommandFailure):
    """The records cannot be read (no such database, damaged, newer, refused)."""


class OutputUnwritable(CommandFailure):
    """The output cannot be written (no such folder, no permission, disk full)."""
