"""The SQL store behind `game.records.api.Store`: SQLite by default, PostgreSQL by URL.

Every write is one short transaction, so a game killed mid-call loses no completed turn.
On SQLite the database runs in WAL mode with a busy timeout, foreign keys on, and every
write transaction starts with BEGIN IMMEDIATE: writers queue for the lock up front instead
of failing when a read transaction tries to upgrade. On PostgreSQL the counters are plain
`x = x + 1` updates and `INSERT … ON CONFLICT` upserts, which are atomic under READ COMMITTED.
"""

from __future__ import annotations

import json
import math
import os
import re
import socket
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Connection,
    Engine,
    Float,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    case,
    cast,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy import Text as TextType
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, ProgrammingError
from sqlalchemy.sql.expression import Executable

from game.engine.session import Effect, Event, Turn, turn_from_json, turn_to_json
from game.paths import data_dir
from game.records.api import (
    NOTE_MAX,
    PAGE_MAX,
    STUCK_AFTER_FAILS,
    AccessRefused,
    Attempt,
    AttemptDetail,
    AttemptStart,
    AttemptStatus,
    DuplicateTrainee,
    LevelBest,
    Note,
    OverviewRow,
    OverviewSort,
    PrincipleTally,
    RecordNotFound,
    Store,
    Trainee,
    broken_principles,
)
from game.records.names import NAME_MAX, lookalike_key, lookup_key, normal_name
from game.records.namespace import ensure_xapi_namespace
from game.records.private import make_private_dir
from game.records.redact import redact_url
from game.records.schema import (
    NEXT_REVISION_FUNCTION,
    REVISION_LOCK,
    SCHEMA_VERSION,
    SchemaVersionError,
    UtcDateTime,
    attempts,
    level_stats,
    migrate,
    notes,
    principle_stats,
    settings,
    trainees,
    turns,
)
from game.scenario.model import AbusivePolicy, Policy, SupervisorPolicy

__all__ = [
    "DEFAULT_DB_NAME",
    "NAME_MAX",
    "NOTE_MAX",
    "DbTimeouts",
    "NulInText",
    "SchemaVersionError",
    "SqlStore",
    "open_store",
]

DEFAULT_DB_NAME = "hold-the-line.db"
BUSY_TIMEOUT_MS = 10_000  # how long a SQLite writer waits for another writer before failing
STALE_AFTER = timedelta(hours=12)  # an in-progress attempt untouched this long is abandoned
TIMERS = frozenset({"normal", "relaxed", "off"})


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


# The keys of the engine's turn_to_json that have their own column; the rest go to `extra`.
TURN_COLUMNS = frozenset(
    {"number", "node", "choice", "say", "techniques", "tags", "anger_before", "anger_after",
     "silence", "effects", "quality", "feedback"}
)  # fmt: skip


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


def _now() -> datetime:
    return datetime.now(UTC)


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True)


def _effects_to_json(effects: Sequence[Effect]) -> list[dict[str, Any]]:
    """Effects as JSON objects keyed by field name, the form `turn_to_json` uses for a turn's.

    Driven by the dataclass fields, so a field the engine adds is stored without a change here.
    """
    return [
        {
            f.name: list(value) if isinstance(value, tuple) else value
            for f in fields(Effect)
            for value in (getattr(e, f.name),)
        }
        for e in effects
    ]


def _effects_from_json(text: str) -> tuple[Effect, ...]:
    """Older records lack newer fields; those take the dataclass defaults."""
    names = {f.name for f in fields(Effect)}
    restored: list[Effect] = []
    for d in json.loads(text):
        values: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in d.items() if k in names
        }
        restored.append(Effect(**values))
    return tuple(restored)


def _clean_name(name: str, what: str) -> str:
    return normal_name(name, what)


def _clean_note(text: str) -> str:
    """A note as stored: trimmed, not empty, at most NOTE_MAX characters.

    Checked before anything is written, so a pasted megabyte is refused in words instead of
    freezing the desk that would have to lay it out.
    """
    body = text.strip()
    if not body:
        raise ValueError("the note is empty")
    if len(body) > NOTE_MAX:
        raise ValueError(
            f"the note is {len(body):,} characters long; a note can have at most"
            f" {NOTE_MAX:,}. Shorten it, or split it over several notes."
        )
    return body  # a NUL in it is refused with every other stored text (NulInText)


def _pid_alive(pid: int) -> bool:
    """Is a process with this id running on this machine? (POSIX; elsewhere assume not.)"""
    if os.name != "posix" or pid <= 0:
        return False  # os.kill(pid, 0) would terminate the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it just is not ours
    return True


