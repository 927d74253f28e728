"""The pause menu over a call: resume, restart, settings, leave the call.

While it is up the call does not update, so the dead-air timer stands still. Leaving or
restarting keeps the attempt in the records as abandoned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.draw import panel
from game.ui.intents import Act, Intent
from game.ui.navigator import Route
from game.ui.scene import Scene
from game.ui.scenes.call_flow import CallPhase
from game.ui.widgets import Button, Menu

if TYPE_CHECKING:
    from game.ui.scenes.call import CallScene
    from game.ui.window import App
CARD_W = 480


class PauseScene(Scene):
    name = "pause"
    opaque = False

    def __init__(self, app: App, call: CallScene) -> None:
        super().__init__(app)
        self.call = call
        self.menu = Menu()
        self._shade: pygame.Surface | None = None
        self.card_w = CARD_W

    def layout(self) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        self.card_w = CARD_W if fonts.scale < 1.4 else 720
        inner = self.card_w - 64
        live = self.call.phase is not CallPhase.RINGING
        self._title = self.app.tr._("Call on hold") if live else self.app.tr._("Paused")
        self._note = (
            self.app.tr._(
                "The customer is waiting; the silence timer is stopped while you are here. "
                "Leaving or restarting ends this attempt: it is kept as left, not scored."
            )
            if live
            else self.app.tr._("Nobody is on the line yet.")
        )
        buttons = [
            Button("resume", self.app.tr._("Resume"), "primary", hint="Esc"),
            Button(
                "restart",
                self.app.tr._("Restart the call") if live else self.app.tr._("Answer now"),
            ),
            Button("settings", self.app.tr._("Settings")),
            Button(
                "leave",
                self.app.tr._("Leave the call") if live else self.app.tr._("Back to the levels"),
                "danger" if live else "secondary",
            ),
        ]
        head = (
            fonts.block_height(self._title, "h1", inner)
            + 10
            + fonts.block_height(self._note, "body", inner)
            + 24
        )
        heights = [b.measure(fonts, inner) for b in buttons]
        card_h = 36 + head + sum(heights) + 12 * (len(buttons) - 1) + 36
        top = max(16, (720 - card_h) // 2)
        self.card = pygame.Rect((1280 - self.card_w) // 2, top, self.card_w, card_h)
        self._head_y = top + 36
        y = top + 36 + head
        for button in buttons:
            y = button.place(fonts, self.card.x + 32, y, inner) + 12
        self.menu.set_buttons(buttons)
        self.menu.render(fonts, theme)
        shade = pygame.Surface((1280, 720), pygame.SRCALPHA)
        shade.fill((*theme.overlay, 200))
        self._shade = shade

    def handle(self, intent: Intent) -> None:
        if intent.act is Act.BACK:
            self.resume_call()
            return
        key = self.navigate(self.menu, intent)
        if key == "resume":
            self.resume_call()
        elif key == "restart":
            self.app.play("select")
            self.app.pop()
            if self.call.phase is CallPhase.RINGING:
                self.call.start_call()
            else:
                self.call.restart()
        elif key == "settings":
            self.app.play("select")
            self.app.push(self.app.open(Route.SETTINGS))
        elif key == "leave":
            self.app.play("back")
            if not self.app.pop_to(Route.LEVELS):
                self.app.pop()
                self.app.pop()

    def resume_call(self) -> None:
        self.app.play("select")
        self.app.pop()

    def draw(self, surface: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        assert self._shade is not None
        surface.blit(self._shade, (0, 0))
        panel(surface, self.card, theme, theme.panel_raised)
        inner = self.card_w - 64
        y = fonts.draw_block(
            surface, self._title, "h1", theme.text, self.card.x + 32, self._head_y, inner
        )
        fonts.draw_block(
            surface, self._note, "body", theme.text_dim, self.card.x + 32, y + 10, inner
        )
        self.menu.draw(surface, fonts, theme)
