"""The records schema: one SQLAlchemy Core model for SQLite and PostgreSQL, and its migrations.

`METADATA` describes the current schema and is what the store queries. Databases get there
only through `MIGRATIONS`, a list of forward steps applied in order inside one transaction;
each step spells out its own DDL so that later changes to `METADATA` never rewrite history.
A database written by a newer game (a higher version than this code knows) is refused,
never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    TypeDecorator,
    inspect,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeEngine

SCHEMA_VERSION = 9
MIGRATION_LOCK = 0x48544C  # PostgreSQL advisory lock key ("HTL"): one migrator at a time
REVISION_LOCK = 0x48544C01  # ... and one writer at a time taking the next trainee revision
TALLY_LOCK = 0x48544C02  # ... and one writer at a time counting into the choice tallies (v9)


class SchemaVersionError(RuntimeError):
    """The database was written by a newer version of the game, or is not a records database."""


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
    Column("name", String(100), nullable=False),
    Column("name_key", String(100), nullable=False, unique=True),  # casefolded: one per person
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
    Column("cohort", String(100)),  # v9: the intake group the trainee belongs to (NULL: none)
)
Index("ix_trainees_revision", trainees.c.revision)
Index("ix_trainees_cohort", trainees.c.cohort)  # v9
Index("trainees_login_key", trainees.c.login, unique=True)

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
    CheckConstraint(
        "status IN ('in_progress', 'completed', 'abandoned')", name="attempts_status_valid"
    ),
)
Index("ix_attempts_trainee", attempts.c.trainee_id)
Index("ix_attempts_trainee_started", attempts.c.trainee_id, attempts.c.started_at)  # v2
Index("ix_attempts_scenario_started", attempts.c.scenario_id, attempts.c.started_at)  # v2
Index("ix_attempts_started", attempts.c.started_at)  # v2
Index("ix_attempts_status", attempts.c.status)  # v2
Index("ix_attempts_trainee_scenario", attempts.c.trainee_id, attempts.c.scenario_id)  # v9
Index(
    "ix_attempts_level_completed",
    attempts.c.scenario_id,
    attempts.c.status,
    attempts.c.trainee_id,
    attempts.c.started_at,
    attempts.c.id,
)  # v9: each trainee's first and latest completed attempt at a level, from the index alone

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
    Column("author", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("read_at", UtcDateTime),
    Column("edited_at", UtcDateTime),  # v8: when the supervisor last changed the text
)
Index("ix_notes_trainee", notes.c.trainee_id)
Index("ix_notes_attempt", notes.c.attempt_id)

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


# ---- migrations ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    summary: str
    apply: Callable[[Connection], None]


def _v1_tables() -> MetaData:
    """The first released schema, frozen: trainees, attempts, turns, notes, settings."""
    md = MetaData()
    ts = UtcDateTime
    Table(
        "schema_version",
        md,
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("applied_at", ts, nullable=False),
    )
    Table(
        "settings",
        md,
        Column("key", String(100), primary_key=True),
        Column("value", Text, nullable=False),
    )
    Table(
        "trainees",
        md,
        Column("id", Integer, primary_key=True),
        Column("name", String(100), nullable=False),
        Column("name_key", String(100), nullable=False, unique=True),
        Column("created_at", ts, nullable=False),
        Column("last_active", ts),
    )
    a = Table(
        "attempts",
        md,
        Column("id", Integer, primary_key=True),
        Column("trainee_id", Integer, ForeignKey("trainees.id"), nullable=False),
        Column("scenario_id", String(100), nullable=False),
        Column("content_hash", String(128), nullable=False),
        Column("level", Integer),
        Column("pass_score", Integer, nullable=False),
        Column("seed", BigInteger, nullable=False),
        Column("abusive_caller", String(40), nullable=False),
        Column("supervisor_request", String(40), nullable=False),
        Column("timer", String(16), nullable=False),
        Column("lang", String(16), nullable=False),
        Column("status", String(16), nullable=False),
        Column("started_at", ts, nullable=False),
        Column("ended_at", ts),
        Column("turn_count", Integer, nullable=False, server_default="0"),
        Column("outcome", String(32)),
        Column("rating", String(16)),
        Column("cause", String(32)),
        Column("score", Integer),
        Column("grade", String(4)),
        Column("passed", Boolean),
        Column("final_anger", Integer),
        Column("anger_trace", Text),
        Column("competencies", Text),
        Column("closing_effects", Text),
        Column("timeout_silence", Float),
        CheckConstraint(
            "status IN ('in_progress', 'completed', 'abandoned')", name="attempts_status_valid"
        ),
    )
    Index("ix_attempts_trainee", a.c.trainee_id)
    Table(
        "turns",
        md,
        Column(
            "attempt_id", Integer, ForeignKey("attempts.id", ondelete="CASCADE"), nullable=False
        ),
        Column("number", Integer, nullable=False),
        Column("node", String(100), nullable=False),
        Column("choice", Integer, nullable=False),
        Column("say", Text, nullable=False),
        Column("techniques", Text, nullable=False),
        Column("tags", Text, nullable=False),
        Column("anger_before", Integer, nullable=False),
        Column("anger_after", Integer, nullable=False),
        Column("silence", Float, nullable=False),
        Column("effects", Text, nullable=False),
        Column("quality", Float, nullable=False),
        Column("feedback", Text),
        Column("response_time", Float, nullable=False),
        Column("recorded_at", ts, nullable=False),
        PrimaryKeyConstraint("attempt_id", "number", name="turns_pkey"),
    )
    n = Table(
        "notes",
        md,
        Column(
            "id",
            Integer,
            primary_key=True,
        ),
        Column(
            "attempt_id", Integer, ForeignKey("attempts.id", ondelete="CASCADE"), nullable=False
        ),
        Column("trainee_id", Integer, ForeignKey("trainees.id"), nullable=False),
        Column("author", String(100), nullable=False),
        Column("text", Text, nullable=False),
        Column("created_at", ts, nullable=False),
        Column("read_at", ts),
    )
    Index("ix_notes_trainee", n.c.trainee_id)
    Index("ix_notes_attempt", n.c.attempt_id)
    return md


def _migrate_v1(conn: Connection) -> None:
    _v1_tables().create_all(conn)


def _migrate_v2(conn: Connection) -> None:
    """Liveness columns for abandon_stale, the level summary table, supervisor-query indexes."""
    stamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "VARCHAR(26)"
    for ddl in (
        "ALTER TABLE trainees ADD COLUMN attempt_count INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE attempts ADD COLUMN owner VARCHAR(64)",
        "ALTER TABLE attempts ADD COLUMN host VARCHAR(255)",
        "ALTER TABLE attempts ADD COLUMN pid INTEGER",
        f"ALTER TABLE attempts ADD COLUMN updated_at {stamp}",
        "CREATE INDEX ix_attempts_trainee_started ON attempts (trainee_id, started_at)",
        "CREATE INDEX ix_attempts_scenario_started ON attempts (scenario_id, started_at)",
        "CREATE INDEX ix_attempts_started ON attempts (started_at)",
        "CREATE INDEX ix_attempts_status ON attempts (status)",
        f"""CREATE TABLE level_stats (
            trainee_id INTEGER NOT NULL REFERENCES trainees (id),
            scenario_id VARCHAR(100) NOT NULL,
            level INTEGER,
            attempts INTEGER NOT NULL,
            failed INTEGER NOT NULL,
            passed BOOLEAN NOT NULL,
            best_score INTEGER,
            best_grade VARCHAR(4),
            last_played {stamp},
            CONSTRAINT level_stats_pkey PRIMARY KEY (trainee_id, scenario_id)
        )""",
    ):
        conn.execute(text(ddl))
    backfill_summaries(conn)


def _migrate_v3(conn: Connection) -> None:
    """Trainee revisions, so the supervisor overview can be refreshed incrementally."""
    conn.execute(text("ALTER TABLE trainees ADD COLUMN revision BIGINT NOT NULL DEFAULT 0"))
    conn.execute(text("CREATE INDEX ix_trainees_revision ON trainees (revision)"))
    conn.execute(text("UPDATE trainees SET revision = id"))


def _migrate_v4(conn: Connection) -> None:
    """A place for turn fields newer than the turn columns."""
    conn.execute(text("ALTER TABLE turns ADD COLUMN extra TEXT"))


def _migrate_v5(conn: Connection) -> None:
    """Per-trainee principle tallies, back-filled from the turns already recorded."""
    conn.execute(
        text(
            """CREATE TABLE principle_stats (
            trainee_id INTEGER NOT NULL REFERENCES trainees (id),
            principle VARCHAR(100) NOT NULL,
            broken INTEGER NOT NULL,
            CONSTRAINT principle_stats_pkey PRIMARY KEY (trainee_id, principle)
        )"""
        )
    )
    backfill_principles(conn)


def _migrate_v7(conn: Connection) -> None:
    """Which technique catalog scored each attempt (older attempts: unknown, NULL)."""
    conn.execute(text("ALTER TABLE attempts ADD COLUMN catalog_hash VARCHAR(64)"))


def _migrate_v8(conn: Connection) -> None:
    """Coaching notes can be edited (when, kept); profiles keep their own settings."""
    stamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "VARCHAR(26)"
    conn.execute(text(f"ALTER TABLE notes ADD COLUMN edited_at {stamp}"))
    conn.execute(text("ALTER TABLE trainees ADD COLUMN settings TEXT"))


# ---- v9: choice tallies ---------------------------------------------------------------------
# One aggregation rule, written once as SQL with a few dialect words filled in: the trigger
# adds one turn, `tally_choices` adds (or with sign -1 takes away) many turns at once (the
# migration's back-fill, bulk loads, a trainee changing cohort). The broken-principle test
# is `broken_principles`'s rule, as `backfill_principles` already spells it in SQL.

_KINDS = (
    "(SELECT CAST('all' AS VARCHAR(8)) AS kind UNION ALL SELECT CAST('first' AS VARCHAR(8))"
    " UNION ALL SELECT CAST('latest' AS VARCHAR(8)))"
)
_TALLY_KEYS = {  # the primary keys, in their order: the grouping columns first
    "choice_tallies": "scenario_id, kind, node, choice, quality, cohort, day",
    "path_tallies": "scenario_id, node, choice, next_node, cohort, day",
    "principle_tallies": "scenario_id, day, principle, cohort",
}
_TALLY_SUMS = {
    "choice_tallies": ("picks", "anger_sum"),
    "path_tallies": ("walks",),
    "principle_tallies": ("broken",),
}


def _upsert(table: str) -> str:
    sums = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in _TALLY_SUMS[table])
    return f"ON CONFLICT ({_TALLY_KEYS[table]}) DO UPDATE SET {sums}"


def _dialect_words(dialect: str, effects: str) -> dict[str, str]:
    if dialect == "postgresql":
        return {
            "day_a": "to_char(a.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            "day_o": "to_char(o.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            # json, not jsonb: a text field elsewhere in an effect may hold \u0000, which
            # jsonb refuses; only the fields read here are ever decoded
            "effects": f"json_array_elements(CAST({effects} AS json)) AS e(value)",
            "principle": "e.value ->> 'principle'",
            "quality": "CAST(e.value ->> 'quality' AS DOUBLE PRECISION)",
        }
    return {
        "day_a": "substr(a.started_at, 1, 10)",
        "day_o": "substr(o.started_at, 1, 10)",
        "effects": f"json_each({effects}) AS e",
        "principle": "json_extract(e.value, '$.principle')",
        "quality": "json_extract(e.value, '$.quality')",
    }


def _first_attempt(a: str) -> str:
    """`a` is the trainee's first attempt (with a turn) at its level."""
    return (
        f"NOT EXISTS (SELECT 1 FROM attempts b WHERE b.trainee_id = {a}.trainee_id"
        f" AND b.scenario_id = {a}.scenario_id AND b.id < {a}.id AND b.turn_count > 0)"
    )