class SqlStore:
    """The `Store` protocol over SQLAlchemy Core; safe to share one database between processes."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self._engine = engine
        self._write = _writer(engine)
        self._pg = engine.dialect.name == "postgresql"
        self._sql = _Statements.build(self._pg)
        self._owner = uuid.uuid4().hex
        self._overview_lock = threading.Lock()
        self._overview_seen = -1
        self._overview: tuple[OverviewRow, ...] = ()
        self._overview_rows: dict[int, tuple[str, OverviewRow]] = {}
        self._host = socket.gethostname()[:255]
        self._pid = os.getpid()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for tests, migrations and bulk tools (bench)."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _writing(self, *, revises: bool = False) -> Iterator[Connection]:
        """A write transaction; `revises` when it bumps a trainee's revision (see schema v3).

        Revisions must be taken in commit order: SQLite's BEGIN IMMEDIATE already makes
        writers take turns; PostgreSQL writers take a transaction-scoped advisory lock first.
        """
        with _refusals(), self._write.begin() as conn:
            if revises and self._pg:
                conn.execute(self._sql.revision_lock)
            yield conn

    @contextmanager
    def _reading(self, *, snapshot: bool = False) -> Iterator[Connection]:
        """A read transaction; `snapshot` when several queries must agree with each other.

        SQLite's BEGIN already reads one snapshot; PostgreSQL's default READ COMMITTED takes
        a new one per statement, so multi-query reads ask for REPEATABLE READ.
        """
        with _refusals(), self._engine.connect() as conn, conn.begin():
            if snapshot and self._pg:
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield conn

    def _insert(self, table: Any) -> Any:
        return (postgresql.insert if self._pg else sqlite.insert)(table)

    # ---- trainees ---------------------------------------------------------------------------

    def add_trainee(self, name: str) -> Trainee:
        clean = _clean_name(name, "the trainee's name")
        now = _now()
        look = lookalike_key(clean)
        try:
            with self._writing(revises=True) as conn:
                # In the same transaction as the insert (writers take turns), so two
                # look-alikes added at once cannot both get in.
                for (other,) in conn.execute(select(trainees.c.name)):
                    if lookalike_key(str(other)) == look:
                        raise DuplicateTrainee(
                            f"a trainee called {other!r} already exists, and {clean!r} would"
                            " look the same on screen: add a surname or an initial"
                        )
                result = conn.execute(
                    trainees.insert().values(
                        name=clean,
                        name_key=lookup_key(clean),
                        created_at=now,
                        attempt_count=0,
                        revision=_next_revision(self._pg),
                    )
                )
                pk = result.inserted_primary_key
                assert pk is not None
                trainee_id = int(pk[0])
        except IntegrityError as error:
            raise DuplicateTrainee(f"a trainee called {clean!r} already exists") from error
        return Trainee(trainee_id, clean, now, None)

    def trainees(self) -> tuple[Trainee, ...]:
        with self._reading() as conn:
            rows = conn.execute(_trainee_select().order_by(trainees.c.name_key, trainees.c.id))
            return tuple(_trainee(r) for r in rows)

    def get_trainee(self, trainee_id: int) -> Trainee | None:
        with self._reading() as conn:
            row = conn.execute(_trainee_select().where(trainees.c.id == trainee_id)).first()
        return None if row is None else _trainee(row)

    def find_trainee(self, name: str) -> Trainee | None:
        key = lookup_key(name)
        with self._reading() as conn:
            row = conn.execute(_trainee_select().where(trainees.c.name_key == key)).first()
        return None if row is None else _trainee(row)

    # ---- attempts, written as the call goes -------------------------------------------------

    def start_attempt(self, start: AttemptStart) -> int:
        if start.timer not in TIMERS:
            raise ValueError(f"timer must be one of {sorted(TIMERS)}, not {start.timer!r}")
        if not 0 <= start.pass_score <= 100:
            raise ValueError(f"pass score {start.pass_score} is outside 0..100")
        st = self._sql
        with self._writing(revises=True) as conn:
            touched = conn.execute(
                st.touch_trainee_start, {"b_tid": start.trainee_id, "b_when": start.started_at}
            )
            if touched.rowcount != 1:
                raise RecordNotFound(f"no trainee with id {start.trainee_id}")
            result = conn.execute(
                st.insert_attempt,
                {
                    "trainee_id": start.trainee_id,
                    "scenario_id": start.scenario_id,
                    "content_hash": start.content_hash,
                    "level": start.level,
                    "pass_score": start.pass_score,
                    "seed": start.seed,
                    "abusive_caller": start.policy.abusive_caller.value,
                    "supervisor_request": start.policy.supervisor_request.value,
                    "timer": start.timer,
                    "lang": start.lang,
                    "status": AttemptStatus.IN_PROGRESS.value,
                    "started_at": start.started_at,
                    "catalog_hash": start.catalog_hash,
                    "turn_count": 0,
                    "owner": self._owner,
                    "host": self._host,
                    "pid": self._pid,
                    "updated_at": start.started_at,
                },
            )
            pk = result.inserted_primary_key
            assert pk is not None
            return int(pk[0])

    def record_turn(self, attempt_id: int, turn: Turn, event: Event, response_time: float) -> None:
        if event.choice != turn.choice or event.silence != turn.silence:
            raise ValueError(
                f"event {event} does not match turn {turn.number} (choice {turn.choice},"
                f" silence {turn.silence})"
            )
        if response_time < 0:
            raise ValueError(f"response time {response_time} is negative")
        now = _now()
        data = turn_to_json(turn)
        extra = {k: v for k, v in data.items() if k not in TURN_COLUMNS}
        st = self._sql
        with self._writing() as conn:
            moved = conn.execute(
                st.advance_turn,
                {"b_aid": attempt_id, "b_prev": turn.number - 1, "b_n": turn.number, "b_now": now},
            ).first()
            if moved is None:
                self._explain_refusal(conn, attempt_id, f"record turn {turn.number}")
                return
            conn.execute(
                st.insert_turn,
                {
                    "attempt_id": attempt_id,
                    "number": turn.number,
                    "node": turn.node,
                    "choice": turn.choice,
                    "say": _dumps(data["say"]),
                    "techniques": _dumps(data["techniques"]),
                    "tags": _dumps(data["tags"]),
                    "anger_before": turn.anger_before,
                    "anger_after": turn.anger_after,
                    "silence": turn.silence,
                    "effects": _dumps(data["effects"]),
                    # SQLite drops the sign of a zero; store every zero as 0.0 on both
                    # databases so they read back the same (the sign of zero means nothing)
                    "quality": turn.quality + 0.0,
                    "feedback": None if data["feedback"] is None else _dumps(data["feedback"]),
                    "response_time": response_time,
                    "recorded_at": now,
                    "extra": _dumps(extra) if extra else None,
                },
            )
            broken = broken_principles(turn.effects)
            if broken:  # the trainee's tallies move with the turn, in the same transaction
                conn.execute(
                    st.upsert_principle,
                    [
                        {"trainee_id": moved.trainee_id, "principle": p, "broken": 1}
                        for p in sorted(broken)
                    ],
                )

    def finish_attempt(
        self,
        attempt_id: int,
        *,
        ended_at: datetime,
        outcome: str,
        rating: str,
        cause: str,
        score: int,
        grade: str,
        passed: bool,
        final_anger: int,
        anger_trace: tuple[int, ...],
        closing_effects: tuple[Effect, ...],
        competencies: dict[str, int | None],
        timeout_silence: float | None = None,
    ) -> None:
        with self._writing(revises=True) as conn:
            row = conn.execute(
                self._sql.finish,
                {
                    "b_aid": attempt_id,
                    "b_ended": ended_at,
                    "b_outcome": outcome,
                    "b_rating": rating,
                    "b_cause": cause,
                    "b_score": score,
                    "b_grade": grade,
                    "b_passed": passed,
                    "b_final": final_anger,
                    "b_trace": _dumps(list(anger_trace)),
                    "b_closing": _dumps(_effects_to_json(closing_effects)),
                    "b_comp": _dumps(dict(competencies)),
                    "b_timeout": timeout_silence,
                },
            ).first()
            if row is None:
                self._explain_refusal(conn, attempt_id, "finish")
                return
            self._count_ended(
                conn,
                trainee_id=row.trainee_id,
                scenario_id=row.scenario_id,
                level=row.level,
                ended_at=ended_at,
                score=score,
                grade=grade,
                passed=passed,
                completed=True,
            )

    def abandon_attempt(self, attempt_id: int, ended_at: datetime) -> None:
        """Leave a call mid-way; the turns stay. Harmless on an attempt that already ended."""
        with self._writing(revises=True) as conn:
            if not self._abandon(conn, attempt_id, ended_at):
                exists = conn.execute(
                    select(attempts.c.id).where(attempts.c.id == attempt_id)
                ).first()
                if exists is None:
                    raise RecordNotFound(f"no attempt with id {attempt_id}")

    def abandon_stale(self) -> int:
        """Mark abandoned every in-progress attempt whose game is gone; returns how many.

        Gone means: written by a process of this machine that is no longer running (or by this
        very process through an earlier store, i.e. before a restart of the game in-process),
        or untouched for STALE_AFTER. Live calls of other games on a shared PostgreSQL
        database, or of other processes on this machine, are left alone.
        """
        now = _now()
        count = 0
        with self._writing(revises=True) as conn:
            rows = conn.execute(
                select(
                    attempts.c.id,
                    attempts.c.owner,
                    attempts.c.host,
                    attempts.c.pid,
                    attempts.c.started_at,
                    attempts.c.updated_at,
                ).where(attempts.c.status == AttemptStatus.IN_PROGRESS.value)
            ).all()
            for r in rows:
                if r.owner == self._owner:
                    continue  # our own live call
                last = r.updated_at or r.started_at
                same_host = r.host == self._host
                gone = (
                    r.host is None
                    or now - last >= STALE_AFTER
                    or (same_host and (r.pid == self._pid or not _pid_alive(int(r.pid or 0))))
                )
                if gone and self._abandon(conn, int(r.id), last):
                    count += 1
        return count

    def _abandon(self, conn: Connection, attempt_id: int, ended_at: datetime) -> bool:
        row = conn.execute(self._sql.abandon, {"b_aid": attempt_id, "b_ended": ended_at}).first()
        if row is None:
            return False
        self._count_ended(
            conn,
            trainee_id=row.trainee_id,
            scenario_id=row.scenario_id,
            level=row.level,
            ended_at=ended_at,
            score=None,
            grade=None,
            passed=False,
            completed=False,
        )
        return True

    def _count_ended(
        self,
        conn: Connection,
        *,
        trainee_id: int,
        scenario_id: str,
        level: int | None,
        ended_at: datetime,
        score: int | None,
        grade: str | None,
        passed: bool,
        completed: bool,
    ) -> None:
        """Fold one ended attempt into its trainee x scenario summary (an atomic upsert)."""
        conn.execute(
            self._sql.upsert_level,
            {
                "trainee_id": trainee_id,
                "scenario_id": scenario_id,
                "level": level,
                "attempts": 1,
                "failed": 1 if completed and not passed else 0,
                "passed": completed and passed,
                "best_score": score,
                "best_grade": grade,
                "last_played": ended_at,
            },
        )
        conn.execute(self._sql.touch_trainee_end, {"b_tid": trainee_id, "b_when": ended_at})

    def _explain_refusal(self, conn: Connection, attempt_id: int, action: str) -> None:
        row = conn.execute(
            select(attempts.c.status, attempts.c.turn_count).where(attempts.c.id == attempt_id)
        ).first()
        if row is None:
            raise RecordNotFound(f"no attempt with id {attempt_id}")
        if row.status != AttemptStatus.IN_PROGRESS.value:
            raise ValueError(f"cannot {action}: attempt {attempt_id} is already {row.status}")
        raise ValueError(
            f"cannot {action}: attempt {attempt_id} has {row.turn_count} turns recorded"
        )

    # ---- reading ----------------------------------------------------------------------------

    def attempts(
        self,
        *,
        trainee_id: int | None = None,
        scenario_id: str | None = None,
        since: datetime | None = None,
    ) -> tuple[Attempt, ...]:
        """Attempts oldest first, optionally only one trainee's, one scenario's, or recent ones."""
        query = _attempt_select()
        if trainee_id is not None:
            query = query.where(attempts.c.trainee_id == trainee_id)
        if scenario_id is not None:
            query = query.where(attempts.c.scenario_id == scenario_id)
        if since is not None:
            query = query.where(attempts.c.started_at >= since)
        with self._reading() as conn:
            rows = conn.execute(query.order_by(attempts.c.started_at, attempts.c.id))
            return tuple(_attempt(r) for r in rows)

    def attempt_detail(self, attempt_id: int) -> AttemptDetail | None:
        with self._reading(snapshot=True) as conn:
            row = conn.execute(detail_select().where(attempts.c.id == attempt_id)).first()
            if row is None:
                return None
            turn_rows = conn.execute(
                select(turns).where(turns.c.attempt_id == attempt_id).order_by(turns.c.number)
            ).all()
            note_rows = conn.execute(
                select(notes).where(notes.c.attempt_id == attempt_id).order_by(notes.c.id)
            ).all()
        return detail_from_rows(row, turn_rows, note_rows)

    def level_bests(self, trainee_id: int) -> MappingProxyType[str, LevelBest]:
        with self._reading() as conn:
            rows = conn.execute(_level_select().where(level_stats.c.trainee_id == trainee_id)).all()
        return MappingProxyType({r.scenario_id: _level_best(r) for r in rows})

    def overview(self) -> tuple[OverviewRow, ...]:
        """Every trainee with their level bests, in name order.

        Served from the summary table, and incrementally: each store remembers the rows it
        built and the highest trainee revision it saw, and re-reads only trainees whose
        revision moved since (the values are immutable, so sharing them is safe).
        """
        with self._overview_lock, self._reading(snapshot=True) as conn:
            top = int(
                conn.execute(select(func.coalesce(func.max(trainees.c.revision), 0))).scalar_one()
            )
            if top == self._overview_seen:
                return self._overview
            changed = conn.execute(
                _trainee_select()
                .add_columns(trainees.c.name_key, trainees.c.attempt_count)
                .where(trainees.c.revision > self._overview_seen)
            ).all()
            levels = conn.execute(
                _level_select()
                .join_from(level_stats, trainees, level_stats.c.trainee_id == trainees.c.id)
                .where(trainees.c.revision > self._overview_seen)
            ).all()
            by_trainee: dict[int, dict[str, LevelBest]] = {}
            for r in levels:
                by_trainee.setdefault(r[0], {})[r[1]] = _level_best(r)
            rows = self._overview_rows
            for p in changed:
                rows[int(p.id)] = (
                    str(p.name_key),
                    OverviewRow(
                        trainee=_trainee(p),
                        levels=MappingProxyType(by_trainee.get(p.id, {})),
                        attempts=int(p.attempt_count),
                        last_activity=p.last_active,
                    ),
                )
            self._overview = tuple(
                row for _, row in sorted(rows.values(), key=lambda kr: (kr[0], kr[1].trainee.id))
            )
            self._overview_seen = top
            return self._overview

    def competency_averages(self, trainee_id: int) -> MappingProxyType[str, float | None]:
        """Mean score per competency over the trainee's completed attempts (None: never used)."""
        with self._reading() as conn:
            rows = conn.execute(
                select(attempts.c.competencies).where(
                    attempts.c.trainee_id == trainee_id,
                    attempts.c.status == AttemptStatus.COMPLETED.value,
                )
            ).scalars()
            sums: dict[str, list[float]] = {}
            for raw in rows:
                if raw is None:
                    continue
                for cid, value in json.loads(raw).items():
                    bucket = sums.setdefault(cid, [0.0, 0.0])
                    if value is not None:
                        bucket[0] += value
                        bucket[1] += 1
        return MappingProxyType(
            {cid: (total / n if n else None) for cid, (total, n) in sums.items()}
        )

    def overview_page(
        self,
        sort: str,
        descending: bool,
        offset: int,
        limit: int,
        search: str | None = None,
    ) -> tuple[tuple[OverviewRow, ...], int]:
        """One screenful of the overview, ordered in SQL; with how many trainees match in all.

        Unlike `overview()` it reads only the page's trainees and their level rows, so it costs
        the same on the first call of a freshly opened store as on any other. Ties are broken by
        name (then id), so paging is stable. `search` matches anywhere in the name, ignoring case.
        """
        order = OverviewSort(sort)
        if offset < 0 or not 0 < limit <= PAGE_MAX:
            raise ValueError(f"offset must be >= 0 and limit 1..{PAGE_MAX}, not {offset}, {limit}")
        t = trainees.c
        where: list[Any] = []
        term = lookup_key(search or "")
        if term:
            escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append(t.name_key.like(f"%{escaped}%", escape="\\"))
        query: Select[Any] = _trainee_select().add_columns(t.attempt_count).where(*where)
        keys: list[Any] = []
        if order is OverviewSort.NAME:
            keys = [t.name_key.desc(), t.id.desc()] if descending else [t.name_key, t.id]
        else:
            if order is OverviewSort.ACTIVITY:
                # never active counts as the oldest: first ascending, last descending
                keys = [case((t.last_active.is_(None), 0), else_=1), t.last_active]
            else:
                ls = level_stats.c
                counts = (
                    select(
                        ls.trainee_id,
                        func.sum(case((ls.passed, 1), else_=0)).label("passed_n"),
                        func.sum(
                            case((~ls.passed & (ls.failed >= STUCK_AFTER_FAILS), 1), else_=0)
                        ).label("stuck_n"),
                        func.sum(case((ls.passed, 0), else_=ls.failed)).label("failing_n"),
                    )
                    .group_by(ls.trainee_id)
                    .subquery("counts")
                )
                query = query.outerjoin(counts, counts.c.trainee_id == t.id)
                if order is OverviewSort.PASSED:
                    keys = [func.coalesce(counts.c.passed_n, 0)]
                else:
                    keys = [
                        func.coalesce(counts.c.stuck_n, 0),
                        func.coalesce(counts.c.failing_n, 0),
                    ]
            keys = [k.desc() if descending else k for k in keys] + [t.name_key, t.id]
        with self._reading(snapshot=True) as conn:
            found = conn.execute(query.order_by(*keys).offset(offset).limit(limit)).all()
            if 0 < len(found) < limit:  # the last page: everything from the offset is here
                total = offset + len(found)
            else:
                count = select(func.count()).select_from(trainees).where(*where)
                total = int(conn.execute(count).scalar_one())
            ids = [int(r.id) for r in found]
            levels = (
                conn.execute(_level_select().where(level_stats.c.trainee_id.in_(ids))).all()
                if ids
                else []
            )
        by_trainee: dict[int, dict[str, LevelBest]] = {}
        for r in levels:
            by_trainee.setdefault(r[0], {})[r[1]] = _level_best(r)
        rows = tuple(
            OverviewRow(
                trainee=_trainee(r),
                levels=MappingProxyType(by_trainee.get(int(r.id), {})),
                attempts=int(r.attempt_count),
                last_activity=r.last_active,
            )
            for r in found
        )
        return rows, total

    def weakest_principles(self, trainee_id: int, limit: int = 5) -> tuple[PrincipleTally, ...]:
        """The principles this trainee's turns broke most often (most first, then by id)."""
        c = principle_stats.c
        with self._reading() as conn:
            rows = conn.execute(
                select(c.principle, c.broken)
                .where(c.trainee_id == trainee_id, c.broken > 0)
                .order_by(c.broken.desc(), c.principle)
                .limit(limit)
            ).all()
        return tuple(PrincipleTally(str(r.principle), int(r.broken)) for r in rows)

    # ---- coaching notes ---------------------------------------------------------------------

    def add_note(self, attempt_id: int, author: str, text: str) -> Note:
        who = _clean_name(author, "the note's author")
        body = _clean_note(text)
        now = _now()
        with self._writing() as conn:
            trainee_id = conn.execute(
                select(attempts.c.trainee_id).where(attempts.c.id == attempt_id)
            ).scalar()
            if trainee_id is None:
                raise RecordNotFound(f"no attempt with id {attempt_id}")
            result = conn.execute(
                notes.insert().values(
                    attempt_id=attempt_id,
                    trainee_id=trainee_id,
                    author=who,
                    text=body,
                    created_at=now,
                )
            )
            pk = result.inserted_primary_key
            assert pk is not None
        return Note(int(pk[0]), attempt_id, int(trainee_id), who, body, now, None)

    def notes_for_trainee(self, trainee_id: int, *, unread_only: bool = False) -> tuple[Note, ...]:
        query = select(notes).where(notes.c.trainee_id == trainee_id)
        if unread_only:
            query = query.where(notes.c.read_at.is_(None))
        with self._reading() as conn:
            rows = conn.execute(query.order_by(notes.c.created_at, notes.c.id)).all()
        return tuple(_note(r) for r in rows)

    def mark_note_read(self, note_id: int) -> None:
        with self._writing() as conn:
            result = conn.execute(
                notes.update()
                .where(notes.c.id == note_id, notes.c.read_at.is_(None))
                .values(read_at=_now())
            )
            if result.rowcount == 0:
                found = conn.execute(select(notes.c.id).where(notes.c.id == note_id)).first()
                if found is None:
                    raise RecordNotFound(f"no note with id {note_id}")

    # ---- settings ---------------------------------------------------------------------------

    def increment_setting(self, key: str) -> int:
        """One atomic upsert: two windows counting at once both count."""
        stmt = self._insert(settings).values(key=key, value="1")
        current = func.coalesce(cast(settings.c.value, Integer), 0)
        stmt = stmt.on_conflict_do_update(
            index_elements=[settings.c.key], set_={"value": cast(current + 1, TextType)}
        ).returning(settings.c.value)
        with self._writing() as conn:
            return int(conn.execute(stmt).scalar_one())

    # ---- sign-in ------------------------------------------------------------------------------

    def trainee_pin(self, trainee_id: int) -> tuple[str | None, int, datetime | None]:
        t = trainees.c
        with self._reading() as conn:
            row = conn.execute(
                select(t.pin_hash, t.pin_failures, t.pin_failed_at).where(t.id == trainee_id)
            ).first()
        if row is None:
            raise RecordNotFound(f"no trainee with id {trainee_id}")
        stored = None if row.pin_hash is None else str(row.pin_hash)
        return stored, int(row.pin_failures), row.pin_failed_at

    def set_trainee_pin(self, trainee_id: int, pin_hash: str | None) -> None:
        self._update_trainee(trainee_id, pin_hash=pin_hash, pin_failures=0, pin_failed_at=None)

    def count_pin_failure(self, trainee_id: int, when: datetime) -> int:
        with self._writing() as conn:
            found = conn.execute(
                trainees.update()
                .where(trainees.c.id == trainee_id)
                .values(pin_failures=trainees.c.pin_failures + 1, pin_failed_at=when)
                .returning(trainees.c.pin_failures)
            ).scalar()
        if found is None:
            raise RecordNotFound(f"no trainee with id {trainee_id}")
        return int(found)

    def clear_pin_failures(self, trainee_id: int) -> None:
        self._update_trainee(trainee_id, pin_failures=0, pin_failed_at=None)

    def set_trainee_login(self, trainee_id: int, login: str | None) -> None:
        """Which database login is this trainee (PostgreSQL rooms; see game.records.room)."""
        self._update_trainee(trainee_id, login=login)

    def trainee_login(self, trainee_id: int) -> str | None:
        with self._reading() as conn:
            return conn.execute(
                select(trainees.c.login).where(trainees.c.id == trainee_id)
            ).scalar()

    def _update_trainee(self, trainee_id: int, **values: Any) -> None:
        with self._writing() as conn:
            done = conn.execute(
                trainees.update().where(trainees.c.id == trainee_id).values(**values)
            )
            if done.rowcount != 1:
                raise RecordNotFound(f"no trainee with id {trainee_id}")

    def get_setting(self, key: str) -> str | None:
        with self._reading() as conn:
            value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
        return None if value is None else str(value)

    def set_setting(self, key: str, value: str) -> None:
        stmt = self._insert(settings).values(key=key, value=value)
        stmt = stmt.on_conflict_do_update(
            index_elements=[settings.c.key], set_={"value": stmt.excluded.value}
        )
        with self._writing() as conn:
            conn.execute(stmt)


