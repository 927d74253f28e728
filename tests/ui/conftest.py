"""Fixtures for the game window tests: a real App on the dummy video and audio drivers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from game.paths import default_campaign
from game.ui.app import App, AppConfig, open_app
from game.ui.autopilot import Autopilot
from game.ui.settings import PlayerSettings, save_settings, settings_path

MakeApp = Callable[..., Autopilot]


@pytest.fixture
def make_app(isolated_home: Path) -> Iterator[MakeApp]:
    """Start the game (optionally with settings and another campaign); closed after the test."""
    apps: list[App] = []

    def make(
        settings: PlayerSettings | None = None, campaign: Path | None = None, seed: int = 7
    ) -> Autopilot:
        if settings is not None:
            save_settings(settings, settings_path())
        app = open_app(AppConfig(campaign=campaign or default_campaign(), seed=seed))
        apps.append(app)
        pilot = Autopilot(app)
        pilot.start()
        return pilot

    yield make
    for app in apps:
        if app.running:
            app.quit()
        app.close()
