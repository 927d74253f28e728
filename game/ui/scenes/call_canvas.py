"""The call's compositor: its own picture of the screen, repainted one region at a time.

Keeping every frame cheap (see bench/frame.py): the scene paints onto this canvas, and only
the regions whose content changed (the face, the meter, the conversation, the replies, the
clock) are painted again, so `draw` is one blit, or, when the screen still shows the last
frame, a blit of each region repainted this frame. What a region shows and how it is
painted is the scene's; when and where is decided here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from game.ui.draw import opaque, panel
from game.ui.theme import Color, Theme

PANEL_CACHE = 8
SCREEN = (1280, 720)

PanelKey = tuple[int, int, int, int, Color, bool]


class RegionCanvas:
    """The picture, the regions on it, and what each was last painted from."""

    def __init__(self, order: Sequence[str], column: frozenset[str], big: frozenset[str]) -> None:
        self.order = tuple(order)  # the regions, in painting order
        self.column = column  # regions that move when the right-hand column changes shape
        self.big = big  # large cards: at most one of these is repainted per step
        self.surface: pygame.Surface | None = None
        self.static: pygame.Surface | None = None  # the page behind everything
        self.regions: dict[str, pygame.Rect] = {}
        self.layout_id = 0  # bumped when the column changes shape
        self._painted: dict[str, object] = {}
        self._stamps: dict[str, int] = {}  # region → the frame it was last repainted in
        self._panels: dict[PanelKey, pygame.Surface] = {}

    def start(self, static: pygame.Surface) -> None:
        """A new page (a new layout): everything is painted again."""
        self.static = static
        self.surface = opaque(SCREEN)
        self._panels.clear()

    def stamp(self, region: str, frame: int) -> None:
        """`region` was repainted in `frame` (so `draw` copies it)."""
        self._stamps[region] = frame

    def forget(self, region: str) -> None:
        """Paint `region` again at the next repaint (something was painted over it)."""
        self._painted.pop(region, None)

    def repaint(
        self,
        frame: int,
        signature: Callable[[str], object],
        paint: Callable[[str], None],
        *,
        full: bool = False,
    ) -> None:
        """Bring the canvas up to date, repainting only the regions that changed."""
        if self.surface is None or self.static is None:
            return
        if full:
            self.surface.blit(self.static, (0, 0))
            self._painted.clear()
            self.clear_column(frame)
            self._stamps["all"] = frame
        big = 0  # at most one large card per step: the rest follow a frame later
        for region in self.order:
            # the right column's shape only matters to the regions in it
            shape = self.layout_id if region in self.column else 0
            seen = (shape, signature(region))
            if self._painted.get(region) == seen:
                continue
            if region in self.big and region in self._painted:
                if big and not full:
                    continue
                big += 1
            paint(region)
            self._painted[region] = seen

    def reshape(self, frame: int) -> None:
        """The right-hand column changed shape: clear it and paint everything in it anew."""
        self.layout_id += 1
        if self.surface is not None:
            self.clear_column(frame)

    def clear_column(self, frame: int) -> None:
        """Clear the right-hand column back to the page."""
        assert self.surface is not None and self.static is not None
        right = self.regions["right"]
        self.surface.blit(self.static, right, right)
        self._stamps["right"] = frame
        for region in self.column:
            if region != "reveal":
                self._painted.pop(region, None)

    def draw(self, surface: pygame.Surface, frame: int, partial: bool) -> None:
        """Copy the canvas; when the screen still shows last frame, only what changed."""
        canvas = self.surface
        if canvas is None:
            return
        if not partial or self._stamps.get("all") == frame:
            surface.blit(canvas, (0, 0))
            return
        for region, stamp in self._stamps.items():
            if stamp == frame:
                rect = self.regions.get(region)
                if rect is not None:
                    surface.blit(canvas, rect, rect)

    # ---- cards ---------------------------------------------------------------------------------

    @staticmethod
    def panel_key(rect: pygame.Rect, fill: Color, shadow: bool) -> PanelKey:
        return (rect.x, rect.y, rect.width, rect.height, fill, shadow)

    def cached_panel(self, rect: pygame.Rect, fill: Color, shadow: bool) -> pygame.Surface | None:
        return self._panels.get(self.panel_key(rect, fill, shadow))

    def panel_image(
        self,
        rect: pygame.Rect,
        fill: Color,
        *,
        shadow: bool,
        backdrop: pygame.Surface,
        theme: Theme,
    ) -> pygame.Surface:
        """A card painted onto a copy of the page behind it (8 px taller, for the shadow)."""
        key = self.panel_key(rect, fill, shadow)
        image = self._panels.get(key)
        if image is None:
            area = pygame.Rect(rect.x, rect.y, rect.width, rect.height + 8).clip(
                pygame.Rect(0, 0, *SCREEN)
            )
            image = opaque(area.size)
            image.blit(backdrop, (0, 0), area)
            local = pygame.Rect(0, 0, rect.width, rect.height)
            panel(image, local, theme, fill, shadow=shadow)
            if len(self._panels) >= PANEL_CACHE:
                self._panels.pop(next(iter(self._panels)))
            self._panels[key] = image
        return image
