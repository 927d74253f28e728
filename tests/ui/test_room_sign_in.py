"""Signing in to a PostgreSQL room in the game: the trainee's own login name and password.

The server here asks the room's trainees for a password (SCRAM, as a real room's pg_hba.conf
does), so a wrong one is refused by PostgreSQL itself. Driven through the real window with
posted key events.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pygame
import pytest
from sqlalchemy.engine import make_url

from game.paths import default_campaign
from game.records import room
from game.records.api import Store
from game.records.store import SqlStore
from game.training import LocalThrottle
from game.ui.app import App, AppConfig, open_app
from game.ui.autopilot import Autopilot
from game.ui.scenes import sign_in
from game.ui.scenes.levels import LevelsScene
from game.ui.scenes.profile import ProfileScene
from game.ui.scenes.sign_in import REFUSED, LoginScene
from game.ui.scenes.title import TitleScene
from tests.pg import pg_server, pg_url  # noqa: F401  (fixtures)
from tests.records.test_room import Room, pg_room  # noqa: F401  (fixture)

WRONG = "not-her-password"


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def passwords_asked(pg_room: Room) -> Iterator[Room]:  # noqa: F811
    """This room's trainees must give a SCRAM password (one pg_hba.conf line for its
    database, removed afterwards); skipped where the server's configuration is not ours."""
    database = make_url(pg_room.url).database
    trainees = room.groups_for(pg_room.admin).trainees
    line = f"host {database} +{trainees} all scram-sha-256\n"
    with psycopg.connect(_libpq(pg_room.url), autocommit=True) as conn:
        try:
            found = conn.execute("SHOW hba_file").fetchone()
        except psycopg.Error:
            pytest.skip("the test server's pg_hba.conf cannot be read by this login")
        assert found is not None
        hba = Path(str(found[0]))
        try:
            hba.write_text(line + hba.read_text())
        except OSError:
            pytest.skip(f"{hba} cannot be changed from the tests")
        conn.execute("SELECT pg_reload_conf()")
    try:
        yield pg_room
    finally:
        hba.write_text(hba.read_text().replace(line, "", 1))
        with psycopg.connect(_libpq(pg_room.url), autocommit=True) as conn:
            conn.execute("SELECT pg_reload_conf()")


def _refused_without_password(url: str) -> bool:
    try:
        psycopg.connect(_libpq(url), connect_timeout=5).close()
    except psycopg.OperationalError:
        return True
    return False


