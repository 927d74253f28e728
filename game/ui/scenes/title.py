"""The title screen: continue as the last trainee, switch trainee, settings, quit.

It is the first thing drawn, before the engine and the records have loaded, so it needs
nothing but the settings file; the principle of the day fills in a moment later. It is a
shared screen: nothing private shows here (coaching notes wait until the trainee signs in).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pygame

from game.scenario.model import Channel
from game.ui import chrome
from game.ui.draw import panel
from game.ui.intents import Act, Intent
from game.ui.navigator import Route
from game.ui.portrait import Portrait
from game.ui.scene import Scene
from game.ui.widgets import Button, Menu, ScrollView

if TYPE_CHECKING:
    from collections.abc import Callable

    from game.records.api import Trainee
    from game.ui.window import App

LEFT_W = 430
PANEL_X = 620


class TitleScene(Scene):
    name = "title"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.menu = Menu()
        self.view = ScrollView()
        self.last: Trainee | None = None
        self._resolved = False  # the last trainee was looked up in the store
        self._desk = app.offers(Route.DESK)
        self._content: pygame.Surface | None = None
        self._logo: pygame.Surface | None = None
        self._hero: Portrait | None = None
        self._hero_image = pygame.Surface((1, 1))
        self._hero_rect = pygame.Rect(0, 0, 0, 0)
        self._logo_y = 100
        self._tagline = ""
        self._tagline_y = 0

    # ---- data ---------------------------------------------------------------------------------

    def _resolve(self) -> None:
        """Once the records are open: who 'Continue' means."""
        world = self.app.world()
        self._resolved = True
        self.last = None
        store = world.store
        if store is None:
            return
        name = self.app.settings.last_trainee
        self.last = self.app.trainee or (store.find_trainee(name) if name else None)

    def enter(self) -> None:
        self.sync()  # laid out once, here or by App.push after enter

    def resume(self) -> None:
        if self.app.ready:
            self._resolve()
        self.layout()

    def update(self, dt: float) -> None:
        if not self._resolved and self.app.ready:
            self._resolve()
            self.layout()
        self.view.update(dt, not self.app.motion)

    # ---- layout -------------------------------------------------------------------------------

    def _continue_name(self) -> str | None:
        if self._resolved:
            return self.last.name if self.last is not None else None
        return self.app.settings.last_trainee

    def layout(self) -> None:
        app, fonts = self.app, self.app.fonts
        x = chrome.MARGIN + 40
        self._logo = chrome.big_wordmark(app, LEFT_W + 60)
        self._hints = chrome.hints(
            app,
            [
                ("↑↓", self.app.tr._("Move")),
                ("Enter", self.app.tr._("Select")),
                ("F11", self.app.tr._("Full screen")),
            ],
            700,
        )
        bottom = chrome.footer_y(app, self._hints) - 16
        self._tagline = self.app.tr._("De-escalation practice for customer-service teams.")
        buttons = self._menu_buttons()
        gap = 12 if fonts.scale < 1.5 else 8
        menu_h = sum(b.measure(fonts, LEFT_W - 30) + gap for b in buttons)
        tagline_h = fonts.block_height(self._tagline, "h3", LEFT_W) + 30
        self._logo_y = 100
        if self._logo_y + self._logo.get_height() + 12 + tagline_h + menu_h > bottom:
            self._logo_y = 48  # large text: the logo moves up, then the tagline gives way
        if self._logo_y + self._logo.get_height() + 12 + tagline_h + menu_h > bottom:
            self._tagline, tagline_h = "", 18
        y = self._logo_y + self._logo.get_height() + 12
        self._tagline_y = y
        y += tagline_h
        for button in buttons:
            y = button.place(fonts, x, y, LEFT_W - 30) + gap
        self._build_panel(buttons)
        keep = self.menu.focused is not None
        self.menu.set_buttons(buttons, keep=keep)
        self.menu.render(fonts, app.theme)

    def _menu_buttons(self) -> list[Button]:
        buttons: list[Button] = []
        name = self._continue_name()
        if name:
            buttons.append(
                Button("continue", self.app.tr._("Continue as {name}", name=name), "primary")
            )
            buttons.append(Button("switch", self.app.tr._("Switch trainee")))
        else:
            buttons.append(Button("switch", self.app.tr._("Start training"), "primary"))
        if self._desk is not None:
            buttons.append(Button("desk", self.app.tr._("Supervisor's desk")))
        buttons.append(Button("settings", self.app.tr._("Settings")))
        buttons.append(Button("quit", self.app.tr._("Quit"), "ghost"))
        return buttons

    def _build_panel(self, buttons: list[Button]) -> None:
        """The right-hand card: the principle of the day (nothing private: a shared screen)."""
        fonts, theme = self.app.fonts, self.app.theme
        width = 1280 - PANEL_X - chrome.MARGIN
        inner_w = width - 56
        self.view.line = fonts.line_height("body")
        parts: list[tuple[str, str, tuple[int, int, int]]] = []  # (text, style, colour)
        if not self.app.ready:
            parts.append((self.app.tr._("GETTING THE FLOOR READY"), "caption", theme.accent))
            parts.append(
                (self.app.tr._("Loading the campaign and your records…"), "body", theme.text_dim)
            )
        else:
            parts.extend(self._principle_parts())
        # measure, then paint the content surface
        y = 0
        placed: list[tuple[int, str, str, tuple[int, int, int]]] = []
        for text, style, color in parts:
            placed.append((y, text, style, color))
            y += fonts.block_height(text, style, inner_w) + (6 if style == "caption" else 14)
        content = pygame.Surface((inner_w, max(1, y)), pygame.SRCALPHA)
        for top, text, style, color in placed:
            fonts.draw_block(content, text, style, color, 0, top, inner_w)
        self._content = content
        top, bottom = 112, 632
        if self.app.fonts.scale >= 1.5:  # large text needs the room
            self._hero = None
        else:  # a welcoming customer above the principle of the day
            hero_h = max(150, min(250, bottom - top - 20 - content.get_height() - 48))
            self._hero_rect = pygame.Rect(PANEL_X, top, width, hero_h)
            self._hero = Portrait(
                "Ms. Rivera", Channel.PHONE, (width - 24, hero_h - 24), theme, theme.panel
            )
            self._hero_image = self._hero.render(6, 0.0)
            top += hero_h + 20
        height = min(bottom - top, content.get_height() + 48)
        self._panel_rect = pygame.Rect(PANEL_X, top, width, height)
        self.view.rect = pygame.Rect(PANEL_X + 28, top + 24, inner_w, height - 48)
        self.view.set_content(content.get_height())

    def _principle_parts(self) -> list[tuple[str, str, tuple[int, int, int]]]:
        theme = self.app.theme
        catalog = self.app.world().catalog
        principles = [p for p in catalog.principles.values() if not p.taught_by_game]
        if not principles:
            return []
        principle = principles[date.today().toordinal() % len(principles)]
        section = catalog.sections.get(principle.section, "")
        parts = [
            (self.app.tr._("PRINCIPLE OF THE DAY"), "caption", theme.accent),
            (principle.title, "h2", theme.text),
            (principle.rule, "body", theme.text_dim),
        ]
        if section:  # trainee screens name principles; codes stay on the supervisor's desk
            parts.append(
                (
                    self.app.tr._("From the guides: {section}", section=section),
                    "small",
                    theme.text_faint,
                )
            )
        return parts

    # ---- input --------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        if intent.act is Act.SCROLL and self.view.contains(pygame.mouse.get_pos()):
            self.view.handle(intent)
            return
        if intent.act is Act.BACK:
            self.menu.focus("quit")
            self.app.play("move")
            return
        key = self.navigate(self.menu, intent)
        if key is not None:
            self.activate(key)

    def activate(self, key: str) -> None:
        app = self.app
        app.play("select")
        if key == "continue":
            if not self._resolved:
                self._resolve()
            if self.last is None:
                self.layout()
                return
            if not self._records_ok():
                return
            from game.ui.scenes.sign_in import sign_in_first

            if sign_in_first(app, self.last, lambda _signed: self.activate("continue")):
                return
            app.select_trainee(self.last)
            from game.ui.scenes.notes import tell_of_new_notes

            app.push(app.open(Route.LEVELS))
            tell_of_new_notes(app)  # signed in now: their new notes, on their own screen
        elif key == "switch":
            if not self._records_ok(lambda: self.activate("switch")):
                return
            app.push(app.open(Route.PROFILE))
        elif key == "desk" and self._desk:
            if self._records_ok(lambda: self.activate("desk")):
                app.push(app.open(Route.DESK))
        elif key == "settings":
            app.push(app.open(Route.SETTINGS))
        elif key == "quit":
            app.quit()

    def _records_ok(self, retry: Callable[[], None] | None = None) -> bool:
        """The records must be open to play; if not, say why on the error scene (or, when
        the room's database wants a login, ask for it and then `retry`)."""
        if not self.app.ready:
            return False  # still loading (a slow database?): the panel says so; never wait
        world = self.app.world()
        if world.store is not None and world.campaign is not None:
            return True
        if world.login_needed and retry is not None:  # a PostgreSQL room: sign in first

            def signed_in() -> None:
                self._resolve()
                self.layout()
                retry()

            self.app.push(self.app.open(Route.LOGIN, signed_in))
            return False
        if world.store is None:
            self.app.push(
                self.app.open(
                    Route.ERROR,
                    self.app.tr._("The training records could not be opened"),
                    self.app.tr._(
                        "Your scores are kept in a database, and it is not available right now. "
                        "Ask your trainer to check the database setting."
                    ),
                    (world.store_error or "",),
                )
            )
        else:
            self.app.push(
                self.app.open(
                    Route.ERROR,
                    self.app.tr._("The campaign could not be loaded"),
                    self.app.tr._(
                        "The list of levels has a problem. Your trainer can fix it with "
                        "`hold-the-line validate`."
                    ),
                    world.campaign_problems,
                )
            )
        return False

    # ---- drawing ------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        x = chrome.MARGIN + 40
        assert self._logo is not None
        surface.blit(self._logo, (x, self._logo_y))
        wave_y = self._logo_y + self._logo.get_height() - 14
        chrome.draw_wave(surface, app, x, x + LEFT_W, wave_y, 9)
        fonts.draw_block(
            surface, self._tagline, "h3", theme.text_dim, x, self._tagline_y + 4, LEFT_W
        )
        if self._hero is not None:
            panel(surface, self._hero_rect, theme)
            at = (self._hero_rect.x + 12, self._hero_rect.y + 12)
            surface.blit(self._hero_image, at)
            if (app.clock % 4.7) > 4.55:  # a blink, painted over the face
                self._hero.face.eyelids(surface, self._hero.face_box().move(at), 6)
            quote = fonts.render(
                self.app.tr._("“Thanks for actually listening.”"), "quote", theme.agent_text
            )
            bubble = quote.get_rect().inflate(28, 16)
            bubble.bottomright = (self._hero_rect.right - 30, self._hero_rect.bottom - 30)
            if bubble.width < self._hero_rect.width // 2 + 60:
                pygame.draw.rect(surface, theme.agent_bubble, bubble, border_radius=14)
                surface.blit(quote, quote.get_rect(center=bubble.center))
        panel(surface, self._panel_rect, theme)
        if self._content is not None:
            self.view.blit(surface, self._content)
            self.view.draw_scrollbar(surface, theme)
        self.menu.draw(surface, fonts, theme)
        y = chrome.footer_y(app, self._hints)
        surface.blit(self._hints, (chrome.MARGIN, y))
        edition = app.audio.off_reason or self.app.tr._(
            "Onboarding edition"
        )  # no sound device: say so
        tone = theme.warn if app.audio.off_reason else theme.text_faint
        room = 1280 - 2 * chrome.MARGIN - self._hints.get_width() - 24
        version = fonts.render(fonts.fit_line(edition, "small", room), "small", tone)
        surface.blit(
            version,
            version.get_rect(bottomright=(1280 - chrome.MARGIN, y + self._hints.get_height())),
        )