def _trigger_statements(dialect: str) -> tuple[str, ...]:
    """The statements that count one new turn (NEW), in the turn's own transaction."""
    w = _dialect_words(dialect, "NEW.effects")
    cohort = "COALESCE(tr.cohort, '')"
    return (
        # a newer attempt's first turn: the previous latest attempt's turns leave 'latest'
        f"""INSERT INTO choice_tallies (scenario_id, kind, cohort, day, node, choice, quality,
                                        picks, anger_sum)
        SELECT o.scenario_id, 'latest', {cohort}, {w["day_o"]}, t.node, t.choice, t.quality,
               -COUNT(*), -SUM(t.anger_before)
        FROM attempts a
        JOIN latest_attempts la ON la.trainee_id = a.trainee_id AND la.scenario_id = a.scenario_id
        JOIN attempts o ON o.id = la.attempt_id
        JOIN trainees tr ON tr.id = a.trainee_id
        JOIN turns t ON t.attempt_id = o.id
        WHERE a.id = NEW.attempt_id AND NEW.number = 1 AND la.attempt_id < a.id
        GROUP BY o.scenario_id, {cohort}, {w["day_o"]}, t.node, t.choice, t.quality
        {_upsert("choice_tallies")}""",
        """INSERT INTO latest_attempts (trainee_id, scenario_id, attempt_id)
        SELECT a.trainee_id, a.scenario_id, a.id FROM attempts a
        WHERE a.id = NEW.attempt_id AND NEW.number = 1
        ON CONFLICT (trainee_id, scenario_id) DO UPDATE SET attempt_id = excluded.attempt_id
        WHERE excluded.attempt_id > latest_attempts.attempt_id""",
        f"""INSERT INTO choice_tallies (scenario_id, kind, cohort, day, node, choice, quality,
                                        picks, anger_sum)
        SELECT a.scenario_id, k.kind, {cohort}, {w["day_a"]}, NEW.node, NEW.choice,
               NEW.quality, 1, NEW.anger_before
        FROM attempts a
        JOIN trainees tr ON tr.id = a.trainee_id
        JOIN {_KINDS} k ON k.kind = 'all'
            OR (k.kind = 'first' AND {_first_attempt("a")})
            OR (k.kind = 'latest' AND EXISTS (SELECT 1 FROM latest_attempts la
                WHERE la.trainee_id = a.trainee_id AND la.scenario_id = a.scenario_id
                  AND la.attempt_id = a.id))
        WHERE a.id = NEW.attempt_id
        {_upsert("choice_tallies")}""",
        f"""INSERT INTO path_tallies (scenario_id, cohort, day, node, choice, next_node, walks)
        SELECT a.scenario_id, {cohort}, {w["day_a"]}, p.node, p.choice, NEW.node, 1
        FROM turns p
        JOIN attempts a ON a.id = p.attempt_id
        JOIN trainees tr ON tr.id = a.trainee_id
        WHERE p.attempt_id = NEW.attempt_id AND p.number = NEW.number - 1
        {_upsert("path_tallies")}""",
        f"""INSERT INTO principle_tallies (scenario_id, cohort, day, principle, broken)
        SELECT a.scenario_id, {cohort}, {w["day_a"]}, b.principle, 1
        FROM attempts a
        JOIN trainees tr ON tr.id = a.trainee_id
        JOIN (SELECT DISTINCT {w["principle"]} AS principle FROM {w["effects"]}
              WHERE {w["principle"]} IS NOT NULL AND {w["quality"]} < 0) b ON 1 = 1
        WHERE a.id = NEW.attempt_id
        {_upsert("principle_tallies")}""",
    )


