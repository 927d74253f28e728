"""Controls shared by the scenes: buttons, a focus ring, scrolling, a text field.

Buttons are rendered once per layout (idle and focused) and blitted every frame. The focus
ring makes every control reachable by keyboard, and follows the mouse when it moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pygame

from game.ui.draw import focus_ring, opaque, panel
from game.ui.intents import Act, Intent
from game.ui.secret_form import masked
from game.ui.theme import Theme, blend
from game.ui.typography import Typography

Rect = pygame.Rect

PAD_X = 18
PAD_Y = 11
RADIUS = 12


@dataclass
class Button:
    """A labelled control. `rect` is in the coordinates of whatever it is drawn on."""

    key: str
    label: str
    style: str = "secondary"  # primary | secondary | ghost | danger | choice
    badge: str | None = None  # the number on a choice
    hint: str | None = None  # a key hint on the right, e.g. "Esc"
    detail: str | None = None  # a second, dimmer line
    enabled: bool = True
    rect: Rect = field(default_factory=lambda: Rect(0, 0, 0, 0))
    view: ScrollView | None = None  # set when the button lives inside scrolled content
    backing: tuple[int, int, int] | None = None  # the colour behind it: paint opaque (faster)
    _idle: pygame.Surface | None = field(default=None, repr=False)
    _focus: pygame.Surface | None = field(default=None, repr=False)

    def _text_width(self, fonts: Typography, width: int) -> int:
        inner = width - 2 * PAD_X
        if self.badge is not None:
            inner -= self._badge_width(fonts) + 14
        if self.hint is not None:
            inner -= fonts.width(self.hint, "caption") + 20
        return max(40, inner)

    @staticmethod
    def _badge_size(fonts: Typography) -> int:
        return fonts.line_height("badge") + 10

    def _badge_width(self, fonts: Typography) -> int:
        """Square for a digit, wider for initials."""
        if len(self.badge or "") < 2:
            return self._badge_size(fonts)
        widest = max(fonts.width("MW", "badge"), fonts.width(self.badge or "", "badge"))
        return max(self._badge_size(fonts), widest + 14)  # the same for every pair of letters

    def _label_style(self) -> str:
        return "body_bold" if self.style in ("primary", "secondary", "danger") else "body"

    def measure(self, fonts: Typography, width: int) -> int:
        """The height this button needs at `width`, with its label wrapped."""
        text_w = self._text_width(fonts, width)
        height = fonts.block_height(self.label, self._label_style(), text_w)
        if self.detail:
            height += 2 + fonts.block_height(self.detail, "small", text_w)
        if self.badge is not None:
            height = max(height, self._badge_size(fonts))
        return height + 2 * PAD_Y

    def place(self, fonts: Typography, x: int, y: int, width: int) -> int:
        """Set the rect at (x, y) with the measured height; returns the bottom."""
        self.rect = Rect(x, y, width, self.measure(fonts, width))
        self._idle = self._focus = None
        return self.rect.bottom

    def render(self, fonts: Typography, theme: Theme) -> None:
        self._idle = self._paint(fonts, theme, False)
        self._focus = self._paint(fonts, theme, True)

    @property
    def rendered(self) -> bool:
        return (
            self._idle is not None
            and self._focus is not None
            and self._idle.get_size() == self.rect.size
        )

    def image(self, fonts: Typography, theme: Theme, focused: bool = False) -> pygame.Surface:
        """The button's picture (rendered on first use): idle or focused."""
        image = self._focus if focused else self._idle
        if image is None or image.get_size() != self.rect.size:
            image = self._paint(fonts, theme, focused)  # one picture at a time: cheap steps
            if focused:
                self._focus = image
            else:
                self._idle = image
        return image

    def _colors(
        self, theme: Theme, focused: bool
    ) -> tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]:
        """Fill, border and text colours for the style and state."""
        if not self.enabled:
            return theme.panel_sunken, theme.border, theme.text_faint
        if self.style == "danger":
            fill = blend(theme.bad_soft, theme.bad, 0.25) if focused else theme.bad_soft
            return fill, theme.bad, theme.text
        if focused:  # one focus style for every control: the accent, with the ring around it
            return theme.accent, theme.accent, theme.accent_text
        if self.style == "ghost":
            return theme.panel, theme.panel, theme.text_dim
        # idle, a primary button looks like any other: only the focus says what Enter does
        return theme.panel_raised, theme.border, theme.text

    def _paint(self, fonts: Typography, theme: Theme, focused: bool) -> pygame.Surface:
        w, h = self.rect.size
        if self.backing is not None:
            image = opaque((w, h))
            image.fill(self.backing)
        else:
            image = pygame.Surface((w, h), pygame.SRCALPHA)
        fill, border, text = self._colors(theme, focused)
        local = Rect(0, 0, w, h)
        pygame.draw.rect(image, fill, local, border_radius=RADIUS)
        pygame.draw.rect(
            image,
            border,
            local,
            width=2 if focused or theme.high_contrast else 1,
            border_radius=RADIUS,
        )
        x = PAD_X
        text_w = self._text_width(fonts, w)
        if self.badge is not None:
            size = self._badge_size(fonts)
            badge_w = self._badge_width(fonts)
            badge = Rect(x, (h - size) // 2, badge_w, size)
            if focused:
                pygame.draw.rect(image, theme.accent_text, badge, border_radius=8)
                color = theme.accent
            else:
                pygame.draw.rect(image, theme.accent_soft, badge, border_radius=8)
                pygame.draw.rect(image, theme.accent, badge, width=1, border_radius=8)
                color = theme.accent
            label = fonts.render(self.badge, "badge", color)
            image.blit(label, label.get_rect(center=badge.center))
            x += badge_w + 14
        style = self._label_style()
        block_h = fonts.block_height(self.label, style, text_w)
        if self.detail:
            block_h += 2 + fonts.block_height(self.detail, "small", text_w)
        y = (h - block_h) // 2
        centered = (
            self.style in ("primary", "secondary", "danger", "ghost")
            and self.hint is None
            and self.detail is None
        )
        align = "center" if centered and self.badge is None else "left"
        if align == "center":
            y = fonts.draw_block(image, self.label, style, text, 0, y, w, "center")
        else:
            y = fonts.draw_block(image, self.label, style, text, x, y, text_w)
        if self.detail:
            fonts.draw_block(
                image,
                self.detail,
                "small",
                theme.accent_text if focused else theme.text_dim,
                x if align == "left" else 0,
                y + 2,
                text_w if align == "left" else w,
                align,
            )
        if self.hint is not None:
            hint = fonts.render(self.hint, "caption", text if focused else theme.text_faint)
            image.blit(hint, hint.get_rect(midright=(w - PAD_X, h // 2)))
        return image

    @property
    def screen_rect(self) -> Rect:
        """Where the button is on screen, after its scroll view's offset."""
        if self.view is None:
            return self.rect
        return self.rect.move(self.view.rect.x, self.view.rect.y - self.view.top)

    def hit(self, pos: tuple[int, int]) -> bool:
        if self.view is not None and not self.view.rect.collidepoint(pos):
            return False
        return bool(self.screen_rect.collidepoint(pos))

    def draw(self, surface: pygame.Surface, fonts: Typography, theme: Theme, focused: bool) -> None:
        image = self.image(fonts, theme, focused)
        rect = self.screen_rect
        clip = surface.get_clip()
        if self.view is not None:
            area = self.view.rect.inflate(12, 12)
            if not area.colliderect(rect):
                return
            surface.set_clip(area.clip(clip))
        surface.blit(image, rect)
        if focused:
            focus_ring(surface, rect, theme, RADIUS)
        surface.set_clip(clip)


class FocusRing:
    """Keyboard focus over a list of controls; Up/Down/Tab move, Enter/Space activate."""

    def __init__(self, keys: Sequence[str] = (), *, horizontal: bool = False) -> None:
        self.keys: list[str] = list(keys)
        self.index = 0
        self.horizontal = horizontal

    @property
    def focused(self) -> str | None:
        return self.keys[self.index] if self.keys else None

    def set_keys(self, keys: Sequence[str], keep: bool = True) -> None:
        current = self.focused
        self.keys = list(keys)
        if keep and current in self.keys:
            self.index = self.keys.index(current)
        else:
            self.index = min(self.index, max(0, len(self.keys) - 1))

    def focus(self, key: str) -> None:
        if key in self.keys:
            self.index = self.keys.index(key)

    def move(self, step: int) -> bool:
        if not self.keys:
            return False
        before = self.index
        self.index = (self.index + step) % len(self.keys)
        return self.index != before

    def handle(self, intent: Intent) -> tuple[bool, str | None]:
        """Returns (focus moved, key activated)."""
        back_keys = (Act.LEFT, Act.PREV) if self.horizontal else (Act.UP, Act.PREV)
        forward_keys = (Act.RIGHT, Act.NEXT) if self.horizontal else (Act.DOWN, Act.NEXT)
        if intent.act in back_keys:
            return self.move(-1), None
        if intent.act in forward_keys:
            return self.move(1), None
        if intent.act in (Act.CONFIRM, Act.SKIP) and self.keys:
            return False, self.keys[self.index]
        return False, None


class Menu:
    """Buttons with one focus ring: keys, mouse hover and clicks all end in `activated`."""

    def __init__(self, buttons: Sequence[Button] = (), *, horizontal: bool = False) -> None:
        self.buttons: list[Button] = []
        self.ring = FocusRing(horizontal=horizontal)
        self.set_buttons(buttons)

    def set_buttons(
        self, buttons: Sequence[Button], keep: bool = True, order: Sequence[str] | None = None
    ) -> None:
        """Use these buttons; `order` is the focus order when it includes other controls."""
        self.buttons = list(buttons)
        keys = order if order is not None else [b.key for b in self.buttons if b.enabled]
        self.ring.set_keys(keys, keep)

    def button(self, key: str) -> Button | None:
        return next((b for b in self.buttons if b.key == key), None)

    @property
    def focused(self) -> str | None:
        return self.ring.focused

    def focus(self, key: str) -> None:
        self.ring.focus(key)
        self.reveal()

    def reveal(self) -> None:
        """Scroll the focused button into view if it sits in a scroll view."""
        button = self.button(self.ring.focused or "")
        if button is not None and button.view is not None:
            button.view.ensure_visible(button.rect.top, button.rect.bottom)

    def at(self, pos: tuple[int, int]) -> Button | None:
        return next((b for b in self.buttons if b.enabled and b.hit(pos)), None)

    def handle(self, intent: Intent) -> tuple[bool, str | None]:
        """Returns (focus moved, key activated)."""
        if intent.act is Act.POINT:
            button = self.at(intent.pos)
            if button is not None and button.key != self.ring.focused:
                self.ring.focus(button.key)
                return True, None
            return False, None
        if intent.act is Act.CLICK:
            button = self.at(intent.pos)
            if button is not None:
                self.ring.focus(button.key)
                return False, button.key
            return False, None
        moved, key = self.ring.handle(intent)
        if moved:
            self.reveal()
        return moved, key

    def render(self, fonts: Typography, theme: Theme) -> None:
        for button in self.buttons:
            button.render(fonts, theme)

    def draw(
        self, surface: pygame.Surface, fonts: Typography, theme: Theme, active: bool = True
    ) -> None:
        focused = self.ring.focused if active else None
        for button in self.buttons:
            button.draw(surface, fonts, theme, button.key == focused)


def text_input(on: bool) -> None:
    """Ask the platform for typed text (IME included) while a field is on screen."""
    try:
        if on:
            pygame.key.start_text_input()
        else:
            pygame.key.stop_text_input()
    except pygame.error:
        pass


class ScrollView:
    """A vertical viewport over taller content, with eased scrolling and a scrollbar."""

    def __init__(self, rect: Rect | None = None, line: int = 24, speed: float = 18.0) -> None:
        self.rect = rect or Rect(0, 0, 0, 0)
        self.speed = speed  # how fast scrolling eases to its target (1/s)
        self.content_height = 0
        self.offset = 0.0
        self.target = 0.0
        self.line = line

    @property
    def max_offset(self) -> int:
        return max(0, self.content_height - self.rect.height)

    @property
    def scrollable(self) -> bool:
        return self.max_offset > 0

    def set_content(self, height: int) -> None:
        self.content_height = height
        self.target = min(self.target, self.max_offset)
        self.offset = min(self.offset, self.max_offset)

    def scroll_by(self, pixels: float) -> None:
        self.target = max(0.0, min(float(self.max_offset), self.target + pixels))

    def scroll_to(self, y: float, instant: bool = False) -> None:
        self.target = max(0.0, min(float(self.max_offset), y))
        if instant:
            self.offset = self.target

    def to_end(self, instant: bool = False) -> None:
        self.scroll_to(self.max_offset, instant)

    def ensure_visible(self, top: int, bottom: int, margin: int = 12) -> None:
        """Scroll the least needed so content rows top..bottom are in view."""
        if top - margin < self.target:
            self.scroll_to(top - margin)
        elif bottom + margin > self.target + self.rect.height:
            self.scroll_to(min(top - margin, bottom + margin - self.rect.height))

    def update(self, dt: float, instant: bool = False) -> None:
        if instant:
            self.offset = self.target
            return
        gap = self.target - self.offset
        if abs(gap) < 0.5:
            self.offset = self.target
        else:
            self.offset += gap * min(1.0, dt * self.speed)

    @property
    def top(self) -> int:
        return round(self.offset)

    def contains(self, pos: tuple[int, int]) -> bool:
        return bool(self.rect.collidepoint(pos))

    def to_content(self, pos: tuple[int, int]) -> tuple[int, int]:
        return (pos[0] - self.rect.x, pos[1] - self.rect.y + self.top)

    def handle(self, intent: Intent, *, arrows: bool = False) -> bool:
        """Wheel, Home and End; with `arrows`, ↑↓ scroll three lines (pages of reading)."""
        if intent.act is Act.SCROLL:
            self.scroll_by(intent.number * self.line)
            return True
        if arrows and intent.act in (Act.UP, Act.DOWN):
            self.scroll_by((-3 if intent.act is Act.UP else 3) * self.line)
            return True
        if intent.act is Act.HOME:
            self.scroll_to(0)
            return True
        if intent.act is Act.END:
            self.to_end()
            return True
        return False

    def blit(self, surface: pygame.Surface, content: pygame.Surface) -> None:
        area = Rect(0, self.top, self.rect.width, self.rect.height)
        surface.blit(content, self.rect.topleft, area)

    def draw_scrollbar(self, surface: pygame.Surface, theme: Theme) -> None:
        if not self.scrollable:
            return
        track = Rect(self.rect.right + 4, self.rect.top + 4, 5, self.rect.height - 8)
        pygame.draw.rect(surface, theme.panel_sunken, track, border_radius=3)
        share = self.rect.height / self.content_height
        thumb_h = max(28, round(track.height * share))
        thumb_y = track.top + round((track.height - thumb_h) * (self.offset / self.max_offset))
        pygame.draw.rect(
            surface, theme.text_faint, Rect(track.x, thumb_y, 5, thumb_h), border_radius=3
        )


class TextField:
    """A one-line text input: typed characters, Backspace, a blinking caret."""

    def __init__(self, placeholder: str, max_length: int = 40) -> None:
        self.text = ""
        self.placeholder = placeholder
        self.max_length = max_length
        self.rect = Rect(0, 0, 0, 0)
        self.error: str | None = None

    def handle(self, intent: Intent) -> bool:
        if intent.act is Act.TEXT:
            room = self.max_length - len(self.text)
            if room > 0:
                self.text += intent.text[:room]
                self.error = None
            return True
        if intent.act is Act.ERASE:
            self.text = self.text[:-1]
            self.error = None
            return True
        return False

    def height(self, fonts: Typography) -> int:
        return fonts.line_height("body") + 2 * PAD_Y + 4

    def draw(
        self,
        surface: pygame.Surface,
        fonts: Typography,
        theme: Theme,
        focused: bool,
        clock: float,
    ) -> None:
        panel(surface, self.rect, theme, theme.panel_sunken, radius=10, shadow=False,
              border=theme.accent if focused else theme.border)  # fmt: skip
        inner_w = self.rect.width - 2 * PAD_X
        x, y = self.rect.x + PAD_X, self.rect.centery - fonts.line_height("body") // 2
        if self.text:
            shown = self.text
            while shown and fonts.width(shown, "body") > inner_w - 4:
                shown = shown[1:]  # keep the end visible while typing a long name
            image = fonts.render(shown, "body", theme.text)
            surface.blit(image, (x, y))
            caret_x = x + image.get_width() + 1
        else:  # the hint; a long one (large text, a translation) in the small size, not cut
            style = "body" if fonts.width(self.placeholder, "body") <= inner_w else "small"
            image = fonts.render(
                fonts.fit_line(self.placeholder, style, inner_w), style, theme.text_faint
            )
            at = y if style == "body" else self.rect.centery - fonts.line_height(style) // 2
            surface.blit(image, (x, at))
            caret_x = x
        if focused and int(clock * 2) % 2 == 0:
            pygame.draw.rect(
                surface, theme.accent, Rect(caret_x, y + 2, 2, fonts.line_height("body") - 4)
            )
        if focused:
            focus_ring(surface, self.rect, theme, 10)


class SecretField(TextField):
    """A one-line field that shows a dot per character typed, never the characters (the
    rule is `secret_form.masked`)."""

    def draw(
        self,
        surface: pygame.Surface,
        fonts: Typography,
        theme: Theme,
        focused: bool,
        clock: float,
    ) -> None:
        typed = self.text
        self.text = masked(typed)
        try:
            super().draw(surface, fonts, theme, focused, clock)
        finally:
            self.text = typed


class ScoreBars:
    """Labelled 0..100 bars (competencies), drawn one way everywhere.

    Labels are never cut: they sit beside the bars when the widest fits with a usable bar,
    and above them when it doesn't (large text sizes, narrow columns).
    """

    MIN_BAR = 120
    NUMBER_W = 56

    def __init__(self, fonts: Typography, labels: Sequence[str], width: int) -> None:
        self.fonts = fonts
        self.width = width
        self.label_w = max((fonts.width(label, "small_bold") for label in labels), default=0)
        self.stacked = self.label_w > width - self.NUMBER_W - 10 - self.MIN_BAR
        line = fonts.line_height("small_bold")
        self.row_h = line + 14 + (line if self.stacked else 0)
        self.count = len(labels)

    @property
    def height(self) -> int:
        return self.row_h * max(1, self.count)

    def draw(
        self,
        surface: pygame.Surface,
        theme: Theme,
        rows: Sequence[tuple[str, float | None]],
        x: int,
        y: int,
    ) -> int:
        """Draw the rows from (x, y); returns the y below them."""
        fonts = self.fonts
        line = fonts.line_height("small_bold")
        bar_x = x if self.stacked else x + self.label_w + 10
        bar_w = self.width - self.NUMBER_W - (0 if self.stacked else self.label_w + 10)
        for label, value in rows:
            tone = theme.text if value is not None else theme.text_faint
            surface.blit(fonts.render(label, "small_bold", tone), (x, y))
            bar = pygame.Rect(bar_x, y + line // 2 - 5 + (line if self.stacked else 0), bar_w, 10)
            pygame.draw.rect(surface, theme.panel_sunken, bar, border_radius=5)
            if value is None:
                text = fonts.render("—", "small", theme.text_faint)
            else:
                fill = theme.good if value >= 75 else theme.warn if value >= 50 else theme.bad
                filled = pygame.Rect(bar.x, bar.y, max(6, round(bar.width * value / 100)), 10)
                pygame.draw.rect(surface, fill, filled, border_radius=5)
                text = fonts.render(f"{value:.0f}", "small_bold", theme.text)
            surface.blit(text, text.get_rect(midright=(x + self.width, bar.centery)))
            y += self.row_h
        return y