if TYPE_CHECKING:

    def _implements_store(store: SqlStore) -> Store:
        """mypy proves here that SqlStore satisfies the protocol the game and reports use."""
        return store


# ---- the write path, built once -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Statements:
    """The statements every turn and ending runs, with bind parameters, built once per store.

    Building SQLAlchemy constructs per call costs more than the SQL itself; these are
    compiled once and cached by the engine.
    """

    touch_trainee_start: Executable
    touch_trainee_end: Executable
    insert_attempt: Executable
    advance_turn: Executable
    insert_turn: Executable
    finish: Executable
    abandon: Executable
    upsert_level: Executable
    upsert_principle: Executable
    revision_lock: Executable

    @staticmethod
    def build(pg: bool) -> _Statements:
        a = attempts.c
        aid: Any = bindparam("b_aid")
        in_progress = a.status == AttemptStatus.IN_PROGRESS.value
        ended = bindparam("b_ended", type_=UtcDateTime())
        when = bindparam("b_when", type_=UtcDateTime())
        returning = (a.trainee_id, a.scenario_id, a.level)

        upsert = (postgresql.insert if pg else sqlite.insert)(level_stats)
        new = upsert.excluded
        old = level_stats.c
        better = and_(
            new.best_score.is_not(None),
            old.best_score.is_(None) | (new.best_score > old.best_score),
        )
        upsert = upsert.on_conflict_do_update(
            index_elements=[old.trainee_id, old.scenario_id],
            set_={
                "level": case((old.level.is_(None), new.level), else_=old.level),
                "attempts": old.attempts + 1,
                "failed": old.failed + new.failed,
                "passed": old.passed | new.passed,
                "best_score": case((better, new.best_score), else_=old.best_score),
                "best_grade": case((better, new.best_grade), else_=old.best_grade),
                "last_played": _later(old.last_played, new.last_played),
            },
        )
        tally = (postgresql.insert if pg else sqlite.insert)(principle_stats)
        tally = tally.on_conflict_do_update(
            index_elements=[principle_stats.c.trainee_id, principle_stats.c.principle],
            set_={"broken": principle_stats.c.broken + tally.excluded.broken},
        )
        return _Statements(
            touch_trainee_start=trainees.update()
            .where(trainees.c.id == bindparam("b_tid"))
            .values(
                attempt_count=trainees.c.attempt_count + 1,
                last_active=_later(trainees.c.last_active, when),
                revision=_next_revision(pg),
            ),
            touch_trainee_end=trainees.update()
            .where(trainees.c.id == bindparam("b_tid"))
            .values(last_active=_later(trainees.c.last_active, when), revision=_next_revision(pg)),
            insert_attempt=attempts.insert(),
            advance_turn=attempts.update()
            .where(a.id == aid, in_progress, a.turn_count == bindparam("b_prev"))
            .values(
                turn_count=bindparam("b_n"),
                updated_at=bindparam("b_now", type_=UtcDateTime()),
            )
            .returning(a.trainee_id),
            insert_turn=turns.insert(),
            finish=attempts.update()
            .where(a.id == aid, in_progress)
            .values(
                status=AttemptStatus.COMPLETED.value,
                ended_at=ended,
                updated_at=ended,
                outcome=bindparam("b_outcome"),
                rating=bindparam("b_rating"),
                cause=bindparam("b_cause"),
                score=bindparam("b_score"),
                grade=bindparam("b_grade"),
                passed=bindparam("b_passed", type_=Boolean()),
                final_anger=bindparam("b_final"),
                anger_trace=bindparam("b_trace"),
                closing_effects=bindparam("b_closing"),
                competencies=bindparam("b_comp"),
                timeout_silence=bindparam("b_timeout", type_=Float()),
            )
            .returning(*returning),
            abandon=attempts.update()
            .where(a.id == aid, in_progress)
            .values(status=AttemptStatus.ABANDONED.value, ended_at=ended, updated_at=ended)
            .returning(*returning),
            upsert_level=upsert,
            upsert_principle=tally,
            revision_lock=select(func.pg_advisory_xact_lock(REVISION_LOCK)),
        )


