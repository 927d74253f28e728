"""The frame every page shares: the wordmark, page headers and the key-hint footer.

One place for these keeps spacing and hierarchy identical from screen to screen, which is
most of what makes a set of screens feel like one product.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pygame

from game.ui.draw import icon_phone, wave_points

if TYPE_CHECKING:
    from game.ui.window import App

MARGIN = 56  # left/right page margin
TOP = 36  # page header top
FOOTER_H = 40


def wordmark(app: App) -> pygame.Surface:
    """The small logo: a handset in an amber tile and the name."""
    fonts, theme = app.fonts, app.theme
    text = fonts.render(app.tr._("Hold the Line"), "h3", theme.text)
    tile = max(28, text.get_height() + 6)
    image = pygame.Surface((tile + 10 + text.get_width(), tile), pygame.SRCALPHA)
    pygame.draw.rect(image, theme.accent, pygame.Rect(0, 0, tile, tile), border_radius=8)
    icon_phone(image, pygame.Rect(5, 5, tile - 10, tile - 10), theme.accent_text)
    image.blit(text, (tile + 10, (tile - text.get_height()) // 2))
    return image


def big_wordmark(app: App, width: int) -> pygame.Surface:
    """The title screen's logo: the name, large, over a steady voice line."""
    fonts, theme = app.fonts, app.theme
    lines = fonts.wrap(app.tr._("Hold the Line"), "display", width)
    step = fonts.line_height("display")
    height = step * len(lines) + 34
    image = pygame.Surface((width, height), pygame.SRCALPHA)
    y = 0
    for line in lines:
        image.blit(fonts.render(line, "display", theme.text), (0, y))
        y += step
    return image


def draw_wave(
    surface: pygame.Surface, app: App, left: int, right: int, y: int, amplitude: float
) -> None:
    """The animated 'line' under the title; it holds still with reduced motion."""
    phase = app.clock * 2.2 if app.motion else 0.0
    points = wave_points(left, right, y, amplitude, phase)
    pygame.draw.aalines(surface, app.theme.accent, False, points)
    pygame.draw.aalines(surface, app.theme.accent, False, [(x, py + 1) for x, py in points])


def header(app: App, caption: str, title: str, width: int) -> pygame.Surface:
    """A page header: a small upper-case caption over a large title, wrapped to `width`."""
    fonts, theme = app.fonts, app.theme
    cap_h = fonts.line_height("caption")
    title_h = fonts.block_height(title, "h1", width)
    image = pygame.Surface((width, cap_h + 6 + title_h), pygame.SRCALPHA)
    fonts.draw_block(image, caption, "caption", theme.accent, 0, 0, width)
    fonts.draw_block(image, title, "h1", theme.text, 0, cap_h + 6, width)
    return image


def keycap(app: App, key: str) -> pygame.Surface:
    fonts, theme = app.fonts, app.theme
    label = fonts.render(key, "caption", theme.text_dim)
    w = max(label.get_width() + 12, label.get_height() + 8)
    h = label.get_height() + 6
    image = pygame.Surface((w, h), pygame.SRCALPHA)
    pygame.draw.rect(image, theme.panel_raised, image.get_rect(), border_radius=5)
    pygame.draw.rect(image, theme.border, image.get_rect(), width=1, border_radius=5)
    image.blit(label, label.get_rect(center=(w // 2, h // 2)))
    return image


def hints(app: App, items: Sequence[tuple[str, str]], width: int) -> pygame.Surface:
    """Key hints for the footer ("Enter Select", "Esc Back"), wrapped onto rows if needed."""
    fonts, theme = app.fonts, app.theme
    pieces: list[pygame.Surface] = []
    for key, action in items:
        cap = keycap(app, key)
        text = fonts.render(action, "small", theme.text_faint)
        piece = pygame.Surface(
            (cap.get_width() + 6 + text.get_width(), max(cap.get_height(), text.get_height())),
            pygame.SRCALPHA,
        )
        piece.blit(cap, (0, (piece.get_height() - cap.get_height()) // 2))
        piece.blit(text, (cap.get_width() + 6, (piece.get_height() - text.get_height()) // 2))
        pieces.append(piece)
    rows: list[list[pygame.Surface]] = [[]]
    x = 0
    for piece in pieces:
        if rows[-1] and x + piece.get_width() > width:
            rows.append([])
            x = 0
        rows[-1].append(piece)
        x += piece.get_width() + 22
    row_h = max((p.get_height() for p in pieces), default=0)
    image = pygame.Surface(
        (width, max(1, row_h * len(rows) + 6 * (len(rows) - 1))), pygame.SRCALPHA
    )
    y = 0
    for row in rows:
        x = 0
        for piece in row:
            image.blit(piece, (x, y))
            x += piece.get_width() + 22
        y += row_h + 6
    return image


def footer_y(app: App, hint_image: pygame.Surface) -> int:
    """Where the footer hints sit: just above the bottom edge."""
    return app.screen.get_height() - 18 - hint_image.get_height()
