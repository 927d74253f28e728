"""PostgreSQL for tests: the server CI names, or a throwaway one started for this session.

Use from any test module or conftest:

    from tests.pg import pg_server, pg_url  # noqa: F401  (pytest fixtures)

`pg_url` gives each test a fresh, empty database (CREATE DATABASE … / DROP DATABASE … at the
end) as a `postgresql://` URL. The server is `HTL_TEST_POSTGRES_URL` if set (its user needs
CREATEDB; CI sets it); otherwise, if `initdb` and `pg_ctl` are on PATH (or in
/usr/lib/postgresql/*/bin), a server is initialised in a temp directory, listening on
127.0.0.1 only, on a free port, and stopped when the test session ends. As root it runs as
the `postgres` user through `runuser` (initdb refuses root). If neither is possible the tests
that need PostgreSQL are skipped, with the reason.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

ENV_URL = "HTL_TEST_POSTGRES_URL"
SERVER_USER = "postgres"


@dataclass(frozen=True)
class PgServer:
    """A server we may create databases on; `admin_url` is a libpq/SQLAlchemy-style URL."""

    admin_url: str

    def _connect(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(_libpq(self.admin_url), autocommit=True, connect_timeout=10)

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = f"htl_test_{uuid.uuid4().hex[:16]}"
        with self._connect() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        if name is None or not name.startswith("htl_test_"):
            raise ValueError(f"refusing to drop {name!r}: not a test database")
        with self._connect() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _libpq(url: str) -> str:
    """psycopg takes postgresql:// URLs but not SQLAlchemy's postgresql+psycopg:// form."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def _find_tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Throwaway:
    """initdb + pg_ctl in a temp directory; `stop()` removes every trace."""

    def __init__(self) -> None:
        self.initdb = _find_tool("initdb")
        self.pg_ctl = _find_tool("pg_ctl")
        self.as_root = os.geteuid() == 0
        self.base: Path | None = None
        self.started = False

    def missing(self) -> str | None:
        if self.initdb is None or self.pg_ctl is None:
            return (
                f"PostgreSQL tests need {ENV_URL} or `initdb` and `pg_ctl` on PATH"
                " (e.g. /usr/lib/postgresql/15/bin); neither was found"
            )
        if self.as_root:
            if shutil.which("runuser") is None:
                return "running as root, and `runuser` (to run initdb as postgres) is missing"
            try:
                pwd.getpwnam(SERVER_USER)
            except KeyError:
                return f"running as root, and there is no `{SERVER_USER}` user to run initdb as"
        return None

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> PgServer:
        assert self.initdb is not None
        assert self.pg_ctl is not None
        # Not under pytest's tmp dir: that is private to root, and the server runs as postgres.
        self.base = Path(tempfile.mkdtemp(prefix="htl-pg-"))
        if self.as_root:
            entry = pwd.getpwnam(SERVER_USER)
            os.chown(self.base, entry.pw_uid, entry.pw_gid)
        data = self.base / "data"
        port = _free_port()
        self._run(
            self.initdb, "-D", str(data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={self.base}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=200"
        )
        self._run(
            self.pg_ctl, "-D", str(data), "-l", str(self.base / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        self.started = True
        return PgServer(f"postgresql://postgres@127.0.0.1:{port}/postgres")

    def stop(self) -> None:
        if self.base is None:
            return
        if self.started and self.pg_ctl is not None:
            with contextlib.suppress(subprocess.SubprocessError):
                self._run(self.pg_ctl, "-D", str(self.base / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.base, ignore_errors=True)
        self.base = None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The PostgreSQL server for this test session (skips the test if there is none)."""
    url = os.environ.get(ENV_URL)
    if url:
        server = PgServer(url)
        try:
            with server._connect():
                pass
        except psycopg.Error as error:
            pytest.fail(f"{ENV_URL} is set but the server does not answer: {error}")
        yield server
        return
    throwaway = _Throwaway()
    reason = throwaway.missing()
    if reason is not None:
        pytest.skip(reason)
    try:
        server = throwaway.start()
    except (OSError, subprocess.SubprocessError) as error:
        throwaway.stop()
        detail = getattr(error, "stderr", b"") or b""
        pytest.skip(f"could not start a throwaway PostgreSQL: {error} {detail.decode()[-500:]}")
    try:
        yield server
    finally:
        throwaway.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh database for one test, dropped afterwards."""
    url = pg_server.create_database()
    try:
        yield url
    finally:
        pg_server.drop_database(url)
