"""The customer's portrait: a face (`game.ui.face`) staged for the channel, and its fade.

The customer blinks. Each channel is staged differently: on the phone the customer holds a
mobile to the ear and the trainee (with the agent's headset) shows in a corner; a shop
counter in person; a chat window; an email client. Everything is drawn at twice the size
and scaled down smoothly: true anti-aliasing.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable

import pygame
import pygame.gfxdraw

from game.scenario.model import Channel
from game.ui.draw import aa_circle, aa_ellipse, aa_polygon, opaque
from game.ui.face import AGENT_LOOKS, Face, looks_for
from game.ui.theme import Color, Theme, blend

SUPERSAMPLE = 2  # drawn at this multiple of the shown size, then smoothly scaled down
AGENT_NAME = "You, the agent"
CACHE_SIZE = 12


class _Staged:
    """The customer staged for their channel at the drawing size (see `Portrait`)."""

    def __init__(
        self, name: str, channel: Channel, size: tuple[int, int], theme: Theme, backing: Color
    ) -> None:
        self.face = Face(looks_for(name))
        self.channel = channel
        self.size = size
        self.theme = theme
        self.backing = backing  # the colour around the rounded corners
        self._stage = self._build_stage()
        self._cache: OrderedDict[tuple[int, int], pygame.Surface] = OrderedDict()
        self._inset: tuple[pygame.Surface, pygame.Rect] | None = None
        self._prepare()

    def head_rect(self) -> pygame.Rect:
        """The part of the picture that anger changes: the head and the flushed neck."""
        box = self.face_box()
        s = box.width
        head = pygame.Rect(
            round(box.x + 0.22 * s), round(box.y + 0.1 * s), round(0.56 * s), round(0.7 * s)
        )
        return head.clip(pygame.Rect(0, 0, *self.size))

    def face_box(self) -> pygame.Rect:
        w, h = self.size
        if self.channel in (Channel.CHAT, Channel.EMAIL):
            side = round(min(w, h) * 0.7)
            top = round(h * 0.2) if self.channel is Channel.CHAT else round(h * 0.24)
            return pygame.Rect((w - side) // 2, top, side, side)
        side = round(min(w * 0.9, h * 1.02))
        return pygame.Rect((w - side) // 2, h - side + round(side * 0.05), side, side)

    def _build_stage(self) -> pygame.Surface:
        """Everything behind the face, drawn once."""
        w, h = self.size
        t = self.theme
        stage = opaque(self.size)
        stage.fill(self.backing)
        local = pygame.Rect(0, 0, w, h)
        if self.channel is Channel.PHONE:
            pygame.draw.rect(stage, t.scene_phone, local, border_radius=12)
            box = self.face_box()
            for i, r in enumerate((0.34, 0.46, 0.58)):
                color = blend(t.scene_phone, t.accent, 0.22 - i * 0.06)
                pygame.draw.circle(
                    stage,
                    color,
                    (box.centerx, round(box.y + box.height * 0.44)),
                    round(box.width * r),
                    width=2,
                )
        elif self.channel is Channel.IN_PERSON:
            pygame.draw.rect(stage, t.scene_counter, local, border_radius=12)
            shelf = blend(t.scene_counter, (255, 255, 255), 0.1)
            for row, y in enumerate((0.22, 0.5)):
                yy = round(h * y)
                pygame.draw.rect(stage, shelf, pygame.Rect(12, yy, w - 24, 5), border_radius=2)
                for k in range(9):
                    bw = 14 + (k * 7 + row * 5) % 13
                    bh = 18 + (k * 11 + row * 3) % 22
                    bx = 22 + k * (w - 44) // 9
                    tint = blend(
                        t.scene_counter,
                        ((200, 120, 90), (90, 150, 190), (200, 180, 90))[(k + row) % 3],
                        0.35,
                    )
                    pygame.draw.rect(stage, tint, pygame.Rect(bx, yy - bh, bw, bh), border_radius=2)
        elif self.channel is Channel.CHAT:
            pygame.draw.rect(stage, t.scene_chat, local, border_radius=12)
            bar = pygame.Rect(0, 0, w, round(h * 0.13))
            pygame.draw.rect(
                stage,
                blend(t.scene_chat, (0, 0, 0), 0.35),
                bar,
                border_top_left_radius=12,
                border_top_right_radius=12,
            )
            for i, color in enumerate(((236, 95, 86), (245, 190, 80), (90, 200, 120))):
                pygame.draw.circle(stage, color, (18 + i * 18, bar.centery), 5)
            box = self.face_box()
            pygame.draw.circle(
                stage, blend(t.scene_chat, (255, 255, 255), 0.12), box.center, box.width // 2 + 6
            )
            pygame.draw.circle(
                stage, blend(t.scene_chat, (255, 255, 255), 0.05), box.center, box.width // 2
            )
        else:
            pygame.draw.rect(stage, t.scene_email, local, border_radius=12)
            env = pygame.Rect(round(w * 0.1), round(h * 0.14), round(w * 0.8), round(h * 0.74))
            paper = blend(t.scene_email, (255, 255, 255), 0.14)
            pygame.draw.rect(stage, paper, env, border_radius=8)
            flap = blend(t.scene_email, (255, 255, 255), 0.22)
            aa_polygon(
                stage, flap, [env.topleft, (env.centerx, env.top + env.height * 0.45), env.topright]
            )
            box = self.face_box()
            pygame.draw.circle(stage, t.scene_email, box.center, box.width // 2 + 6)
            pygame.draw.circle(
                stage, blend(t.scene_email, (255, 255, 255), 0.06), box.center, box.width // 2
            )
        return stage

    def _foreground(self, surface: pygame.Surface) -> None:
        """What stands in front of the customer: the counter, the window chrome."""
        w, h = self.size
        t = self.theme
        if self.channel is Channel.IN_PERSON:
            top = round(h * 0.84)
            wood = (124, 88, 58) if not t.high_contrast else (90, 90, 90)
            pygame.draw.rect(
                surface,
                wood,
                pygame.Rect(0, top, w, h - top),
                border_bottom_left_radius=12,
                border_bottom_right_radius=12,
            )
            pygame.draw.rect(surface, blend(wood, (255, 255, 255), 0.25), pygame.Rect(0, top, w, 6))
            bx, by = round(w * 0.8), top
            aa_ellipse(surface, (214, 178, 84), (bx, by - 2), 19, 5)
            dome = [
                (bx + 17 * math.cos(math.radians(a)), by - 3 - 17 * math.sin(math.radians(a)))
                for a in range(0, 181, 15)
            ]
            aa_polygon(surface, (236, 202, 108), dome)
            aa_circle(surface, (250, 230, 160), (bx, by - 21), 3)
        elif self.channel in (Channel.CHAT, Channel.EMAIL):
            box = self.face_box()
            if self.channel is Channel.CHAT:
                pygame.draw.circle(
                    surface,
                    t.good,
                    (box.right - box.width // 7, box.bottom - box.height // 7),
                    max(6, box.width // 14),
                )
                pygame.draw.circle(
                    surface,
                    t.scene_chat,
                    (box.right - box.width // 7, box.bottom - box.height // 7),
                    max(6, box.width // 14),
                    width=3,
                )

    def _layer(self, paint: Callable[[pygame.Surface, pygame.Rect], None]) -> pygame.Surface:
        box = self.face_box()
        layer = pygame.Surface(box.size, pygame.SRCALPHA)
        paint(layer, pygame.Rect(0, 0, box.width, box.height))
        return layer

    def _prepare(self) -> None:
        box = self.face_box()
        self._back = self._layer(self.face.back)
        self._hair = self._layer(self.face.hair)
        self._headset = self._layer(self.face.handset) if self.channel is Channel.PHONE else None
        self._fore = pygame.Surface(self.size, pygame.SRCALPHA)
        self._foreground(self._fore)
        if self.channel in (Channel.CHAT, Channel.EMAIL):
            # A frame with a round hole: blitted over the face it crops it to an avatar.
            ring = self._avatar_color()
            hole = pygame.Surface(box.size, pygame.SRCALPHA)
            hole.blit(self._stage, (0, 0), area=box)
            centre = (box.width // 2, box.height // 2)
            pygame.draw.circle(hole, (0, 0, 0, 0), centre, box.width // 2)
            pygame.gfxdraw.aacircle(hole, *centre, box.width // 2, ring)
            pygame.gfxdraw.aacircle(hole, *centre, box.width // 2 + 1, ring)
            self._mask: pygame.Surface | None = hole
        else:
            self._mask = None
        self._stage.blit(self._back, box)
        if self.channel is Channel.PHONE:
            self._agent_inset()

    def _agent_inset(self) -> None:
        """The trainee on the line: a small picture of the agent, headset on, in a corner."""
        w, h = self.size
        side = max(24, round(min(w, h) * 0.3))
        box = pygame.Rect(round(w * 0.04), h - side - round(h * 0.04), side, side)
        t = self.theme
        agent = Face(AGENT_LOOKS)
        disc = pygame.Surface((side, side), pygame.SRCALPHA)
        local = pygame.Rect(0, 0, side, side)
        pygame.draw.circle(
            disc, blend(t.scene_phone, (255, 255, 255), 0.1), local.center, side // 2
        )
        face = pygame.Surface((side, side), pygame.SRCALPHA)
        head = pygame.Rect(
            round(-0.2 * side), round(-0.02 * side), round(1.4 * side), round(1.4 * side)
        )
        agent.back(face, head)
        agent.skin(face, head, 0)
        agent.hair(face, head)
        agent.features(face, head, 0, 0)
        agent.headset(face, head)
        mask = pygame.Surface((side, side), pygame.SRCALPHA)
        pygame.draw.circle(mask, (255, 255, 255, 255), local.center, side // 2 - 2)
        face.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
        disc.blit(face, (0, 0))
        pygame.draw.circle(disc, t.accent, local.center, side // 2, width=max(2, side // 24))
        self._inset = (disc, box)

    def _avatar_color(self) -> Color:
        t = self.theme
        if self.channel is Channel.CHAT:
            return blend(t.scene_chat, (255, 255, 255), 0.12)
        return t.scene_email

    def render(self, anger: float, blink: float) -> pygame.Surface:
        """The portrait at this anger (0..100) and blink (0 open .. 1 shut), cached."""
        key = (round(anger / 2) * 2, round(max(0.0, min(1.0, blink)) * 2))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        surface = self._stage.copy()
        box = self.face_box()
        level, shut = float(key[0]), key[1] / 2
        if self._mask is not None:
            self.face.skin(surface, box, level)
            surface.blit(self._hair, box)
            self.face.features(surface, box, level, shut)
            surface.blit(self._mask, box)
        else:
            self.face.skin(surface, box, level)
            surface.blit(self._hair, box)
            self.face.features(surface, box, level, shut)
            if self._headset is not None:
                surface.blit(self._headset, box)
        surface.blit(self._fore, (0, 0))
        if self._inset is not None:
            surface.blit(*self._inset)
        self._cache[key] = surface
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return surface


class Portrait:
    """The customer staged for their channel, rendered to a surface and cached by state.

    Drawn at SUPERSAMPLE times the size and scaled down smoothly, so every edge is truly
    anti-aliased; the renders are cached by anger and blink like the drawing itself."""

    def __init__(
        self, name: str, channel: Channel, size: tuple[int, int], theme: Theme, backing: Color
    ) -> None:
        big = (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE)
        self._staged = _Staged(name, channel, big, theme, backing)
        self.face = self._staged.face
        self.channel = channel
        self.size = size
        self._cache: OrderedDict[tuple[int, int], pygame.Surface] = OrderedDict()

    @staticmethod
    def _shrink(rect: pygame.Rect) -> pygame.Rect:
        k = SUPERSAMPLE
        return pygame.Rect(rect.x // k, rect.y // k, rect.width // k, rect.height // k)

    def face_box(self) -> pygame.Rect:
        return self._shrink(self._staged.face_box())

    def head_rect(self) -> pygame.Rect:
        return self._shrink(self._staged.head_rect()).clip(pygame.Rect(0, 0, *self.size))

    def render(self, anger: float, blink: float) -> pygame.Surface:
        key = (round(anger / 2) * 2, round(max(0.0, min(1.0, blink)) * 2))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        big = self._staged.render(anger, blink)
        small = pygame.transform.smoothscale(big, self.size)
        self._cache[key] = small
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return small


class FaceFade:
    """The portrait as shown: it follows the anger by cross-fading to a fresh render.

    A new face is rendered only when the anger moves by two points or more (one frame's
    work), and the old one fades into it, so the face changes smoothly without redrawing
    every frame. Blinks are painted over the cached face.
    """

    SECONDS = 0.45
    STEPS = 4

    def __init__(self, portrait: Portrait, anger: float) -> None:
        self.portrait = portrait
        self.level = round(anger / 2) * 2
        self.image = portrait.render(self.level, 0.0)
        self.previous: pygame.Surface | None = None
        self.t = 1.0

    def update(self, dt: float, anger: float, motion: bool) -> None:
        level = round(anger / 2) * 2
        if level != self.level:
            self.previous = self.image if motion else None
            self.image = self.portrait.render(level, 0.0)
            self.level = level
            self.t = 0.0 if motion else 1.0
        self.t = min(1.0, self.t + dt / self.SECONDS)
        if self.t >= 1.0:
            self.previous = None

    def draw(self, surface: pygame.Surface, at: tuple[int, int], blink: float) -> None:
        surface.blit(self.previous if self.previous is not None else self.image, at)
        if self.previous is not None:
            # Blend only the head, where anger shows (blending costs far more than copying),
            # in a few steps.
            head = self.portrait.head_rect()
            self.image.set_alpha(round(255 * round(self.t * self.STEPS) / self.STEPS))
            surface.blit(self.image, head.move(at), head)
            self.image.set_alpha(None)
        if blink > 0.5:
            box = self.portrait.face_box().move(at)
            self.portrait.face.eyelids(surface, box, self.level)
