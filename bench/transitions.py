"""The worst frame of every scene transition, against an empty frame from the same run.

`bench/frame.py` measures the steady call; this one measures the frames where work piles
up: opening each scene, entering, answering and leaving a call, every reply, the debrief,
the history, the settings, the pause menu, the breather and the supervisor's desk. Each
transition is a key press posted to the real (headless) window, then the next 40 frames
paced at 60 a second; the worst frame among them (CPU time on the main thread, as in
`bench/frame.py`, so other work on a shared machine does not count) is the transition's cost.

The trainee picker is opened twice, with 10 and with 1,000 trainees in the records, to show
that a room's size does not reach the window.

Floor: an empty frame (fill the window, flip) on the same display in the same run.
Targets: every transition's worst frame ≤ 16.7 ms (one frame at 60 Hz); the picker at
1,000 trainees ≤ 50 ms and within 2× the picker at 10. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pygame

if TYPE_CHECKING:
    from game.records.api import Store

FRAME_BUDGET_MS = 1000 / 60
PICKER_TARGET_MS = 50.0
PICKER_RATIO = 2.0
SETTLE = 40  # frames measured after each key press
ROOM = 1000
SMALL_ROOM = 10
PLAN = [1, 1, 1, 1, 1, 1, 1, 1]  # late-delivery, by the book (tests/plans/late-delivery-good.yaml)


class Stopwatch:
    """Steps the app in real time and keeps the worst frame of each labelled transition."""

    def __init__(self, app: object) -> None:
        from game.ui.app import App

        assert isinstance(app, App)
        self.app = app
        self.clock = pygame.time.Clock()
        self.worst: dict[str, float] = {}

    def frames(self, count: int, label: str | None = None) -> None:
        from game.ui.app import STEP

        worst = 0.0
        for _ in range(count):
            self.clock.tick(60)
            start = time.thread_time()  # the main thread's CPU: fair on a shared machine
            self.app.step(STEP)
            worst = max(worst, time.thread_time() - start)
        if label is not None:
            self.worst[label] = max(self.worst.get(label, 0.0), worst * 1000)

    def press(self, key: int, label: str | None, frames: int = SETTLE) -> None:
        pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)
        )
        self.frames(frames, label)

    def until(self, done: Callable[[], bool], label: str, limit: int = 3000) -> None:
        """Step (measuring) until `done()`: the customer talking, a recording landing."""
        for _ in range(limit):
            if done():
                return
            self.frames(1, label)
        raise RuntimeError(f"gave up waiting during {label}")

    def focus(self, menu: object, key: str) -> None:
        from game.ui.widgets import Menu

        assert isinstance(menu, Menu)
        menu.focus(key)
        self.frames(2)


def empty_frames(screen: pygame.Surface, count: int) -> list[float]:
    times = []
    clock = pygame.time.Clock()
    for i in range(count):
        clock.tick(60)
        start = time.thread_time()
        screen.fill((15, 22, 38) if i % 2 else (16, 23, 39))
        pygame.display.flip()
        times.append((time.thread_time() - start) * 1000)
    return times


def fill_room(store: Store, count: int) -> None:
    have = len(store.trainees())
    for n in range(have, count):
        store.add_trainee(f"Trainee {n:04d}")


def open_picker(watch: Stopwatch, label: str) -> None:
    from game.ui.scenes.title import TitleScene

    title = watch.app.top
    assert isinstance(title, TitleScene)
    title.resume()  # the records changed behind it
    watch.focus(title.menu, "switch")
    watch.press(pygame.K_RETURN, label)
    watch.press(pygame.K_ESCAPE, None, 4)


def journey(watch: Stopwatch) -> list[float]:
    from game.engine.session import ChoicePrompt
    from game.ui.scenes.call import CallScene
    from game.ui.scenes.debrief import DebriefScene
    from game.ui.scenes.levels import LevelsScene
    from game.ui.scenes.profile import ProfileScene
    from game.ui.scenes.title import TitleScene

    app = watch.app
    watch.frames(2)
    app.world()
    watch.frames(30)
    empty = empty_frames(app.screen, 300)
    store = app.world().store
    assert store is not None
    fill_room(store, SMALL_ROOM)
    open_picker(watch, f"title → trainee picker ({SMALL_ROOM} trainees)")
    fill_room(store, ROOM)
    open_picker(watch, f"title → trainee picker ({ROOM} trainees)")

    title = app.top
    assert isinstance(title, TitleScene)
    watch.focus(title.menu, "switch")
    watch.press(pygame.K_RETURN, None, 4)
    picker = app.top
    assert isinstance(picker, ProfileScene)
    picker.menu.focus("field")
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="Bench"))
    watch.frames(2, "picker: typing a name")
    watch.press(pygame.K_PAGEDOWN, "picker: next page")
    watch.press(pygame.K_RETURN, "picker → levels (new profile)")
    levels = app.top
    assert isinstance(levels, LevelsScene)

    watch.press(pygame.K_RETURN, "levels → call (ringing)")
    call = app.top
    assert isinstance(call, CallScene)
    watch.press(pygame.K_RETURN, "answering the call")
    watch.until(lambda: call.phase == "choosing", "the customer speaks")
    watch.press(pygame.K_ESCAPE, "call → pause")
    watch.press(pygame.K_ESCAPE, "pause → call")
    for number in PLAN:
        watch.until(lambda: call.phase in ("choosing", "ended"), "the customer speaks")
        if call.phase == "ended" or not isinstance(call.moment, ChoicePrompt):
            break
        watch.frames(30)
        position = [o.number for o in call.moment.options].index(number)
        watch.press(pygame.K_1 + position, "a reply")
    watch.until(lambda: call.phase == "ended", "the customer speaks")
    watch.press(pygame.K_RETURN, "hang up → debrief", 90)
    debrief = app.top
    assert isinstance(debrief, DebriefScene)
    watch.press(pygame.K_PAGEDOWN, "debrief: scrolling the turns")
    watch.press(pygame.K_ESCAPE, "debrief → levels")
    levels = app.top
    assert isinstance(levels, LevelsScene)
    watch.focus(levels.menu, "history")
    watch.press(pygame.K_RETURN, "levels → history")
    watch.press(pygame.K_RETURN, "history → a past debrief")
    watch.press(pygame.K_ESCAPE, "past debrief → history")
    watch.press(pygame.K_ESCAPE, "history → levels")
    watch.focus(levels.menu, "settings")
    watch.press(pygame.K_RETURN, "levels → settings")
    watch.press(pygame.K_RIGHT, "settings: text 125 % (every layout again)")
    watch.press(pygame.K_LEFT, "settings: text 100 %")
    watch.press(pygame.K_ESCAPE, "settings → levels")
    watch.press(pygame.K_ESCAPE, "levels → title")

    from game.ui.scenes.breather import BreatherScene

    app.push(BreatherScene(app, then=app.pop))
    watch.frames(SETTLE, "title → breather")
    watch.press(pygame.K_ESCAPE, "breather → title")

    from game.ui.scenes.supervisor import Desk
    from game.ui.scenes.supervisor_overview import OverviewScene

    world = app.world()
    assert world.campaign is not None
    app.push(OverviewScene(app, Desk(store, world.campaign, world.catalog)))
    watch.frames(SETTLE, f"title → supervisor's desk ({ROOM} trainees)")
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="Bench"))
    watch.frames(SETTLE, "desk: searching")
    watch.press(pygame.K_RETURN, "desk → a trainee's page")
    watch.press(pygame.K_DOWN, None, 4)
    watch.press(pygame.K_RETURN, "trainee's page → an attempt")
    watch.press(pygame.K_ESCAPE, "attempt → trainee's page")
    return empty


def main() -> int:
    from game.paths import default_campaign
    from game.ui.app import AppConfig, open_app

    with tempfile.TemporaryDirectory(prefix="htl-bench-") as home:
        os.environ["HOLD_THE_LINE_HOME"] = home
        app = open_app(AppConfig(campaign=default_campaign(), seed=11))
        watch = Stopwatch(app)
        try:
            empty = journey(watch)
        finally:
            app.quit()
            app.close()
    floor = statistics.median(empty)
    driver = os.environ.get("SDL_VIDEODRIVER", "default")
    print(f"worst frame of each transition, 1280x720 ({driver} video driver)")
    print(f"  floor: empty frame (fill + flip) p50 {floor:.3f} ms")
    width = max(len(label) for label in watch.worst)
    ok = True
    for label, worst in watch.worst.items():
        miss = worst > FRAME_BUDGET_MS
        ok &= not miss
        mark = "MISSES" if miss else "ok"
        print(f"  {label:<{width}}  {worst:7.2f} ms  {worst / floor:8.1f}x floor  {mark}")
    small = watch.worst[f"title → trainee picker ({SMALL_ROOM} trainees)"]
    big = watch.worst[f"title → trainee picker ({ROOM} trainees)"]
    picker_ok = big <= PICKER_TARGET_MS and big <= PICKER_RATIO * max(small, floor)
    ok &= picker_ok
    print(
        f"  picker: {ROOM} trainees {big:.2f} ms vs {SMALL_ROOM} trainees {small:.2f} ms"
        f" ({big / small:.2f}x); target <= {PICKER_TARGET_MS:.0f} ms and <= {PICKER_RATIO}x"
    )
    verdict = "meets" if ok else "MISSES"
    print(f"  {verdict} the targets: every transition <= {FRAME_BUDGET_MS:.1f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
