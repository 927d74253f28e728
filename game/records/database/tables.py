"""The records database's current tables: one SQLAlchemy Core model (`METADATA`) for SQLite and PostgreSQL, which the store queries. Databases reach it only through the migrations (`migrations.py`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.types import TypeEngine

from game.scenario.model import nfc


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both backends.

    PostgreSQL gets `timestamptz`; SQLite gets fixed-width ISO text ("YYYY-MM-DD HH:MM:SS.ffffff",
    UTC), which sorts and compares correctly as text and parses fast. Naive datetimes are taken
    as local time, as Python's `astimezone()` does.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(DateTime(timezone=True))
        return dialect.type_descriptor(String(26))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        utc = value.astimezone(UTC)
        if dialect.name == "postgresql":
            return utc
        return utc.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value + "+00:00")  # 5x faster than .replace(tzinfo)
        assert isinstance(value, datetime)
        return value.astimezone(UTC)


class NfcText(TypeDecorator[str]):
    """Text people typed (names, cohorts, notes), read back in NFC whatever wrote it: a row
    written before names were normalised, or by another program, compares and draws as the
    same letters (see `game.scenario.model.nfc`). The one place records text is normalised."""

    impl = Text
    cache_ok = True

    def __init__(self, length: int | None = None) -> None:
        super().__init__()
        self.length = length

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        # The generic type, not `dialect.type_descriptor(...)`: PostgreSQL's driver adapts Text
        # to its String, which would create the column as VARCHAR where migrations made TEXT.
        return Text() if self.length is None else String(self.length)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else nfc(str(value))


# ---- the current schema (version 5) -------------------------------------------------------

METADATA = MetaData()

schema_version = Table(
    "schema_version",
    METADATA,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", UtcDateTime, nullable=False),
)

settings = Table(
    "settings",
    METADATA,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

trainees = Table(
    "trainees",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", NfcText(100), nullable=False),
    Column("name_key", String(100), nullable=False, unique=True),  # casefolded: one per person
    # v10: the name with case and diacritics folded (names.search_key): what the desk's search
    # and `report --trainee` match, in SQL
    Column("search_key", Text, nullable=False, server_default=""),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_active", UtcDateTime),
    Column("attempt_count", Integer, nullable=False, server_default="0"),  # v2
    # v3: bumped, from one commit-ordered counter, by every write that changes what the
    # supervisor overview shows for this trainee, so readers can refresh only what moved.
    Column("revision", BigInteger, nullable=False, server_default="0"),
    # v6: sign-in. A salted scrypt hash of the trainee's PIN (NULL: no PIN), wrong PINs in a
    # row and when the last one was typed (the wait before the next try, shared by every
    # window, grows with the count), and on a PostgreSQL room the
    # database login that is this trainee (row-level security keys on it; see room.py).
    Column("pin_hash", Text),
    Column("pin_failures", Integer, nullable=False, server_default="0"),
    Column("pin_failed_at", UtcDateTime),
    Column("login", String(63)),
    # v8: the profile's own settings (text size, contrast, timer...) as the game's JSON;
    # NULL: the machine's default applies.
    Column("settings", Text),
    Column("cohort", NfcText(100)),  # v9: the intake group the trainee belongs to (NULL: none)
)

attempts = Table(
    "attempts",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("trainee_id", Integer, ForeignKey("trainees.id"), nullable=False),
    Column("scenario_id", String(100), nullable=False),
    Column("content_hash", String(128), nullable=False),
    Column("level", Integer),
    Column("pass_score", Integer, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("abusive_caller", String(40), nullable=False),
    Column("supervisor_request", String(40), nullable=False),
    # v10: the company's parting-ways and at-fault-apology policies; NULL: played before they
    # existed, under what is now each one's default (approved; apologise for the misunderstanding).
    Column("parting_ways", String(40)),
    Column("apology_when_customer_at_fault", String(40)),
    Column("timer", String(16), nullable=False),
    Column("lang", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime),
    Column("turn_count", Integer, nullable=False, server_default="0"),
    Column("outcome", String(32)),
    Column("rating", String(16)),
    Column("cause", String(32)),
    Column("score", Integer),
    Column("grade", String(4)),
    Column("passed", Boolean),
    Column("final_anger", Integer),
    Column("anger_trace", Text),  # JSON list
    Column("competencies", Text),  # JSON object
    Column("closing_effects", Text),  # JSON list
    Column("timeout_silence", Float),  # the customer gave up on dead air after this silence
    Column("owner", String(64)),  # v2: which open store wrote it, to tell live from stale
    Column("host", String(255)),  # v2
    Column("pid", Integer),  # v2
    Column("updated_at", UtcDateTime),  # v2: last write (start, turn, end)
    Column("catalog_hash", String(64)),  # v7: the technique catalog that scored it; NULL before
    # v10: taken in exam mode (no grading shown during the call); every attempt before was not
    Column("exam", Boolean, nullable=False, server_default=text("FALSE")),
    CheckConstraint(
        "status IN ('in_progress', 'completed', 'abandoned')", name="attempts_status_valid"
    ),
)

turns = Table(
    "turns",
    METADATA,
    Column("attempt_id", Integer, ForeignKey("attempts.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("node", String(100), nullable=False),
    Column("choice", Integer, nullable=False),
    Column("say", Text, nullable=False),  # JSON {lang: text}
    Column("techniques", Text, nullable=False),  # JSON list
    Column("tags", Text, nullable=False),  # JSON list
    Column("anger_before", Integer, nullable=False),
    Column("anger_after", Integer, nullable=False),
    Column("silence", Float, nullable=False),  # seconds of dead air before the choice
    Column("effects", Text, nullable=False),  # JSON list
    Column("quality", Float, nullable=False),
    Column("feedback", Text),  # JSON {lang: text} or NULL
    Column("response_time", Float, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    # v4: JSON of any field the engine's turn_to_json writes that has no column above, so a
    # field added to Turn later is kept (and restored) without a schema change.
    Column("extra", Text),
    PrimaryKeyConstraint("attempt_id", "number", name="turns_pkey"),
)

notes = Table(
    "notes",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("attempt_id", Integer, ForeignKey("attempts.id", ondelete="CASCADE"), nullable=False),
    Column("trainee_id", Integer, ForeignKey("trainees.id"), nullable=False),
    Column("author", NfcText(100), nullable=False),
    Column("text", NfcText(), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("read_at", UtcDateTime),
    Column("edited_at", UtcDateTime),  # v8: when the supervisor last changed the text
)

# v2: one row per trainee x scenario, maintained on every write that ends an attempt, so the
# supervisor overview reads ~13 rows per trainee instead of aggregating every attempt.
level_stats = Table(
    "level_stats",
    METADATA,
    Column("trainee_id", Integer, ForeignKey("trainees.id"), nullable=False),
    Column("scenario_id", String(100), nullable=False),
    Column("level", Integer),
    Column("attempts", Integer, nullable=False),  # completed + abandoned
    Column("failed", Integer, nullable=False),  # completed and not passed
    Column("passed", Boolean, nullable=False),
    Column("best_score", Integer),
    Column("best_grade", String(4)),
    Column("last_played", UtcDateTime),
    PrimaryKeyConstraint("trainee_id", "scenario_id", name="level_stats_pkey"),
)

# v5: one row per trainee x guide principle: how many of their turns broke it (see
# `game.records.api.broken_principles`), counted in the same transaction as each turn, so a
# trainee's weakest principles are read from a handful of rows instead of every turn's JSON.
principle_stats = Table(
    "principle_stats",
    METADATA,
    Column("trainee_id", Integer, ForeignKey("trainees.id"), nullable=False),
    Column("principle", String(100), nullable=False),
    Column("broken", Integer, nullable=False),
    PrimaryKeyConstraint("trainee_id", "principle", name="principle_stats_pkey"),
)


# v10: the levels a supervisor requires exam mode for, for every trainee on the database
# (game/training/practice.py enforces it; on a PostgreSQL room only supervisors write it)
exam_levels = Table(
    "exam_levels",
    METADATA,
    Column("scenario_id", String(100), nullable=False),
    Column("required_by", String(100), nullable=False),
    Column("required_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("scenario_id", name="exam_levels_pkey"),
)


# v9: what the cohort picks, counted by a trigger on `turns` in the same transaction as each
# turn (see CHOICE_TRIGGER), so a level's choice map and trends read a few thousand rows
# instead of every turn. `cohort` is '' for none; `day` is the UTC date the attempt started.
# `kind`: 'all' counts every turn, 'first' the turns of each trainee's first attempt at the
# level, 'latest' those of their latest (moved on the first turn of a newer attempt).
# `quality` is the judge's quality as recorded; verdicts are named from it in Python.
choice_tallies = Table(
    "choice_tallies",
    METADATA,
    Column("scenario_id", String(100), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("cohort", String(100), nullable=False),
    Column("day", String(10), nullable=False),
    Column("node", String(100), nullable=False),
    Column("choice", Integer, nullable=False),
    Column("quality", Float, nullable=False),
    Column("picks", Integer, nullable=False),
    Column("anger_sum", BigInteger, nullable=False),  # anger on arrival, summed over picks
    PrimaryKeyConstraint(
        "scenario_id", "kind", "node", "choice", "quality", "cohort", "day",
        name="choice_tallies_pkey",
    ),
    sqlite_with_rowid=False,  # clustered on the key: a level's rows are read in one range
)  # fmt: skip
# v9: where each reply led: the next decision point (a call's last reply leads nowhere here)
path_tallies = Table(
    "path_tallies",
    METADATA,
    Column("scenario_id", String(100), nullable=False),
    Column("cohort", String(100), nullable=False),
    Column("day", String(10), nullable=False),
    Column("node", String(100), nullable=False),
    Column("choice", Integer, nullable=False),
    Column("next_node", String(100), nullable=False),
    Column("walks", Integer, nullable=False),
    PrimaryKeyConstraint(
        "scenario_id", "node", "choice", "next_node", "cohort", "day", name="path_tallies_pkey"
    ),
    sqlite_with_rowid=False,
)
# v9: turns that broke each principle, by level, cohort and day (the rule of broken_principles)
principle_tallies = Table(
    "principle_tallies",
    METADATA,
    Column("scenario_id", String(100), nullable=False),
    Column("cohort", String(100), nullable=False),
    Column("day", String(10), nullable=False),
    Column("principle", String(100), nullable=False),
    Column("broken", Integer, nullable=False),
    PrimaryKeyConstraint(
        "scenario_id", "day", "principle", "cohort", name="principle_tallies_pkey"
    ),
    sqlite_with_rowid=False,
)
# v9: each trainee's latest attempt (with a turn) at each level: whose turns 'latest' counts
latest_attempts = Table(
    "latest_attempts",
    METADATA,
    Column("trainee_id", Integer, nullable=False),
    Column("scenario_id", String(100), nullable=False),
    Column("attempt_id", Integer, nullable=False),
    PrimaryKeyConstraint("trainee_id", "scenario_id", name="latest_attempts_pkey"),
    sqlite_with_rowid=False,
)
