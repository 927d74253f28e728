"""A breather after a hard call (G-CLOSE-4): a calm screen with a breathing guide.

A circle swells for four seconds (breathe in) and shrinks for six (breathe out), three
times, then the game moves on by itself. Enter or Esc skips it at any moment. With reduced
motion the circle keeps still and only the words change.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.ui import chrome
from game.ui.draw import aa_circle
from game.ui.intents import Act, Intent
from game.ui.scene import Scene
from game.ui.theme import blend
from game.ui.widgets import Button, Menu

if TYPE_CHECKING:
    from game.ui.window import App

INHALE = 4.0
EXHALE = 6.0
CYCLES = 3


class BreatherScene(Scene):
    name = "breather"

    def __init__(self, app: App, then: Callable[[], None]) -> None:
        super().__init__(app)
        self.then = then
        self.time = 0.0
        self.menu = Menu()
        self._done = False
        self._centre = (640, 300)
        self._radius = 120.0
        self._cite = ""

    @property
    def cycle(self) -> float:
        return INHALE + EXHALE

    def layout(self) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        catalog = self.app.world().catalog
        principle = catalog.principles.get("G-CLOSE-4")
        self._title = self.app.tr._("That was a hard one.")
        self._body = self.app.tr._(
            "Before the next customer, take a moment. Follow the circle with your breath."
        )
        self._cite = (
            self.app.tr._("From the guides: {title}", title=principle.title) if principle else ""
        )
        width = 760
        y = 40 + fonts.block_height(self._title, "h1", width) + 8
        y += fonts.block_height(self._body, "body", width) + 6
        y += fonts.block_height(self._cite, "small", width)
        self._hints = chrome.hints(
            self.app, [("Enter", self.app.tr._("Continue")), ("Esc", self.app.tr._("Skip"))], 400
        )
        button = Button("go", self.app.tr._("I'm ready"), "primary", hint="Enter")
        note_h = fonts.line_height("small") + 14
        button_h = button.measure(fonts, 300)
        button_y = chrome.footer_y(self.app, self._hints) - 24 - note_h - button_h
        button.place(fonts, (1280 - 300) // 2, button_y, 300)
        self.menu.set_buttons([button])
        self.menu.render(fonts, theme)
        room = button_y - 24 - (y + 24)
        self._centre = (640, y + 24 + room // 2)
        self._radius = max(40.0, room / 2 / 1.3)

    def phase(self) -> tuple[str, float]:
        """('in' or 'out', 0..1 progress through it)."""
        t = self.time % self.cycle
        if t < INHALE:
            return "in", t / INHALE
        return "out", (t - INHALE) / EXHALE

    def handle(self, intent: Intent) -> None:
        if intent.act is Act.BACK:
            self.finish()
            return
        _, key = self.menu.handle(intent)
        if key == "go":
            self.finish()

    def finish(self) -> None:
        if self._done:
            return
        self._done = True
        self.app.play("select")
        self.then()

    def update(self, dt: float) -> None:
        self.time += dt
        if self.time >= self.cycle * CYCLES:
            self.finish()

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.fill(blend(theme.bg, theme.good_soft, 0.5))  # a calmer page than the rest
        direction, t = self.phase()
        eased = (1 - math.cos(math.pi * t)) / 2
        size = eased if direction == "in" else 1 - eased
        if not app.motion:
            size = 0.6
        centre = self._centre
        radius = self._radius * (0.45 + 0.55 * size)
        base = blend(theme.bg, theme.good_soft, 0.5)
        for ring, alpha in ((1.3, 0.1), (1.15, 0.2)):
            aa_circle(surface, blend(base, theme.good, alpha), centre, radius * ring)
        aa_circle(surface, blend(theme.good_soft, theme.good, 0.55), centre, radius)
        word = self.app.tr._("Breathe in…") if direction == "in" else self.app.tr._("Breathe out…")
        image = fonts.render(word, "h2", theme.text)
        surface.blit(image, image.get_rect(center=centre))
        width = 760
        x = (1280 - width) // 2
        y = fonts.draw_block(surface, self._title, "h1", theme.text, x, 40, width, "center")
        y = fonts.draw_block(surface, self._body, "body", theme.text_dim, x, y + 8, width, "center")
        fonts.draw_block(surface, self._cite, "small", theme.text_faint, x, y + 6, width, "center")
        left = max(0, math.ceil(self.cycle * CYCLES - self.time))
        note = fonts.render(
            self.app.tr._("Moving on by itself in {left} s", left=left), "small", theme.text_faint
        )
        button = self.menu.buttons[0]
        surface.blit(note, note.get_rect(midtop=(640, button.rect.bottom + 14)))
        self.menu.draw(surface, fonts, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))
