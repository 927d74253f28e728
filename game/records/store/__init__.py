"""The SQL store behind `game.records.api.Store`: SQLite by default, PostgreSQL by URL.

One module per port (roster, attempts, overview, notes, settings, analytics, practice) on a shared base;
`SqlStore` composes them, `open_store` opens, creates and migrates a database.

Every write is one short transaction, so a game killed mid-call loses no completed turn.
On SQLite the database runs in WAL mode with a busy timeout, foreign keys on, and every
write transaction starts with BEGIN IMMEDIATE: writers queue for the lock up front instead
of failing when a read transaction tries to upgrade. On PostgreSQL the counters are plain
`x = x + 1` updates and `INSERT … ON CONFLICT` upserts, which are atomic under READ COMMITTED.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.paths import data_dir
from game.records.api import NOTE_MAX, Store
from game.records.database import SCHEMA_VERSION, SchemaVersionError, migrate
from game.records.names import NAME_MAX
from game.records.namespace import ensure_xapi_namespace
from game.records.private import make_private_dir
from game.records.store.analytics import AnalyticsMixin
from game.records.store.attempts import STALE_AFTER, TIMERS, AttemptLogMixin
from game.records.store.connect import (
    BUSY_TIMEOUT_MS,
    DEADLINE_GRACE,
    DEFAULT_DB_NAME,
    SLOW_DEADLINE,
    DbTimeouts,
    NulInText,
    _create_engine,
    _writer,
    is_postgresql_url,
    login_refused,
    url_login,
    url_with_login,
)
from game.records.store.note_edits import NoteEditsMixin
from game.records.store.notes import NotesMixin
from game.records.store.overview import OverviewMixin
from game.records.store.practice import PracticeMixin
from game.records.store.profiles import ProfilesMixin
from game.records.store.roster import RosterMixin
from game.records.store.rows import TURN_COLUMNS, detail_from_rows, detail_select
from game.records.store.settings import SharedSettingsMixin

# `connect` and `rows` are public to the read side (read-only opening, bulk reads).
__all__ = [
    "BUSY_TIMEOUT_MS",
    "DEADLINE_GRACE",
    "DEFAULT_DB_NAME",
    "NAME_MAX",
    "NOTE_MAX",
    "SLOW_DEADLINE",
    "STALE_AFTER",
    "TIMERS",
    "TURN_COLUMNS",
    "DbTimeouts",
    "NulInText",
    "SchemaVersionError",
    "SqlStore",
    "connect",
    "detail_from_rows",
    "detail_select",
    "is_postgresql_url",
    "login_refused",
    "open_store",
    "rows",
    "url_login",
    "url_with_login",
]


class SqlStore(
    RosterMixin,
    ProfilesMixin,
    AttemptLogMixin,
    OverviewMixin,
    NotesMixin,
    NoteEditsMixin,
    SharedSettingsMixin,
    AnalyticsMixin,
    PracticeMixin,
):
    """The `Store` protocol over SQLAlchemy Core; safe to share one database between processes."""


def open_store(url: str | None = None, *, timeouts: DbTimeouts | None = None) -> SqlStore:
    """Open (creating and migrating as needed) the records database.

    `None` is the SQLite file in the user data directory; `sqlite:///path` another file;
    `postgresql://…` a shared server (through psycopg 3). Folders and files this creates are
    private to the user (0700 and 0600).
    """
    if url is None:
        folder = data_dir()
        make_private_dir(folder)
        url = f"sqlite:///{folder / DEFAULT_DB_NAME}"
    engine = _create_engine(url, timeouts or DbTimeouts.from_env())
    try:
        with _writer(engine).execution_options(htl_slow=True).begin() as conn:
            if migrate(conn) < SCHEMA_VERSION:
                # Made by whoever creates or upgrades the tables (never a trainee's login, which
                # may not touch settings): atomic, so exports only ever read it.
                ensure_xapi_namespace(conn)
    except BaseException:
        engine.dispose()
        raise
    return SqlStore(url, engine)


if TYPE_CHECKING:

    def _implements_store(store: SqlStore) -> Store:
        """mypy proves here that SqlStore satisfies the protocol the game and reports use."""
        return store
