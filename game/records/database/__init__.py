"""The records database (not the scenario's JSON Schema, which is `game/scenario/json_schema.py`):
one SQLAlchemy Core model for SQLite and PostgreSQL (`tables`), the migrations that bring a
database to it (`migrations`), and the triggers and backfills that keep the choice tallies
and summaries (`tallies`). The store and the read sides import these names from here."""

from game.records.database.migrations import (
    MIGRATIONS,
    NEXT_REVISION_FUNCTION,
    REVISION_LOCK,
    SCHEMA_VERSION,
    SchemaVersionError,
    database_version,
    migrate,
)
from game.records.database.tables import (
    METADATA,
    UtcDateTime,
    attempts,
    choice_tallies,
    latest_attempts,
    level_stats,
    notes,
    path_tallies,
    principle_stats,
    principle_tallies,
    schema_version,
    settings,
    trainees,
    turns,
)
from game.records.database.tallies import (
    backfill_principles,
    backfill_summaries,
    create_choice_trigger,
    drop_choice_trigger,
    tally_choices,
)

__all__ = [
    "METADATA",
    "MIGRATIONS",
    "NEXT_REVISION_FUNCTION",
    "REVISION_LOCK",
    "SCHEMA_VERSION",
    "SchemaVersionError",
    "UtcDateTime",
    "attempts",
    "backfill_principles",
    "backfill_summaries",
    "choice_tallies",
    "create_choice_trigger",
    "database_version",
    "drop_choice_trigger",
    "latest_attempts",
    "level_stats",
    "migrate",
    "migrations",
    "notes",
    "path_tallies",
    "principle_stats",
    "principle_tallies",
    "schema_version",
    "settings",
    "tables",
    "tallies",
    "tally_choices",
    "trainees",
    "turns",
]
