"""Profiles renamed and deleted from the game and from the desk, and settings per profile,
end to end with keys posted to the real window."""

from __future__ import annotations

import pygame

from game.records.api import Store
from game.ui.autopilot import Autopilot
from game.ui.scenes.levels import LevelsScene
from game.ui.scenes.profile import ProfileScene
from game.ui.scenes.profile_manage import DELETE, ERASE, RENAME, ProfileManageScene
from game.ui.scenes.settings import SettingsScene
from game.ui.scenes.supervisor_overview import OverviewScene
from game.ui.scenes.supervisor_trainee import MANAGE, TraineeScene
from game.ui.scenes.title import TitleScene
from game.ui.settings import PlayerSettings, load_settings, settings_path
from tests.ui.conftest import MakeApp
from tests.ui.plans import good_choices
from tests.ui.test_supervisor import LEVEL, play_level, set_passphrase


def store_of(pilot: Autopilot) -> Store:
    store = pilot.app.world().store
    assert store is not None
    return store


def open_profiles(pilot: Autopilot) -> ProfileScene:
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "switch", "switch trainee", 12, pygame.K_DOWN)
    pilot.key(pygame.K_RETURN, frames=2)
    return pilot.scene(ProfileScene)


def manage_row(pilot: Autopilot, profiles: ProfileScene, name: str) -> ProfileManageScene:
    row = next(r for r in profiles.rows if r.trainee.name == name)
    profiles.menu.focus(f"trainee:{row.trainee.id}")
    pilot.key(pygame.K_RIGHT, frames=2)  # → on a profile: rename or delete it
    return pilot.scene(ProfileManageScene)


def clear_and_type(pilot: Autopilot, text: str) -> None:
    for _ in range(60):
        pilot.key(pygame.K_BACKSPACE)
    pilot.type_text(text)


def test_a_profile_is_renamed_from_the_profile_screen_and_a_taken_name_refused(
    make_app: MakeApp,
) -> None:
    pilot = make_app()
    play_level(pilot, "Ana Reyse", good_choices(LEVEL))  # a typo, once permanent
    store = store_of(pilot)
    store.add_trainee("Ben Ortiz")
    manage = manage_row(pilot, open_profiles(pilot), "Ana Reyse")
    assert manage.menu.focused == "name" and manage.field.text == "Ana Reyse"
    clear_and_type(pilot, "ben ortiz")
    pilot.key(pygame.K_RETURN, frames=2)
    assert manage.message == "There is already a profile called ben ortiz: choose another name."
    assert store.find_trainee("Ana Reyse") is not None
    clear_and_type(pilot, "Ana Reyes")
    manage.menu.focus(RENAME)
    pilot.key(pygame.K_RETURN, frames=2)
    assert manage.message == "Renamed: Ana Reyse is now Ana Reyes."
    renamed = store.find_trainee("Ana Reyes")
    assert renamed is not None and store.find_trainee("Ana Reyse") is None
    assert len(store.attempts(trainee_id=renamed.id)) == 1  # her records came along
    assert pilot.app.settings.last_trainee == "Ana Reyes"  # "Continue as" follows the name
    pilot.key(pygame.K_ESCAPE, frames=2)
    profiles = pilot.scene(ProfileScene)
    assert sorted(r.trainee.name for r in profiles.rows) == ["Ana Reyes", "Ben Ortiz"]


