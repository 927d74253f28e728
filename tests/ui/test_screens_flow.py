"""Screens in their own right: a broken level, profiles, input (notes: test_notes_thread.py)."""

from __future__ import annotations

from pathlib import Path

import pygame

from game.engine.progress import next_level, unlocked
from game.engine.session import ChoicePrompt
from game.ui.intents import Act, InputMapper
from game.ui.scenes.call import CallPhase, CallScene
from game.ui.scenes.levels import LevelsScene
from game.ui.scenes.profile import ProfileScene
from game.ui.scenes.title import TitleScene
from tests.conftest import SCENARIOS
from tests.ui.conftest import MakeApp
from tests.ui.plans import good_choices, playable


def test_a_broken_level_shows_its_problems_and_the_rest_still_play(
    make_app: MakeApp, tmp_path: Path
) -> None:
    (tmp_path / "broken.yaml").write_text(
        "format: 1\nid: broken\ntitle: Broken\nchannel: fax\n", encoding="utf-8"
    )
    (tmp_path / "late-delivery.yaml").write_text(
        (SCENARIOS / "late-delivery.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "campaign.yaml").write_text(
        "format: 1\ntitle: Test\nlevels:\n  - scenario: broken.yaml\n"
        "  - scenario: late-delivery.yaml\n  - scenario: missing.yaml\n",
        encoding="utf-8",
    )
    pilot = make_app(campaign=tmp_path / "campaign.yaml")
    pilot.create_trainee("Lee")
    levels = pilot.scene(LevelsScene)
    broken, good, missing = levels.levels
    assert not broken.playable and not missing.playable
    assert levels.selected == 1, "the playable level is preselected"
    assert levels.open == {"broken": False, "late-delivery": True, "missing": False}
    levels.select(0)
    assert levels.menu.button("play") is None
    assert levels._detail is not None
    problems = [str(p) for p in broken.problems]
    assert any("broken.yaml:" in p and "SC004" in p for p in problems)
    levels.select(2)
    assert any("SC027" in str(p) for p in missing.problems)
    levels.select(1)
    pilot.key(pygame.K_RETURN, frames=2)
    assert pilot.scene(CallScene).level.key == good.key


def test_unlocking_skips_broken_levels() -> None:
    class L:
        def __init__(self, key: str, playable: bool = True) -> None:
            self.key, self.playable = key, playable

    levels = [L("a"), L("b", False), L("c"), L("d")]
    assert unlocked(levels, set()) == {"a": True, "b": False, "c": False, "d": False}
    assert unlocked(levels, {"a"}) == {"a": True, "b": False, "c": True, "d": False}
    assert next_level(levels, {"a"}) == 2
    assert next_level(levels, {"a", "c", "d"}) == 3


def test_profiles_list_pick_and_refuse_duplicates(make_app: MakeApp) -> None:
    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None
    store.add_trainee("Mo")
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "switch", "switch", 10, pygame.K_DOWN)
    pilot.key(pygame.K_RETURN, frames=2)
    profile = pilot.scene(ProfileScene)
    assert profile.menu.focused and profile.menu.focused.startswith("trainee:")
    pilot.key(pygame.K_TAB)
    assert profile.menu.focused == "field"
    pilot.type_text("mo")
    pilot.key(pygame.K_RETURN)
    assert profile.field.error and "already" in profile.field.error
    assert isinstance(pilot.app.top, ProfileScene)
    pilot.key(pygame.K_UP)  # back to Mo in the list
    pilot.key(pygame.K_RETURN, frames=2)
    assert isinstance(pilot.app.top, LevelsScene)
    assert pilot.app.trainee is not None and pilot.app.trainee.name == "Mo"
    assert pilot.app.settings.last_trainee == "Mo"


def test_an_empty_name_is_refused(make_app: MakeApp) -> None:
    pilot = make_app()
    pilot.key(pygame.K_RETURN, frames=2)
    profile = pilot.scene(ProfileScene)
    pilot.type_text("   ")
    pilot.key(pygame.K_RETURN)
    assert profile.field.error == "Type a name first."
    pilot.key(pygame.K_BACKSPACE)
    assert profile.field.text == "  "


def test_the_mouse_reaches_what_the_keyboard_does(make_app: MakeApp) -> None:
    pilot = make_app()
    title = pilot.scene(TitleScene)
    settings = title.menu.button("settings")
    assert settings is not None
    pygame.event.post(
        pygame.event.Event(
            pygame.MOUSEMOTION, pos=settings.rect.center, rel=(0, 0), buttons=(0, 0, 0)
        )
    )
    pilot.frames(1)
    assert title.menu.focused == "settings"
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=settings.rect.center, button=1)
    )
    pilot.frames(2)
    assert pilot.top.name == "settings"


