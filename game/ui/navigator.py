"""The scene stack and the navigator: which screen follows which, in plain Python.

Scenes never import one another. A scene that opens another asks the app for it by route
(`app.open(Route.CALL, level)`); the routes are registered once, in `game.ui.app` (the
window's composition root). The stack keeps the scenes' life cycle in one place: a scene is
entered when pushed, exited when removed, resumed when the one above it goes.

Nothing here imports pygame, so the stack's and the navigator's rules are unit-tested
without a window (`tests/ui/test_navigator.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["Navigator", "Route", "SceneLike", "SceneStack", "UnknownRoute"]


class Route(StrEnum):
    """Every screen another screen can open."""

    TITLE = "title"
    ERROR = "error"  # a problem to explain: (title, body, details)
    CRASH = "crash"  # an exception that broke a scene: (error, log path, broken scenes)
    LEVELS = "levels"
    CALL = "call"
    DEBRIEF = "debrief"
    BREATHER = "breather"
    PAUSE = "pause"
    SETTINGS = "settings"
    HISTORY = "history"
    PROFILE = "profile"
    LOGIN = "sign-in-login"
    DESK = "supervisor-gate"
    DESK_OVERVIEW = "supervisor-overview"
    DESK_TRAINEE = "supervisor-trainee"


class SceneLike(Protocol):
    """What the stack needs of a scene (`game.ui.scene.Scene` is the one implementation)."""

    name: str
    opaque: bool

    def enter(self) -> None: ...
    def exit(self) -> None: ...
    def resume(self) -> None: ...
    def sync(self) -> None: ...
    def handle(self, intent: Any) -> None: ...
    def update(self, dt: float) -> None: ...
    def draw(self, surface: Any) -> None: ...


S = TypeVar("S", bound=SceneLike)


class SceneStack(Generic[S]):
    """The scenes on screen, bottom first; the top one gets the input."""

    def __init__(self) -> None:
        self.items: list[S] = []

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[S]:
        return iter(self.items)

    @property
    def top(self) -> S | None:
        return self.items[-1] if self.items else None

    def push(self, scene: S) -> None:
        """Enter first, then lay out: a scene that loads its data in `enter` is laid out
        once, with the data (scenes whose `enter` needs the layout call `sync` there)."""
        self.items.append(scene)
        scene.enter()
        scene.sync()

    def pop(self) -> None:
        if self.items:
            self.items.pop().exit()
        self._uncover()

    def replace(self, scene: S) -> None:
        if self.items:
            self.items.pop().exit()
        self.push(scene)

    def pop_to(self, name: str) -> bool:
        """Pop until the scene called `name` is on top; False (and nothing popped) if none is."""
        if not any(scene.name == name for scene in self.items):
            return False
        while self.items and self.items[-1].name != name:
            self.items.pop().exit()
        self._uncover()
        return True

    def reset(self, scene: S) -> None:
        """Clear the stack down to this one scene (back to the title, after an error)."""
        while self.items:
            self.items.pop().exit()
        self.push(scene)

    def take_all(self) -> list[S]:
        """Empty the stack without exiting anyone, bottom first (the caller exits them, each
        on its own, when one of them may be what broke)."""
        taken, self.items = self.items, []
        return taken

    def visible(self) -> list[S]:
        """The top scene and any below it that an overlay lets show through."""
        first = len(self.items) - 1
        while first > 0 and not self.items[first].opaque:
            first -= 1
        return self.items[max(0, first) :]

    def _uncover(self) -> None:
        if self.items:
            self.items[-1].sync()
            self.items[-1].resume()


class UnknownRoute(LookupError):
    """No scene is registered for a route (a part of the game that is not installed)."""


class Navigator(Generic[S]):
    """Builds the scene for a route; the host it is built for comes first in every factory."""

    def __init__(self, routes: Mapping[Route, Callable[..., S]]) -> None:
        self._routes = dict(routes)

    def offers(self, route: Route) -> bool:
        return route in self._routes

    def make(self, route: Route, host: object, *args: Any, **kwargs: Any) -> S:
        factory = self._routes.get(route)
        if factory is None:
            raise UnknownRoute(f"no scene is registered for the route {route.value!r}")
        return factory(host, *args, **kwargs)
