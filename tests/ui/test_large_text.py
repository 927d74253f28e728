"""200 % text, through the real window: nothing cut that cannot be scrolled to."""

from __future__ import annotations

import pygame
import pytest

from game.ui.scenes.call import CallScene
from game.ui.scenes.levels import LevelsScene
from game.ui.settings import PlayerSettings
from tests.ui.conftest import MakeApp
from tests.ui.plans import good_choices, playable


@pytest.mark.parametrize("level", playable(), ids=lambda lvl: lvl.key)
def test_the_ringing_card_shows_the_whole_summary(make_app: MakeApp, level: object) -> None:
    pilot = make_app(PlayerSettings(text_scale=200))
    pilot.create_trainee("Big Text")
    app = pilot.app
    app.push(CallScene(app, level))  # type: ignore[arg-type]
    pilot.frames(2)
    call = pilot.scene(CallScene)
    fonts = app.fonts
    y = call._ring_top + (82 if call._ring_icon else 0)
    for text, style in call._ring_lines:
        y += fonts.block_height(text, style, call._ring_w) + 10
    summary = call.scenario.summary.get("en")
    assert any(text == summary for text, _ in call._ring_lines)
    assert y - 10 <= call._ring_clip.bottom, "the summary runs under the answer button"


def test_last_reply_and_every_reply_fit_or_scroll(make_app: MakeApp) -> None:
    pilot = make_app(PlayerSettings(text_scale=200))
    pilot.create_trainee("Big Text")
    pilot.key(pygame.K_RETURN, frames=2)
    call = pilot.scene(CallScene)
    fonts = pilot.app.fonts
    pilot.answer()
    for number in good_choices(playable()[0]):
        prompt = pilot.wait_for_choices()
        view = call.choice_view
        for index in range(len(prompt.options)):  # every reply can be brought into view
            call.menu.focus(f"choice:{index}")
            call.menu.reveal()
            pilot.frames(40)
            button = call.menu.button(f"choice:{index}")
            assert button is not None
            assert view.top <= button.rect.top and button.rect.bottom <= view.top + view.rect.height
        call.menu.focus("choice:0")
        pilot.reply(number)
        pilot.frames(3)
        meter = call.meter
        assert meter.delta is not None
        lines = fonts.wrap("Last reply: " + meter.delta.text, "small", meter.rect.width - 48)
        bottom = meter.rect.y + meter._last_y + len(lines) * fonts.line_height("small")
        assert bottom <= meter.rect.bottom - 10, f"'Last reply: {meter.delta.text}' is cut"


def test_the_level_list_shows_several_levels(make_app: MakeApp) -> None:
    pilot = make_app(PlayerSettings(text_scale=200))
    pilot.create_trainee("Big Text")
    levels = pilot.scene(LevelsScene)
    height = levels.list_view.rect.height
    whole = [r for r in levels.row_rects if r.bottom <= height]
    assert len(whole) >= 3, f"only {len(whole)} whole rows fit"
