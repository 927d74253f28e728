"""Opening a records database: dialect tuning, timeouts, the statement watchdog, URLs."""

from __future__ import annotations

import math
import os
import re
import socket
import sqlite3
import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from game.records.private import make_private_dir
from game.records.redact import redact_url

DEFAULT_DB_NAME = "hold-the-line.db"

BUSY_TIMEOUT_MS = 10_000  # how long a SQLite writer waits for another writer before failing


class NulInText(ValueError):
    """A value to be stored as text holds a NUL character (\\x00).

    PostgreSQL text cannot hold NUL at all, and SQLite would keep what PostgreSQL refuses; so
    the records refuse it on both, before the statement reaches the database, and the
    transaction it belongs to stores nothing. Scenario text with control characters is refused
    by the loader, so NUL can only come from a caller's own data. Values the store keeps as
    JSON (what a turn said, its effects, feedback) are not affected: JSON writes NUL as the
    escape `\\u0000`, so they keep it exactly.
    """


def _refuse_nul_in_text(
    _conn: Connection,
    _cursor: Any,
    _statement: str,
    parameters: Any,
    context: Any,
    executemany: bool,
) -> None:
    """The one rule for NUL in stored text, run before every statement on both databases."""
    rows = parameters if executemany else [parameters]
    names = getattr(getattr(context, "compiled", None), "positiontup", None) or []
    for row in rows:
        pairs = row.items() if isinstance(row, Mapping) else enumerate(row or ())
        for key, value in pairs:
            if isinstance(value, str) and "\x00" in value:
                name = names[key] if isinstance(key, int) and key < len(names) else key
                field = str(name).removeprefix("b_")
                raise NulInText(
                    f"the {field!r} text contains a NUL character (\\x00), which the records"
                    " cannot store; nothing was saved. Remove the character and try again."
                )


@dataclass(frozen=True, slots=True)
class DbTimeouts:
    """How long a PostgreSQL connection may take to open, and one statement to run.

    A server that accepts connections and never answers must not freeze the game or a
    command: the connection gives up after `connect` seconds, a statement after `statement`
    seconds (enforced by the server), and a dead peer is noticed by TCP keepalives and the
    kernel's user timeout within about the same time. Environment variables
    HOLD_THE_LINE_DB_CONNECT_TIMEOUT and HOLD_THE_LINE_DB_STATEMENT_TIMEOUT (seconds) change
    them; a `connect_timeout` or `options` in the URL itself wins.
    """

    connect: float = 5.0
    statement: float = 15.0

    @staticmethod
    def from_env() -> DbTimeouts:
        found: dict[str, float] = {}
        for field, variable in (
            ("connect", "HOLD_THE_LINE_DB_CONNECT_TIMEOUT"),
            ("statement", "HOLD_THE_LINE_DB_STATEMENT_TIMEOUT"),
        ):
            raw = os.environ.get(variable)
            if raw is None or not raw.strip():
                continue
            try:
                value = float(raw)
            except ValueError:
                raise ValueError(f"{variable}={raw!r} is not a number of seconds") from None
            if not 0 < value <= 3600:
                raise ValueError(f"{variable}={raw!r} must be between 0 and 3600 seconds")
            found[field] = value
        return DbTimeouts(**found)


DEADLINE_GRACE = 5.0  # the server's own statement timeout should fire first

SLOW_DEADLINE = 600.0  # migrations may rewrite a whole database: generous, never endless


