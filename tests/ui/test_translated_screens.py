"""The window in a complete language: every scene shows translated strings.

A pseudo-translation (game.i18n.pseudo: every letter accented, every line longer) is made
complete for one language; the game is played in it through the window, recording every
string the scenes hand the fonts, and no English word may be among them.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pygame
import pytest

from game.engine.catalog import load_catalog
from game.i18n.languages import LANGUAGES
from game.i18n.project import shipped_domains
from game.i18n.pseudo import write_pseudo_locale
from game.ui.app import AppConfig
from game.ui.autopilot import Autopilot
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.history import HistoryScene
from game.ui.scenes.levels import LevelsScene
from game.ui.scenes.settings import SettingsScene
from game.ui.settings import PlayerSettings
from game.ui.typography import Typography
from tests.ui.conftest import MakeApp
from tests.ui.plans import good_choices, playable

LANG = "fi"
TRAINEE = "Ŧéšš"  # a name with no English letters, so only the game's own words are checked
# What stays as it is in every language: key caps, principle codes, dates (their own issue)
KEYS = {"Enter", "Esc", "Tab", "PgUp", "PgDn", "Space", "Shift"}
NATIVE = {lang.native for lang in LANGUAGES}  # a language is named in its own words
KEPT = re.compile(r"\bG-[A-Z]+-\d+\b|\b\d{1,2} [A-Z][a-z]{2} \d{4}\b|\b[A-Z]\b", re.IGNORECASE)
WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def pseudo_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pseudo") / "locale"
    return write_pseudo_locale(root, shipped_domains(load_catalog()), LANG)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every string a scene renders or measures, in order."""
    texts: list[str] = []
    render, wrap = Typography.render, Typography.wrap

    def recording_render(self: Typography, text: str, style: str, color: object) -> object:
        texts.append(text)
        return render(self, text, style, color)  # type: ignore[arg-type]

    def recording_wrap(self: Typography, text: str, style: str, width: int) -> object:
        texts.append(text)
        return wrap(self, text, style, width)

    monkeypatch.setattr(Typography, "render", recording_render)
    monkeypatch.setattr(Typography, "wrap", recording_wrap)
    return texts


def english_in(texts: list[str]) -> set[str]:
    left = set()
    for text in texts:
        if text in KEYS | NATIVE or (TRAINEE in text and text.replace(TRAINEE, "").strip() == ""):
            continue
        for word in WORD.findall(KEPT.sub("", text.replace(TRAINEE, ""))):
            if word not in KEYS:
                left.add(text)
    return left


def test_every_scene_speaks_the_chosen_language(
    make_app: MakeApp,
    pseudo_locale: Path,
    drawn: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOLD_THE_LINE_LOCALE", str(pseudo_locale))
    pilot = make_app(PlayerSettings(lang=LANG))
    app = pilot.app
    assert app.lang == LANG and app.tr._("Settings") != "Settings"
    seen: dict[str, set[str]] = {}

    def look(where: str) -> None:
        pilot.frames(2)
        seen[where] = english_in(drawn)
        drawn.clear()

    look("title")
    pilot.create_trainee(TRAINEE)
    look("levels")
    levels = pilot.scene(LevelsScene)
    level = next(lvl for lvl in playable() if lvl.key == levels.levels[levels.selected].key)
    pilot.key(pygame.K_RETURN, frames=2)
    look("ringing")
    pilot.answer()
    pilot.wait_for_choices()
    look("call")
    for number in good_choices(level):
        pilot.reply(number)
    pilot.finish_call()
    debrief = pilot.scene(DebriefScene)
    for _ in range(12):  # read the whole debrief, turn by turn
        pilot.key(pygame.K_DOWN)
    look("debrief")
    assert debrief.summary["passed"] != "Passed"
    pilot.key(pygame.K_ESCAPE, frames=2)
    levels = pilot.scene(LevelsScene)
    levels.menu.focus("history")
    pilot.key(pygame.K_RETURN, frames=3)
    pilot.scene(HistoryScene)
    app.wait_for_background()
    look("history")
    pilot.key(pygame.K_ESCAPE, frames=2)
    levels = pilot.scene(LevelsScene)
    levels.menu.focus("settings")
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.scene(SettingsScene)
    app.wait_for_background()
    look("settings")
    left = {k: sorted(v) for k, v in seen.items() if v}
    assert not left, "\n".join(f"{k}: {t!r}" for k, v in left.items() for t in v)


# the whole desk walked in a full window, as `make screenshots` walks it (slow, like the
# make_app tests)
@pytest.mark.slow
def test_the_desk_follows_the_supervisor_s_language(
    pseudo_locale: Path,
    drawn: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The supervisor's desk (passphrase, overview, a level's choice map, a trainee, an
    attempt with its coaching note, the profile page), walked as `make screenshots` walks
    it, in the supervisor's language. What people typed (names, notes) is theirs."""
    from game.ui import screenshots

    monkeypatch.setenv("HOLD_THE_LINE_LOCALE", str(pseudo_locale))
    monkeypatch.setattr(screenshots, "AppConfig", functools.partial(AppConfig, lang=LANG))
    typed: list[str] = [*screenshots.DESK_TRAINEES, "Sam Okafor", "Ana Reyes"]
    type_text = Autopilot.type_text

    def recording_type(self: Autopilot, text: str) -> None:
        typed.append(text)
        type_text(self, text)

    monkeypatch.setattr(Autopilot, "type_text", recording_type)
    screenshots.capture_desk(tmp_path)
    people = re.compile(
        "|".join(re.escape(t) for t in sorted(typed, key=len, reverse=True)), re.IGNORECASE
    )
    # the choice map names the points of a level by their node ids, in every language
    nodes = re.compile(
        "|".join(
            rf"\b{re.escape(n.id)}\b"
            for lvl in playable()
            if lvl.scenario
            for n in lvl.scenario.nodes
        )
    )
    theirs = [t for t in typed if len(t) > 40]  # a note, drawn a line at a time

    def typed_by_someone(text: str) -> bool:
        return any(text.strip(" ·…").upper() in t.upper() for t in theirs)

    # a name cut short to fit ("SAM OKAF…") is still theirs
    cut = re.compile(
        "|".join(rf"\b{re.escape(t[:n])}…" for t in typed for n in range(2, len(t))), re.IGNORECASE
    )
    shown = [
        cut.sub("", nodes.sub("", people.sub("", t))) for t in drawn if not typed_by_someone(t)
    ]
    left = sorted(english_in(shown))
    assert not left, "\n".join(repr(t) for t in left)
