"""Reading and replaying a past call happens off the frame: the window never waits for it."""

from __future__ import annotations

import threading

import pygame
import pytest

import game.records.replayed
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.levels import LevelsScene
from tests.ui.conftest import MakeApp
from tests.ui.plans import good_choices, playable


def test_a_past_debrief_is_rebuilt_on_a_worker(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = make_app()
    pilot.create_trainee("Lou Later")
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.play(good_choices(playable()[0]))
    pilot.key(pygame.K_ESCAPE, frames=2)
    threads: list[str] = []
    original = game.records.replayed.replay_recorded

    def spy(*args: object) -> object:
        threads.append(threading.current_thread().name)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(game.records.replayed, "replay_recorded", spy)
    levels = pilot.scene(LevelsScene)
    levels.menu.focus("history")
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.key(pygame.K_RETURN)  # submitted; the frame does not wait
    assert pilot.app.busy or isinstance(pilot.app.top, DebriefScene)
    pilot.frames(2)
    assert isinstance(pilot.app.top, DebriefScene)
    assert threads and all(name.startswith("later") for name in threads)


def test_an_error_in_background_work_reaches_the_error_scene(make_app: MakeApp) -> None:
    pilot = make_app()

    def broken() -> None:
        raise RuntimeError("the records went away")

    pilot.app.later(broken, lambda _: None)
    pilot.frames(2)
    assert pilot.top.name == "error"