class _Watchdog:
    """Cuts the connection of a PostgreSQL call that has outlived its deadline.

    The server's statement_timeout ends slow statements, and keepalives notice a peer that
    has gone; neither ends a call to a server that is up but has stopped answering (its
    kernel still acknowledges every packet, so TCP sees nothing wrong). One daemon thread
    shuts the socket of any call still running past its deadline; psycopg then fails that
    call with "server closed the connection", and the pool drops the connection.
    """

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self._cond = threading.Condition()
        self._armed: dict[int, tuple[float, weakref.ref[Any]]] = {}
        self._thread: threading.Thread | None = None

    def arm(self, dbapi_connection: Any, limit: float | None = None) -> None:
        if dbapi_connection is None:
            return
        deadline = time.monotonic() + (self.limit if limit is None else limit)
        with self._cond:
            self._armed[id(dbapi_connection)] = (deadline, weakref.ref(dbapi_connection))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="db-deadline", daemon=True)
                self._thread.start()
            self._cond.notify()

    def disarm(self, dbapi_connection: Any) -> None:
        if dbapi_connection is None:
            return
        with self._cond:
            self._armed.pop(id(dbapi_connection), None)

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for key in [k for k, (due, _) in self._armed.items() if due <= now]:
                    _, ref = self._armed.pop(key)
                    _cut(ref())
                upcoming = min((due for due, _ in self._armed.values()), default=None)
                self._cond.wait(None if upcoming is None else max(0.01, upcoming - now))


def _cut(dbapi_connection: Any) -> None:
    """Shut a psycopg connection's socket (from another thread: its blocked call returns)."""
    if dbapi_connection is None or getattr(dbapi_connection, "closed", True):
        return
    try:
        fd = int(dbapi_connection.pgconn.socket)
        with socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
    except Exception:
        pass


def _guard_with_deadlines(engine: Engine, watchdog: _Watchdog) -> None:
    """Every statement, commit, rollback and pool ping of this engine runs under `watchdog`."""

    def limit_for(conn: Connection) -> float | None:
        return SLOW_DEADLINE if conn.get_execution_options().get("htl_slow") else None

    def dbapi(conn: Connection | None) -> Any:
        """The driver connection, or None once SQLAlchemy has given it up (invalidated)."""
        if conn is None or conn.closed or conn.invalidated:
            return None
        return conn.connection.dbapi_connection

    @event.listens_for(engine, "before_cursor_execute")
    def _arm(conn: Connection, *_args: Any) -> None:
        watchdog.arm(dbapi(conn), limit_for(conn))

    @event.listens_for(engine, "after_cursor_execute")
    def _disarm(conn: Connection, *_args: Any) -> None:
        watchdog.disarm(dbapi(conn))

    @event.listens_for(engine, "handle_error")
    def _failed(context: Any) -> None:
        watchdog.disarm(dbapi(context.connection))

    @event.listens_for(engine, "commit")
    def _committing(conn: Connection) -> None:
        watchdog.arm(dbapi(conn), limit_for(conn))

    @event.listens_for(engine, "rollback")
    def _rolling_back(conn: Connection) -> None:
        watchdog.arm(dbapi(conn), limit_for(conn))

    @event.listens_for(engine, "checkin")
    def _returned(dbapi_connection: Any, _record: Any) -> None:
        watchdog.disarm(dbapi_connection)

    @event.listens_for(engine, "reset")
    def _reset(dbapi_connection: Any, _record: Any, _state: Any = None) -> None:
        watchdog.arm(dbapi_connection)  # the pool's rollback on return; checkin disarms

    ping = engine.dialect.do_ping

    def do_ping(dbapi_connection: Any) -> bool:
        watchdog.arm(dbapi_connection)
        try:
            return bool(ping(dbapi_connection))
        finally:
            watchdog.disarm(dbapi_connection)

    setattr(engine.dialect, "do_ping", do_ping)  # noqa: B010 - an instance's own ping


# How PostgreSQL (libpq) words a refused login: wrong or missing password, unknown login.
_LOGIN_REFUSED = re.compile(
    r"password authentication failed|no password supplied|authentication failed"
    r'|role "[^"]*" does not exist',
    re.IGNORECASE,
)

_LOGIN_REFUSED_STATES = frozenset({"28P01", "28000"})  # invalid_password, invalid authorization


def is_postgresql_url(url: str | None) -> bool:
    """Does this database URL name PostgreSQL (where each person may have their own login)?"""
    if not url:
        return False
    try:
        return make_url(url).get_backend_name() in ("postgresql", "postgres")
    except ArgumentError:
        return False