CHOICE_TRIGGER = "htl_tally_turn"


def create_choice_trigger(conn: Connection) -> None:
    """The trigger that keeps the choice tallies current as turns are inserted.

    On PostgreSQL its function runs as the tables' owner (SECURITY DEFINER): a trainee's
    login adds its own turns to the room's tallies without being able to read them.
    """
    statements = _trigger_statements(conn.dialect.name)
    if conn.dialect.name == "postgresql":
        *counts, principles = statements
        body = ";\n".join(counts)
        conn.exec_driver_sql(
            f"""CREATE OR REPLACE FUNCTION {CHOICE_TRIGGER}() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $body$
            BEGIN
            -- one turn at a time counts (until its transaction ends): two counting the same
            -- rows in another order would otherwise deadlock
            PERFORM pg_advisory_xact_lock({TALLY_LOCK});
            {body};
            BEGIN  -- a principle that cannot be text (a NUL) is not counted; the turn stays
                {principles};
            EXCEPTION WHEN untranslatable_character OR invalid_text_representation THEN
                NULL;
            END;
            RETURN NULL;
            END $body$"""
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {CHOICE_TRIGGER} AFTER INSERT ON turns"
            f" FOR EACH ROW EXECUTE FUNCTION {CHOICE_TRIGGER}()"
        )
        conn.exec_driver_sql(f"REVOKE ALL ON FUNCTION {CHOICE_TRIGGER}() FROM PUBLIC")
        return
    body = ";\n".join(statements)
    conn.exec_driver_sql(
        f"CREATE TRIGGER {CHOICE_TRIGGER} AFTER INSERT ON turns FOR EACH ROW BEGIN\n{body};\nEND"
    )


