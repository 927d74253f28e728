"""Screenshots of the supervisor's desk, as `make screenshots` makes them, checked for content."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from game.ui.screenshots import capture_desk
from game.ui.theme import Color, load_themes

EXPECTED = (
    "desk-passphrase", "desk-overview", "desk-level", "desk-trainee", "desk-attempt",
    "desk-notes", "desk-profile-delete",
)  # fmt: skip


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("desk-shots")
    return {path.stem: path for path in capture_desk(out)}


def test_every_desk_scene_is_photographed(shots: dict[str, Path]) -> None:
    assert sorted(shots) == sorted(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_a_desk_screenshot_has_content(shots: dict[str, Path], name: str) -> None:
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


def count(image: pygame.Surface, color: Color, area: pygame.Rect, step: int = 2) -> int:
    """Pixels of exactly this colour in `area`, sampled every `step` pixels."""
    found = 0
    for x in range(area.left, area.right, step):
        for y in range(area.top, area.bottom, step):
            c = image.get_at((x, y))
            found += (c.r, c.g, c.b) == color
    return found


def test_the_overview_shows_stuck_trainees_and_passed_levels(shots: dict[str, Path]) -> None:
    theme = load_themes()["default"]
    image = pygame.image.load(str(shots["desk-overview"]))
    table = pygame.Rect(56, 180, 1168, 480)
    assert count(image, theme.bad, table) > 100, "no stuck trainee marked in red"
    assert count(image, theme.good_soft, table) > 300, "no passed level cells"


def test_the_attempt_shows_the_conversation_and_a_note_being_written(
    shots: dict[str, Path],
) -> None:
    theme = load_themes()["default"]
    image = pygame.image.load(str(shots["desk-attempt"]))
    page = pygame.Rect(56, 180, 1168, 360)
    assert count(image, theme.panel_raised, page) > 300, "no turn-by-turn feedback cards"
    note = pygame.Rect(56, 560, 900, 100)
    assert count(image, theme.text, note, 1) > 50, "no note text in the note box"
    save = pygame.Rect(960, 560, 264, 100)  # idle: focus is in the note box
    assert count(image, theme.panel_raised, save) > 200, "no Save button"


def test_the_passphrase_screen_masks_what_is_typed(shots: dict[str, Path]) -> None:
    """The first field's ink is exactly a row of dots, one per character, not the letters."""
    from game.paths import assets_dir
    from game.ui.screenshots import DESK_PASSPHRASE
    from game.ui.typography import Typography

    theme = load_themes()["default"]
    image = pygame.image.load(str(shots["desk-passphrase"]))
    field = pygame.Rect(360, 200, 560, 40)  # SUPERVISOR PASSPHRASE, at 100 % text
    fonts = Typography(assets_dir() / "fonts", 100)

    def solid(text: str) -> int:
        """Pixels a rendered line paints fully opaque in the text colour."""
        line = fonts.render(text, "body", theme.text)
        return sum(
            line.get_at((x, y)).a == 255
            for x in range(line.get_width())
            for y in range(line.get_height())
        )

    ink = count(image, theme.text, field, 1)
    assert ink == solid("•" * len(DESK_PASSPHRASE))
    assert ink != solid(DESK_PASSPHRASE)
