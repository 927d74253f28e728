"""The records database's migrations: the forward steps from an empty file to the current
tables (`tables.py`), applied in order inside one transaction.

Each step spells out its own DDL so that later changes to `METADATA` never rewrite history.
A database written by a newer game (a higher version than this code knows) is refused,
never touched.

A brand-new SQLite file skips the one-by-one steps: it gets, in one go and in the same
transaction, the exact schema the steps leave in an empty database (`sqlite_master`'s own
statements, taken once per process from running every step on an in-memory database).
Twelve steps of ALTER TABLE cost far more than the CREATE statements they add up to."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    create_engine,
    inspect,
    text,
)
from sqlalchemy.engine import Connection

from game.records.database.tables import (
    UtcDateTime,
    attempts,
    notes,
    schema_version,
    trainees,
)
from game.records.database.tallies import (
    backfill_principles,
    backfill_summaries,
    create_choice_trigger,
    tally_choices,
)

SCHEMA_VERSION = 12
MIGRATION_LOCK = 0x48544C  # PostgreSQL advisory lock key ("HTL"): one migrator at a time
REVISION_LOCK = 0x48544C01  # ... and one writer at a time taking the next trainee revision


class SchemaVersionError(RuntimeError):
    """The database was written by a newer version of the game, or is not a records database."""


Index("ix_trainees_revision", trainees.c.revision)
Index("ix_trainees_cohort", trainees.c.cohort)  # v9
Index("ix_trainees_search_key", trainees.c.search_key)  # v10
Index("trainees_login_key", trainees.c.login, unique=True)
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
Index("ix_notes_trainee", notes.c.trainee_id)
Index("ix_notes_attempt", notes.c.attempt_id)


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


def _migrate_v10(conn: Connection) -> None:
    """The two newer company policies an attempt was played under (older attempts: NULL,
    which replays them under the rules they were played by, now each policy's default)."""
    conn.execute(text("ALTER TABLE attempts ADD COLUMN parting_ways VARCHAR(40)"))
    conn.execute(text("ALTER TABLE attempts ADD COLUMN apology_when_customer_at_fault VARCHAR(40)"))


def _migrate_v8(conn: Connection) -> None:
    """Coaching notes can be edited (when, kept); profiles keep their own settings."""
    stamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "VARCHAR(26)"
    conn.execute(text(f"ALTER TABLE notes ADD COLUMN edited_at {stamp}"))
    conn.execute(text("ALTER TABLE trainees ADD COLUMN settings TEXT"))


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


def _migrate_v11(conn: Connection) -> None:
    """Exam mode: which attempts were exams (none before), and the levels that require it."""
    stamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "VARCHAR(26)"
    for ddl in (
        "ALTER TABLE attempts ADD COLUMN exam BOOLEAN NOT NULL DEFAULT FALSE",
        f"""CREATE TABLE exam_levels (
            scenario_id VARCHAR(100) NOT NULL,
            required_by VARCHAR(100) NOT NULL,
            required_at {stamp} NOT NULL,
            CONSTRAINT exam_levels_pkey PRIMARY KEY (scenario_id)
        )""",
    ):
        conn.execute(text(ddl))


def _migrate_v12(conn: Connection) -> None:
    """trainees.search_key, back-filled from every name, and its index."""
    from game.records.names import search_key

    conn.execute(text("ALTER TABLE trainees ADD COLUMN search_key TEXT NOT NULL DEFAULT ''"))
    rows = conn.execute(text("SELECT id, name FROM trainees")).all()
    for start in range(0, len(rows), 1000):
        conn.execute(
            text("UPDATE trainees SET search_key = :key WHERE id = :id"),
            [
                {"key": search_key(str(name)), "id": ident}
                for ident, name in rows[start : start + 1000]
            ],
        )
    conn.execute(text("CREATE INDEX ix_trainees_search_key ON trainees (search_key)"))


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
    Migration(10, "attempts: the parting-ways and at-fault-apology policies", _migrate_v10),
    Migration(11, "attempts.exam; exam_levels: exam mode required per level", _migrate_v11),
    Migration(12, "trainees.search_key: names found ignoring case and diacritics", _migrate_v12),
)
assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))

OUR_TABLES = (
    "trainees", "attempts", "turns", "notes", "settings", "level_stats", "principle_stats",
    "choice_tallies", "path_tallies", "principle_tallies", "latest_attempts", "exam_levels",
)  # fmt: skip


def database_version(conn: Connection) -> int:
    """0 for an empty database; raises if it holds our tables without a version."""
    inspector = inspect(conn)
    if not inspector.has_table("schema_version"):
        # two catalog reads rather than one per table; SQLite's names ignore case
        named = {*inspector.get_table_names(), *inspector.get_view_names()}
        if conn.dialect.name == "sqlite":
            named = {name.lower() for name in named}
        present = [t for t in OUR_TABLES if t in named]
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
    if found == 0 and target == SCHEMA_VERSION and conn.dialect.name == "sqlite":
        _create_sqlite_schema(conn)
        return found
    for step in MIGRATIONS[found:target]:
        step.apply(conn)
        conn.execute(
            schema_version.insert().values(version=step.version, applied_at=datetime.now(UTC))
        )
    return found


@functools.cache
def migrated_sqlite_schema() -> tuple[str, ...]:
    """The statements of `sqlite_master` after every step has run on an empty database, in
    the order SQLite keeps them (tables, then their indexes and the trigger as they came).

    SQLite's own objects (`sqlite_autoindex_…`, `sqlite_sequence`) come with the tables.
    The steps run on an empty database write no rows, so the schema is all there is;
    refused if that ever changes (those rows would have to be copied too).
    """
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            for step in MIGRATIONS:
                step.apply(conn)
            rows = conn.exec_driver_sql(
                "SELECT type, name, sql FROM sqlite_master ORDER BY rowid"
            ).all()
            for kind, name, _ in rows:
                if kind == "table" and conn.exec_driver_sql(f'SELECT 1 FROM "{name}"').first():
                    raise RuntimeError(f"the migrations wrote rows into {name} of a new database")
    finally:
        engine.dispose()
    return tuple(str(sql) for _, name, sql in rows if sql and not str(name).startswith("sqlite_"))


def _create_sqlite_schema(conn: Connection) -> None:
    """A new SQLite database at the current version, exactly as the steps would leave it
    (straight through the driver, inside the caller's transaction: no SQL to compile)."""
    applied_at = UtcDateTime().process_bind_param(datetime.now(UTC), conn.dialect)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        for ddl in migrated_sqlite_schema():
            cursor.execute(ddl)
        cursor.executemany(
            "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
            [(step.version, applied_at) for step in MIGRATIONS],
        )
    finally:
        cursor.close()
