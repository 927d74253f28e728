"""Settings: saved per machine as JSON, tolerant of damage, applied at once from the screen."""

from __future__ import annotations

import json
from pathlib import Path

import pygame

from game.engine.state import TimerMode
from game.ui.scenes.settings import SettingsScene
from game.ui.scenes.title import TitleScene
from game.ui.settings import (
    PlayerSettings,
    from_dict,
    load_settings,
    profile_json,
    save_settings,
    settings_path,
)
from tests.ui.conftest import MakeApp


def test_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    chosen = PlayerSettings(
        text_scale=150, timer=TimerMode.RELAXED, high_contrast=True, volume=30,
        reduced_motion=True, fullscreen=True, last_trainee="Ana Reyes",
    )  # fmt: skip
    save_settings(chosen, path)
    assert load_settings(path) == chosen
    assert json.loads(path.read_text(encoding="utf-8"))["text_scale"] == 150


# A settings file as the first edition wrote it: the names in the code may change, the file may not.
FIRST_EDITION_FILE = """{
  "fullscreen": true,
  "high_contrast": false,
  "lang": "fi",
  "last_trainee": "Ana Reyes",
  "reduced_motion": false,
  "text_scale": 125,
  "timer": "off",
  "version": 1,
  "volume": 40
}
"""


def test_a_first_edition_file_loads_and_is_written_back_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(FIRST_EDITION_FILE, encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.timer is TimerMode.OFF and loaded.lang == "fi" and loaded.text_scale == 125
    path.unlink()
    save_settings(loaded, path)
    assert path.read_text(encoding="utf-8") == FIRST_EDITION_FILE
    stored = json.loads(profile_json(loaded))
    assert stored["timer"] == "off" and type(stored["timer"]) is str


def test_settings_live_in_the_data_directory(isolated_home: Path) -> None:
    save_settings(PlayerSettings(volume=40))
    assert settings_path() == isolated_home / "settings.json"
    assert load_settings().volume == 40


def test_a_damaged_file_falls_back_to_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_settings(path) == PlayerSettings()
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert load_settings(path) == PlayerSettings()
    assert load_settings(tmp_path / "missing.json") == PlayerSettings()


def test_out_of_range_values_are_clamped() -> None:
    loaded = from_dict(
        {"text_scale": 999, "timer": "sometimes", "volume": -5, "high_contrast": "yes",
         "last_trainee": "  ", "reduced_motion": 1}
    )  # fmt: skip
    assert loaded.text_scale == 200
    assert loaded.timer is TimerMode.NORMAL
    assert loaded.volume == 0
    assert loaded.last_trainee is None
    assert from_dict({"text_scale": 134}).text_scale == 125  # snapped to the nearest step
    assert from_dict({"text_scale": 110}).text_scale == 100
    assert from_dict({"text_scale": True}).text_scale == 100
    assert from_dict(["not", "a", "mapping"]) == PlayerSettings()


def test_changing_settings_on_screen_applies_and_saves(make_app: MakeApp) -> None:
    pilot = make_app()
    app = pilot.app
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "settings", "settings", 10, pygame.K_DOWN)
    pilot.key(pygame.K_RETURN, frames=2)
    scene = pilot.scene(SettingsScene)
    fonts_before, generation = app.fonts, app.generation

    pilot.key(pygame.K_RIGHT)  # text size 100 → 125 (the quick steps)
    assert app.settings.text_scale == 125
    assert app.fonts is not fonts_before and app.generation > generation
    pilot.key(pygame.K_DOWN)
    pilot.key(pygame.K_RIGHT)  # timer normal → relaxed
    pilot.key(pygame.K_DOWN)
    pilot.key(pygame.K_RETURN)  # high contrast on
    assert app.theme.high_contrast
    pilot.key(pygame.K_DOWN)
    pilot.key(pygame.K_LEFT)  # volume 70 → 60
    pilot.key(pygame.K_DOWN)
    pilot.key(pygame.K_SPACE)  # reduced motion on
    assert scene.keys[scene.index] == "reduced_motion"

    saved = load_settings(settings_path())
    assert (saved.text_scale, saved.timer, saved.high_contrast, saved.volume) == (
        125, TimerMode.RELAXED, True, 60,
    )  # fmt: skip
    assert saved.reduced_motion and not app.motion
    pilot.key(pygame.K_ESCAPE, frames=2)
    assert isinstance(app.top, TitleScene)


def test_settings_are_read_at_start(make_app: MakeApp) -> None:
    pilot = make_app(PlayerSettings(text_scale=200, high_contrast=True, timer=TimerMode.OFF))
    assert pilot.app.fonts.scale == 2.0
    assert pilot.app.theme.high_contrast
    assert pilot.app.settings.timer is TimerMode.OFF


def test_text_size_has_quick_steps_to_200(make_app: MakeApp) -> None:
    pilot = make_app()
    app = pilot.app
    app.push(SettingsScene(app))
    pilot.frames(2)
    seen = [app.settings.text_scale]
    for _ in range(4):
        pilot.key(pygame.K_RIGHT)
        seen.append(app.settings.text_scale)
    assert seen == [100, 125, 150, 200, 200]  # three presses reach 200 %
    pilot.key(pygame.K_LEFT)
    assert app.settings.text_scale == 150