def drop_choice_trigger(conn: Connection) -> None:
    """For bulk loads (bench): load without the trigger, then `tally_choices` once."""
    conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {CHOICE_TRIGGER} ON turns"
                         if conn.dialect.name == "postgresql"
                         else f"DROP TRIGGER IF EXISTS {CHOICE_TRIGGER}")  # fmt: skip


def tally_choices(conn: Connection, *, trainee_id: int | None = None, sign: int = 1) -> None:
    """Add (sign 1) or take away (sign -1) the recorded turns of one trainee (or of everyone)
    to the choice tallies, as the trigger would have counted them one by one.

    With everyone and sign 1 it rebuilds the tallies from scratch (the v9 back-fill).
    """
    if sign not in (1, -1):
        raise ValueError(f"sign must be 1 or -1, not {sign}")
    whole = trainee_id is None
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": TALLY_LOCK})
    only = "" if whole else "AND a.trainee_id = :trainee"
    params = {} if whole else {"trainee": trainee_id}
    w = _dialect_words(conn.dialect.name, "t.effects")
    cohort = "COALESCE(tr.cohort, '')"
    if whole:
        for table in ("choice_tallies", "path_tallies", "principle_tallies", "latest_attempts"):
            conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(
            text(
                """INSERT INTO latest_attempts (trainee_id, scenario_id, attempt_id)
                SELECT trainee_id, scenario_id, MAX(id) FROM attempts WHERE turn_count > 0
                GROUP BY trainee_id, scenario_id"""
            )
        )
    conn.execute(
        text(
            f"""INSERT INTO choice_tallies (scenario_id, kind, cohort, day, node, choice, quality,
                                            picks, anger_sum)
            SELECT a.scenario_id, k.kind, {cohort}, {w["day_a"]}, t.node, t.choice, t.quality,
                   {sign} * COUNT(*), {sign} * SUM(t.anger_before)
            FROM turns t
            JOIN attempts a ON a.id = t.attempt_id
            JOIN trainees tr ON tr.id = a.trainee_id
            LEFT JOIN latest_attempts la
                ON la.trainee_id = a.trainee_id AND la.scenario_id = a.scenario_id
            JOIN {_KINDS} k ON k.kind = 'all'
                OR (k.kind = 'first' AND {_first_attempt("a")})
                OR (k.kind = 'latest' AND la.attempt_id = a.id)
            WHERE 1 = 1 {only}
            GROUP BY a.scenario_id, k.kind, {cohort}, {w["day_a"]}, t.node, t.choice, t.quality
            {_upsert("choice_tallies")}"""
        ),
        params,
    )
    conn.execute(
        text(
            f"""INSERT INTO path_tallies (scenario_id, cohort, day, node, choice, next_node, walks)
            SELECT a.scenario_id, {cohort}, {w["day_a"]}, t.node, t.choice, n.node,
                   {sign} * COUNT(*)
            FROM turns t
            JOIN turns n ON n.attempt_id = t.attempt_id AND n.number = t.number + 1
            JOIN attempts a ON a.id = t.attempt_id
            JOIN trainees tr ON tr.id = a.trainee_id
            WHERE 1 = 1 {only}
            GROUP BY a.scenario_id, {cohort}, {w["day_a"]}, t.node, t.choice, n.node
            {_upsert("path_tallies")}"""
        ),
        params,
    )
    conn.execute(
        text(
            f"""INSERT INTO principle_tallies (scenario_id, cohort, day, principle, broken)
            SELECT b.scenario_id, b.cohort, b.day, b.principle, {sign} * COUNT(*)
            FROM (
                SELECT DISTINCT a.scenario_id AS scenario_id, {cohort} AS cohort,
                       {w["day_a"]} AS day, t.attempt_id AS attempt_id, t.number AS number,
                       {w["principle"]} AS principle
                FROM turns t
                JOIN attempts a ON a.id = t.attempt_id
                JOIN trainees tr ON tr.id = a.trainee_id
                CROSS JOIN {w["effects"]}
                WHERE {w["principle"]} IS NOT NULL AND {w["quality"]} < 0 {only}
            ) b
            WHERE 1 = 1
            GROUP BY b.scenario_id, b.cohort, b.day, b.principle
            {_upsert("principle_tallies")}"""
        ),
        params,
    )


