"""Screenshots of every scene, as `make screenshots` makes them, each checked for content."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pygame
import pytest

from game.ui.screenshots import capture
from tests.ui.conftest import MakeApp

EXPECTED = {
    "title", "profile", "levels", "call-ringing", "call", "pause", "debrief",
    "call-in-person", "call-chat", "call-email", "debrief-mixed", "debrief-hard-call",
    "breather", "levels-progress", "history", "coaching-notes", "settings", "error",
    "call-text-200", "call-high-contrast", "levels-exam", "call-exam",
}  # fmt: skip


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("shots")
    return {path.stem: path for path in capture(out)}


def test_every_scene_is_photographed(shots: dict[str, Path]) -> None:
    assert set(shots) == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_screenshot_has_content(shots: dict[str, Path], name: str) -> None:
    image = pygame.image.load(str(shots[name]))
    assert image.get_size() == (1280, 720)
    small = pygame.transform.scale(image, (160, 90))
    colours: dict[tuple[int, int, int], int] = {}
    for x in range(160):
        for y in range(90):
            c = small.get_at((x, y))
            colours[(c.r, c.g, c.b)] = colours.get((c.r, c.g, c.b), 0) + 1
    assert len(colours) > 40, f"{name}: only {len(colours)} colours, nearly blank"
    assert max(colours.values()) < 0.9 * 160 * 90, f"{name}: one colour covers nearly all of it"


def test_the_call_screenshot_shows_a_conversation_in_progress(shots: dict[str, Path]) -> None:
    """Mid-call: amber reply bubbles, and the numbered replies below them."""
    image = pygame.image.load(str(shots["call"]))
    amber = 0
    for x in range(420, 1240, 4):
        for y in range(80, 700, 4):
            c = image.get_at((x, y))
            if c.r > 220 and 140 < c.g < 190 and c.b < 80:
                amber += 1
    assert amber > 300, "no reply bubble or focused reply in the call screenshot"


def test_high_contrast_really_is_high_contrast(shots: dict[str, Path]) -> None:
    dark = pygame.image.load(str(shots["call-high-contrast"])).get_at((5, 5))
    assert (dark.r, dark.g, dark.b) == (0, 0, 0)
    normal = pygame.image.load(str(shots["call"])).get_at((5, 5))
    assert (normal.r, normal.g, normal.b) != (0, 0, 0)


def test_screenshots_come_from_a_fixed_clock(
    shots: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A second run gives byte-identical files: unchanged screens, unchanged docs."""
    again = {p.stem: p for p in capture(tmp_path_factory.mktemp("again"))}
    changed = [name for name in EXPECTED if shots[name].read_bytes() != again[name].read_bytes()]
    assert not changed, f"these screenshots differ between two runs: {changed}"


def test_customers_wear_no_headset_and_the_agent_is_on_the_phone(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The phone portrait: the caller holds a mobile; the agent's headset is in the inset."""
    from game.scenario.model import Channel
    from game.ui.face import AGENT_LOOKS, Face, looks_for
    from game.ui.portrait import Portrait

    theme = make_app().app.theme
    drawn: list[tuple[str, object]] = []
    for name in ("headset", "handset"):
        original = getattr(Face, name)

        def spy(self: Face, surface: pygame.Surface, box: pygame.Rect, _n: str = name,
                _o: Callable[..., None] = original) -> None:  # fmt: skip
            drawn.append((_n, self.looks))
            _o(self, surface, box)

        monkeypatch.setattr(Face, name, spy)
    Portrait("Mr. Smith", Channel.PHONE, (320, 300), theme, theme.panel).render(40, 0)
    assert ("handset", looks_for("Mr. Smith")) in drawn
    assert ("headset", AGENT_LOOKS) in drawn
    assert ("headset", looks_for("Mr. Smith")) not in drawn


def test_customers_look_different() -> None:
    from game.ui.face import looks_for
    from tests.ui.plans import playable

    names = [lvl.scenario.customer.name.get("en") for lvl in playable() if lvl.scenario]
    looks = {looks_for(n) for n in names}
    assert len(looks) == len(set(names))
    assert len({(lk.age, lk.top) for lk in looks}) >= 4  # ages and clothes vary too
