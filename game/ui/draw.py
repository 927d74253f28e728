"""Drawing primitives shared by the scenes: panels, the backdrop, icons, the logo line.

Everything is drawn in code from the theme's colours, so the high-contrast theme and any
text size come for free and the game needs no image files.
"""

from __future__ import annotations

import math

import pygame
import pygame.gfxdraw

from game.scenario.model import Channel
from game.ui.theme import Color, Theme, blend

Rect = pygame.Rect


def panel(
    surface: pygame.Surface,
    rect: Rect,
    theme: Theme,
    fill: Color | None = None,
    *,
    radius: int = 14,
    border: Color | None = None,
    shadow: bool = True,
) -> None:
    """A rounded card with a soft drop shadow and a hairline border."""
    if shadow and not theme.high_contrast:
        for i, alpha in ((6, 0.25), (3, 0.45)):
            shade = blend(theme.bg, theme.shadow, alpha)
            pygame.draw.rect(surface, shade, rect.move(0, i), border_radius=radius + 1)
    pygame.draw.rect(surface, fill or theme.panel, rect, border_radius=radius)
    line = border or theme.border
    pygame.draw.rect(surface, line, rect, width=theme.border_width, border_radius=radius)


def opaque(size: tuple[int, int]) -> pygame.Surface:
    """A new opaque surface already in the window's pixel format (cheap to blit).

    `Surface(size).convert()` makes a surface and then a converted copy of it; made in the
    display's format from the start, a large canvas costs a fraction of a millisecond."""
    display = pygame.display.get_surface()
    if display is None:
        return pygame.Surface(size).convert()
    return pygame.Surface(size, 0, display)