# ---- row mapping --------------------------------------------------------------------------


@contextmanager
def _refusals() -> Iterator[None]:
    """PostgreSQL's "permission denied" (a trainee's login on a room) as AccessRefused."""
    try:
        yield
    except ProgrammingError as error:
        code = getattr(error.orig, "sqlstate", None)
        if code in ("42501", "42883"):  # insufficient_privilege; a function it may not see
            raise AccessRefused(
                "this database login may not do that (the room gives each login only its"
                " own records): ask the room's administrator"
            ) from error
        raise


def _next_revision(pg: bool) -> Any:
    """(SELECT MAX(revision) + 1 FROM trainees), through an alias so it never correlates.

    On PostgreSQL the schema's function computes it as the tables' owner (see schema v6).
    """
    if pg:
        return getattr(func, NEXT_REVISION_FUNCTION)()
    other = trainees.alias("rev")
    return select(func.coalesce(func.max(other.c.revision), 0) + 1).scalar_subquery()


def _later(column: Any, value: Any) -> Any:
    """SQL for max(column, value) that both backends accept (no GREATEST in SQLite)."""
    return case((column.is_(None) | (column < value), value), else_=column)


def _trainee_select() -> Select[Any]:
    return select(trainees.c.id, trainees.c.name, trainees.c.created_at, trainees.c.last_active)


