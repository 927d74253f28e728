"""The game on a PostgreSQL room, signed in with a trainee's own login."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.paths import default_campaign
from game.records import passphrase, room
from game.ui.app import AppConfig, open_app
from game.ui.autopilot import Autopilot
from game.ui.scenes.profile import FIELD, ProfileScene
from game.ui.scenes.supervisor_gate import GateMode, PassphraseScene
from game.ui.scenes.title import TitleScene
from tests.pg import pg_server, pg_url  # noqa: F401  (fixtures)
from tests.records.test_room import Room, pg_room  # noqa: F401  (fixture)


@pytest.fixture
def ana_plays(pg_room: Room, isolated_home: Path) -> Iterator[Autopilot]:  # noqa: F811
    admin = pg_room.admin
    ana = room.add_trainee(admin, "Ana Cruz")
    room.add_trainee(admin, "Ben Ito")
    passphrase.set_passphrase(admin, "correct horse battery")
    assert ana.login and ana.secret
    app = open_app(
        AppConfig(campaign=default_campaign(), db=pg_room.url_for(ana.login, ana.secret))
    )
    pilot = Autopilot(app)
    try:
        pilot.start()
        yield pilot
    finally:
        if app.running:
            app.quit()
        app.close()


def test_a_trainee_login_sees_only_her_profile(ana_plays: Autopilot) -> None:
    pilot = ana_plays
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "switch", "the switch button", 20, pygame.K_DOWN)
    pilot.key(pygame.K_RETURN, frames=2)
    profile = pilot.scene(ProfileScene)
    assert [r.trainee.name for r in profile.rows] == ["Ana Cruz"]
    profile.menu.focus(FIELD)
    pilot.type_text("Ben Ito 2")  # a profile of her own making: the room refuses, in words
    pilot.key(pygame.K_RETURN, frames=2)
    assert profile.field.error is not None and "administrator" in profile.field.error
    assert pilot.top is profile


def test_the_desk_refuses_a_trainee_login(ana_plays: Autopilot) -> None:
    pilot = ana_plays
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "desk", "the desk button", 12, pygame.K_DOWN)
    pilot.key(pygame.K_RETURN, frames=2)
    gate = pilot.scene(PassphraseScene)
    assert gate.mode is GateMode.REFUSED and gate.fields == {}
    assert "supervisor login" in gate._help
    pilot.key(pygame.K_RETURN, frames=2)  # its one button leads back
    pilot.scene(TitleScene)
