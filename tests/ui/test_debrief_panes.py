"""The debrief holds when scrolled: the turns scroll in their own column, the chart stays,
and a left column that cannot fit says so and can be reached from the keyboard."""

from __future__ import annotations

import pygame
import pytest

from game.ui.autopilot import Autopilot
from game.ui.scenes.call import CallScene
from game.ui.scenes.debrief import LEGEND, DebriefScene
from game.ui.screenshots import plan_choices
from game.ui.settings import PlayerSettings
from tests.ui.conftest import MakeApp


def debrief_for(make_app: MakeApp, scale: int, plan: str) -> tuple[DebriefScene, Autopilot]:
    pilot = make_app(PlayerSettings(text_scale=scale))
    pilot.create_trainee("Dee Brief")
    # the game's own level (its scenario carries the translations), not a fresh English load
    world = pilot.app.world()
    assert world.campaign is not None
    level = next(lvl for lvl in world.campaign.levels if lvl.playable and plan.startswith(lvl.key))
    pilot.app.push(CallScene(pilot.app, level))
    pilot.frames(2)
    choices = plan_choices(plan)
    assert choices
    shown = pilot.play(choices)
    pilot.frames(80)
    return shown, pilot


def pixels(surface: pygame.Surface, rect: pygame.Rect) -> bytes:
    return pygame.image.tobytes(surface.subsurface(rect), "RGB")


@pytest.mark.parametrize("scale", [100, 200])
def test_the_chart_stays_while_the_turns_scroll(make_app: MakeApp, scale: int) -> None:
    shown, pilot = debrief_for(make_app, scale, "discount-bully-boundary-recovers")
    app = pilot.app
    app.draw(app.screen)
    left = shown.side.rect.clip(app.screen.get_rect())
    before = pixels(app.screen, left)
    assert shown.view.scrollable
    for _ in range(5):
        pilot.key(pygame.K_PAGEDOWN, frames=20)
    assert shown.view.offset > 0, "the turns did not scroll"
    app.draw(app.screen)
    assert pixels(app.screen, left) == before, "the left column moved with the turns"
    assert not shown.view.rect.colliderect(shown.side.rect)


@pytest.mark.parametrize("scale", [100, 150, 200])
def test_a_cut_left_column_shows_a_cue_and_tab_reaches_it(make_app: MakeApp, scale: int) -> None:
    shown, pilot = debrief_for(make_app, scale, "discount-bully-boundary-recovers")
    side = shown.side
    if not side.scrollable:
        assert side.content_height <= side.rect.height  # everything fits: nothing is cut
        return
    app = pilot.app
    app.draw(app.screen)
    chip = shown.cue_rect
    assert chip is not None, "the left column is cut with no cue"
    accent = pygame.Color(*app.theme.accent)
    area = app.screen.subsurface(chip)
    found = any(
        area.get_at((x, y)) == accent for x in range(0, chip.width, 2) for y in range(chip.height)
    )
    assert found, "the cue was not drawn where it says"
    # The chip sits in a strip of its own: over no card of the column, nor the buttons.
    assert chip.top >= side.rect.bottom, "the cue covers the last visible card"
    assert all(chip.bottom <= b.rect.top for b in shown.menu.buttons)
    pilot.key(pygame.K_TAB)
    assert shown.pane == "side"
    pilot.key(pygame.K_END, frames=30)
    assert side.offset == side.max_offset
    before = shown.view.offset
    pilot.key(pygame.K_TAB)
    pilot.key(pygame.K_PAGEDOWN, frames=20)
    assert shown.view.offset > before


def test_markers_stay_inside_the_chart_and_the_legend_uses_them(make_app: MakeApp) -> None:
    shown, _ = debrief_for(make_app, 100, "discount-bully-boundary-recovers")
    surface = pygame.Surface((600, 600), pygame.SRCALPHA)
    seen: list[tuple[str, tuple[float, float], int]] = []
    original = shown._verdict_mark

    def spy(page: pygame.Surface, verdict: str, at: tuple[float, float], r: int) -> None:
        seen.append((verdict, at, r))
        original(page, verdict, at, r)

    shown._verdict_mark = spy  # type: ignore[method-assign]
    height = shown._curve_card(surface, 0, 470)
    fonts = shown.app.fonts
    title_h = fonts.line_height("caption") + 10
    chart_bottom = 20 + title_h + shown._chart_h
    marks = [(v, at, r) for v, at, r in seen if r > 9]
    legend = [(v, at, r) for v, at, r in seen if r == 9]
    assert len(marks) == len(shown.report.turns)
    for _, (_, y), r in marks:
        assert y + r + 3 <= chart_bottom, "a marker reaches into the turn numbers"
    assert [v for v, *_ in legend] == [v for v, _ in LEGEND]
    assert all(at[1] > chart_bottom for _, at, _ in legend) and height > chart_bottom
