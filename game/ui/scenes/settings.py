"""Settings: language, text size, dead-air timer, high contrast, volume, reduced motion.

Every change applies at once (the page re-lays itself out at the new text size) and is
saved with the signed-in trainee's profile, or, before anyone has signed in, as this
computer's default (`game.ui.settings`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import pygame

from game.engine.state import TimerMode
from game.i18n.languages import TRANSLATED, language
from game.i18n.localize import complete_languages
from game.i18n.translator import N_
from game.ui import chrome
from game.ui.draw import focus_ring, panel
from game.ui.intents import Act, Intent
from game.ui.scene import Scene
from game.ui.settings import (
    TEXT_SCALES,
    TIMER_MODES,
    VOLUME_STEP,
    PlayerSettings,
)
from game.ui.widgets import Button, ScrollView

if TYPE_CHECKING:
    from game.ui.window import App

TIMER_TEXT = MappingProxyType(
    {
        TimerMode.NORMAL: N_(
            "Customers on the phone and in person notice silence, as they would for real."
        ),
        TimerMode.RELAXED: N_(
            "Twice the grace period before silence costs anything, at half the rate."
        ),
        TimerMode.OFF: N_("No dead-air timer: take all the time you need to read and decide."),
    }
)
TIMER_NAME = MappingProxyType(
    # i18n: the dead-air timer's setting
    {TimerMode.NORMAL: N_("Normal"), TimerMode.RELAXED: N_("Relaxed"), TimerMode.OFF: N_("Off")}
)


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    value: str
    help: str


class SettingsScene(Scene):
    name = "settings"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.keys = [
            "text_scale",
            "timer",
            "high_contrast",
            "volume",
            "reduced_motion",
            "lang",
            "done",
        ]
        self.index = 0
        self.view = ScrollView()
        self.rects: dict[str, pygame.Rect] = {}
        self._content: pygame.Surface | None = None
        self._done = Button("done", app.tr._("Done"), "primary")
        # the languages that can be chosen (complete ones), found off the frame when it opens
        self.languages: tuple[str, ...] = (app.settings.lang,)

    def enter(self) -> None:
        catalog = self.app.english_catalog()
        self.app.later(lambda: complete_languages(catalog), self._found_languages)

    def _found_languages(self, languages: tuple[str, ...]) -> None:
        current = self.app.settings.lang
        self.languages = languages if current in languages else (*languages, current)
        self.layout()

    # ---- values ---------------------------------------------------------------------------------

    def rows(self) -> list[Row]:
        s, tr = self.app.settings, self.app.tr
        on, off = tr._p("setting", "On"), tr._p("setting", "Off")
        others = len(TRANSLATED) + 1 - len(self.languages)
        return [
            Row("text_scale", tr._("Text size"), f"{s.text_scale} %",
                tr._("Every text in the game grows with it, up to twice the size.")),
            Row("timer", tr._("Dead-air timer"), tr._(TIMER_NAME[s.timer]), tr._(TIMER_TEXT[s.timer])),
            Row("high_contrast", tr._("High contrast"), on if s.high_contrast else off,
                tr._("Black and white with bright accents, thicker outlines.")),
            Row("volume", tr._("Sound volume"), off if s.volume == 0 else f"{s.volume} %",
                tr._("Phone rings, the pick-up and hang-up tones, and button clicks.")),
            Row("reduced_motion", tr._("Reduced motion"), on if s.reduced_motion else off,
                tr._("No swaying, shaking or sliding; the customer's words appear at once.")),
            Row("lang", tr._("Language"), language(s.lang).native,
                tr._n("The game, its feedback and the debrief in this language. {n} more"
                      " become choosable once their translation is complete.",
                      "The game, its feedback and the debrief in this language. {n} more"
                      " become choosable once their translations are complete.", others)
                if others else tr._("The game, its feedback and the debrief in this language.")),
        ]  # fmt: skip

    def change(self, key: str, step: int) -> None:
        s = self.app.settings
        new: PlayerSettings
        if key == "lang":
            at = self.languages.index(s.lang) if s.lang in self.languages else 0
            new = s.with_(lang=self.languages[(at + step) % len(self.languages)])
        elif key == "text_scale":
            index = TEXT_SCALES.index(s.text_scale) if s.text_scale in TEXT_SCALES else 0
            index = max(0, min(len(TEXT_SCALES) - 1, index + step))
            new = s.with_(text_scale=TEXT_SCALES[index])
        elif key == "timer":
            index = (TIMER_MODES.index(s.timer) + step) % len(TIMER_MODES)
            new = s.with_(timer=TIMER_MODES[index])
        elif key == "high_contrast":
            new = s.with_(high_contrast=not s.high_contrast)
        elif key == "volume":
            new = s.with_(volume=max(0, min(100, s.volume + step * VOLUME_STEP)))
        elif key == "reduced_motion":
            new = s.with_(reduced_motion=not s.reduced_motion)
        else:
            return
        if new != s:
            self.app.apply_settings(new)
            self.app.play("select")
            self._done = Button("done", self.app.tr._("Done"), "primary")
            self.layout()

    # ---- layout ---------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        width = 1280 - 2 * chrome.MARGIN
        tr = app.tr
        self._header = chrome.header(
            app, tr._("Settings"), tr._("Make it comfortable"), width - 300
        )
        who = app.trainee.name if app.trainee is not None else None
        note = (
            tr._("Saved with {who}'s profile: they follow {who} to any computer.", who=who)
            if who
            else tr._("This computer's default: a profile without settings of its own uses it.")
        )
        self._note = note
        top = chrome.TOP + self._header.get_height() + 8
        self._note_y = top
        top += fonts.block_height(note, "body", width) + 20
        self._hints = chrome.hints(
            app,
            [("↑↓", tr._("Choose")), ("←→", tr._("Change")), ("Enter", tr._("Change")),
             ("Esc", tr._("Done"))],
            width,
        )  # fmt: skip
        bottom = chrome.footer_y(app, self._hints) - 16
        done_h = self._done.measure(fonts, 220)
        self._done.place(fonts, 1280 - chrome.MARGIN - 220, bottom - done_h, 220)
        self._done.render(fonts, theme)
        self.view.rect = pygame.Rect(chrome.MARGIN, top, width, bottom - done_h - 16 - top)
        self.view.line = fonts.line_height("body")
        widest = [tr._(name) for name in TIMER_NAME.values()]
        widest += ["200 %", *(language(code).native for code in self.languages)]
        value_w = max(fonts.width(f"◀  {value}  ▶", "body_bold") for value in widest) + 40
        text_w = width - value_w - 72
        y = 0
        rows = self.rows()
        heights = []
        for row in rows:
            h = (
                fonts.block_height(row.label, "body_bold", text_w)
                + 4
                + fonts.block_height(row.help, "small", text_w)
            )
            heights.append(max(h, fonts.line_height("body_bold")) + 32)
        content = pygame.Surface((width, max(1, sum(heights) + 14 * len(rows))), pygame.SRCALPHA)
        self.rects = {}
        for row, h in zip(rows, heights, strict=True):
            rect = pygame.Rect(0, y, width, h)
            self.rects[row.key] = rect
            panel(content, rect.inflate(-8, 0), theme, theme.panel_raised, radius=12, shadow=False)
            ty = fonts.draw_block(content, row.label, "body_bold", theme.text, 28, y + 16, text_w)
            fonts.draw_block(content, row.help, "small", theme.text_dim, 28, ty + 4, text_w)
            value = fonts.render(row.value, "body_bold", theme.accent)
            cx = width - 28 - value_w // 2
            content.blit(value, value.get_rect(center=(cx, y + h // 2)))
            for arrow, ax in (("◀", width - 28 - value_w + 6), ("▶", width - 40)):
                image = fonts.render(arrow, "small", theme.text_dim)
                content.blit(image, image.get_rect(midleft=(ax, y + h // 2)))
            y += h + 14
        self._content = content
        self._value_w = value_w
        self.view.set_content(content.get_height())
        self._reveal()

    def _reveal(self) -> None:
        key = self.keys[self.index]
        if key in self.rects:
            rect = self.rects[key]
            self.view.ensure_visible(rect.top, rect.bottom)

    # ---- input ----------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        act = intent.act
        key = self.keys[self.index]
        if act is Act.BACK:
            self._close()
        elif act in (Act.UP, Act.PREV):
            self.index = (self.index - 1) % len(self.keys)
            self.app.play("move")
            self._reveal()
        elif act in (Act.DOWN, Act.NEXT):
            self.index = (self.index + 1) % len(self.keys)
            self.app.play("move")
            self._reveal()
        elif act is Act.LEFT:
            self.change(key, -1)
        elif act is Act.RIGHT:
            self.change(key, 1)
        elif act in (Act.CONFIRM, Act.SKIP):
            if key == "done":
                self._close()
            else:
                self.change(key, 1)
        elif act is Act.SCROLL:
            self.view.handle(intent)
        elif act in (Act.POINT, Act.CLICK):
            hit = self._hit(intent.pos)
            if hit is None:
                return
            if hit != key:
                self.index = self.keys.index(hit)
            if act is Act.CLICK:
                if hit == "done":
                    self._close()
                else:
                    local_x = intent.pos[0] - self.view.rect.x
                    left_half = local_x < self.view.rect.width - 28 - self._value_w // 2
                    self.change(hit, -1 if left_half and hit in ("text_scale", "volume") else 1)

    def _hit(self, pos: tuple[int, int]) -> str | None:
        if self._done.hit(pos):
            return "done"
        if not self.view.contains(pos):
            return None
        x, y = self.view.to_content(pos)
        return next((k for k, r in self.rects.items() if r.collidepoint(x, y)), None)

    def _close(self) -> None:
        self.app.play("back")
        self.app.pop()

    def update(self, dt: float) -> None:
        self.view.update(dt, not self.app.motion)

    # ---- drawing --------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        surface.blit(self._header, (chrome.MARGIN, chrome.TOP))
        fonts.draw_block(
            surface,
            self._note,
            "body",
            theme.text_dim,
            chrome.MARGIN,
            self._note_y,
            1280 - 2 * chrome.MARGIN,
        )
        if self._content is not None:
            self.view.blit(surface, self._content)
            self.view.draw_scrollbar(surface, theme)
        key = self.keys[self.index]
        if key in self.rects:
            rect = (
                self.rects[key]
                .inflate(-8, 0)
                .move(self.view.rect.x, self.view.rect.y - self.view.top)
            )
            clip = surface.get_clip()
            surface.set_clip(self.view.rect.inflate(12, 12))
            focus_ring(surface, rect, theme, 12)
            surface.set_clip(clip)
        self._done.draw(surface, fonts, theme, key == "done")
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))
