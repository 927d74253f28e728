"""Drive the game the way a player would, by posting key events, one frame at a time.

Used by the end-to-end tests, the screenshot maker and the benchmarks: they all go through
the same input path as a real keyboard, with a fake clock (each frame is 1/60 s), so a whole
call takes a fraction of a second of real time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import pygame

from game.engine.session import ChoicePrompt
from game.ui.scene import Scene
from game.ui.scenes.call import CallPhase, CallScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.levels import LevelsScene
from game.ui.scenes.profile import ProfileScene
from game.ui.scenes.title import TitleScene
from game.ui.window import STEP, App

S = TypeVar("S", bound=Scene)


BACKGROUND_WAIT = 600.0  # seconds a scripted frame waits for work handed to `App.later`


class AutopilotError(AssertionError):
    """The game did not get where the script expected."""


@dataclass
class Autopilot:
    app: App
    frame: float = STEP

    # ---- primitives -----------------------------------------------------------------------------

    def frames(self, count: int = 1) -> None:
        for _ in range(count):
            top = self.app.top
            if isinstance(top, CallScene):
                top.wait_for_recording()  # frames here take microseconds, not 1/60 s
            # a drill explores a level or two (seconds; much longer on a loaded machine)
            self.app.wait_for_background(timeout=BACKGROUND_WAIT)
            self.app.step(self.frame)

    def key(self, key: int, *, mod: int = 0, frames: int = 1) -> None:
        pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0)
        )
        self.frames(frames)

    def type_text(self, text: str) -> None:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
        self.frames(1)

    def until(
        self, done: Callable[[], bool], what: str, limit: int = 2000, press: int | None = None
    ) -> None:
        """Step frames (pressing `press` each time, if given) until `done()`."""
        for _ in range(limit):
            if done():
                return
            if press is not None:
                self.key(press)
            else:
                self.frames(1)
        raise AutopilotError(f"gave up waiting for {what}; on screen: {self.top_name}")

    @property
    def top(self) -> Scene:
        top = self.app.top
        if top is None:
            raise AutopilotError("no scene on the stack")
        assert isinstance(top, Scene)
        return top

    @property
    def top_name(self) -> str:
        top = self.app.top
        return type(top).__name__ if top is not None else "nothing"

    def expect(self, name: str) -> Scene:
        if self.top.name != name:
            raise AutopilotError(f"expected the {name} scene, found {self.top_name}")
        return self.top

    def scene(self, kind: type[S]) -> S:
        """The top scene, which must be of this kind."""
        top = self.top
        if not isinstance(top, kind):
            raise AutopilotError(f"expected {kind.__name__}, found {self.top_name}")
        return top

    # ---- journeys -------------------------------------------------------------------------------

    def start(self) -> None:
        """First frame, then wait for the loader so the title is complete."""
        self.frames(1)
        self.app.world()
        self.frames(2)

    def create_trainee(self, name: str) -> None:
        """From the title: open the profiles, type a new name, create it."""
        title = self.scene(TitleScene)
        self.until(lambda: title.menu.focused == "switch", "the switch button", 20, pygame.K_DOWN)
        self.key(pygame.K_RETURN, frames=2)
        profile = self.scene(ProfileScene)
        self.until(lambda: profile.menu.focused == "field", "the name field", 50, pygame.K_TAB)
        self.type_text(name)
        self.key(pygame.K_RETURN, frames=2)
        self.scene(LevelsScene)

    def answer(self) -> None:
        call = self.scene(CallScene)
        if call.phase is not CallPhase.RINGING:
            raise AutopilotError("the call is not ringing")
        self.key(pygame.K_RETURN, frames=2)

    def wait_for_choices(self) -> ChoicePrompt:
        """Skip the customer's lines (Space) until the replies are up; returns the prompt."""
        call = self.scene(CallScene)
        self.until(
            lambda: call.phase in (CallPhase.CHOOSING, CallPhase.ENDED),
            "the replies",
            press=pygame.K_SPACE,
        )
        if not isinstance(call.moment, ChoicePrompt):
            raise AutopilotError("the conversation ended before the choices ran out")
        return call.moment

    def reply(self, number: int) -> None:
        """Press the number key of the reply whose authoring number is `number`."""
        prompt = self.wait_for_choices()
        shown = [option.number for option in prompt.options]
        if number not in shown:
            raise AutopilotError(f"reply {number} is not offered at {prompt.node}: {shown}")
        self.key(pygame.K_1 + shown.index(number), frames=2)

    def finish_call(self) -> DebriefScene:
        """Listen to the end, hang up, and land on the debrief."""
        call = self.scene(CallScene)
        self.until(
            lambda: call.phase is CallPhase.ENDED, "the end of the call", press=pygame.K_SPACE
        )
        self.key(pygame.K_RETURN, frames=3)
        return self.scene(DebriefScene)

    def play(self, choices: Sequence[int]) -> DebriefScene:
        """Answer, give every reply in turn, listen to the end, hang up."""
        self.answer()
        for number in choices:
            self.reply(number)
        return self.finish_call()