def _trainee(row: Row[Any]) -> Trainee:
    return Trainee(int(row.id), str(row.name), row.created_at, row.last_active)


def _attempt_select() -> Select[Any]:
    return select(
        attempts.c.id,
        attempts.c.trainee_id,
        trainees.c.name.label("trainee_name"),
        attempts.c.scenario_id,
        attempts.c.content_hash,
        attempts.c.level,
        attempts.c.status,
        attempts.c.started_at,
        attempts.c.ended_at,
        attempts.c.outcome,
        attempts.c.rating,
        attempts.c.score,
        attempts.c.grade,
        attempts.c.passed,
        attempts.c.final_anger,
        attempts.c.pass_score,
        attempts.c.turn_count,
        attempts.c.seed,
        attempts.c.abusive_caller,
        attempts.c.supervisor_request,
        attempts.c.timer,
        attempts.c.lang,
        attempts.c.catalog_hash,
    ).join_from(attempts, trainees, attempts.c.trainee_id == trainees.c.id)


_STATUSES = {status.value: status for status in AttemptStatus}
_POLICIES: dict[tuple[str, str], Policy] = {}


def _attempt(row: Row[Any]) -> Attempt:
    """Positional, in `_attempt_select`'s column order: exports map tens of thousands of these,
    and Row attribute access and Enum lookups are most of the cost (read side, w-records)."""
    values: Any = row[:23]
    (ident, trainee_id, trainee_name, scenario_id, content_hash, level, status, started_at,
     ended_at, outcome, rating, score, grade, passed, final_anger, pass_score, turn_count, seed,
     abusive, supervisor, timer, lang, catalog_hash) = values  # fmt: skip
    policy = _POLICIES.get((abusive, supervisor))
    if policy is None:
        policy = Policy(AbusivePolicy(abusive), SupervisorPolicy(supervisor))
        _POLICIES[abusive, supervisor] = policy
    return Attempt(
        id=int(ident),
        trainee_id=int(trainee_id),
        trainee_name=str(trainee_name),
        scenario_id=str(scenario_id),
        content_hash=str(content_hash),
        level=level,
        status=_STATUSES[status],
        started_at=started_at,
        ended_at=ended_at,
        outcome=outcome,
        rating=rating,
        score=score,
        grade=grade,
        passed=None if passed is None else bool(passed),
        final_anger=final_anger,
        pass_score=int(pass_score),
        turn_count=int(turn_count),
        seed=int(seed),
        policy=policy,
        timer=str(timer),
        lang=str(lang),
        catalog_hash=catalog_hash,
    )