def backdrop(size: tuple[int, int], theme: Theme) -> pygame.Surface:
    """The page behind every scene: deep ink, a soft warm glow top-left, darker at the foot."""
    surface = opaque(size)
    surface.fill(theme.bg)
    if theme.high_contrast:
        return surface
    w, h = size
    small = (w // 8, h // 8)
    glow = pygame.Surface(small)
    for y in range(small[1]):  # a vertical fall-off toward the bottom
        pygame.draw.line(
            glow, blend(theme.bg, theme.shadow, 0.5 * (y / small[1]) ** 2), (0, y), (small[0], y)
        )
    light = pygame.Surface(small, pygame.SRCALPHA)
    radius = small[0] * 0.8
    for step in range(80, 0, -1):
        alpha = round(235 * (1 - step / 80) ** 1.5)
        pygame.draw.circle(
            light,
            (*theme.bg_glow, alpha),
            (small[0] // 6, -small[1] // 5),
            round(radius * step / 80),
        )
    glow.blit(light, (0, 0))
    surface.blit(pygame.transform.smoothscale(glow, size), (0, 0))
    return surface


def pill(
    surface: pygame.Surface,
    rect: Rect,
    fill: Color,
    border: Color | None = None,
    width: int = 1,
) -> None:
    pygame.draw.rect(surface, fill, rect, border_radius=rect.height // 2)
    if border is not None:
        pygame.draw.rect(surface, border, rect, width=width, border_radius=rect.height // 2)


def aa_circle(surface: pygame.Surface, color: Color, center: tuple[float, float], r: float) -> None:
    x, y, radius = round(center[0]), round(center[1]), max(1, round(r))
    pygame.gfxdraw.aacircle(surface, x, y, radius, color)
    pygame.gfxdraw.filled_circle(surface, x, y, radius, color)


def aa_ellipse(
    surface: pygame.Surface, color: Color, center: tuple[float, float], rx: float, ry: float
) -> None:
    x, y = round(center[0]), round(center[1])
    a, b = max(1, round(rx)), max(1, round(ry))
    pygame.gfxdraw.aaellipse(surface, x, y, a, b, color)
    pygame.gfxdraw.filled_ellipse(surface, x, y, a, b, color)


def aa_polygon(surface: pygame.Surface, color: Color, points: list[tuple[float, float]]) -> None:
    if len(points) < 3:
        return
    pts = [(round(x), round(y)) for x, y in points]
    pygame.gfxdraw.aapolygon(surface, pts, color)
    pygame.gfxdraw.filled_polygon(surface, pts, color)


def thick_line(
    surface: pygame.Surface,
    color: Color,
    a: tuple[float, float],
    b: tuple[float, float],
    width: float,
) -> None:
    """An antialiased line with round caps."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length * width / 2, dx / length * width / 2
    aa_polygon(
        surface,
        color,
        [
            (a[0] + nx, a[1] + ny),
            (b[0] + nx, b[1] + ny),
            (b[0] - nx, b[1] - ny),
            (a[0] - nx, a[1] - ny),
        ],
    )
    aa_circle(surface, color, a, width / 2)
    aa_circle(surface, color, b, width / 2)


def thick_polyline(
    surface: pygame.Surface, color: Color, points: list[tuple[float, float]], width: float
) -> None:
    """A stroked path as one antialiased polygon with round end caps (cheap to draw)."""
    if len(points) < 2:
        return
    if len(points) == 2:
        thick_line(surface, color, points[0], points[1], width)
        return
    half = width / 2
    left: list[tuple[float, float]] = []
    right: list[tuple[float, float]] = []
    for i, (x, y) in enumerate(points):
        ax, ay = points[max(0, i - 1)]
        bx, by = points[min(len(points) - 1, i + 1)]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / length * half, dx / length * half
        left.append((x + nx, y + ny))
        right.append((x - nx, y - ny))
    aa_polygon(surface, color, left + right[::-1])
    aa_circle(surface, color, points[0], half)
    aa_circle(surface, color, points[-1], half)


def focus_ring(surface: pygame.Surface, rect: Rect, theme: Theme, radius: int = 14) -> None:
    """The keyboard focus: a bright outline a few pixels outside the control."""
    pygame.draw.rect(surface, theme.focus, rect.inflate(8, 8), width=3, border_radius=radius + 4)


# ---- icons ------------------------------------------------------------------------------


def icon_phone(surface: pygame.Surface, rect: Rect, color: Color) -> None:
    """A telephone handset."""
    s = min(rect.width, rect.height)
    cx, cy = rect.center
    r = s * 0.42
    points: list[tuple[float, float]] = []
    for i in range(13):
        angle = math.radians(135 + i * 7.5)
        points.append((cx + r * math.cos(angle) + s * 0.12, cy + r * math.sin(angle) + s * 0.12))
    thick_polyline(surface, color, points, s * 0.16)
    for end in (points[0], points[-1]):
        aa_circle(surface, color, end, s * 0.14)


def icon_counter(surface: pygame.Surface, rect: Rect, color: Color) -> None:
    """A person standing at a shop counter."""
    s = min(rect.width, rect.height)
    cx, top = rect.centerx, rect.centery - s / 2
    aa_circle(surface, color, (cx, top + s * 0.22), s * 0.16)
    aa_ellipse(surface, color, (cx, top + s * 0.66), s * 0.3, s * 0.22)
    pygame.draw.rect(
        surface,
        color,
        Rect(round(cx - s * 0.5), round(top + s * 0.7), round(s), max(2, round(s * 0.14))),
        border_radius=2,
    )


def icon_chat(surface: pygame.Surface, rect: Rect, color: Color, hole: Color) -> None:
    """A speech bubble with three dots."""
    s = min(rect.width, rect.height)
    body = Rect(0, 0, round(s * 0.92), round(s * 0.66))
    body.center = (rect.centerx, round(rect.centery - s * 0.06))
    pygame.draw.rect(surface, color, body, border_radius=max(2, round(s * 0.18)))
    aa_polygon(
        surface,
        color,
        [
            (body.left + s * 0.2, body.bottom - 2),
            (body.left + s * 0.12, body.bottom + s * 0.2),
            (body.left + s * 0.42, body.bottom - 2),
        ],
    )
    for i in (-1, 0, 1):
        aa_circle(surface, hole, (body.centerx + i * s * 0.22, body.centery), max(1.5, s * 0.07))


def icon_email(surface: pygame.Surface, rect: Rect, color: Color, hole: Color) -> None:
    """An envelope."""
    s = min(rect.width, rect.height)
    body = Rect(0, 0, round(s * 0.96), round(s * 0.68))
    body.center = rect.center
    pygame.draw.rect(surface, color, body, border_radius=max(2, round(s * 0.08)))
    w = max(2, round(s * 0.08))
    pygame.draw.lines(
        surface,
        hole,
        False,
        [
            (body.left + w, body.top + w),
            (body.centerx, body.top + body.height * 0.58),
            (body.right - w, body.top + w),
        ],
        w,
    )


def icon_channel(
    surface: pygame.Surface, channel: Channel, rect: Rect, color: Color, hole: Color
) -> None:
    if channel is Channel.PHONE:
        icon_phone(surface, rect, color)
    elif channel is Channel.IN_PERSON:
        icon_counter(surface, rect, color)
    elif channel is Channel.CHAT:
        icon_chat(surface, rect, color, hole)
    else:
        icon_email(surface, rect, color, hole)


def icon_lock(surface: pygame.Surface, rect: Rect, color: Color) -> None:
    s = min(rect.width, rect.height)
    body = Rect(0, 0, round(s * 0.72), round(s * 0.5))
    body.midbottom = (rect.centerx, round(rect.centery + s * 0.42))
    shackle = Rect(0, 0, round(s * 0.48), round(s * 0.62))
    shackle.midtop = (rect.centerx, round(rect.centery - s * 0.46))
    pygame.draw.rect(surface, color, shackle, width=max(2, round(s * 0.11)), border_radius=s)
    pygame.draw.rect(surface, color, body, border_radius=max(2, round(s * 0.1)))


def icon_check(surface: pygame.Surface, rect: Rect, color: Color) -> None:
    s = min(rect.width, rect.height)
    x, y = rect.centerx - s / 2, rect.centery - s / 2
    thick_polyline(
        surface,
        color,
        [(x + s * 0.16, y + s * 0.54), (x + s * 0.4, y + s * 0.78), (x + s * 0.86, y + s * 0.24)],
        max(2.0, s * 0.15),
    )


def icon_cross(surface: pygame.Surface, rect: Rect, color: Color) -> None:
    s = min(rect.width, rect.height)
    x, y = rect.centerx - s / 2, rect.centery - s / 2
    w = max(2.0, s * 0.15)
    thick_line(surface, color, (x + s * 0.22, y + s * 0.22), (x + s * 0.78, y + s * 0.78), w)
    thick_line(surface, color, (x + s * 0.78, y + s * 0.22), (x + s * 0.22, y + s * 0.78), w)


def wave_points(
    left: float, right: float, mid_y: float, amplitude: float, phase: float, count: int = 160
) -> list[tuple[float, float]]:
    """The logo's 'line': a voice waveform that swells in the middle and rests at the ends."""
    points = []
    for i in range(count + 1):
        t = i / count
        envelope = math.sin(math.pi * t) ** 2
        y = mid_y + amplitude * envelope * (
            0.65 * math.sin(t * 38 + phase) + 0.35 * math.sin(t * 91 - phase * 1.7)
        )
        points.append((left + (right - left) * t, y))
    return points