@pytest.fixture
def no_saved_passwords(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, isolated_home: Path
) -> Path:
    """Nothing in the environment or a ~/.pgpass to sign in with."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.delenv("PGPASSFILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sign_in, "wall_clock", sign_in.wall_clock)  # restored afterwards
    monkeypatch.setattr(sign_in, "_login_failures", LocalThrottle())
    return isolated_home


def _start(url: str) -> Autopilot:
    pilot = Autopilot(open_app(AppConfig(campaign=default_campaign(), db=url)))
    pilot.start()
    pilot.until(lambda: pilot.app.ready, "the records behind the title", 600)
    return pilot


def _stop(pilot: Autopilot) -> None:
    if pilot.app.running:
        pilot.app.quit()
    pilot.app.close()


def _switch(pilot: Autopilot) -> None:
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "switch", "the switch button", 20, pygame.K_DOWN)
    pilot.key(pygame.K_RETURN, frames=2)


def _submit(pilot: Autopilot, password: str) -> LoginScene:
    scene = pilot.scene(LoginScene)
    pilot.type_text(password)
    pilot.key(pygame.K_RETURN)
    scene.wait_for_check()
    pilot.frames(2)
    return scene


def _signed_in(app: App) -> int | None:
    return app.trainee.id if app.trainee is not None else None


def _logs(home: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in home.rglob("*") if p.is_file())


def test_a_trainee_without_a_saved_password_signs_in_with_her_login(
    passwords_asked: Room, no_saved_passwords: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = passwords_asked.admin
    ana = room.add_trainee(admin, "Ana Cruz")
    room.add_trainee(admin, "Ben Ito")
    assert ana.login and ana.secret and ana.trainee is not None
    game_url = make_url(passwords_asked.url).set(username=ana.login, password=None)
    url = game_url.render_as_string(hide_password=False)
    deadline = time.monotonic() + 10  # the server rereads pg_hba.conf on its own time
    while not _refused_without_password(url):
        assert time.monotonic() < deadline, "the server never asked for a password"
        time.sleep(0.1)

    pilot = _start(url)
    try:
        app = pilot.app
        clock = [1000.0]
        sign_in.wall_clock = lambda: clock[0]
        assert app.world().store is None and app.world().login_needed
        _switch(pilot)  # nothing of anyone's is shown: the sign-in comes first
        scene = pilot.scene(LoginScene)
        assert scene.login.text == ana.login  # the login the game's URL names
        assert scene.menu.focused == sign_in.PASSWORD_FIELD

        scene = _submit(pilot, WRONG)
        assert scene.error == REFUSED and pilot.top is scene
        assert app.world().store is None
        # the PIN's schedule, 1, 2, 4 … s, counting down on the frames the refusal took to come
        assert 0.5 < scene.wait <= 1.0
        assert "Try again in 1 s" in scene._status()
        pilot.type_text(WRONG)
        pilot.key(pygame.K_RETURN)  # during the wait: nothing is tried
        assert not scene.checking and scene.error == REFUSED
        for _ in WRONG:
            pilot.key(pygame.K_BACKSPACE)
        assert scene.password.text == ""

        clock[0] += 1.5
        pilot.until(lambda: scene.wait == 0, "the wait after a wrong password", 200)
        scene = _submit(pilot, WRONG)
        assert scene.error == REFUSED and 1.5 < scene.wait <= 2.0
        clock[0] += 2.5
        pilot.until(lambda: scene.wait == 0, "the second wait", 300)

        # the connection is made off the window's thread: hold it and keep drawing
        release = threading.Event()
        real_open = sign_in.open_as

        def held_open(target: str) -> Store:
            assert threading.current_thread() is not threading.main_thread()
            release.wait(30)
            return real_open(target)

        monkeypatch.setattr(sign_in, "open_as", held_open)
        pilot.type_text(ana.secret)
        pilot.key(pygame.K_RETURN)
        before = app.frames
        pilot.frames(30)
        assert app.frames == before + 30 and scene.checking
        assert scene._status() == "Connecting…" and pilot.top is scene
        release.set()
        scene.wait_for_check()
        pilot.frames(2)

        profile = pilot.scene(ProfileScene)  # then what she asked for: her profile, only hers
        assert [r.trainee.name for r in profile.rows] == ["Ana Cruz"]
        store = app.world().store
        assert isinstance(store, SqlStore) and room.session_login(store) == ana.login
        profile.menu.focus(f"trainee:{ana.trainee.id}")
        pilot.key(pygame.K_RETURN, frames=2)
        pilot.scene(LevelsScene)
        assert app.trainee is not None and app.trainee.id == ana.trainee.id
    finally:
        _stop(pilot)
    logs = _logs(no_saved_passwords)
    assert ana.secret not in logs and WRONG not in logs


def test_a_profile_with_its_own_login_asks_for_it_on_a_shared_connection(
    passwords_asked: Room, no_saved_passwords: Path
) -> None:
    """The game opened as another login (a shared computer's): picking Ana asks for her
    login's password, counts wrong ones on her row, and then continues as her login."""
    admin = passwords_asked.admin
    ana = room.add_trainee(admin, "Ana Cruz")
    assert ana.login and ana.secret and ana.trainee is not None
    pilot = _start(passwords_asked.url)
    try:
        app = pilot.app
        sign_in.wall_clock = lambda: app.clock
        _switch(pilot)
        profile = pilot.scene(ProfileScene)
        profile.menu.focus(f"trainee:{ana.trainee.id}")
        pilot.key(pygame.K_RETURN, frames=2)
        scene = pilot.scene(LoginScene)
        assert scene.login.text == ana.login and _signed_in(app) is None

        scene = _submit(pilot, WRONG)
        assert scene.error == REFUSED
        assert admin.trainee_pin(ana.trainee.id)[1] == 1  # on her row: every window waits
        pilot.until(lambda: scene.wait == 0, "the wait after a wrong password", 200)
        pilot.frames(2)  # the time kept on her row is rounded to microseconds
        _submit(pilot, ana.secret)
        pilot.scene(LevelsScene)
        assert _signed_in(app) == ana.trainee.id
        store = app.world().store
        assert isinstance(store, SqlStore) and room.session_login(store) == ana.login
        assert admin.trainee_pin(ana.trainee.id)[1] == 0
    finally:
        _stop(pilot)


def test_quitting_while_connecting_does_not_wait_and_leaves_no_connection(
    passwords_asked: Room, no_saved_passwords: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = passwords_asked.admin
    ana = room.add_trainee(admin, "Ana Cruz")
    assert ana.login and ana.secret
    url = make_url(passwords_asked.url).set(username=ana.login, password=None)
    pilot = _start(url.render_as_string(hide_password=False))
    release = threading.Event()
    real_open = sign_in.open_as

    def held_open(target: str) -> Store:
        release.wait(30)
        return real_open(target)

    monkeypatch.setattr(sign_in, "open_as", held_open)
    try:
        _switch(pilot)
        scene = pilot.scene(LoginScene)
        pilot.type_text(ana.secret)
        pilot.key(pygame.K_RETURN)
        worker = scene._worker
        assert worker is not None and scene.checking
        pilot.app.quit()  # returns at once: the connection in flight is not waited for
        assert worker.is_alive() and not pilot.app.running
        release.set()
        worker.join(30)
        assert not worker.is_alive() and scene._result is None
    finally:
        release.set()
        _stop(pilot)
    with psycopg.connect(_libpq(passwords_asked.url), autocommit=True) as conn:
        count = "SELECT count(*) FROM pg_stat_activity WHERE usename = %s"
        deadline = time.monotonic() + 10
        while (found := conn.execute(count, (ana.login,)).fetchone()) and found[0]:
            assert time.monotonic() < deadline, "the late connection was left open"
            time.sleep(0.1)