def _turn(row: Row[Any]) -> Turn:
    return turn_from_json(
        {
            **({} if row.extra is None else json.loads(row.extra)),
            "number": row.number,
            "node": row.node,
            "choice": row.choice,
            "say": json.loads(row.say),
            "techniques": json.loads(row.techniques),
            "tags": json.loads(row.tags),
            "anger_before": row.anger_before,
            "anger_after": row.anger_after,
            "silence": row.silence,
            "effects": json.loads(row.effects),
            "quality": row.quality,
            "feedback": None if row.feedback is None else json.loads(row.feedback),
        }
    )


def detail_select() -> Select[Any]:
    """An attempt with everything `detail_from_rows` needs (read side, also for bulk reads)."""
    return _attempt_select().add_columns(
        attempts.c.anger_trace,
        attempts.c.closing_effects,
        attempts.c.competencies,
        attempts.c.timeout_silence,
    )


def detail_from_rows(
    row: Row[Any], turn_rows: Sequence[Row[Any]], note_rows: Sequence[Row[Any]]
) -> AttemptDetail:
    """One attempt's detail from its row (`detail_select`), its turns and its notes, in order."""
    restored = tuple(_turn(r) for r in turn_rows)
    events = [Event(t.choice, t.silence) for t in restored]
    if row.timeout_silence is not None:
        events.append(Event(None, float(row.timeout_silence)))
    if row.anger_trace is not None:
        trace = tuple(int(a) for a in json.loads(row.anger_trace))
    else:
        trace = _partial_trace(restored)
    competencies: dict[str, int | None] = (
        {} if row.competencies is None else dict(json.loads(row.competencies))
    )
    return AttemptDetail(
        attempt=_attempt(row),
        turns=restored,
        events=tuple(events),
        response_times=tuple(float(r.response_time) for r in turn_rows),
        anger_trace=trace,
        closing_effects=()
        if row.closing_effects is None
        else _effects_from_json(row.closing_effects),
        competencies=MappingProxyType(competencies),
        notes=tuple(_note(n) for n in note_rows),
    )


