"""A face drawn in code, changing continuously with anger, and the looks it is drawn with.

Skin flushes, brows knit and drop, eyes narrow, the mouth goes from a smile through a flat
line and a frown to an open shout; creases and an anger mark appear near the top of the
scale. Looks (age, skin tone, hair, clothes) come from a hash of the customer's name, so
the same customer always looks the same. The portrait (`game.ui.portrait`) stages a face
for each channel.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pygame
import pygame.gfxdraw

from game.ui.draw import aa_circle, aa_ellipse, aa_polygon, thick_line, thick_polyline
from game.ui.theme import Color, blend

SKINS: tuple[Color, ...] = (
    (255, 221, 190),
    (241, 196, 160),
    (226, 174, 130),
    (199, 138, 98),
    (163, 106, 72),
    (118, 78, 54),
)
HAIRS: tuple[Color, ...] = (
    (38, 30, 28),
    (84, 56, 38),
    (146, 98, 58),
    (212, 174, 108),
    (128, 126, 130),
    (168, 78, 50),
)
SHIRTS: tuple[Color, ...] = (
    (66, 110, 176),
    (164, 72, 86),
    (60, 142, 120),
    (122, 92, 166),
    (196, 146, 66),
    (92, 104, 126),
)
IRISES: tuple[Color, ...] = ((74, 52, 38), (52, 88, 120), (64, 104, 70), (40, 34, 30))
TOPS = ("collar", "tee", "jacket", "hoodie", "sweater")
AGES = ("young", "middle", "older")
GREY: Color = (206, 206, 210)
FLUSH: Color = (226, 70, 58)
Point = Callable[[float, float], tuple[float, float]]


@dataclass(frozen=True, slots=True)
class Looks:
    skin: Color
    hair: Color
    hair_style: str  # short | long | bun | bald | curly
    shirt: Color
    iris: Color
    glasses: bool
    top: str = "collar"  # collar | tee | jacket | hoodie | sweater
    age: str = "middle"  # young | middle | older


def looks_for(name: str) -> Looks:
    """Stable looks for a customer: the same name always gives the same face."""
    lowered = name.strip().lower()
    data = lowered.encode("utf-8")
    digest = zlib.crc32(data).to_bytes(4, "big") + zlib.crc32(data[::-1] + b"*").to_bytes(4, "big")
    if lowered.startswith(("mr ", "mr.", "sir ")):
        styles: tuple[str, ...] = ("short", "bald", "curly", "short")
    elif lowered.startswith(("ms ", "ms.", "mrs", "miss", "madam")):
        styles = ("long", "bun", "curly", "long")
    else:
        styles = ("short", "long", "bun", "curly", "bald")
    age = AGES[digest[6] % len(AGES)]
    hair = HAIRS[digest[1] % len(HAIRS)]
    if age == "older":
        hair = blend(hair, GREY, 0.7)
    return Looks(
        skin=SKINS[digest[0] % len(SKINS)],
        hair=hair,
        hair_style=styles[digest[2] % len(styles)],
        shirt=SHIRTS[digest[3] % len(SHIRTS)],
        iris=IRISES[digest[4] % len(IRISES)],
        glasses=digest[5] % 4 == 0 or (age == "older" and digest[5] % 2 == 0),
        top=TOPS[digest[7] % len(TOPS)],
        age=age,
    )


AGENT_LOOKS = Looks(
    skin=SKINS[2], hair=HAIRS[0], hair_style="short", shirt=(58, 72, 104), iris=IRISES[0],
    glasses=False, top="collar", age="young",
)  # fmt: skip


def smoothstep(low: float, high: float, x: float) -> float:
    t = max(0.0, min(1.0, (x - low) / (high - low)))
    return t * t * (3 - 2 * t)


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


class Face:
    """Draws one face into a square box; all geometry is in units of the box side.

    The face is drawn in layers so only what anger changes is redrawn: `back` (shoulders,
    neck, ears) and `hair` and `headset` are drawn once; `skin` and `features` every time
    the anger or the blink changes.
    """

    CX, CY, RX, RY = 0.5, 0.44, 0.215, 0.265

    def __init__(self, looks: Looks) -> None:
        self.looks = looks

    @staticmethod
    def _mapper(box: pygame.Rect) -> Point:
        s, ox, oy = box.width, box.x, box.y

        def p(x: float, y: float) -> tuple[float, float]:
            return (ox + x * s, oy + y * s)

        return p

    def _skin(self, f: float) -> Color:
        return blend(self.looks.skin, FLUSH, 0.34 * f**1.4)

    def back(self, surface: pygame.Surface, box: pygame.Rect) -> None:
        """Long hair behind the head, shoulders, collar, neck and ears."""
        s, p, looks = box.width, self._mapper(box), self.looks
        shade = blend(looks.skin, (60, 30, 30), 0.22)
        if looks.hair_style == "long":
            aa_ellipse(surface, looks.hair, p(self.CX, 0.52), 0.27 * s, 0.34 * s)
        if looks.top == "hoodie":  # the hood, bunched behind the neck
            aa_ellipse(
                surface, blend(looks.shirt, (0, 0, 0), 0.2), p(self.CX, 0.8), 0.2 * s, 0.09 * s
            )
        aa_ellipse(surface, looks.shirt, p(self.CX, 1.04), 0.44 * s, 0.3 * s)
        self._neckline(surface, p, s)
        neck = pygame.Rect(
            round(box.x + 0.43 * s), round(box.y + 0.6 * s), round(0.14 * s), round(0.18 * s)
        )
        pygame.draw.rect(surface, shade, neck, border_radius=max(2, round(0.04 * s)))
        aa_polygon(surface, shade, [p(0.42, 0.74), p(0.5, 0.82), p(0.58, 0.74)])
        for side in (-1, 1):
            aa_circle(surface, shade, p(self.CX + side * 0.212, 0.46), 0.042 * s)

    def _neckline(self, surface: pygame.Surface, p: Point, s: int) -> None:
        """What the clothes look like at the neck: a collar, a tee, lapels, a hood, ribbing."""
        looks, top = self.looks, self.looks.top
        light = blend(looks.shirt, (255, 255, 255), 0.35)
        dark = blend(looks.shirt, (0, 0, 0), 0.3)
        if top == "collar":
            aa_polygon(surface, light, [p(0.41, 0.76), p(0.5, 0.86), p(0.59, 0.76), p(0.5, 0.8)])
        elif top == "tee":
            aa_ellipse(surface, dark, p(0.5, 0.775), 0.085 * s, 0.035 * s)
        elif top == "jacket":
            under = (236, 236, 232)
            aa_polygon(surface, under, [p(0.42, 0.76), p(0.5, 0.95), p(0.58, 0.76)])
            for side in (-1, 1):
                aa_polygon(
                    surface,
                    dark,
                    [p(0.5 + side * 0.08, 0.75), p(0.5 + side * 0.02, 0.95),
                     p(0.5 + side * 0.2, 0.98), p(0.5 + side * 0.16, 0.78)],
                )  # fmt: skip
        elif top == "hoodie":
            for side in (-1, 1):
                thick_line(
                    surface,
                    light,
                    p(0.5 + side * 0.04, 0.79),
                    p(0.5 + side * 0.045, 0.93),
                    0.01 * s,
                )
        else:  # a sweater's ribbed neck
            aa_ellipse(surface, dark, p(0.5, 0.775), 0.095 * s, 0.04 * s)
            aa_ellipse(surface, looks.shirt, p(0.5, 0.77), 0.075 * s, 0.028 * s)

    def hair(self, surface: pygame.Surface, box: pygame.Rect) -> None:
        self._hair(surface, self._mapper(box), box.width, self.CX, self.CY, self.RX, self.RY)

    def headset(self, surface: pygame.Surface, box: pygame.Rect) -> None:
        self._headset(surface, self._mapper(box), box.width, self.CX, self.CY, self.RX, self.RY)

    def skin(self, surface: pygame.Surface, box: pygame.Rect, anger: float) -> None:
        """The head, its flush and the forehead creases (under the hair)."""
        s, p = box.width, self._mapper(box)
        f = max(0.0, min(1.0, anger / 100))
        skin = self._skin(f)
        cx = self.CX
        aa_ellipse(surface, skin, p(cx, self.CY), self.RX * s, self.RY * s)
        if self.looks.hair_style == "bald":
            aa_ellipse(
                surface, blend(skin, (255, 255, 255), 0.25), p(0.44, 0.25), 0.05 * s, 0.025 * s
            )
        if self.looks.age == "older":  # smile lines and a line across the forehead
            line = blend(skin, (90, 50, 40), 0.3)
            for side in (-1, 1):
                thick_polyline(
                    surface, line,
                    [p(cx + side * 0.07, 0.55), p(cx + side * 0.085, 0.6), p(cx + side * 0.075, 0.64)],
                    max(1.0, 0.006 * s),
                )  # fmt: skip
            thick_polyline(
                surface, line, [p(cx - 0.08, 0.27), p(cx, 0.262), p(cx + 0.08, 0.27)],
                max(1.0, 0.006 * s),
            )  # fmt: skip
        blush = blend(skin, (232, 86, 86), 0.05 + 0.45 * f)
        for side in (-1, 1):
            aa_ellipse(surface, blush, p(cx + side * 0.125, 0.535), 0.045 * s, 0.03 * s)
        crease = smoothstep(0.42, 0.8, f)
        if crease > 0.02:
            color = blend(skin, (90, 40, 36), 0.45 * crease)
            width = max(1.5, 0.008 * s)
            for i, y in enumerate((0.295, 0.318)):
                w = 0.06 - i * 0.012
                thick_polyline(
                    surface,
                    color,
                    [p(cx - w, y + 0.006), p(cx, y - 0.004), p(cx + w, y + 0.006)],
                    width,
                )
            for side in (-1, 1):
                thick_line(
                    surface, color, p(cx + side * 0.012, 0.345), p(cx + side * 0.006, 0.372), width
                )

    def eyelids(self, surface: pygame.Surface, box: pygame.Rect, anger: float) -> None:
        """Closed eyes, drawn over a rendered face: a blink costs no re-render."""
        s, p = box.width, self._mapper(box)
        f = max(0.0, min(1.0, anger / 100))
        skin = self._skin(f)
        eye_ry = lerp(0.029, 0.015, f**1.2)
        for side in (-1, 1):
            ex, ey = self.CX + side * 0.09, 0.44
            aa_ellipse(surface, skin, p(ex, ey), 0.047 * s, (eye_ry + 0.008) * s)
            thick_polyline(
                surface,
                (44, 30, 30),
                [p(ex - 0.042, ey - 0.002), p(ex, ey + 0.008), p(ex + 0.042, ey - 0.002)],
                max(1.5, 0.009 * s),
            )

    def features(
        self, surface: pygame.Surface, box: pygame.Rect, anger: float, blink: float
    ) -> None:
        """Eyes, brows, glasses, nose, mouth and the anger mark (over the hair)."""
        s, p, looks = box.width, self._mapper(box), self.looks
        f = max(0.0, min(1.0, anger / 100))
        skin = self._skin(f)
        shade = blend(skin, (60, 30, 30), 0.22)
        dark = (44, 30, 30)
        cx = self.CX
        line = max(1.5, 0.009 * s)

        open_ = 1.0 - max(0.0, min(1.0, blink))
        eye_ry = lerp(0.029, 0.015, f**1.2) * open_
        inner_drop = lerp(0.0, 0.014, f)
        for side in (-1, 1):
            ex, ey = cx + side * 0.09, 0.44
            if eye_ry * s < 1.6:
                thick_line(surface, dark, p(ex - 0.04, ey), p(ex + 0.04, ey), line)
                continue
            aa_ellipse(surface, (250, 248, 244), p(ex, ey), 0.043 * s, eye_ry * s)
            iris_r = min(0.021, eye_ry * 0.98)
            centre = p(ex - side * 0.004, ey + 0.002)
            aa_circle(surface, looks.iris, centre, iris_r * s)
            aa_circle(surface, (20, 16, 16), centre, iris_r * 0.5 * s)
            aa_circle(
                surface,
                (255, 255, 255),
                (centre[0] + 0.012 * s, centre[1] - 0.008 * s),
                max(1.0, 0.005 * s),
            )
            # the upper lid slants down toward the nose as anger rises
            thick_polyline(
                surface,
                dark,
                [
                    p(ex + side * 0.046, ey - eye_ry * 0.2),
                    p(ex + side * 0.02, ey - eye_ry * 0.98),
                    p(ex - side * 0.02, ey - eye_ry * 0.98 + inner_drop * 0.6),
                    p(ex - side * 0.045, ey - eye_ry * 0.3 + inner_drop),
                ],
                line,
            )

        # brows: relaxed arches when calm, a hard V when angry
        brow = looks.hair if looks.hair_style != "bald" else blend(looks.hair, dark, 0.3)
        width = lerp(0.018, 0.03, f) * s
        for side in (-1, 1):
            inner = p(cx + side * 0.035, 0.375 + lerp(-0.014, 0.036, f))
            middle = p(cx + side * 0.085, 0.358 + lerp(-0.012, 0.012, f))
            outer = p(cx + side * 0.14, 0.37 + lerp(0.0, -0.016, f))
            thick_polyline(surface, brow, [inner, middle, outer], width)

        if looks.glasses:
            frame = (40, 40, 48)
            for side in (-1, 1):
                rect = pygame.Rect(0, 0, round(0.12 * s), round(0.085 * s))
                rect.center = (round(box.x + (cx + side * 0.09) * s), round(box.y + 0.445 * s))
                pygame.draw.rect(
                    surface,
                    frame,
                    rect,
                    width=max(2, round(0.011 * s)),
                    border_radius=round(0.03 * s),
                )
            thick_line(surface, frame, p(cx - 0.03, 0.435), p(cx + 0.03, 0.435), max(1.5, 0.01 * s))

        thick_polyline(
            surface,
            shade,
            [p(0.5, 0.47), p(0.486, 0.53), p(0.5, 0.543), p(0.514, 0.538)],
            max(1.5, 0.011 * s),
        )
        self._mouth(surface, p, s, skin, f)

        mark = smoothstep(0.74, 0.9, f)
        if mark > 0.02:
            red = blend(skin, (214, 34, 40), 0.4 + 0.6 * mark)
            mx, my = p(0.66, 0.27)
            r = 0.03 * s
            for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
                a = (mx + dx * r * 0.35, my + dy * r * 1.0)
                b = (mx + dx * r * 0.35, my + dy * r * 0.35)
                c = (mx + dx * r * 1.0, my + dy * r * 0.35)
                thick_polyline(surface, red, [a, b, c], max(1.5, 0.012 * s))

    def _hair(
        self, surface: pygame.Surface, p: Point, s: int, cx: float, cy: float, rx: float, ry: float
    ) -> None:
        looks = self.looks
        style = looks.hair_style
        hair = looks.hair
        if style == "bald":
            for side in (-1, 1):
                aa_ellipse(surface, hair, p(cx + side * 0.2, 0.39), 0.035 * s, 0.07 * s)
            return
        if style == "curly":
            for i in range(15):
                angle = math.radians(175 + i * 13.5)
                x = cx + (rx + 0.01) * math.cos(angle)
                y = cy + (ry + 0.012) * math.sin(angle)
                aa_circle(surface, hair, p(x, y), 0.048 * s)
            aa_ellipse(surface, hair, p(cx, 0.24), 0.17 * s, 0.08 * s)
            return
        points = []
        start, sweep = (168, 204) if style != "short" else (178, 184)
        for i in range(25):
            angle = math.radians(start + i * (sweep / 24))
            points.append(
                p(cx + (rx + 0.012) * math.cos(angle), cy + (ry + 0.014) * math.sin(angle))
            )
        fringe_y = 0.3 if style != "long" else 0.29
        points += [
            p(cx + rx * 0.92, 0.38),
            p(cx + 0.12, fringe_y + 0.01),
            p(cx + 0.02, fringe_y + 0.035 if style == "long" else fringe_y - 0.005),
            p(cx - 0.1, fringe_y + 0.012),
            p(cx - rx * 0.92, 0.38),
        ]
        aa_polygon(surface, hair, points)
        if style == "bun":
            aa_circle(surface, hair, p(cx, 0.13), 0.075 * s)
        if style == "long":
            for side in (-1, 1):
                aa_polygon(
                    surface,
                    hair,
                    [
                        p(cx + side * 0.2, 0.33),
                        p(cx + side * 0.245, 0.55),
                        p(cx + side * 0.2, 0.66),
                        p(cx + side * 0.185, 0.45),
                    ],
                )

    def _mouth(self, surface: pygame.Surface, p: Point, s: int, skin: Color, f: float) -> None:
        mx, my = 0.5, 0.615
        half = lerp(0.072, 0.058, f)
        curve = lerp(0.026, -0.03, smoothstep(0.05, 0.85, f))
        opening = smoothstep(0.72, 1.0, f) * 0.055
        lip = blend(skin, (150, 52, 56), 0.55)
        steps = 12

        def upper(i: int) -> tuple[float, float]:
            u = -1 + 2 * i / steps
            bow = 1 - u * u
            return p(mx + u * half, my + curve * bow - opening * 0.25 * bow)

        def lower(i: int) -> tuple[float, float]:
            u = -1 + 2 * i / steps
            bow = 1 - u * u
            return p(mx + u * half, my + curve * bow + opening * (0.75 * bow + 0.1 * bow**0.5))

        if opening * s < 2:
            thick_polyline(surface, lip, [upper(i) for i in range(steps + 1)], max(2.0, 0.013 * s))
            return
        top = [upper(i) for i in range(steps + 1)]
        bottom = [lower(i) for i in range(steps, -1, -1)]
        aa_polygon(surface, (72, 20, 28), top + bottom)
        teeth_h = min(opening * 0.3, 0.014)
        teeth = [(x, y) for x, y in top] + [(x, y + teeth_h * s) for x, y in reversed(top[2:-2])]
        aa_polygon(surface, (246, 244, 238), teeth)
        thick_polyline(surface, lip, top, max(2.0, 0.011 * s))
        thick_polyline(surface, lip, bottom, max(2.0, 0.011 * s))

    def handset(self, surface: pygame.Surface, box: pygame.Rect) -> None:
        """A mobile phone held to the ear, and the hand holding it (a caller, not an agent)."""
        s, p = box.width, self._mapper(box)
        cx = self.CX
        phone = pygame.Rect(0, 0, round(0.07 * s), round(0.16 * s))
        phone.center = (round(p(cx + 0.235, 0.47)[0]), round(p(0, 0.47)[1]))
        pygame.draw.rect(surface, (30, 32, 40), phone, border_radius=round(0.02 * s))
        pygame.draw.rect(
            surface, (70, 76, 92), phone.inflate(-round(0.018 * s), -round(0.03 * s)),
            border_radius=round(0.012 * s),
        )  # fmt: skip
        hand = blend(self.looks.skin, (60, 30, 30), 0.1)
        aa_ellipse(surface, hand, p(cx + 0.265, 0.55), 0.05 * s, 0.07 * s)
        sleeve = self.looks.shirt
        aa_polygon(
            surface, sleeve,
            [p(cx + 0.22, 0.6), p(cx + 0.31, 0.6), p(cx + 0.36, 0.86), p(cx + 0.24, 0.86)],
        )  # fmt: skip

    @staticmethod
    def _headset(
        surface: pygame.Surface, p: Point, s: int, cx: float, cy: float, rx: float, ry: float
    ) -> None:
        band = (52, 56, 66)
        cup = (34, 36, 44)
        arc = []
        for i in range(19):
            angle = math.radians(190 + i * (160 / 18))
            arc.append(
                p(cx + (rx + 0.03) * math.cos(angle), cy - 0.01 + (ry + 0.035) * math.sin(angle))
            )
        thick_polyline(surface, band, arc, 0.026 * s)
        for side in (-1, 1):
            rect = pygame.Rect(0, 0, round(0.055 * s), round(0.12 * s))
            rect.center = (round(p(cx + side * 0.225, 0.455)[0]), round(p(0, 0.455)[1]))
            pygame.draw.rect(surface, cup, rect, border_radius=round(0.025 * s))
        thick_polyline(
            surface,
            cup,
            [p(cx - 0.225, 0.5), p(cx - 0.2, 0.59), p(cx - 0.12, 0.635), p(cx - 0.075, 0.64)],
            0.014 * s,
        )
        aa_circle(surface, cup, p(cx - 0.07, 0.64), 0.02 * s)