def test_window_close_quits_cleanly_from_a_call(make_app: MakeApp) -> None:
    pilot = make_app()
    pilot.create_trainee("Vi")
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.answer()
    pilot.reply(good_choices(playable()[0])[0])
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    pilot.frames(1)
    assert not pilot.app.running and pilot.app.exit_code == 0
    store = pilot.app.world().store
    assert store is not None
    (attempt,) = store.attempts()
    assert attempt.status.value == "abandoned"


def test_input_becomes_intents() -> None:
    mapper = InputMapper()

    def acts(event: pygame.event.Event) -> list[tuple[Act, int]]:
        return [(i.act, i.number) for i in mapper.translate(event)]

    key = pygame.KEYDOWN
    assert acts(pygame.event.Event(key, key=pygame.K_3, mod=0)) == [(Act.PICK, 3)]
    assert acts(pygame.event.Event(key, key=pygame.K_KP2, mod=0)) == [(Act.PICK, 2)]
    assert acts(pygame.event.Event(key, key=pygame.K_TAB, mod=pygame.KMOD_LSHIFT)) == [
        (Act.PREV, 0)
    ]
    assert acts(pygame.event.Event(key, key=pygame.K_ESCAPE, mod=0)) == [(Act.BACK, 0)]
    assert acts(pygame.event.Event(key, key=pygame.K_F11, mod=0)) == [(Act.FULLSCREEN, 0)]
    assert acts(pygame.event.Event(key, key=pygame.K_PAGEDOWN, mod=0)) == [(Act.SCROLL, 8)]
    assert acts(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1)) == [(Act.SCROLL, -3)]
    assert acts(pygame.event.Event(pygame.JOYHATMOTION, value=(0, 1), instance_id=0, hat=0)) == [
        (Act.UP, 0)
    ]
    assert acts(pygame.event.Event(pygame.JOYBUTTONDOWN, button=0, instance_id=0)) == [
        (Act.CONFIRM, 0)
    ]
    assert acts(pygame.event.Event(pygame.JOYBUTTONDOWN, button=1, instance_id=0)) == [
        (Act.BACK, 0)
    ]
    stick = pygame.event.Event(pygame.JOYAXISMOTION, axis=1, value=0.9, instance_id=0)
    assert acts(stick) == [(Act.DOWN, 0)]
    assert acts(stick) == [], "holding the stick does not repeat"
    assert acts(pygame.event.Event(pygame.JOYAXISMOTION, axis=1, value=0.0, instance_id=0)) == []
    assert acts(stick) == [(Act.DOWN, 0)]
    text = mapper.translate(pygame.event.Event(pygame.TEXTINPUT, text="Şükrü"))
    assert [(i.act, i.text) for i in text] == [(Act.TEXT, "Şükrü")]
    assert mapper.translate(pygame.event.Event(pygame.QUIT))[0].act is Act.QUIT


def test_partial_repaints_keep_the_screen_identical_to_a_full_paint(make_app: MakeApp) -> None:
    """The call repaints only what changed; the window must still show the whole picture."""
    level = playable()[0]
    pilot = make_app()
    pilot.create_trainee("Uma")
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.answer()
    call = pilot.scene(CallScene)
    app = pilot.app
    checked = 0

    def same() -> bool:
        canvas = call.canvas.surface
        assert canvas is not None and app.partial
        return pygame.image.tobytes(app.screen, "RGB") == pygame.image.tobytes(canvas, "RGB")

    for number in good_choices(level)[:2]:
        for _ in range(400):  # the line is read out, scrolls in, the replies appear
            if call.phase is CallPhase.CHOOSING:
                break
            pilot.frames(1)
            assert same()
            checked += 1
        prompt = call.moment
        assert isinstance(prompt, ChoicePrompt)
        for _ in range(40):  # the timer runs, the face blinks, the meter settles
            pilot.frames(1)
            assert same()
            checked += 1
        shown = [o.number for o in prompt.options]
        pilot.key(pygame.K_1 + shown.index(number), frames=1)
        assert same()
    assert checked > 200
    app.screen.fill((255, 0, 255))  # the window lost its picture…
    pygame.event.post(pygame.event.Event(pygame.VIDEOEXPOSE))
    pilot.frames(1)  # …and gets all of it back
    assert pygame.image.tobytes(app.screen, "RGB") == pygame.image.tobytes(
        call.canvas.surface, "RGB"
    )
