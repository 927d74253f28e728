"""The scene contract: every screen of the game is one of these, kept on the app's stack.

`handle` takes intents, `update` advances animation by a fixed step, `draw` paints the
current state and changes nothing. `layout` builds whatever depends on the window and the
settings (fonts, colours); the app calls it again whenever the settings change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.intents import Intent

if TYPE_CHECKING:
    from game.ui.widgets import Menu
    from game.ui.window import App


class Scene:
    opaque = True  # False for overlays that show the scene below (pause menu)
    name = "scene"

    def __init__(self, app: App) -> None:
        self.app = app
        self._generation = -1

    # life cycle -------------------------------------------------------------------------
    def enter(self) -> None:
        """Called once when pushed, before the first layout (call `self.sync()` to lay out
        here when the rest of `enter` needs it)."""

    def exit(self) -> None:
        """Called once when removed from the stack."""

    def resume(self) -> None:
        """Called when the scene above it was popped and it is on top again."""

    def sync(self) -> None:
        """Rebuild the layout if the settings changed since it was built."""
        if self._generation != self.app.generation:
            self._generation = self.app.generation
            self.layout()

    def layout(self) -> None:
        """Build surfaces and rectangles for the current fonts, theme and window."""

    # per frame --------------------------------------------------------------------------
    def handle(self, intent: Intent) -> None:
        """React to one intent."""

    def navigate(self, menu: Menu, intent: Intent) -> str | None:
        """Pass an intent to a menu; a focus move clicks, a pressed button's key comes back."""
        moved, key = menu.handle(intent)
        if moved:
            self.app.play("move")
        return key

    def update(self, dt: float) -> None:
        """Advance animations by `dt` seconds (a fixed step)."""

    def draw(self, surface: pygame.Surface) -> None:
        """Paint the scene; never changes its state."""
