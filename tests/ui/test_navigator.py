"""The scene stack and the navigator, without pygame: life cycle and routes."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from game.ui.navigator import Navigator, Route, SceneStack, UnknownRoute


class Probe:
    """A scene that writes down what the stack did to it."""

    def __init__(self, log: list[str], name: str, *, opaque: bool = True) -> None:
        self.log, self.name, self.opaque = log, name, opaque

    def enter(self) -> None:
        self.log.append(f"enter {self.name}")

    def exit(self) -> None:
        self.log.append(f"exit {self.name}")

    def resume(self) -> None:
        self.log.append(f"resume {self.name}")

    def sync(self) -> None:
        self.log.append(f"sync {self.name}")

    def handle(self, intent: Any) -> None: ...
    def update(self, dt: float) -> None: ...
    def draw(self, surface: Any) -> None: ...


def test_push_enters_then_lays_out_and_pop_resumes_the_one_below() -> None:
    log: list[str] = []
    stack: SceneStack[Probe] = SceneStack()
    stack.push(Probe(log, "title"))
    stack.push(Probe(log, "levels"))
    assert log == ["enter title", "sync title", "enter levels", "sync levels"]
    log.clear()
    stack.pop()
    assert log == ["exit levels", "sync title", "resume title"]
    assert stack.top is not None and stack.top.name == "title"
    log.clear()
    stack.pop()
    stack.pop()  # popping an empty stack does nothing
    assert log == ["exit title"] and stack.top is None


def test_replace_exits_the_top_without_resuming_the_one_below() -> None:
    log: list[str] = []
    stack: SceneStack[Probe] = SceneStack()
    stack.push(Probe(log, "levels"))
    stack.push(Probe(log, "call"))
    log.clear()
    stack.replace(Probe(log, "debrief"))
    assert log == ["exit call", "enter debrief", "sync debrief"]
    assert [s.name for s in stack] == ["levels", "debrief"]


def test_pop_to_stops_at_the_named_scene_and_refuses_a_missing_one() -> None:
    log: list[str] = []
    stack: SceneStack[Probe] = SceneStack()
    for name in ("title", "levels", "call", "pause"):
        stack.push(Probe(log, name, opaque=name != "pause"))
    log.clear()
    assert not stack.pop_to("history")
    assert log == [] and len(stack) == 4
    assert stack.pop_to(Route.LEVELS)
    assert log == ["exit pause", "exit call", "sync levels", "resume levels"]
    assert [s.name for s in stack] == ["title", "levels"]


def test_an_overlay_shows_the_scene_below_it() -> None:
    log: list[str] = []
    stack: SceneStack[Probe] = SceneStack()
    assert stack.visible() == []
    for name in ("title", "call"):
        stack.push(Probe(log, name))
    stack.push(Probe(log, "pause", opaque=False))
    assert [s.name for s in stack.visible()] == ["call", "pause"]
    stack.pop()
    assert [s.name for s in stack.visible()] == ["call"]


def test_reset_and_take_all() -> None:
    log: list[str] = []
    stack: SceneStack[Probe] = SceneStack()
    for name in ("title", "levels"):
        stack.push(Probe(log, name))
    log.clear()
    stack.reset(Probe(log, "error"))
    assert log == ["exit levels", "exit title", "enter error", "sync error"]
    log.clear()
    taken = stack.take_all()
    assert [s.name for s in taken] == ["error"] and len(stack) == 0 and log == []


def test_the_navigator_builds_a_route_for_its_host_and_names_a_missing_one() -> None:
    log: list[str] = []
    built: list[tuple[object, tuple[Any, ...]]] = []

    def call(host: object, level: str) -> Probe:
        built.append((host, (level,)))
        return Probe(log, f"call {level}")

    navigator: Navigator[Probe] = Navigator({Route.CALL: call})
    host = object()
    scene = navigator.make(Route.CALL, host, "refund")
    assert scene.name == "call refund" and built == [(host, ("refund",))]
    assert log == []  # built, not entered: the stack enters it
    assert navigator.offers(Route.CALL) and not navigator.offers(Route.DESK)
    with pytest.raises(UnknownRoute, match="supervisor-gate"):
        navigator.make(Route.DESK, host)


def test_every_route_is_registered_in_the_window_under_its_scenes_name() -> None:
    from game.ui.app import ROUTES

    assert set(ROUTES) == set(Route)
    for route, factory in ROUTES.items():
        if route in (Route.ERROR, Route.CRASH):
            continue  # one scene, two ways to build it
        assert getattr(factory, "name", None) == route.value, route


def test_the_navigator_is_plain_python() -> None:
    code = "import sys, game.ui.navigator\nprint('pygame' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