def _migrate_v9(conn: Connection) -> None:
    """Cohorts, and the choice tallies for the cohort's choice map and trends (back-filled)."""
    pg = conn.dialect.name == "postgresql"
    real = "DOUBLE PRECISION" if pg else "FLOAT"
    clustered = "" if pg else " WITHOUT ROWID"  # SQLite: the rows live in the key's order
    for ddl in (
        "ALTER TABLE trainees ADD COLUMN cohort VARCHAR(100)",
        "CREATE INDEX ix_trainees_cohort ON trainees (cohort)",
        "CREATE INDEX ix_attempts_trainee_scenario ON attempts (trainee_id, scenario_id)",
        "CREATE INDEX ix_attempts_level_completed"
        " ON attempts (scenario_id, status, trainee_id, started_at, id)",
        f"""CREATE TABLE choice_tallies (
            scenario_id VARCHAR(100) NOT NULL,
            kind VARCHAR(8) NOT NULL,
            cohort VARCHAR(100) NOT NULL,
            day VARCHAR(10) NOT NULL,
            node VARCHAR(100) NOT NULL,
            choice INTEGER NOT NULL,
            quality {real} NOT NULL,
            picks INTEGER NOT NULL,
            anger_sum BIGINT NOT NULL,
            CONSTRAINT choice_tallies_pkey
                PRIMARY KEY (scenario_id, kind, node, choice, quality, cohort, day)
        )"""
        + clustered,
        """CREATE TABLE path_tallies (
            scenario_id VARCHAR(100) NOT NULL,
            cohort VARCHAR(100) NOT NULL,
            day VARCHAR(10) NOT NULL,
            node VARCHAR(100) NOT NULL,
            choice INTEGER NOT NULL,
            next_node VARCHAR(100) NOT NULL,
            walks INTEGER NOT NULL,
            CONSTRAINT path_tallies_pkey
                PRIMARY KEY (scenario_id, node, choice, next_node, cohort, day)
        )"""
        + clustered,
        """CREATE TABLE principle_tallies (
            scenario_id VARCHAR(100) NOT NULL,
            cohort VARCHAR(100) NOT NULL,
            day VARCHAR(10) NOT NULL,
            principle VARCHAR(100) NOT NULL,
            broken INTEGER NOT NULL,
            CONSTRAINT principle_tallies_pkey PRIMARY KEY (scenario_id, day, principle, cohort)
        )"""
        + clustered,
        """CREATE TABLE latest_attempts (
            trainee_id INTEGER NOT NULL,
            scenario_id VARCHAR(100) NOT NULL,
            attempt_id INTEGER NOT NULL,
            CONSTRAINT latest_attempts_pkey PRIMARY KEY (trainee_id, scenario_id)
        )"""
        + clustered,
    ):
        conn.execute(text(ddl))
    tally_choices(conn)
    create_choice_trigger(conn)