def _partial_trace(played: Sequence[Turn]) -> tuple[int, ...]:
    """An unfinished attempt's anger trace, rebuilt from its turns.

    The start value is the first turn's anger before it, less any dead air added at that
    prompt (exact: the engine only adds silence below the timeout, so nothing was clipped).
    """
    if not played:
        return ()
    first = played[0]
    silence = sum(e.anger for e in first.effects if e.source == "silence")
    return (first.anger_before - silence, *(t.anger_after for t in played))


def _note(row: Row[Any]) -> Note:
    return Note(
        id=int(row.id),
        attempt_id=int(row.attempt_id),
        trainee_id=int(row.trainee_id),
        author=str(row.author),
        text=str(row.text),
        created_at=row.created_at,
        read_at=row.read_at,
    )


def _level_select() -> Select[Any]:
    """Level summaries in the column order `_level_best` unpacks, campaign order per trainee."""
    c = level_stats.c
    return select(
        c.trainee_id,
        c.scenario_id,
        c.best_score,
        c.best_grade,
        c.passed,
        c.attempts,
        c.failed,
        c.last_played,
    ).order_by(c.trainee_id, case((c.level.is_(None), 1), else_=0), c.level, c.scenario_id)


def _level_best(row: Sequence[Any]) -> LevelBest:
    # Positional: the overview builds thousands of these, and Row attribute access is slow.
    _, scenario_id, best_score, best_grade, passed, attempts, failed, last_played = row
    return LevelBest(
        scenario_id, best_score, best_grade, bool(passed), attempts, failed, last_played
    )