def test_deleting_a_profile_says_what_it_erases_and_then_erases_it(make_app: MakeApp) -> None:
    pilot = make_app()
    play_level(pilot, "Dee Leaver", good_choices(LEVEL))
    store = store_of(pilot)
    dee = store.find_trainee("Dee Leaver")
    assert dee is not None
    (attempt,) = store.attempts(trainee_id=dee.id)
    store.add_note(attempt.id, "Sam", "Well done.")
    turns = attempt.turn_count
    stays = store.add_trainee("Stay Put")
    manage = manage_row(pilot, open_profiles(pilot), "Dee Leaver")
    manage.menu.focus(DELETE)
    pilot.key(pygame.K_RETURN, frames=2)  # asks first
    assert manage._warning == (
        f"Deleting Dee Leaver erases 1 attempt ({turns} turns) and 1 coaching note."
        " This cannot be undone."
    )
    assert manage.menu.focused == DELETE  # "Keep the profile": Enter again erases nothing
    pilot.key(pygame.K_RETURN, frames=2)
    assert manage.footprint is None and store.find_trainee("Dee Leaver") is not None
    pilot.key(pygame.K_RETURN, frames=2)  # ask again
    manage.menu.focus(ERASE)
    pilot.key(pygame.K_RETURN, frames=2)
    profiles = pilot.scene(ProfileScene)
    assert [r.trainee.name for r in profiles.rows] == ["Stay Put"]
    assert store.find_trainee("Dee Leaver") is None
    assert store.attempts(trainee_id=dee.id) == ()
    assert store.notes_for_trainee(dee.id) == ()
    assert store.attempt_detail(attempt.id) is None
    assert pilot.app.settings.last_trainee is None  # nobody to "Continue" as
    assert store.get_trainee(stays.id) is not None


def test_the_desk_renames_and_deletes_a_trainee(make_app: MakeApp) -> None:
    pilot = make_app()
    play_level(pilot, "Tess Trainee", good_choices(LEVEL))
    store = store_of(pilot)
    overview = set_passphrase(pilot, author="Sam")
    pilot.type_text("tess")
    pilot.key(pygame.K_RETURN, frames=2)
    page = pilot.scene(TraineeScene)
    assert MANAGE in page.menu.ring.keys
    page.menu.focus(MANAGE)
    pilot.key(pygame.K_RETURN, frames=2)
    manage = pilot.scene(ProfileManageScene)
    clear_and_type(pilot, "Tess Tester")
    pilot.key(pygame.K_RETURN, frames=2)
    assert manage.message.startswith("Renamed")
    pilot.key(pygame.K_ESCAPE, frames=2)
    assert pilot.scene(TraineeScene).trainee.name == "Tess Tester"
    page.menu.focus(MANAGE)
    pilot.key(pygame.K_RETURN, frames=2)
    manage = pilot.scene(ProfileManageScene)
    manage.menu.focus(DELETE)
    pilot.key(pygame.K_RETURN, frames=2)
    assert "erases 1 attempt" in manage._warning and "0 coaching notes" in manage._warning
    manage.menu.focus(ERASE)
    pilot.key(pygame.K_RETURN, frames=2)
    assert pilot.scene(OverviewScene) is overview  # the page of a deleted trainee goes too
    assert overview.rows == () and store.trainees() == ()


def test_settings_belong_to_the_profile_and_the_machine_keeps_a_default(
    make_app: MakeApp,
) -> None:
    pilot = make_app(PlayerSettings(text_scale=100))
    pilot.create_trainee("Big Text")
    pilot.scene(LevelsScene)
    pilot.app.push(SettingsScene(pilot.app))
    settings = pilot.scene(SettingsScene)
    assert "Big Text's profile" in settings._note
    assert settings.keys[settings.index] == "text_scale"
    for _ in range(3):
        pilot.key(pygame.K_RIGHT, frames=2)  # 100 → 125 → 150 → 200 %
    assert pilot.app.settings.text_scale == 200
    assert load_settings(settings_path()).text_scale == 100  # the machine's default stays
    pilot.key(pygame.K_ESCAPE, frames=2)
    pilot.key(pygame.K_ESCAPE, frames=2)  # levels → title
    pilot.create_trainee("Small Text")  # a new profile starts from the machine's default
    assert pilot.app.settings.text_scale == 100
    pilot.key(pygame.K_ESCAPE, frames=2)  # levels → title
    big = store_of(pilot).find_trainee("Big Text")
    assert big is not None
    pilot.app.select_trainee(big)  # signing in again brings her settings back
    assert pilot.app.settings.text_scale == 200
    assert pilot.app.fonts.scale == 2.0
