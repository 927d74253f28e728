"""A training room: who may read and write which records, enforced by the database.

On PostgreSQL the room's administrator (the login that owns the database) runs `room init`
once. It creates two group roles for the database, `<db>_supervisors` and `<db>_trainees`,
takes every right away from everyone else, and turns on row-level security:

- a supervisor's login reads and writes every record (the desk, `report`, `export`);
- a trainee's login reads and writes only its own trainee row (a few columns), attempts,
  turns, summaries and the notes addressed to it (only marking them read); it cannot see
  other trainees at all, nor the settings (the supervisor passphrase and its failure count),
  nor add notes, nor change which login is whose, nor which levels require exam mode
  (it reads them);
- nobody but the owner changes the schema or the roles.

Each trainee and supervisor gets their own login (`room add-trainee`, `room add-supervisor`);
`htl_me()` maps the session's login to its trainee row. Passwords are hashed with SCRAM on
this side (libpq's PQencryptPasswordConn) before they are sent, so the plain password never
reaches the server or its logs. Rerun `room init` after upgrading the game: it is idempotent
and grants the rights on tables a newer version added.

On SQLite (one machine, one file) the database cannot tell people apart: the same commands
give trainees a PIN instead, and docs/supervisors.md says plainly what that does not stop.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from game.records import passphrase
from game.records.api import AccessRefused, Trainee
from game.records.store import SqlStore

PASSWORD_BYTES = 12  # token_urlsafe: 16 characters, 96 bits
LOCKED = "!removed"  # a pin_hash no PIN matches: the leaver's profile stays, closed

# Tables a trainee's login may touch, and the rows it sees there.
OWN_ROWS = {
    "trainees": "id = htl_me()",
    "attempts": "trainee_id = htl_me()",
    "turns": "attempt_id IN (SELECT a.id FROM attempts a WHERE a.trainee_id = htl_me())",
    "notes": "trainee_id = htl_me()",
    "level_stats": "trainee_id = htl_me()",
    "principle_stats": "trainee_id = htl_me()",
}
# row-level security on; settings and the cohort's tallies (v8): supervisors only
PROTECTED = (
    *OWN_ROWS,
    "settings",
    "choice_tallies",
    "path_tallies",
    "principle_tallies",
    "latest_attempts",
)
TRAINEE_GRANTS = (
    "GRANT SELECT ON schema_version TO {trn}",
    "GRANT SELECT ON trainees TO {trn}",
    "GRANT UPDATE (last_active, attempt_count, revision, pin_failures, pin_failed_at,"
    " settings) ON trainees TO {trn}",
    "GRANT SELECT, INSERT, UPDATE ON attempts TO {trn}",
    "GRANT SELECT, INSERT ON turns TO {trn}",
    "GRANT SELECT ON notes TO {trn}",
    "GRANT UPDATE (read_at) ON notes TO {trn}",
    "GRANT SELECT, INSERT, UPDATE ON level_stats, principle_stats TO {trn}",
    # v10: which levels require exam mode: every trainee reads it, only supervisors change it
    "GRANT SELECT ON exam_levels TO {trn}",
)


class RoomError(ValueError):
    """The room cannot do that (wrong backend, not set up, unknown person): say why."""


@dataclass(frozen=True, slots=True)
class Groups:
    supervisors: str
    trainees: str


@dataclass(frozen=True, slots=True)
class Enrolled:
    """What `add_trainee`/`reset` hand back to tell the person (shown once, never stored)."""

    trainee: Trainee | None
    login: str | None  # PostgreSQL: the database login
    secret: str | None  # the password or PIN, if this side made it up


def is_postgresql(store: SqlStore) -> bool:
    return store.engine.dialect.name == "postgresql"


def session_login(store: SqlStore) -> str | None:
    """The PostgreSQL login this store is connected as (None on SQLite)."""
    if not is_postgresql(store):
        return None
    with store.engine.connect() as conn:
        return str(conn.execute(text("SELECT current_user")).scalar_one())


def groups_for(store: SqlStore) -> Groups:
    database = store.engine.url.database or ""
    if not database or len(database) > 50:
        raise RoomError(f"the database name {database!r} must be 1 to 50 characters for a room")
    return Groups(f"{database}_supervisors", f"{database}_trainees")


def new_password() -> str:
    return secrets.token_urlsafe(PASSWORD_BYTES)


def login_for(store: SqlStore, name: str) -> str:
    """A login name from a person's name: `<db>_ana_cruz` (ASCII letters, digits, _)."""
    database = store.engine.url.database or "room"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_") or "trainee"
    return f"{database}_{slug}"[:63]


