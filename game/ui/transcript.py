"""The conversation as a scrolling column of bubbles; the newest customer line is revealed
at reading speed.

Bubbles are painted once into a tall surface when one is added; revealing the last line
only covers the not-yet-read part with the bubble's own colour, so a frame never renders
text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pygame

from game.ui.draw import opaque
from game.ui.theme import Color, Theme
from game.ui.typography import Typography
from game.ui.widgets import ScrollView

PAD_X = 16
PAD_Y = 11
GAP = 14
SHARE = 0.8  # a bubble takes at most this share of the column


class BubbleKind(StrEnum):
    """Who a bubble is from: the two sides of the conversation, or the game itself."""

    CUSTOMER = "customer"
    AGENT = "agent"
    NUDGE = "nudge"  # the customer's reaction to dead air
    SYSTEM = "system"  # a note from the game


@dataclass
class Bubble:
    speaker: BubbleKind
    caption: str
    text: str
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))
    lines: tuple[str, ...] = ()
    text_top: int = 0  # y of the first text line, in content coordinates
    top: int = 0  # y of its caption: where the bubble begins, in content coordinates
    line_h: int = 0  # the height of one of its text lines


class Transcript:
    def __init__(self) -> None:
        self.bubbles: list[Bubble] = []
        self.view = ScrollView(speed=30.0)  # brisk: every scrolled frame repaints the panel
        self.reveal = 0.0  # characters of the last bubble shown; inf when all
        self.version = 0  # bumped whenever the picture changes
        self._content: pygame.Surface | None = None
        self._bottom = 8  # where the next bubble goes
        self._style = "body"
        self._built: tuple[int, str, int, int] | None = None  # fonts, theme, width, bubbles

    def clear(self) -> None:
        """Start a new conversation, keeping the picture's memory for the next one."""
        self.bubbles.clear()
        self.reveal = 0.0
        self._bottom = 8
        self._built = None
        self.view.set_content(0)
        self.view.scroll_to(0, instant=True)
        self.version += 1

    def ensure_built(self, fonts: Typography, theme: Theme) -> None:
        """Build again only if the fonts, colours, width or bubbles changed since the last."""
        if self._built != self._build_key(fonts, theme):
            self.build(fonts, theme)

    def _build_key(self, fonts: Typography, theme: Theme) -> tuple[int, str, int, int]:
        return (id(fonts), theme.name, self.view.rect.width, len(self.bubbles))

    # ---- building -------------------------------------------------------------------------------

    def add(self, bubble: Bubble, fonts: Typography, theme: Theme, reveal: bool) -> None:
        """Append a bubble: only the new one is laid out and painted."""
        self.bubbles.append(bubble)
        self.reveal = 0.0 if reveal else float("inf")
        content = self._content
        if content is None or content.get_width() != self.view.rect.width or not self._built:
            self.build(fonts, theme)  # also after `clear`: the old picture is painted over
        else:
            self._place(bubble, fonts)
            self._paint(self._grow(theme), bubble, fonts, theme)
            self.view.set_content(self._bottom)
            self.version += 1
            self._built = self._build_key(fonts, theme)
        self.to_end()

    @property
    def last(self) -> Bubble | None:
        return self.bubbles[-1] if self.bubbles else None

    @property
    def revealing(self) -> bool:
        last = self.last
        return last is not None and self.reveal < len(last.text)

    def finish_reveal(self) -> None:
        self.reveal = float("inf")

    def set_rect(self, rect: pygame.Rect, fonts: Typography, theme: Theme) -> None:
        if rect != self.view.rect:
            width_changed = rect.width != self.view.rect.width
            self.view.rect = rect
            if width_changed:
                self.build(fonts, theme)
            else:
                self.view.set_content(self._bottom)
            self.to_end(instant=True)

    def colors(self, bubble: Bubble, theme: Theme) -> tuple[Color, Color, Color]:
        """(fill, text, caption) for a bubble."""
        if bubble.speaker is BubbleKind.AGENT:
            return theme.agent_bubble, theme.agent_text, theme.text_dim
        if bubble.speaker is BubbleKind.NUDGE:
            return theme.nudge_bubble, theme.text, theme.warn
        if bubble.speaker is BubbleKind.SYSTEM:
            return theme.panel_sunken, theme.text_dim, theme.text_faint
        return theme.customer_bubble, theme.customer_text, theme.text_dim

    def _text_style(self, bubble: Bubble) -> str:
        return "quote" if bubble.speaker is BubbleKind.NUDGE else self._style

    def _place(self, bubble: Bubble, fonts: Typography) -> None:
        """Wrap a bubble's text and put it below the ones before it."""
        width = self.view.rect.width
        max_w = round(width * SHARE)
        style = self._text_style(bubble)
        bubble.lines = fonts.wrap(bubble.text, style, max_w - 2 * PAD_X)
        text_w = max((fonts.width(line, style) for line in bubble.lines), default=0)
        w = min(max_w, text_w + 2 * PAD_X)
        h = len(bubble.lines) * fonts.line_height(style) + 2 * PAD_Y
        bubble.top = self._bottom
        bubble.line_h = fonts.line_height(style)
        y = self._bottom + fonts.line_height("caption") + 4
        x = width - w - 8 if bubble.speaker is BubbleKind.AGENT else 8
        bubble.rect = pygame.Rect(x, y, w, h)
        bubble.text_top = y + PAD_Y
        self._bottom = y + h + GAP

    def to_end(self, instant: bool = False) -> None:
        """Show the newest bubble, with the column's top edge on a line boundary (a caption,
        a line of text, a bubble's end), so no line is cut in half at the top; the few
        pixels left over stay empty at the bottom."""
        view = self.view
        end = max(0, self._bottom - view.rect.height)
        starts = []
        for b in self.bubbles:
            starts.append(b.top)
            starts.extend(b.text_top + i * b.line_h for i in range(len(b.lines)))
            starts.append(b.rect.bottom)
        top = min((y for y in starts if y >= end), default=end)
        view.set_content(max(self._bottom, top + view.rect.height))
        view.scroll_to(top, instant=instant)

    def _grow(self, theme: Theme, fresh: bool = False) -> pygame.Surface:
        """Make the picture tall enough, with room to spare so it is rarely reallocated."""
        content = self._content
        if fresh and content is not None and content.get_width() != self.view.rect.width:
            content = None  # a new width: nothing on the old picture is of use
        if content is not None and content.get_height() >= self._bottom:
            if fresh:
                content.fill(theme.panel_sunken)
            return content
        width = self.view.rect.width
        # room for a whole call up front: growing mid-call would cost a frame its budget
        height = max(self._bottom, 2 * (content.get_height() if content else 0), 2400)
        grown = opaque((width, height))  # opaque: cheap to blit
        grown.fill(theme.panel_sunken)
        if content is not None and not fresh:
            grown.blit(content, (0, 0))
        self._content = grown
        return grown

    def build(self, fonts: Typography, theme: Theme) -> None:
        """Lay out and paint every bubble again (new width, fonts or colours)."""
        if self.view.rect.width <= 0:
            return
        if not self.bubbles and self._content is None:  # nothing said yet: no picture yet
            self._bottom = 8
            self.view.set_content(self._bottom)
            self._built = self._build_key(fonts, theme)
            return
        self._bottom = 8
        for bubble in self.bubbles:
            self._place(bubble, fonts)
        content = self._grow(theme, fresh=True)
        for bubble in self.bubbles:
            self._paint(content, bubble, fonts, theme)
        self.view.set_content(self._bottom)
        self.version += 1
        self._built = self._build_key(fonts, theme)

    def _paint(
        self, content: pygame.Surface, bubble: Bubble, fonts: Typography, theme: Theme
    ) -> None:
        fill, ink, cap = self.colors(bubble, theme)
        style = self._text_style(bubble)
        cap_h = fonts.line_height("caption")
        caption = fonts.render(bubble.caption, "caption", cap)
        cx = (
            bubble.rect.right - caption.get_width() - 4
            if bubble.speaker is BubbleKind.AGENT
            else bubble.rect.x + 4
        )
        content.blit(caption, (cx, bubble.rect.y - cap_h - 2))
        radius, corner = 16, 4
        pygame.draw.rect(content, fill, bubble.rect, border_radius=radius)
        if bubble.speaker is BubbleKind.AGENT:
            tail = pygame.Rect(
                bubble.rect.right - radius, bubble.rect.bottom - radius, radius, radius
            )
            pygame.draw.rect(content, fill, tail, border_bottom_right_radius=corner)
        else:
            tail = pygame.Rect(bubble.rect.x, bubble.rect.bottom - radius, radius, radius)
            pygame.draw.rect(content, fill, tail, border_bottom_left_radius=corner)
        if theme.high_contrast or bubble.speaker is BubbleKind.SYSTEM:
            pygame.draw.rect(
                content, theme.border, bubble.rect, width=theme.border_width, border_radius=radius
            )
        y = bubble.text_top
        line_h = fonts.line_height(style)
        for line in bubble.lines:
            content.blit(fonts.render(line, style, ink), (bubble.rect.x + PAD_X, y))
            y += line_h

    # ---- per frame ------------------------------------------------------------------------------

    def update(self, dt: float, chars_per_second: float, motion: bool, fonts: Typography) -> None:
        last = self.last
        if last is not None and self.reveal < len(last.text):
            self.reveal += dt * chars_per_second
            line_h = fonts.line_height(self._style)
            shown_line = self._line_at(self.reveal)
            bottom = last.text_top + (shown_line + 1) * line_h + PAD_Y
            if bottom > self.view.target + self.view.rect.height:
                self.view.ensure_visible(last.rect.top, bottom)
        self.view.update(dt, not motion)

    def _line_at(self, chars: float) -> int:
        last = self.last
        if last is None:
            return 0
        count = 0
        for index, line in enumerate(last.lines):
            count += len(line) + 1
            if chars < count:
                return index
        return max(0, len(last.lines) - 1)

    def draw(self, surface: pygame.Surface, fonts: Typography, theme: Theme) -> None:
        if self._content is None:
            return
        view = self.view
        view.blit(surface, self._content)
        shown = self._content.get_height() - view.top
        if shown < view.rect.height:  # short so far: the rest of the panel stays empty
            rest = pygame.Rect(
                view.rect.x, view.rect.y + shown, view.rect.width, view.rect.height - shown
            )
            surface.fill(theme.panel_sunken, rest)
        last = self.last
        if last is not None and self.reveal < len(last.text):
            self._cover(surface, last, fonts, theme)
        view.draw_scrollbar(surface, theme)

    def draw_last(
        self, surface: pygame.Surface, fonts: Typography, theme: Theme
    ) -> pygame.Rect | None:
        """Repaint just the newest bubble (with its unread part covered); returns where."""
        last, content = self.last, self._content
        if last is None or content is None:
            return None
        view = self.view
        on_screen = last.rect.move(view.rect.x, view.rect.y - view.top).clip(view.rect)
        if not on_screen.width or not on_screen.height:
            return None
        area = on_screen.move(-view.rect.x, -view.rect.y + view.top)
        surface.blit(content, on_screen, area)
        if self.reveal < len(last.text):
            self._cover(surface, last, fonts, theme)
        return on_screen

    def _cover(
        self, surface: pygame.Surface, bubble: Bubble, fonts: Typography, theme: Theme
    ) -> None:
        """Hide the part of the newest line the customer has not said yet."""
        view = self.view
        fill, _, _ = self.colors(bubble, theme)
        style = "quote" if bubble.speaker is BubbleKind.NUDGE else self._style
        line_h = fonts.line_height(style)
        ox, oy = view.rect.x, view.rect.y - view.top
        shown = int(self.reveal)
        count = 0
        clip = surface.get_clip()
        surface.set_clip(view.rect)
        for index, line in enumerate(bubble.lines):
            start = count
            count += len(line) + 1
            if shown >= count:
                continue
            y = bubble.text_top + index * line_h
            visible = max(0, shown - start)
            x = bubble.rect.x + PAD_X + (fonts.width(line[:visible], style) if visible else 0)
            right = bubble.rect.right - PAD_X + 2
            pygame.draw.rect(surface, fill, pygame.Rect(ox + x, oy + y, right - x, line_h))
            below = bubble.rect.bottom - PAD_Y - (y + line_h)
            if below > 0:
                pygame.draw.rect(
                    surface,
                    fill,
                    pygame.Rect(
                        ox + bubble.rect.x + PAD_X - 1,
                        oy + y + line_h,
                        bubble.rect.width - 2 * PAD_X + 3,
                        below + 1,
                    ),
                )
            break
        surface.set_clip(clip)
