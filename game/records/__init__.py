"""Everything stored, and the read sides over it: the store behind its protocol (`api`), the
live attempt (`recorder`), the one replay of a recorded call (`replayed`), the room's
access control, the exports and the report. `lrs`, `names`, `namespace` and `readonly` are
internal to it; `database` is its tables and migrations."""

__all__ = [
    "analytics",
    "analytics_view",
    "api",
    "bulk",
    "database",
    "export",
    "failures",
    "passphrase",
    "private",
    "recorder",
    "redact",
    "replayed",
    "report",
    "report_charts",
    "report_views",
    "room",
    "store",
    "xapi",
]