def backfill_principles(conn: Connection) -> None:
    """Recount every trainee's broken principles from the recorded turns' effects.

    A turn counts once per principle that one of its effects cites with a negative quality,
    the same rule as `broken_principles` applies on each write. Used by the v5 migration and
    by bulk loads (bench); needs schema version 5 or later.
    """
    if conn.dialect.name == "postgresql":
        effects = "CROSS JOIN LATERAL jsonb_array_elements(CAST(t.effects AS jsonb)) AS e(value)"
        principle = "e.value ->> 'principle'"
        quality = "CAST(e.value ->> 'quality' AS DOUBLE PRECISION)"
    else:
        effects = "JOIN json_each(t.effects) AS e"
        principle = "json_extract(e.value, '$.principle')"
        quality = "json_extract(e.value, '$.quality')"
    conn.execute(text("DELETE FROM principle_stats"))
    conn.execute(
        text(
            f"""
            INSERT INTO principle_stats (trainee_id, principle, broken)
            SELECT b.trainee_id, b.principle, COUNT(*)
            FROM (
                SELECT DISTINCT a.trainee_id AS trainee_id, t.attempt_id AS attempt_id,
                       t.number AS number, {principle} AS principle
                FROM turns t
                JOIN attempts a ON a.id = t.attempt_id
                {effects}
                WHERE {principle} IS NOT NULL AND {quality} < 0
            ) b
            GROUP BY b.trainee_id, b.principle
            """
        )
    )


