"""Keys on the call screen, posted to the real window: Space only ever skips the customer."""

from __future__ import annotations

import pygame

from game.ui.scenes.call import CallPhase, CallScene
from tests.catalog import CATALOG
from tests.ui.conftest import MakeApp
from tests.ui.plans import good_choices, playable


def test_space_never_presses_a_reply(make_app: MakeApp) -> None:
    level = playable()[0]
    pilot = make_app()
    pilot.create_trainee("Sam Space")
    pilot.key(pygame.K_RETURN, frames=2)
    call = pilot.scene(CallScene)
    pilot.answer()
    prompt = pilot.wait_for_choices()  # Space until the replies are up
    assert call.phase is CallPhase.CHOOSING
    for _ in range(12):  # an impatient thumb, well after the line has finished
        pilot.key(pygame.K_SPACE, frames=2)
    assert call.phase is CallPhase.CHOOSING, "Space sent a reply"
    assert call.moment is prompt
    assert call.recorder is not None and call.recorder.state.turns == ()
    # the number keys still answer
    pilot.reply(good_choices(level)[0])
    pilot.frames(2)
    assert len(call.recorder.state.turns) == 1


def test_space_neither_answers_nor_hangs_up(make_app: MakeApp) -> None:
    level = playable()[0]
    pilot = make_app()
    pilot.create_trainee("Rue Ring")
    pilot.key(pygame.K_RETURN, frames=2)
    call = pilot.scene(CallScene)
    pilot.key(pygame.K_SPACE, frames=2)
    assert call.phase is CallPhase.RINGING, "Space answered the call"
    pilot.answer()
    for number in good_choices(level):
        pilot.reply(number)
    pilot.until(lambda: call.phase is CallPhase.ENDED, "the end of the call", press=pygame.K_SPACE)
    pilot.key(pygame.K_SPACE, frames=3)
    assert pilot.scene(CallScene) is call, "Space hung up"


def test_the_call_layout_holds_still(make_app: MakeApp) -> None:
    """From answering to hanging up the replies panel keeps one height, and while the
    customer speaks it shows the calm placeholder, not an empty box."""
    level = playable()[0]
    pilot = make_app()
    pilot.create_trainee("Stella Still")
    pilot.key(pygame.K_RETURN, frames=2)
    call = pilot.scene(CallScene)
    pilot.answer()
    heights: set[int] = set()
    placeholders = 0
    seen_text: list[str] = []
    fonts = pilot.app.fonts
    render = fonts.render

    def recording(text: str, style: str, color: tuple[int, int, int]) -> pygame.Surface:
        seen_text.append(text)
        return render(text, style, color)

    fonts.render = recording  # type: ignore[method-assign]
    for number in good_choices(level):
        while call.phase is not CallPhase.CHOOSING:
            heights.add(call.choice_panel.height)
            placeholders += call.phase is CallPhase.SPEAKING
            pilot.frames(1)
        heights.add(call.choice_panel.height)
        pilot.reply(number)
    pilot.until(lambda: call.phase is CallPhase.ENDED, "the end", press=pygame.K_SPACE)
    heights.add(call.choice_panel.height)
    assert len(heights) == 1, f"the replies panel changed height: {sorted(heights)}"
    assert placeholders > 0
    assert any(t.startswith("Listen first.") for t in seen_text)


def test_the_silence_bar_measures_the_engine_s_reading_allowance(make_app: MakeApp) -> None:
    """The timer turns red when silence starts to cost (the engine's `reading_allowance`:
    reading the screen plus the channel's grace), not at the grace alone."""
    from game.engine.session import dead_air_rule, reading_allowance

    level = playable()[0]
    assert level.scenario is not None
    pilot = make_app()
    pilot.create_trainee("Tim Timer")
    pilot.key(pygame.K_RETURN, frames=2)
    call = pilot.scene(CallScene)
    pilot.answer()
    pilot.wait_for_choices()
    assert call.recorder is not None
    state = call.recorder.state
    rule = dead_air_rule(level.scenario, state.timer, catalog=CATALOG)
    assert rule is not None
    allowance = reading_allowance(level.scenario, state.node, state.timer, catalog=CATALOG)
    assert call.allowance() == allowance > rule.grace + 1
    drawn: list[tuple[str, tuple[int, int, int]]] = []
    render = pilot.app.fonts.render

    def recording(text: str, style: str, color: tuple[int, int, int]) -> pygame.Surface:
        drawn.append((text, color))
        return render(text, style, color)

    pilot.app.fonts.render = recording  # type: ignore[method-assign]
    surface = pygame.Surface((400, 40))
    colors = []
    for silence in (rule.grace + 0.5, allowance + 0.5):
        call.flow.pending_silence = silence - state.silence  # pending silence, not yet handed over
        drawn.clear()
        call._draw_timer(surface, 390, 20)
        (color,) = [c for text, c in drawn if text.startswith("Silence")]
        colors.append(color)
    theme = pilot.app.theme
    assert colors[0] != theme.bad, "past the grace but still reading: silence is free"
    assert colors[1] == theme.bad
