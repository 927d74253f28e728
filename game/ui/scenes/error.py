"""The error scene: what the player sees instead of a traceback.

Two uses: an expected problem (the records database is unreachable, the campaign file is
broken) explained in plain words with the details below, and an unexpected exception,
already logged, with the log's path so a trainer can find it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from game.ui.draw import aa_polygon, panel
from game.ui.intents import Act, Intent
from game.ui.navigator import Route
from game.ui.scene import Scene
from game.ui.widgets import Button, Menu, ScrollView

if TYPE_CHECKING:
    from game.ui.window import App

CARD_W = 800


class ErrorScene(Scene):
    name = "error"

    def __init__(
        self,
        app: App,
        title: str,
        message: str,
        details: Sequence[str] = (),
        log_path: Path | None = None,
        *,
        unexpected: bool = False,
    ) -> None:
        super().__init__(app)
        self.title = title
        self.message = message
        self.details = tuple(d for d in details if d)
        self.log_path = log_path
        self.unexpected = unexpected
        self._title_style, self._message_style = "h1", "body"
        self.menu = Menu(horizontal=True)
        self.view = ScrollView()
        self._details: pygame.Surface | None = None

    @classmethod
    def for_exception(
        cls,
        app: App,
        error: BaseException,
        log_path: Path | None,
        left: Sequence[object] = (),
    ) -> ErrorScene:
        """The error screen for an unexpected failure; `left` are the scenes it broke, whose
        exits have run: what became of a call among them is said as it really is."""
        from game.records.recorder import Recorder
        from game.records.redact import public_message

        where = (
            app.tr._("The details were written to {log_path}.", log_path=log_path)
            if log_path
            else app.tr._("The details could not be written to the log.")
        )
        fates = [
            recorder.fate()
            for scene in left
            if isinstance(recorder := getattr(scene, "recorder", None), Recorder)
        ]
        calls = " ".join(fates) if fates else app.tr._("Calls you finished are saved.")
        return cls(
            app,
            app.tr._("Something went wrong"),
            app.tr._(
                "The game ran into a problem it did not expect. It was not anything you did. {calls} {where}",
                calls=calls,
                where=where,
            ),
            (public_message(error),),  # no SQL, no parameters, no passwords
            log_path,
            unexpected=True,
        )

    def layout(self) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        inner = CARD_W - 96
        x0 = (1280 - CARD_W) // 2 + 48
        # large text or a long translation: the title and message step down a size so the
        # card and its buttons stay on the screen
        buttons_h = max(
            Button("x", label, "primary").measure(fonts, (inner - 16) // 2)
            for label in (
                self.app.tr._("Back to the title screen"), self.app.tr._("Quit the game")
            )
        )  # fmt: skip
        for self._title_style, self._message_style in (("h1", "body"), ("h2", "small")):
            y = 0
            self._title_h = fonts.block_height(self.title, self._title_style, inner - 70)
            y += max(self._title_h, 56) + 18
            self._message_y = y
            y += fonts.block_height(self.message, self._message_style, inner) + 18
            if 44 + y + 120 + buttons_h + 44 <= 720 - 48:
                break
        detail_h = 0
        if self.details:
            content_h = sum(fonts.block_height(d, "small", inner - 32) + 6 for d in self.details)
            detail_h = min(content_h + 24, 170)
            self._details = pygame.Surface((inner - 32, max(1, content_h)), pygame.SRCALPHA)
            dy = 0
            for line in self.details:
                dy = (
                    fonts.draw_block(
                        self._details, line, "small", theme.text_dim, 0, dy, inner - 32
                    )
                    + 6
                )
            self.view.set_content(content_h)
            self.view.line = fonts.line_height("small")
        self._detail_y = y
        y += detail_h + (24 if detail_h else 6)
        buttons = (
            [
                Button("title", self.app.tr._("Back to the title screen"), "primary"),
                Button("quit", self.app.tr._("Quit"), "ghost"),
            ]
            if self.unexpected
            else [
                Button("back", self.app.tr._("Back"), "primary"),
                Button("quit", self.app.tr._("Quit the game"), "ghost"),
            ]
        )
        button_w = (inner - 16) // 2
        heights = [b.measure(fonts, button_w) for b in buttons]
        card_h = 44 + y + max(heights) + 44
        over = card_h - (720 - 48)
        if over > 0 and detail_h:  # large text: the details scroll in less room, buttons stay
            shrunk = max(2 * fonts.line_height("small") + 24, detail_h - over)
            y -= detail_h - shrunk
            card_h -= detail_h - shrunk
            detail_h = shrunk
        top = max(24, (720 - card_h) // 2)
        self.card = pygame.Rect((1280 - CARD_W) // 2, top, CARD_W, card_h)
        self._top = top + 44
        self.view.rect = pygame.Rect(
            x0 + 16, self._top + self._detail_y + 12, inner - 32, max(0, detail_h - 24)
        )
        bx = x0
        for button in buttons:
            button.place(fonts, bx, self._top + y, button_w)
            bx += button_w + 16
        self.menu.set_buttons(buttons)
        self.menu.render(fonts, theme)
        self._inner = inner
        self._x0 = x0
        self._detail_h = detail_h

    def handle(self, intent: Intent) -> None:
        if self.view.handle(intent):
            return
        if intent.act is Act.BACK and not self.unexpected:
            self.app.play("back")
            self.app.pop()
            return
        _, key = self.menu.handle(intent)
        if key == "quit":
            self.app.quit(3 if self.unexpected else 0)
        elif key == "back":
            self.app.play("back")
            self.app.pop()
        elif key == "title":
            self.app.reset(self.app.open(Route.TITLE))

    def update(self, dt: float) -> None:
        self.view.update(dt, not self.app.motion)

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        panel(surface, self.card, theme, border=theme.bad)
        x, y = self._x0, self._top
        s = 48
        tri = [(x + s / 2, y), (x + s, y + s * 0.88), (x, y + s * 0.88)]
        aa_polygon(surface, theme.warn, tri)
        mark = fonts.render("!", "h2", theme.accent_text)
        surface.blit(mark, mark.get_rect(center=(x + s // 2, y + s * 0.55)))
        fonts.draw_block(
            surface, self.title, self._title_style, theme.text, x + 70, y + 4, self._inner - 70
        )
        fonts.draw_block(
            surface,
            self.message,
            self._message_style,
            theme.text_dim,
            x,
            y + self._message_y,
            self._inner,
        )
        if self._details is not None and self._detail_h:
            box = pygame.Rect(x, y + self._detail_y, self._inner, self._detail_h)
            panel(surface, box, theme, theme.panel_sunken, radius=10, shadow=False)
            self.view.blit(surface, self._details)
            self.view.draw_scrollbar(surface, theme)
        self.menu.draw(surface, fonts, theme)