def backfill_summaries(conn: Connection) -> None:
    """Recompute the per-trainee counters and the level summaries from the attempts themselves.

    Used by the v2 migration and by bulk loads (bench); normal writes keep them current
    incrementally. Needs a schema of version 2 or later; from version 3 on it also bumps
    every trainee's revision, so open stores refresh their overview.
    """
    conn.execute(
        text(
            "UPDATE trainees SET attempt_count ="
            " (SELECT COUNT(*) FROM attempts a WHERE a.trainee_id = trainees.id)"
        )
    )
    conn.execute(text("DELETE FROM level_stats"))
    conn.execute(
        text(
            """
            INSERT INTO level_stats (trainee_id, scenario_id, level, attempts, failed, passed,
                                     best_score, best_grade, last_played)
            SELECT a.trainee_id, a.scenario_id, MIN(a.level), COUNT(*),
                   SUM(CASE WHEN a.status = 'completed' AND NOT a.passed THEN 1 ELSE 0 END),
                   MAX(CASE WHEN a.status = 'completed' AND a.passed THEN 1 ELSE 0 END) = 1,
                   MAX(CASE WHEN a.status = 'completed' THEN a.score END),
                   NULL,
                   MAX(COALESCE(a.ended_at, a.started_at))
            FROM attempts a
            WHERE a.status IN ('completed', 'abandoned')
            GROUP BY a.trainee_id, a.scenario_id
            """
        )
    )
    conn.execute(
        text(
            """
            UPDATE level_stats SET best_grade = (
                SELECT a.grade FROM attempts a
                WHERE a.trainee_id = level_stats.trainee_id
                  AND a.scenario_id = level_stats.scenario_id
                  AND a.status = 'completed' AND a.score = level_stats.best_score
                ORDER BY a.id LIMIT 1)
            WHERE best_score IS NOT NULL
            """
        )
    )
    if "revision" in {c["name"] for c in inspect(conn).get_columns("trainees")}:
        conn.execute(
            text("UPDATE trainees SET revision = (SELECT MAX(revision) FROM trainees) + 1")
        )


