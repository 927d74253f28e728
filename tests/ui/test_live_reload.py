"""`play --watch` end to end: edit the level file mid-call in the real window (dummy video)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.paths import default_campaign
from game.ui.app import AppConfig, open_app
from game.ui.autopilot import Autopilot
from game.ui.scenes.call import CallScene

NEW_LINE = "EDITED LIVE: I bake for a living, and you have my mixer."


@pytest.fixture
def watched(isolated_home: Path, tmp_path: Path) -> Iterator[tuple[Autopilot, Path]]:
    """The game on a copy of the campaign, watching the level being played."""
    folder = tmp_path / "levels"
    shutil.copytree(default_campaign().parent, folder)
    app = open_app(AppConfig(campaign=folder / "campaign.yaml", seed=7, watch=True))
    pilot = Autopilot(app)
    pilot.start()
    yield pilot, folder / "late-delivery.yaml"
    if app.running:
        app.quit()
    app.close()


def _into_second_node(pilot: Autopilot) -> CallScene:
    pilot.create_trainee("Wanda Watch")
    pilot.key(pygame.K_RETURN, frames=2)
    call = pilot.scene(CallScene)
    pilot.answer()
    pilot.reply(1)  # listen: on to `vents_more`
    pilot.wait_for_choices()
    assert call.recorder is not None and call.recorder.state.node == "vents_more"
    return call


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_mid_call_shows_the_new_text_at_the_same_point(
    watched: tuple[Autopilot, Path],
) -> None:
    pilot, level = watched
    old_call = _into_second_node(pilot)
    _edit(level, "I run a bakery.", NEW_LINE)
    pilot.until(lambda: pilot.top is not old_call, "the reload", limit=200)
    call = pilot.scene(CallScene)
    prompt = pilot.wait_for_choices()
    assert call.recorder is not None
    assert call.recorder.state.node == "vents_more" == prompt.node
    assert [t.node for t in call.recorder.state.turns] == ["opening"]
    said = [bubble.text for bubble in call.transcript.bubbles]
    assert any(text.startswith(NEW_LINE) for text in said), said
    assert said[0].startswith("Finally, a human!")  # the conversation so far is still there
    assert pilot.app.live is not None
    assert "resumed at node 'vents_more' after 1 reply" in " ".join(pilot.app.live.lines())
    pilot.reply(1)  # the call plays on, on the new version
    pilot.frames(2)
    assert len(call.recorder.state.turns) == 2


def test_a_broken_edit_shows_its_errors_and_the_call_goes_on(
    watched: tuple[Autopilot, Path],
) -> None:
    pilot, level = watched
    call = _into_second_node(pilot)
    _edit(level, "  vents_more:\n    customer:", "  vents_more:\n    custmer:")
    live = pilot.app.live
    assert live is not None
    pilot.until(lambda: bool(live.lines()), "the errors", limit=200)
    shown = "\n".join(live.lines())
    assert "late-delivery.yaml:" in shown and "SC006" in shown and "custmer" in shown
    assert "unknown node" not in shown  # the typo does not cascade into other nodes
    assert pilot.top is call  # the last good version keeps running
    pilot.reply(1)
    pilot.frames(2)
    assert call.recorder is not None and len(call.recorder.state.turns) == 2
    # fixed again: the errors go and the call resumes where it now is
    _edit(level, "    custmer:", "    customer:")
    pilot.until(lambda: pilot.top is not call, "the reload after the fix", limit=200)
    assert not any("errors" in line for line in live.lines())
    fresh = pilot.scene(CallScene)
    pilot.wait_for_choices()
    assert fresh.recorder is not None and len(fresh.recorder.state.turns) == 2
