"""Opening the records for `report` and `export`: read-only, and only a Hold the Line database.

The game's `open_store` creates and migrates; these commands must not. Here:

- SQLite is opened through a read-only URI (`mode=ro`): no table is created, the journal
  mode is left as it is, a missing file is an error instead of a new empty database, and a
  file on read-only media opens (as `immutable` when there is no write-ahead log beside it
  and its folder cannot be written, since SQLite could not create one there anyway);
- PostgreSQL sessions are READ ONLY, so the server itself refuses any write;
- the database must carry our `schema_version` at the version this game reads: anything
  else (another application's database, a newer or older schema) is refused, untouched;
- every failure is a `RecordsUnavailable` in words, with the URL's password removed.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from game.records.database import SCHEMA_VERSION, SchemaVersionError, database_version
from game.records.failures import RecordsUnavailable, redact

BUSY_TIMEOUT_S = 10.0

if TYPE_CHECKING:
    from game.records.store import SqlStore


def default_url() -> str:
    from game.paths import data_dir
    from game.records.store import DEFAULT_DB_NAME

    return f"sqlite:///{data_dir() / DEFAULT_DB_NAME}"


def shown_url(url: str) -> str:
    """The URL as it may be printed: without its password."""
    try:
        return str(make_url(url).render_as_string(hide_password=True))
    except ArgumentError:
        return redact(url)


def open_readonly(url: str | None) -> SqlStore:
    """The records at `url` (default: this machine's file) for reading only."""
    from game.records.store import SqlStore

    url = url or default_url()
    password = _password(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise RecordsUnavailable(
            f"{redact(url, password)!r} is not a database URL: use sqlite:///PATH or "
            "postgresql://USER@HOST/DBNAME (the password from PGPASSFILE or PGPASSWORD)"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = _sqlite_engine(parsed.database or "")
    elif backend in ("postgresql", "postgres"):
        engine = _postgresql_engine(url)
    else:
        raise RecordsUnavailable(
            f"{shown_url(url)} is not a database Hold the Line can read: use sqlite:///PATH "
            "or postgresql://…"
        )
    try:
        with engine.connect() as conn, conn.begin():
            _check_ours(conn, shown_url(url))
    except RecordsUnavailable:
        engine.dispose()
        raise
    except (SQLAlchemyError, sqlite3.Error, OSError) as error:
        engine.dispose()
        raise explain(error, url) from None
    return SqlStore(url, engine)


def _password(url: str) -> str | None:
    try:
        return make_url(url).password
    except ArgumentError:
        return None


def _sqlite_engine(database: str) -> Engine:
    if not database or database == ":memory:" or database.startswith("file:"):
        raise RecordsUnavailable(
            "report and export read a records file: give --db sqlite:///PATH to an existing file"
        )
    path = Path(database).expanduser().absolute()
    if not path.exists():
        raise RecordsUnavailable(
            f"there is no records database at {path}: check the path given with --db "
            "(report and export never create one; the game makes it on first play)"
        )
    if not path.is_file():
        raise RecordsUnavailable(f"{path} is not a file: give --db sqlite:///PATH to the records")
    if not os.access(path, os.R_OK):
        raise RecordsUnavailable(
            f"{path} cannot be read with your permissions: run as its owner or copy it"
        )
    query = "mode=ro"
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() and not os.access(path.parent, os.W_OK):
        # Read-only media: nothing can change the file, and SQLite could not make the
        # shared-memory file it wants for a WAL database; immutable needs neither.
        query += "&immutable=1"
    uri = f"file:{urllib.parse.quote(str(path))}?{query}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None
        )

    engine = create_engine("sqlite://", creator=connect)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")  # one snapshot for every query of a read

    return engine


def _postgresql_engine(url: str) -> Engine:
    from game.records.store.connect import _create_engine

    engine = _create_engine(url)

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        cursor.close()
        dbapi_connection.commit()

    return engine


def _check_ours(conn: Connection, shown: str) -> None:
    if not inspect(conn).has_table("schema_version"):
        raise RecordsUnavailable(
            f"{shown} is not a Hold the Line records database (it has no schema_version "
            "table); it was left untouched. Check the path or URL given with --db."
        )
    try:
        found = database_version(conn)
    except SchemaVersionError as error:
        raise RecordsUnavailable(str(error)) from None
    if found > SCHEMA_VERSION:
        raise RecordsUnavailable(
            f"{shown} is at records schema version {found}, written by a newer Hold the "
            f"Line; this one reads version {SCHEMA_VERSION}. Update Hold the Line (the "
            "database was not modified)."
        )
    if found < SCHEMA_VERSION:
        raise RecordsUnavailable(
            f"{shown} is at records schema version {found}; this version reads "
            f"{SCHEMA_VERSION}. Open it once with the game (hold-the-line play --db …), which "
            "brings it up to date, then run this again (report and export only read)."
        )
    conn.execute(text("SELECT COUNT(*) FROM trainees WHERE 1 = 0"))  # a damaged file fails here
    if conn.dialect.name == "postgresql":
        _require_supervisor(conn)


def _require_supervisor(conn: Connection) -> None:
    """Reports show everyone's records: on a PostgreSQL room only a supervisor's login may.

    Asked of the server itself, as the desk does: a trainee's login has no right on the
    settings table, so PostgreSQL refuses the read (in a savepoint, so nothing else fails)."""
    try:
        with conn.begin_nested():
            conn.execute(text("SELECT COUNT(*) FROM settings WHERE 1 = 0"))
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) != "42501":  # insufficient_privilege
            raise
        raise RecordsUnavailable(
            "this database login is a trainee's: reports and exports show everyone's records "
            "and need a supervisor's login (ask the room's administrator: hold-the-line room "
            "add-supervisor)"
        ) from None


def explain(error: BaseException, url: str) -> RecordsUnavailable:
    """A database error in words, with the URL's password removed."""
    shown = shown_url(url)
    password = _password(url)
    original = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    detail = redact(" ".join(str(original).split()), password)[:300]
    lowered = detail.lower()
    if "file is not a database" in lowered or "malformed" in lowered:
        message = (
            f"{shown} is damaged or not a database file ({detail}). Restore it from a backup; "
            "report and export did not change it."
        )
    elif "password authentication failed" in lowered or "no password supplied" in lowered:
        message = (
            f"the database server at {shown} did not accept the user name or password. "
            "Put the password in PGPASSFILE (~/.pgpass) or PGPASSWORD, not on the command line."
        )
    elif "does not exist" in lowered and "database" in lowered:
        message = f"the server has no such database: {shown} ({detail})"
    elif "refused" in lowered or "could not connect" in lowered or "timeout" in lowered:
        message = (
            f"cannot connect to the database server at {shown} ({detail}). Check that it is "
            "running and that the host and port are right."
        )
    elif "unable to open" in lowered or "readonly" in lowered or "permission" in lowered:
        message = f"cannot open {shown} for reading ({detail})"
    else:
        message = f"cannot read the records at {shown} ({detail})"
    return RecordsUnavailable(message)