# The next trainee revision. On PostgreSQL a function that runs as the tables' owner: under
# row-level security a trainee's login sees only its own row, and MAX(revision) over that
# row alone would hand out numbers the supervisor's overview has already passed.
NEXT_REVISION_FUNCTION = "htl_next_revision"


def _migrate_v6(conn: Connection) -> None:
    """Trainee sign-in (PIN hash, failures, database login) and the revision function."""
    stamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "VARCHAR(26)"
    for ddl in (
        "ALTER TABLE trainees ADD COLUMN pin_hash TEXT",
        "ALTER TABLE trainees ADD COLUMN pin_failures INTEGER NOT NULL DEFAULT 0",
        f"ALTER TABLE trainees ADD COLUMN pin_failed_at {stamp}",
        "ALTER TABLE trainees ADD COLUMN login VARCHAR(63)",
        "CREATE UNIQUE INDEX trainees_login_key ON trainees (login)",
    ):
        conn.execute(text(ddl))
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                f"""CREATE FUNCTION {NEXT_REVISION_FUNCTION}() RETURNS BIGINT
                LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
                AS 'SELECT COALESCE(MAX(revision), 0) + 1 FROM trainees'"""
            )
        )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "trainees, attempts, turns, notes, settings", _migrate_v1),
    Migration(2, "level summaries, liveness columns, supervisor indexes", _migrate_v2),
    Migration(3, "trainee revisions for an incremental supervisor overview", _migrate_v3),
    Migration(4, "turns.extra for turn fields newer than the columns", _migrate_v4),
    Migration(5, "per-trainee principle tallies for the supervisor's desk", _migrate_v5),
    Migration(6, "trainee sign-in: PIN hash, failures, database login", _migrate_v6),
    Migration(7, "attempts.catalog_hash: the catalog that scored an attempt", _migrate_v7),
    Migration(8, "notes.edited_at; trainees.settings (settings per profile)", _migrate_v8),
    Migration(9, "cohorts and the choice tallies for the cohort's choice map", _migrate_v9),
)
assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))

OUR_TABLES = (
    "trainees", "attempts", "turns", "notes", "settings", "level_stats", "principle_stats",
    "choice_tallies", "path_tallies", "principle_tallies", "latest_attempts",
)  # fmt: skip


def database_version(conn: Connection) -> int:
    """0 for an empty database; raises if it holds our tables without a version."""
    inspector = inspect(conn)
    if not inspector.has_table("schema_version"):
        present = [t for t in OUR_TABLES if inspector.has_table(t)]
        if present:
            raise SchemaVersionError(
                f"the database has tables named {', '.join(present)} but no schema_version"
                " table: it was not written by Hold the Line, so it is left untouched"
            )
        return 0
    found = conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar()
    return int(found or 0)


def migrate(conn: Connection, *, target: int = SCHEMA_VERSION) -> int:
    """Bring the database forward to `target` inside the caller's transaction.

    The caller holds the write lock (BEGIN IMMEDIATE on SQLite, an advisory lock on
    PostgreSQL), so concurrent openers migrate once. Returns the version found.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    found = database_version(conn)
    if conn.dialect.name == "postgresql" and found < target:
        # back-filling a big database can take longer than an everyday statement may
        conn.execute(text("SET LOCAL statement_timeout = 0"))
    if found > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"this database is at records schema version {found}, but this version of"
            f" Hold the Line understands versions up to {SCHEMA_VERSION}; it was written by"
            " a newer game. Update Hold the Line (the database was not modified)."
        )
    for step in MIGRATIONS[found:target]:
        step.apply(conn)
        conn.execute(
            schema_version.insert().values(version=step.version, applied_at=datetime.now(UTC))
        )
    return found