def _check_login(login: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", login):
        raise RoomError(
            f"{login!r} cannot be a login: use lower-case letters, digits and _ (at most 63)"
        )
    return login


# ---- PostgreSQL ------------------------------------------------------------------------------


def _ident(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _run(conn: Connection, statements: Sequence[str], **names: str) -> None:
    quoted = {key: _ident(conn, value) for key, value in names.items()}
    for statement in statements:
        conn.exec_driver_sql(statement.format(**quoted))


def _role_exists(conn: Connection, role: str) -> bool:
    return bool(
        conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %(r)s", {"r": role}).first()
    )


def _scram(conn: Connection, login: str, password: str) -> str:
    """The SCRAM verifier of `password` for `login`, computed here by libpq."""
    pgconn: Any = conn.connection.driver_connection.pgconn  # type: ignore[union-attr]
    verifier: bytes = pgconn.encrypt_password(
        password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256"
    )
    return verifier.decode("ascii")


def _literal(conn: Connection, text: str) -> str:
    """A string literal for utility statements (which take no parameters)."""
    from psycopg import sql

    driver: Any = conn.connection.driver_connection
    return str(sql.Literal(text).as_string(driver))


def _owner_only(store: SqlStore) -> None:
    with store.engine.connect() as conn:
        owner = conn.exec_driver_sql(
            "SELECT pg_get_userbyid(datdba) = current_user OR"
            " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
            " FROM pg_database WHERE datname = current_database()"
        ).scalar()
    if not owner:
        raise RoomError(
            "only the database's owner (the room's administrator) can set up the room and"
            " its logins; this login is not"
        )


def init_room(store: SqlStore) -> Groups:
    """Set up (or bring up to date) a PostgreSQL room: groups, rights, row-level security."""
    if not is_postgresql(store):
        raise RoomError(
            "a room with database logins needs PostgreSQL. On one machine with SQLite, set"
            " the supervisor passphrase with `hold-the-line supervisor set-passphrase` and"
            " give trainees PINs with `hold-the-line room add-trainee NAME`"
        )
    _owner_only(store)
    groups = groups_for(store)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4805708)")  # one init at a time
        for role in (groups.supervisors, groups.trainees):
            if not _role_exists(conn, role):
                _run(conn, ["CREATE ROLE {role} NOLOGIN"], role=role)
        schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar())
        database = str(conn.exec_driver_sql("SELECT current_database()").scalar())
        names = {"sup": groups.supervisors, "trn": groups.trainees, "schema": schema}
        _run(
            conn,
            [
                "REVOKE ALL ON DATABASE {db} FROM PUBLIC",
                "GRANT CONNECT ON DATABASE {db} TO {sup}, {trn}",
                "REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
                "GRANT USAGE ON SCHEMA {schema} TO {sup}, {trn}",
                "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM PUBLIC, {sup}, {trn}",
                "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM PUBLIC, {sup}, {trn}",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {sup}",
                "REVOKE INSERT, UPDATE, DELETE ON schema_version FROM {sup}",
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {sup}",
                *TRAINEE_GRANTS,
                "GRANT USAGE ON SEQUENCE attempts_id_seq TO {trn}",
                # who is this session? (runs as the owner, so it sees the trainees table)
                "CREATE OR REPLACE FUNCTION htl_me() RETURNS INTEGER LANGUAGE sql STABLE"
                " SECURITY DEFINER SET search_path FROM CURRENT"
                " AS 'SELECT id FROM trainees WHERE login = session_user'",
                "REVOKE ALL ON FUNCTION htl_me() FROM PUBLIC",
                "GRANT EXECUTE ON FUNCTION htl_me() TO {sup}, {trn}",
                "REVOKE ALL ON FUNCTION htl_next_revision() FROM PUBLIC",
                "GRANT EXECUTE ON FUNCTION htl_next_revision() TO {sup}, {trn}",
            ],
            db=database,
            **names,
        )
        for table in PROTECTED:
            _run(
                conn,
                [
                    f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
                    f"DROP POLICY IF EXISTS htl_supervisors ON {table}",
                    f"CREATE POLICY htl_supervisors ON {table} TO {{sup}}"
                    " USING (true) WITH CHECK (true)",
                    f"DROP POLICY IF EXISTS htl_own_rows ON {table}",
                ],
                **names,
            )
            rows = OWN_ROWS.get(table)
            if rows is not None:
                _run(
                    conn,
                    [
                        f"CREATE POLICY htl_own_rows ON {table} TO {{trn}}"
                        f" USING ({rows}) WITH CHECK ({rows})"
                    ],
                    **names,
                )
    return groups


def _require_room(conn: Connection, groups: Groups) -> None:
    if not _role_exists(conn, groups.trainees) or not _role_exists(conn, groups.supervisors):
        raise RoomError("the room is not set up yet: run `hold-the-line room init --db URL` first")


def _create_login(conn: Connection, login: str, password: str, group: str) -> None:
    if _role_exists(conn, login):
        raise RoomError(f"a database login called {login!r} already exists: choose another")
    verifier = _literal(conn, _scram(conn, login, password))
    _run(conn, [f"CREATE ROLE {{login}} LOGIN PASSWORD {verifier} IN ROLE {{group}}"],
         login=login, group=group)  # fmt: skip


