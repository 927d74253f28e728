"""No traceback reaches the player: an unexpected error shows the error scene and is logged."""

from __future__ import annotations

from pathlib import Path

import pygame

from game.paths import log_dir
from game.records.api import AttemptStatus
from game.ui.errors import LOG_NAME
from game.ui.scene import Scene
from game.ui.scenes.call import CallScene
from game.ui.scenes.error import ErrorScene
from game.ui.scenes.title import TitleScene
from tests.ui.conftest import MakeApp
from tests.ui.plans import good_choices, playable


class Exploding(Scene):
    name = "exploding"

    def __init__(self, app: object, where: str) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.where = where

    def update(self, dt: float) -> None:
        if self.where == "update":
            raise ZeroDivisionError("the update blew up")

    def draw(self, surface: pygame.Surface) -> None:
        if self.where == "draw":
            raise KeyError("the drawing blew up")


def test_an_exception_in_a_scene_becomes_the_error_scene_and_a_log(make_app: MakeApp) -> None:
    pilot = make_app()
    pilot.app.push(Exploding(pilot.app, "update"))
    pilot.frames(2)
    scene = pilot.scene(ErrorScene)
    assert scene.unexpected
    assert any("ZeroDivisionError: the update blew up" in d for d in scene.details)
    log = log_dir() / LOG_NAME
    assert scene.log_path == log
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError" in text and "in update" in text
    assert pilot.app.running


def test_a_drawing_error_is_caught_too(make_app: MakeApp) -> None:
    pilot = make_app()
    pilot.app.push(Exploding(pilot.app, "draw"))
    pilot.frames(1)
    pilot.scene(ErrorScene)
    assert "KeyError" in (log_dir() / LOG_NAME).read_text(encoding="utf-8")


def test_the_error_scene_leads_back_to_the_title(make_app: MakeApp) -> None:
    pilot = make_app()
    pilot.app.push(Exploding(pilot.app, "update"))
    pilot.frames(2)
    pilot.key(pygame.K_RETURN, frames=2)
    assert isinstance(pilot.app.top, TitleScene)
    assert len(pilot.app.stack) == 1


def test_a_call_broken_mid_way_is_kept_as_abandoned(make_app: MakeApp) -> None:
    level = playable()[0]
    pilot = make_app()
    pilot.create_trainee("Remy")
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.answer()
    pilot.reply(good_choices(level)[0])
    call = pilot.scene(CallScene)

    def broken(dt: float) -> None:
        raise RuntimeError("mid-call failure")

    call.update = broken  # type: ignore[method-assign]
    pilot.frames(2)
    pilot.scene(ErrorScene)
    store = pilot.app.world().store
    assert store is not None and pilot.app.trainee is not None
    (attempt,) = store.attempts(trainee_id=pilot.app.trainee.id)
    assert attempt.status is AttemptStatus.ABANDONED and attempt.turn_count == 1


def test_quitting_from_the_error_scene_is_clean(make_app: MakeApp) -> None:
    pilot = make_app()
    pilot.app.push(Exploding(pilot.app, "update"))
    pilot.frames(2)
    pilot.key(pygame.K_RIGHT)
    pilot.key(pygame.K_RETURN)
    assert not pilot.app.running and pilot.app.exit_code == 3


def test_an_unreachable_database_is_explained_not_raised(make_app: MakeApp, tmp_path: Path) -> None:
    from game.paths import default_campaign
    from game.ui.app import AppConfig, open_app
    from game.ui.autopilot import Autopilot

    bad = f"sqlite:///{tmp_path / 'not-a-dir.db' / 'x.db'}"
    (tmp_path / "not-a-dir.db").write_text("a file where a folder should be", encoding="utf-8")
    app = open_app(AppConfig(campaign=default_campaign(), db=bad))
    try:
        pilot = Autopilot(app)
        pilot.start()
        assert app.world().store is None and app.world().store_error
        pilot.key(pygame.K_RETURN, frames=2)  # "Start training" needs the records
        scene = pilot.scene(ErrorScene)
        assert not scene.unexpected
        assert "records" in scene.title
        pilot.key(pygame.K_ESCAPE)
        assert isinstance(app.top, TitleScene)
    finally:
        app.quit()
        app.close()
