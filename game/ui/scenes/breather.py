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
    from game.ui.app import App

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

    @property
    def cycle(self) -> float:
        return INHALE + EXHALE

    def layout(self) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        catalog = self.app.world().catalog
        principle = catalog.principles.get("G-CLOSE-4")
        self._title = "That was a hard one."
        self._body = "Take a moment before the next customer. " + (
            f"{principle.title}: {principle.rule}" if principle else ""
        )
        button = Button("go", "I'm ready", "primary", hint="Enter")
        button.place(fonts, (1280 - 300) // 2, 720 - 150, 300)
        self.menu.set_buttons([button])
        self.menu.render(fonts, theme)
        self._hints = chrome.hints(self.app, [("Enter", "Continue"), ("Esc", "Skip")], 400)

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
        surface.fill(blend(theme.bg, theme.good_soft, 0.5))
        direction, t = self.phase()
        eased = (1 - math.cos(math.pi * t)) / 2
        size = eased if direction == "in" else 1 - eased
        if not app.motion:
            size = 0.6
        centre = (640, 300)
        for ring, alpha in ((1.35, 0.12), (1.18, 0.22)):
            r = (70 + 90 * size) * ring
            aa_circle(surface, blend(theme.bg, theme.good, alpha), centre, r)
        aa_circle(surface, blend(theme.good_soft, theme.good, 0.55), centre, 70 + 90 * size)
        word = "Breathe in…" if direction == "in" else "Breathe out…"
        image = fonts.render(word, "h2", theme.text)
        surface.blit(image, image.get_rect(center=centre))
        width = 760
        y = fonts.draw_block(
            surface, self._title, "h1", theme.text, (1280 - width) // 2, 40, width, "center"
        )
        fonts.draw_block(
            surface, self._body, "body", theme.text_dim, (1280 - width) // 2, y + 8, width, "center"
        )
        left = max(0, math.ceil(self.cycle * CYCLES - self.time))
        note = fonts.render(f"Moving on by itself in {left} s", "small", theme.text_faint)
        button = self.menu.buttons[0]
        surface.blit(note, note.get_rect(midtop=(640, button.rect.bottom + 14)))
        self.menu.draw(surface, fonts, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))
