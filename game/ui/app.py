"""The game window put together: every scene under its route, and `run_game`.

This module is the window's composition root: the only one that imports every scene. The
window itself (`game.ui.window.App`) and the scenes know each other only through the
routes (`game.ui.navigator.Route`), so no scene imports another or this module.
`run_game` is what `hold-the-line play` calls.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from game.paths import default_campaign
from game.ui.errors import log_exception
from game.ui.navigator import Route, SceneLike
from game.ui.scenes.breather import BreatherScene
from game.ui.scenes.call import CallScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.error import ErrorScene
from game.ui.scenes.history import HistoryScene
from game.ui.scenes.levels import LevelsScene
from game.ui.scenes.pause import PauseScene
from game.ui.scenes.profile import ProfileScene
from game.ui.scenes.settings import SettingsScene
from game.ui.scenes.sign_in import LoginScene
from game.ui.scenes.supervisor_gate import PassphraseScene
from game.ui.scenes.supervisor_overview import OverviewScene
from game.ui.scenes.supervisor_trainee import TraineeScene
from game.ui.scenes.title import TitleScene

if TYPE_CHECKING:
    from game.engine.catalog import Catalog
    from game.scenario.model import PolicyOverride

from game.ui.window import (
    EXIT_ERROR,
    EXIT_NO_DISPLAY,
    EXIT_OK,
    NO_DISPLAY,
    SIZE,
    STEP,
    App,
    AppConfig,
    no_display,
    window_size,
)

__all__ = [
    "EXIT_ERROR",
    "EXIT_NO_DISPLAY",
    "EXIT_OK",
    "ROUTES",
    "SIZE",
    "STEP",
    "App",
    "AppConfig",
    "open_app",
    "run_game",
    "window_size",
]

ROUTES: Mapping[Route, Callable[..., SceneLike]] = {
    Route.TITLE: TitleScene,
    Route.ERROR: ErrorScene,
    Route.CRASH: ErrorScene.for_exception,
    Route.LEVELS: LevelsScene,
    Route.CALL: CallScene,
    Route.DEBRIEF: DebriefScene,
    Route.BREATHER: BreatherScene,
    Route.PAUSE: PauseScene,
    Route.SETTINGS: SettingsScene,
    Route.HISTORY: HistoryScene,
    Route.PROFILE: ProfileScene,
    Route.LOGIN: LoginScene,
    Route.DESK: PassphraseScene,
    Route.DESK_OVERVIEW: OverviewScene,
    Route.DESK_TRAINEE: TraineeScene,
}


def open_app(config: AppConfig) -> App:
    """The game window with every scene routed, on the title screen."""
    app = App(config, ROUTES)
    if config.watch:
        from game.ui.live import LiveReload

        app.live = LiveReload(app)
    return app


def run_game(
    campaign: Path | None,
    db: str | None,
    fullscreen: bool,
    lang: str | None,
    watch: bool = False,
    catalog: Catalog | None = None,
    policy: PolicyOverride | None = None,
) -> int:
    """Open the game window and play until the player quits; returns the exit code."""
    config = AppConfig(
        campaign=campaign or default_campaign(),
        db=db,
        fullscreen=fullscreen,
        lang=lang,
        watch=watch,
        catalog=catalog,
        policy=policy,
    )
    from game.ui.shutdown import end_on_sigterm

    end_on_sigterm()
    try:
        pygame.display.init()
    except pygame.error as error:
        print(f"{NO_DISPLAY} ({error})", file=sys.stderr)
        return EXIT_NO_DISPLAY
    if no_display():
        pygame.display.quit()
        print(NO_DISPLAY, file=sys.stderr)
        return EXIT_NO_DISPLAY
    try:
        app = open_app(config)
    except Exception as error:
        path = log_exception(error, "starting the game")
        where = f" Details: {path}" if path else ""
        print(f"hold-the-line: the game window could not start: {error}.{where}")
        return EXIT_ERROR
    try:
        return app.run()
    except Exception as error:  # the loop itself broke (not a scene): log and leave cleanly
        log_exception(error, "main loop")
        try:
            app.close()
        except Exception as close_error:
            log_exception(close_error, "closing after a failure")
        return EXIT_ERROR