def _set_password(conn: Connection, login: str, password: str) -> None:
    verifier = _literal(conn, _scram(conn, login, password))
    _run(conn, [f"ALTER ROLE {{login}} PASSWORD {verifier}"], login=login)


def _find(store: SqlStore, name: str) -> Trainee:
    found = store.find_trainee(name)
    if found is None:
        raise RoomError(f"there is no trainee called {name!r}")
    return found


# ---- the commands, on either backend ---------------------------------------------------------


def add_trainee(
    store: SqlStore,
    name: str,
    *,
    secret: str | None = None,
    login: str | None = None,
) -> Enrolled:
    """Enrol a trainee. PostgreSQL: a login in the trainees' group (its password is `secret`
    or a new random one). SQLite: a profile with the PIN `secret` (or a new random one)."""
    if not is_postgresql(store):
        made = secret is None
        pin = secret if secret is not None else f"{secrets.randbelow(10**6):06d}"
        passphrase.check_pin_format(pin)
        trainee = store.add_trainee(name)
        passphrase.set_pin(store, trainee.id, pin)
        return Enrolled(trainee, None, pin if made else None)
    _owner_only(store)
    groups = groups_for(store)
    chosen = _check_login(login or login_for(store, name))
    password = secret if secret is not None else new_password()
    with store.engine.connect() as conn:
        _require_room(conn, groups)
        if _role_exists(conn, chosen):
            raise RoomError(f"a database login called {chosen!r} already exists: use --login")
    trainee = store.add_trainee(name)
    try:
        with store.engine.begin() as conn:
            _create_login(conn, chosen, password, groups.trainees)
        store.set_trainee_login(trainee.id, chosen)
    except BaseException:
        with store.engine.begin() as conn:  # no half-enrolled trainee is left behind
            conn.exec_driver_sql("DELETE FROM trainees WHERE id = %(t)s", {"t": trainee.id})
        raise
    return Enrolled(trainee, chosen, None if secret is not None else password)


def add_supervisor(store: SqlStore, login: str, *, secret: str | None = None) -> Enrolled:
    """A supervisor's own login (PostgreSQL rooms only)."""
    if not is_postgresql(store):
        raise RoomError(
            "on SQLite supervisors share the passphrase: `hold-the-line supervisor set-passphrase`"
        )
    _owner_only(store)
    groups = groups_for(store)
    password = secret if secret is not None else new_password()
    with store.engine.begin() as conn:
        _require_room(conn, groups)
        _create_login(conn, _check_login(login), password, groups.supervisors)
    return Enrolled(None, login, None if secret is not None else password)


def reset(store: SqlStore, name: str, *, secret: str | None = None) -> Enrolled:
    """A new password (PostgreSQL) or PIN (SQLite) for a trainee who forgot theirs."""
    trainee = _find(store, name)
    if not is_postgresql(store):
        pin = secret if secret is not None else f"{secrets.randbelow(10**6):06d}"
        passphrase.set_pin(store, trainee.id, pin)
        return Enrolled(trainee, None, None if secret is not None else pin)
    _owner_only(store)
    login = store.trainee_login(trainee.id)
    if login is None:
        raise RoomError(f"{trainee.name} has no database login (removed, or never enrolled)")
    password = secret if secret is not None else new_password()
    with store.engine.begin() as conn:
        _set_password(conn, login, password)
    store.clear_pin_failures(trainee.id)
    return Enrolled(trainee, login, None if secret is not None else password)


def remove(store: SqlStore, name: str) -> Trainee:
    """A leaver: their login is dropped (PostgreSQL) or their profile closed (SQLite).

    Their records stay, for the reports; nobody can sign in as them any more."""
    trainee = _find(store, name)
    if not is_postgresql(store):
        store.set_trainee_pin(trainee.id, LOCKED)
        return trainee
    _owner_only(store)
    login = store.trainee_login(trainee.id)
    if login is not None:
        with store.engine.begin() as conn:
            if _role_exists(conn, login):
                # end their open sessions too: a dropped login must not keep writing
                conn.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %(l)s",
                    {"l": login},
                )
                _run(conn, ["DROP ROLE {login}"], login=login)
        store.set_trainee_login(trainee.id, None)
    return trainee


def require_supervisor(store: SqlStore) -> None:
    """Raise AccessRefused unless this login may read everything (the desk, report, export).

    Asked of PostgreSQL itself: a trainee's login has no right on the settings table."""
    if not is_postgresql(store):
        return
    store.get_setting(passphrase.SETTING_KEY)  # AccessRefused for a trainee's login


__all__ = [
    "LOCKED",
    "AccessRefused",
    "Enrolled",
    "Groups",
    "RoomError",
    "add_supervisor",
    "add_trainee",
    "init_room",
    "remove",
    "require_supervisor",
    "reset",
]
