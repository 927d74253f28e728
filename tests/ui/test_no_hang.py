"""The window never waits on the records: a stalled server, a stuck write, SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pygame
import pytest

from game.paths import default_campaign
from game.records.recorder import ABANDON_WAIT
from game.ui.app import AppConfig, open_app
from game.ui.autopilot import Autopilot
from game.ui.scenes.call import CallPhase, CallScene
from game.ui.scenes.error import ErrorScene
from tests.records.play import ROOT
from tests.stall import StalledServer, stalled_pg  # noqa: F401  (fixture)
from tests.ui.conftest import MakeApp
from tests.ui.plans import good_choices, playable

CONNECT = 2  # seconds (libpq's smallest connect timeout)
FRAME_LIMIT = 0.5  # no frame may take longer than this while the server is stalled


def test_a_stalled_server_never_freezes_the_window(
    stalled_pg: StalledServer,  # noqa: F811
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOLD_THE_LINE_DB_CONNECT_TIMEOUT", str(CONNECT))
    app = open_app(AppConfig(campaign=default_campaign(), db=stalled_pg.url("Hunter2-SECRET")))
    try:
        slowest = 0.0
        started = time.monotonic()
        pressed = False
        while not app.ready:  # real time: the loader is really waiting on the socket
            if not pressed and stalled_pg.accepted:  # the first key press, mid-connect
                pygame.event.post(
                    pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="")
                )
                pressed = True
            before = time.monotonic()
            app.step(1 / 60)
            slowest = max(slowest, time.monotonic() - before)
            time.sleep(1 / 60)
            # loading the campaign and sounds takes a few seconds of its own on a busy machine
            assert time.monotonic() - started < CONNECT + 20, "the records never gave up"
        waited = time.monotonic() - started
        assert pressed and stalled_pg.accepted >= 1
        assert slowest < FRAME_LIMIT, f"a frame took {slowest:.2f} s"
        assert waited >= CONNECT - 0.5  # it did wait for the server, off the main thread
        world = app.world()
        assert world.store is None and world.store_error is not None
        assert "timeout" in world.store_error.lower()
        pilot = Autopilot(app)
        pilot.key(pygame.K_RETURN, frames=2)  # "Start training": the records are needed
        scene = pilot.scene(ErrorScene)
        assert "could not be opened" in scene.title
        assert all("Hunter2-SECRET" not in d for d in scene.details)
        before = time.monotonic()
        app.quit()
        app.close()
        assert time.monotonic() - before < 2
    finally:
        if app.running:
            app.quit()
            app.close()


def test_quitting_works_while_a_write_is_stuck(make_app: MakeApp) -> None:
    level = playable()[0]
    pilot = make_app()
    pilot.create_trainee("Remy")
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.answer()
    pilot.wait_for_choices()
    store = pilot.app.world().store
    assert store is not None
    released = threading.Event()

    def stuck(*_args: object, **_kwargs: object) -> None:
        released.wait(60)  # a server that stopped answering mid-write
        raise ConnectionError("server closed the connection unexpectedly")

    store.record_turn = stuck  # type: ignore[method-assign]
    store.abandon_attempt = stuck  # type: ignore[method-assign]
    try:
        call = pilot.scene(CallScene)
        prompt = pilot.wait_for_choices()
        shown = [option.number for option in prompt.options]
        key = pygame.K_1 + shown.index(good_choices(level)[0])
        pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)
        )
        slowest = 0.0
        for _ in range(30):  # the window keeps drawing meanwhile (no autopilot waiting)
            before = time.monotonic()
            pilot.app.step(1 / 60)
            slowest = max(slowest, time.monotonic() - before)
        assert call.phase is CallPhase.WAITING  # the reply is shown, its write is stuck
        assert slowest < FRAME_LIMIT
        before = time.monotonic()
        pilot.app.quit()
        took = time.monotonic() - before
        assert not pilot.app.running
        assert took < 2 * ABANDON_WAIT + 1.5, f"quitting took {took:.1f} s"
        assert call.recorder is not None and call.recorder.close_problem is not None
    finally:
        released.set()


@pytest.mark.skipif(os.name != "posix", reason="SIGTERM is POSIX")
def test_sigterm_ends_the_game_while_the_records_are_stuck(
    stalled_pg: StalledServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    env = dict(os.environ)
    env.update(
        {
            "HOLD_THE_LINE_HOME": str(tmp_path),
            "HOLD_THE_LINE_DB_CONNECT_TIMEOUT": "120",  # the loader stays stuck the whole time
            "SDL_VIDEODRIVER": "dummy",
            "SDL_AUDIODRIVER": "dummy",
            "PYTHONPATH": str(ROOT),
        }
    )
    game = subprocess.Popen(
        [sys.executable, "-m", "game", "play", "--db", stalled_pg.url()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while stalled_pg.accepted == 0:  # the window is up and the loader is connecting
            assert game.poll() is None, f"the game ended early: {game.returncode}"
            assert time.monotonic() < deadline, "the game never tried the records"
            time.sleep(0.05)
        time.sleep(0.5)
        sent = time.monotonic()
        game.send_signal(signal.SIGTERM)
        game.wait(timeout=30)
        assert time.monotonic() - sent < 8
        assert game.returncode in (0, 128 + signal.SIGTERM)
    finally:
        if game.poll() is None:
            game.kill()
            game.wait()
