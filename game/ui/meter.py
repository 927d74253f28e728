"""The anger meter: an animated bar in four named bands, its number and band name.

It reads without colour: the number and the band's name are always written out, and the
bands are marked on the bar. After each reply a delta floats up from the bar ("+12
interrupted", built from the effects' short reasons) and stays written below it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.engine.bands import BANDS, band_for
from game.i18n.translator import ENGLISH, Translator
from game.ui.draw import panel
from game.ui.theme import Theme, blend
from game.ui.typography import Typography

DELTA_SECONDS = 2.6


@dataclass(frozen=True, slots=True)
class Delta:
    amount: int
    reason: str

    @property
    def text(self) -> str:
        sign = "±0" if self.amount == 0 else f"{self.amount:+d}".replace("-", "−")
        return f"{sign} {self.reason}".strip()


class AngerMeter:
    """Draws the meter into a card; `value` animates toward the live anger."""

    def __init__(self, tr: Translator = ENGLISH) -> None:
        self.tr = tr  # band names and captions in the reader's language
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.value = 0.0
        self.target = 0.0
        self.delta: Delta | None = None
        self.delta_age = DELTA_SECONDS
        self._static: pygame.Surface | None = None
        self._bar = pygame.Rect(0, 0, 0, 0)
        self._number_y = 0
        self._last_y = 0
        self._show_labels = True
        self._name_inline = True
        self._name_y = 0

    def reset(self, value: float) -> None:
        self.value = self.target = value
        self.delta = None
        self.delta_age = DELTA_SECONDS

    def show(self, delta: Delta) -> None:
        self.delta = delta
        self.delta_age = 0.0

    def update(self, dt: float, target: float, motion: bool) -> None:
        self.target = target
        if not motion:
            self.value = target
        else:
            gap = target - self.value
            self.value = target if abs(gap) < 0.05 else self.value + gap * min(1.0, dt * 3.2)
        self.delta_age += dt

    def _inline(self, fonts: Typography, width: int) -> bool:
        """Whether the band name fits beside the number (else it goes below it)."""
        number = fonts.width("100", "number")
        name = max(fonts.width(self._band(b.name), "h2") for b in BANDS)
        delta = fonts.width("−12", "h2")
        return number + 14 + name + 16 + delta <= width

    def _band(self, name: str) -> str:
        return self.tr.text(f"band:{name}", name)

    def measure(
        self,
        fonts: Typography,
        width: int,
        reason: str = "−12 acknowledged the feeling, feeling heard",
    ) -> int:
        # (the default is only measured, never shown: the width of a long reason)
        """The height the meter card needs at this width, room for the last reply included
        (`reason`: the longest the call can show, so it is never cut)."""
        inner = width - 48
        height = 20 + fonts.line_height("caption") + 4 + fonts.line_height("number") + 8
        if not self._inline(fonts, inner):
            height += fonts.line_height("h2")
        height += 18 + 26 + 4 + 16
        if self._labels_fit(fonts, inner):
            height += fonts.line_height("caption") + 6
        return height + fonts.block_height(
            self.tr._("Last reply: {reason}", reason=reason), "small", inner
        )

    def _labels_fit(self, fonts: Typography, width: int) -> bool:
        return all(
            fonts.width(self._band(b.name), "caption") + 4
            <= round(width * (b.high + 1 - b.low) / 100)
            for b in BANDS
        )

    def layout(self, rect: pygame.Rect, fonts: Typography, theme: Theme) -> None:
        """The parts that never change: card, caption, band segments and their names."""
        self.rect = rect
        card = pygame.Surface(rect.size, pygame.SRCALPHA)
        local = pygame.Rect(0, 0, rect.width, rect.height)
        panel(card, local, theme, shadow=False)
        x, width = 24, rect.width - 48
        y = 20
        y = fonts.draw_block(
            card, self.tr._("CUSTOMER'S ANGER"), "caption", theme.text_faint, x, y, width
        )
        self._number_y = y + 4
        self._name_inline = self._inline(fonts, width)
        y = self._number_y + fonts.line_height("number") + 8
        if not self._name_inline:
            self._name_y = y - 6
            y += fonts.line_height("h2")
        self._bar = pygame.Rect(x, y, width, 18)
        for band in BANDS:
            left = x + round(width * band.low / 100)
            right = x + round(width * min(100, band.high + 1) / 100)
            seg = pygame.Rect(left, y, right - left, 18)
            pygame.draw.rect(card, blend(theme.panel_sunken, theme.band(band.name), 0.22), seg)
        pygame.draw.rect(card, theme.border, self._bar, width=theme.border_width, border_radius=4)
        for band in BANDS[1:]:
            tick_x = x + round(width * band.low / 100)
            pygame.draw.line(card, theme.text_faint, (tick_x, y - 4), (tick_x, y + 21), 1)
        y += 26
        labels = [fonts.render(self._band(b.name), "caption", theme.text_faint) for b in BANDS]
        slots = [round(width * (b.high + 1 - b.low) / 100) for b in BANDS]
        self._show_labels = all(
            lab.get_width() + 4 <= slot for lab, slot in zip(labels, slots, strict=True)
        )
        if self._show_labels:
            for band, label, slot in zip(BANDS, labels, slots, strict=True):
                left = x + round(width * band.low / 100)
                card.blit(label, (left + (slot - label.get_width()) // 2, y))
            y += label.get_height() + 6
        self._last_y = y + 4
        self._static = card

    def paint_static(self, surface: pygame.Surface) -> None:
        """Paint the unchanging card onto a background layer, so frames need not blit it."""
        if self._static is not None:
            surface.blit(self._static, self.rect)

    def draw(
        self,
        surface: pygame.Surface,
        fonts: Typography,
        theme: Theme,
        motion: bool,
        *,
        with_card: bool = True,
    ) -> None:
        if self._static is None:
            return
        ox, oy = self.rect.topleft
        if with_card:
            surface.blit(self._static, self.rect)
        value = max(0.0, min(100.0, self.value))
        band = band_for(value)
        color = theme.band(band.name)
        number = fonts.render(str(round(value)), "number", color)
        surface.blit(number, (ox + 24, oy + self._number_y))
        name = fonts.render(self._band(band.name), "h2", theme.text)
        if self._name_inline:
            name_y = oy + self._number_y + number.get_height() - name.get_height() - 4
            surface.blit(name, (ox + 24 + number.get_width() + 14, name_y))
        else:
            surface.blit(name, (ox + 24, oy + self._name_y))
        bar = self._bar.move(ox, oy)
        fill = pygame.Rect(bar.x, bar.y, max(4, round(bar.width * value / 100)), bar.height)
        pygame.draw.rect(surface, color, fill, border_radius=4)
        marker_x = fill.right
        pygame.draw.rect(
            surface,
            theme.text,
            pygame.Rect(marker_x - 2, bar.y - 5, 4, bar.height + 10),
            border_radius=2,
        )
        if self.delta is not None:
            tone = (
                theme.bad
                if self.delta.amount > 0
                else theme.good
                if self.delta.amount < 0
                else theme.text_dim
            )
            last = fonts.wrap(
                self.tr._("Last reply: {reason}", reason=self.delta.text),
                "small",
                self.rect.width - 48,
            )
            y = oy + self._last_y
            for line in last:
                if y + fonts.line_height("small") > self.rect.bottom - 10:
                    break
                surface.blit(fonts.render(line, "small", tone), (ox + 24, y))
                y += fonts.line_height("small")
            if self.delta_age < DELTA_SECONDS:
                t = self.delta_age / DELTA_SECONDS
                rise = round(26 * t) if motion else 0
                alpha = 255 if t < 0.6 else round(255 * (1 - (t - 0.6) / 0.4))
                amount = (
                    "±0" if self.delta.amount == 0 else f"{self.delta.amount:+d}".replace("-", "−")
                )
                image = fonts.render(amount, "h2", tone).copy()
                image.set_alpha(alpha)
                right = self.rect.right - 24
                bottom = oy + self._number_y + number.get_height() - 4 - rise
                surface.blit(image, image.get_rect(bottomright=(right, bottom)))