def login_refused(error: BaseException) -> bool:
    """Did PostgreSQL refuse the connection because the login or its password is wrong or
    missing (rather than being unreachable or broken)?"""
    original = getattr(error, "orig", None)
    source = original if isinstance(original, BaseException) else error
    if getattr(source, "sqlstate", None) in _LOGIN_REFUSED_STATES:
        return True
    return bool(_LOGIN_REFUSED.search(str(source)))


def url_login(url: str | None) -> str:
    """The login a PostgreSQL URL names, or "" (none, or not a URL)."""
    try:
        return (make_url(url).username or "") if url else ""
    except ArgumentError:
        return ""


def url_with_login(url: str, login: str, password: str) -> str:
    """`url` signed in as `login` with `password`: kept in memory to connect, never shown
    (every message about it goes through `redact_url`)."""
    parsed = make_url(url).set(username=login or None, password=password or None)
    return parsed.render_as_string(hide_password=False)


def _create_private_file(path: str) -> None:
    """Create an empty database file 0600 before SQLite does (it would use the umask, 0644).

    SQLite gives its -wal and -shm files the database file's permissions, so they follow.
    """
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def _pg_connect_args(parsed: URL, timeouts: DbTimeouts) -> dict[str, Any]:
    """libpq settings that bound every wait on the server (see DbTimeouts)."""
    query = parsed.query
    args: dict[str, Any] = {}
    if "connect_timeout" not in query:
        args["connect_timeout"] = max(1, math.ceil(timeouts.connect))
    statement_ms = int(timeouts.statement * 1000)
    if "options" not in query:
        args["options"] = (
            f"-c statement_timeout={statement_ms} -c lock_timeout={statement_ms}"
            f" -c idle_in_transaction_session_timeout={max(statement_ms, 60_000)}"
        )
    for key, value in (
        ("keepalives", 1),
        ("keepalives_idle", max(1, math.ceil(timeouts.statement / 3))),
        ("keepalives_interval", max(1, math.ceil(timeouts.statement / 9))),
        ("keepalives_count", 3),
        ("tcp_user_timeout", statement_ms),
    ):
        if key not in query:
            args[key] = value
    return args


def _create_engine(url: str, timeouts: DbTimeouts | None = None) -> Engine:
    timeouts = timeouts or DbTimeouts.from_env()  # every opening, read-only ones too
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(
            f"{redact_url(url)!r} is not a database URL: use sqlite:///PATH or"
            " postgresql://USER@HOST/DATABASE"
        ) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(
            parsed,
            pool_pre_ping=True,
            pool_timeout=timeouts.connect + timeouts.statement,
            connect_args=_pg_connect_args(parsed, timeouts),
        )
        _guard_with_deadlines(engine, _Watchdog(timeouts.statement + DEADLINE_GRACE))
        event.listen(engine, "before_cursor_execute", _refuse_nul_in_text)
        return engine
    if backend != "sqlite":
        raise ValueError(
            f"unsupported database URL {redact_url(url)!r}: use sqlite:///… or postgresql://…"
        )
    if not parsed.database or parsed.database == ":memory:" or "mode=memory" in url:
        # Each pooled connection would get its own empty database, and all of it vanishes.
        raise ValueError(
            f"{redact_url(url)!r} is an in-memory database; records need a file: sqlite:///PATH"
        )
    make_private_dir(Path(os.path.dirname(os.path.abspath(parsed.database))))
    _create_private_file(os.path.abspath(parsed.database))
    engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "before_cursor_execute", _refuse_nul_in_text)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN away from the sqlite3 module (it skips it for SELECT and DDL); the
        # "begin" hook below issues it, IMMEDIATE for writes.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _use_wal(cursor)
        # FULL: a committed turn survives a power cut too, not only a killed process.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("htl_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _use_wal(cursor: Any) -> None:
    """Switch the file to WAL once; the setting sticks to the file.

    Switching needs an exclusive lock and SQLite does not apply the busy timeout to it, so
    several processes opening a brand-new database at once would fail with "database is
    locked". Whoever gets there first switches it; the others wait and see WAL already set.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
            return
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(0.1, delay * 2)


def _writer(engine: Engine) -> Engine:
    return engine.execution_options(htl_write=True)
