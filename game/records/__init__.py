"""Everything stored, and the read sides over it: the store behind its protocol (`api`), the
live attempt (`recorder`), the one replay of a recorded call (`replayed`), the room's
access control, the exports and the report. `lrs`, `names`, `namespace`, `readonly` and
`schema` are internal to it."""

__all__ = [
    "analytics",
    "analytics_view",
    "api",
    "bulk",
    "export",
    "failures",
    "passphrase",
    "private",
    "recorder",
    "redact",
    "replayed",
    "report",
    "room",
    "store",
    "xapi",
]
