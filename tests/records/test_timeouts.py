"""No hang on a stalled PostgreSQL: opening the records gives up after the configured time."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from game.records.redact import public_message
from game.records.store import DbTimeouts, open_store
from tests.records.play import ROOT
from tests.stall import StalledServer, stalled_pg  # noqa: F401  (fixture)

CONNECT = 2.0  # libpq counts whole seconds, at least 2


def test_opening_a_stalled_server_gives_up_after_the_connect_timeout(
    stalled_pg: StalledServer,  # noqa: F811
) -> None:
    started = time.monotonic()
    with pytest.raises(OperationalError) as caught:
        open_store(stalled_pg.url(), timeouts=DbTimeouts(connect=CONNECT, statement=3))
    elapsed = time.monotonic() - started
    assert stalled_pg.accepted >= 1  # it really reached the server, which said nothing
    assert CONNECT - 0.5 <= elapsed < CONNECT + 1.5
    assert "timeout" in public_message(caught.value).lower()


def test_timeouts_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOLD_THE_LINE_DB_CONNECT_TIMEOUT", "7")
    monkeypatch.setenv("HOLD_THE_LINE_DB_STATEMENT_TIMEOUT", "2.5")
    assert DbTimeouts.from_env() == DbTimeouts(connect=7, statement=2.5)
    monkeypatch.setenv("HOLD_THE_LINE_DB_CONNECT_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="HOLD_THE_LINE_DB_CONNECT_TIMEOUT='soon'"):
        DbTimeouts.from_env()
    monkeypatch.setenv("HOLD_THE_LINE_DB_CONNECT_TIMEOUT", "0")
    with pytest.raises(ValueError, match="between 0 and 3600"):
        DbTimeouts.from_env()


def test_statements_carry_a_server_side_timeout(pg_url: str) -> None:
    with (
        open_store(pg_url, timeouts=DbTimeouts(connect=3, statement=1.5)) as store,
        store.engine.connect() as conn,
    ):
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "1500ms"
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"):
            conn.exec_driver_sql("SELECT pg_sleep(30)")
        assert time.monotonic() - started < 5


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run_report(url: str, out: Path, home: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = dict(os.environ)
    env.update(
        {
            "HOLD_THE_LINE_HOME": str(home),
            "HOLD_THE_LINE_DB_CONNECT_TIMEOUT": str(int(CONNECT)),
            "PYTHONPATH": str(ROOT),
        }
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "game", "report", "--db", url, "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return time.monotonic() - started, done


def test_a_command_on_a_stalled_server_ends_within_the_timeout(
    stalled_pg: StalledServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    # The floor: the same command against a port that refuses at once (start-up costs only).
    floor, refused = _run_report(
        f"postgresql://u@127.0.0.1:{_closed_port()}/room", tmp_path / "a.html", tmp_path
    )
    assert refused.returncode != 0
    elapsed, stalled = _run_report(stalled_pg.url("Hunter2-SECRET"), tmp_path / "b.html", tmp_path)
    assert stalled.returncode != 0
    assert stalled_pg.accepted >= 1
    assert elapsed - floor < CONNECT + 2.0, (floor, elapsed)
    assert "Hunter2-SECRET" not in stalled.stdout + stalled.stderr


def test_a_server_that_stops_answering_mid_session_is_given_up_on(pg_url: str) -> None:
    """Connected, then silent: neither the server's statement timeout nor TCP can notice;
    the store's own deadline does, and the next call works again once the server is back."""
    from sqlalchemy.engine import make_url

    from game.records.store import DEADLINE_GRACE
    from tests.stall import FreezableProxy

    real = make_url(pg_url)
    proxy = FreezableProxy(real.host or "127.0.0.1", int(real.port or 5432))
    try:
        via = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        with open_store(via, timeouts=DbTimeouts(connect=2, statement=1)) as store:
            ana = store.add_trainee("Ana")
            proxy.frozen.set()
            started = time.monotonic()
            with pytest.raises(OperationalError):
                store.trainees()
            elapsed = time.monotonic() - started
            # the pool's ping is cut at its deadline, then one reconnection is tried (and
            # times out): statement + grace + connect, and some slack for a busy machine
            assert elapsed < 1 + DEADLINE_GRACE + 2 + 3, elapsed
            proxy.frozen.clear()
            assert [t.id for t in store.trainees()] == [ana.id]  # a fresh connection
    finally:
        proxy.close()
