"""Choosing the language: a profile setting, a row of the Settings screen offering the
complete languages only, and `play --lang` checked before any window opens."""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest

from game.cli import main
from game.engine.catalog import load_catalog
from game.i18n.project import shipped_domains
from game.i18n.pseudo import write_pseudo_locale
from game.ui.scenes.levels import LevelsScene
from game.ui.scenes.settings import SettingsScene
from game.ui.settings import PlayerSettings, from_dict, profile_json, with_profile
from tests.ui.conftest import MakeApp

LANG = "fi"


@pytest.fixture(scope="module")
def pseudo_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pseudo") / "locale"
    return write_pseudo_locale(root, shipped_domains(load_catalog()), LANG)


def test_the_language_is_a_profile_setting_and_an_unknown_one_is_english() -> None:
    assert from_dict({"lang": "tr"}).lang == "tr"
    assert from_dict({"lang": "klingon"}).lang == "en"
    assert from_dict({"lang": ["vi"]}).lang == "en"
    assert from_dict({}).lang == "en"  # a file written before the language setting
    stored = profile_json(PlayerSettings(lang="vi"))
    assert json.loads(stored)["lang"] == "vi"
    assert with_profile(PlayerSettings(lang="en", volume=10), stored).lang == "vi"


def _open_settings(pilot: object) -> SettingsScene:
    from game.ui.autopilot import Autopilot

    assert isinstance(pilot, Autopilot)
    levels = pilot.scene(LevelsScene)
    levels.menu.focus("settings")
    pilot.key(pygame.K_RETURN, frames=2)
    scene = pilot.scene(SettingsScene)
    pilot.app.wait_for_background()
    pilot.frames(2)
    return scene


def test_settings_offer_only_complete_languages(
    make_app: MakeApp, pseudo_locale: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only Finnish is complete (the other three have no lines yet): the row offers English
    and Finnish alone, says how many are on their way, and stepping never reaches them."""
    monkeypatch.setenv("HOLD_THE_LINE_LOCALE", str(pseudo_locale))
    pilot = make_app()
    pilot.create_trainee("Lena")
    scene = _open_settings(pilot)
    assert scene.languages == ("en", LANG)
    row = next(r for r in scene.rows() if r.key == "lang")
    assert row.value == "English" and "3 more become choosable" in row.help
    stepped = []
    for _ in range(3):
        scene.index = scene.keys.index("lang")
        pilot.key(pygame.K_RIGHT, frames=2)
        stepped.append(pilot.app.settings.lang)
    assert stepped == [LANG, "en", LANG]


def test_choosing_a_language_translates_the_game_and_is_kept_with_the_profile(
    make_app: MakeApp, pseudo_locale: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOLD_THE_LINE_LOCALE", str(pseudo_locale))
    pilot = make_app()
    app = pilot.app
    pilot.create_trainee("Lena")
    scene = _open_settings(pilot)
    assert scene.languages == ("en", LANG)
    scene.index = scene.keys.index("lang")
    generation = app.generation
    pilot.key(pygame.K_RIGHT, frames=2)
    assert app.lang == LANG and app.generation > generation
    assert app.tr._("Settings") != "Settings"  # the screens relaid out in the new language
    assert next(r for r in scene.rows() if r.key == "lang").value == "suomi"
    store, trainee = app.world().store, app.trainee
    assert store is not None and trainee is not None
    assert json.loads(store.trainee_settings(trainee.id) or "{}")["lang"] == LANG
    # the catalog the scenes read speaks it too; the scoring one is the same numbers
    label = app.world().catalog.techniques["listen"].label
    assert label != app.english_catalog().techniques["listen"].label
    assert app.world().catalog.content_hash == app.english_catalog().content_hash


@pytest.mark.parametrize("command", ["play", "text", "report", "export"])
def test_lang_refuses_a_language_that_is_not_complete(
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    isolated_home: Path,
    pseudo_locale: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOLD_THE_LINE_LOCALE", str(pseudo_locale))  # Turkish has no lines there

    def argv(lang: str) -> list[str]:
        return {
            "play": ["play", "--lang", lang],
            "text": ["text", "scenarios/late-delivery.yaml", "--lang", lang, "--choices", "1"],
            "report": ["report", "--out", str(tmp_path / "r.html"), "--lang", lang],
            "export": ["export", "--format", "csv", "--lang", lang],
        }[command]

    assert main(argv("tr")) == 2
    err = capsys.readouterr().err
    assert "Turkish (tr) is not complete yet" in err and "i18n check --lang tr" in err
    assert main(argv("xx")) == 2
    assert "unknown language 'xx'" in capsys.readouterr().err
