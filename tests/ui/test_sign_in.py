"""Sign-in: a trainee with a PIN types it before anything of theirs is shown."""

from __future__ import annotations

import pygame
import pytest

from game.records import passphrase, room
from game.records.store import SqlStore
from game.ui.autopilot import Autopilot
from game.ui.scenes import sign_in
from game.ui.scenes.levels import LevelsScene
from game.ui.scenes.notes import NotesScene
from game.ui.scenes.profile import ProfileScene
from game.ui.scenes.sign_in import SignInScene
from game.ui.scenes.title import TitleScene
from game.ui.settings import PlayerSettings
from tests.records.play import good_choices, play
from tests.ui.conftest import MakeApp

PIN = "4821"


@pytest.fixture(autouse=True)
def _game_time_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared wait runs in wall-clock time; these tests run the game faster than that."""
    monkeypatch.setattr(sign_in, "wall_clock", sign_in.wall_clock)


def _store(pilot: Autopilot) -> SqlStore:
    store = pilot.app.world().store
    assert isinstance(store, SqlStore)
    return store


def _pick(pilot: Autopilot, trainee_id: int) -> None:
    sign_in.wall_clock = lambda: pilot.app.clock  # restored by the fixture above
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "switch", "the switch button", 20, pygame.K_DOWN)
    pilot.key(pygame.K_RETURN, frames=2)
    profile = pilot.scene(ProfileScene)
    profile.menu.focus(f"trainee:{trainee_id}")
    pilot.key(pygame.K_RETURN, frames=2)


def _type_pin(pilot: Autopilot, pin: str) -> SignInScene:
    scene = pilot.scene(SignInScene)
    pilot.type_text(pin)
    pilot.key(pygame.K_RETURN)
    scene.wait_for_check()
    pilot.frames(2)
    return scene


def test_a_profile_with_a_pin_asks_for_it_before_anything_is_shown(make_app: MakeApp) -> None:
    pilot = make_app()
    store = _store(pilot)
    ana = room.add_trainee(store, "Ana Cruz", secret=PIN).trainee
    assert ana is not None
    _pick(pilot, ana.id)
    pilot.scene(SignInScene)
    assert pilot.app.trainee is None  # nobody is signed in yet
    scene = _type_pin(pilot, "0000")
    assert scene.error == "That PIN is not right." and pilot.top is scene
    assert store.trainee_pin(ana.id)[1] == 1  # counted in the store, not the window
    # the schedule's first wait, counting down on the frames the check took to come back
    assert passphrase.wait_after(1) - 0.5 < scene.wait <= passphrase.wait_after(1)
    pilot.until(lambda: scene.wait == 0, "the wait after a wrong PIN", 200)
    _type_pin(pilot, PIN)
    pilot.scene(LevelsScene)
    assert pilot.app.trainee is not None and pilot.app.trainee.id == ana.id
    assert store.trainee_pin(ana.id)[1] == 0


def test_two_windows_share_the_wait_after_wrong_pins(make_app: MakeApp) -> None:
    """A wait each window kept for itself would let a second window guess on at once."""
    pilot = make_app()
    store = _store(pilot)
    ana = room.add_trainee(store, "Ana Cruz", secret=PIN).trainee
    assert ana is not None
    for step in range(3):  # three wrong PINs, each after the previous wait
        assert not passphrase.check_pin(store, ana.id, "0000", lambda s=step: 1000.0 + 60 * s).ok
    soon = passphrase.check_pin(store, ana.id, PIN, lambda: 1120.0 + 1)  # another window
    assert not soon.ok and not soon.checked and soon.wait == pytest.approx(3.0)
    assert passphrase.check_pin(store, ana.id, PIN, lambda: 1120.0 + 4).ok


def test_continue_on_the_title_asks_too_and_tells_of_notes_only_after(make_app: MakeApp) -> None:
    pilot = make_app(settings=PlayerSettings(last_trainee="Ana Cruz"))
    store = _store(pilot)
    ana = room.add_trainee(store, "Ana Cruz", secret=PIN).trainee
    assert ana is not None
    attempt = play(store, ana.id, good_choices()).attempt_id
    store.add_note(attempt, "Sam", "private coaching words")
    title = pilot.scene(TitleScene)
    title.resume()  # read the records again, as coming back to the title does
    assert title.last is not None and title.last.id == ana.id
    assert not any(k.startswith("note") for k in title.menu.ring.keys)  # nothing private
    pilot.until(lambda: title.menu.focused == "continue", "continue", 12, pygame.K_UP)
    sign_in.wall_clock = lambda: pilot.app.clock
    pilot.key(pygame.K_RETURN, frames=2)
    assert pilot.top_name == "SignInScene"  # the PIN before any note
    _type_pin(pilot, PIN)
    told = pilot.scene(NotesScene)  # signed in now: told of the note, over the levels
    assert [n.text for n in told.notes] == ["private coaching words"]
    assert isinstance(pilot.app.stack[-2], LevelsScene)


def test_a_removed_trainee_cannot_sign_in(make_app: MakeApp) -> None:
    pilot = make_app()
    store = _store(pilot)
    ben = room.add_trainee(store, "Ben Ito", secret=PIN).trainee
    assert ben is not None
    room.remove(store, "Ben Ito")
    _pick(pilot, ben.id)
    scene = _type_pin(pilot, PIN)
    assert "closed" in scene.error and pilot.top is scene
    assert pilot.app.trainee is None


def test_a_profile_without_a_pin_goes_straight_in(make_app: MakeApp) -> None:
    pilot = make_app()
    cy = _store(pilot).add_trainee("Cy Tan")
    _pick(pilot, cy.id)
    pilot.scene(LevelsScene)
