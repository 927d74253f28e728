"""Input, translated once: keyboard, mouse and game controller become the same intents.

Scenes never look at raw pygame events, so every action a mouse can reach is reachable
from the keyboard (and a controller) by construction, and tests drive the game with the
same posted key events a player would make.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

import pygame


class Act(StrEnum):
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"
    NEXT = "next"  # Tab
    PREV = "prev"  # Shift+Tab
    CONFIRM = "confirm"  # Enter, controller A
    BACK = "back"  # Esc, controller B / Start
    SKIP = "skip"  # Space: finish the line being revealed (elsewhere: press the focused button)
    PICK = "pick"  # number keys 1-9
    TEXT = "text"  # typed characters
    ERASE = "erase"  # Backspace
    SCROLL = "scroll"  # wheel, PageUp/PageDown; number = lines, positive is down
    HOME = "home"
    END = "end"
    POINT = "point"  # the mouse moved
    CLICK = "click"  # left button
    FULLSCREEN = "fullscreen"  # F11
    QUIT = "quit"  # the window was closed


@dataclass(frozen=True, slots=True)
class Intent:
    act: Act
    number: int = 0
    text: str = ""
    pos: tuple[int, int] = (0, 0)


KEYS: MappingProxyType[int, Act] = MappingProxyType(
    {
        pygame.K_UP: Act.UP,
        pygame.K_DOWN: Act.DOWN,
        pygame.K_LEFT: Act.LEFT,
        pygame.K_RIGHT: Act.RIGHT,
        pygame.K_RETURN: Act.CONFIRM,
        pygame.K_KP_ENTER: Act.CONFIRM,
        pygame.K_ESCAPE: Act.BACK,
        pygame.K_SPACE: Act.SKIP,
        pygame.K_BACKSPACE: Act.ERASE,
        pygame.K_HOME: Act.HOME,
        pygame.K_END: Act.END,
        pygame.K_F11: Act.FULLSCREEN,
    }
)
NUMBER_KEYS: MappingProxyType[int, int] = MappingProxyType(
    {
        **{pygame.K_1 + i: i + 1 for i in range(9)},
        **{pygame.K_KP1 + i: i + 1 for i in range(9)},
    }
)
PAGE_LINES = 8
WHEEL = "wheel"  # the text of a SCROLL intent that came from a mouse wheel
WHEEL_LINES = 3
STICK_THRESHOLD = 0.6
# Controller buttons (SDL joystick numbering on common pads): A, B, Back, Start.
PAD_CONFIRM = 0
PAD_BACK = 1
PAD_START = 7


class InputMapper:
    """Turns pygame events into intents; keeps the little state a controller stick needs."""

    def __init__(self) -> None:
        self._pads: dict[int, pygame.joystick.JoystickType] = {}
        self._stick: dict[tuple[int, int], int] = {}  # (pad, axis) -> -1, 0 or 1

    def translate(self, event: pygame.event.Event) -> list[Intent]:
        kind = event.type
        if kind == pygame.QUIT:
            return [Intent(Act.QUIT)]
        if kind == pygame.KEYDOWN:
            return self._key(event)
        if kind == pygame.TEXTINPUT:
            text = "".join(ch for ch in str(event.text) if ch.isprintable())
            return [Intent(Act.TEXT, text=text)] if text else []
        if kind == pygame.MOUSEMOTION:
            return [Intent(Act.POINT, pos=_pos(event.pos))]
        if kind == pygame.MOUSEBUTTONDOWN:
            if event.button == 1:
                return [Intent(Act.CLICK, pos=_pos(event.pos))]
            if event.button == 3:
                return [Intent(Act.BACK)]
            return []
        if kind == pygame.MOUSEWHEEL:
            if not event.y:
                return []
            # a wheel scrolls what is under the pointer; PgUp/PgDn scroll what has the keys
            try:
                pointer = _pos(pygame.mouse.get_pos())
            except pygame.error:  # no window (translating events without a display)
                pointer = (0, 0)
            return [Intent(Act.SCROLL, number=-int(event.y) * WHEEL_LINES, text=WHEEL, pos=pointer)]
        return self._pad(event)

    def _key(self, event: pygame.event.Event) -> list[Intent]:
        key = int(event.key)
        if key == pygame.K_TAB:
            shifted = bool(int(getattr(event, "mod", 0)) & pygame.KMOD_SHIFT)
            return [Intent(Act.PREV if shifted else Act.NEXT)]
        if key == pygame.K_PAGEUP:
            return [Intent(Act.SCROLL, number=-PAGE_LINES)]
        if key == pygame.K_PAGEDOWN:
            return [Intent(Act.SCROLL, number=PAGE_LINES)]
        if key in NUMBER_KEYS:
            return [Intent(Act.PICK, number=NUMBER_KEYS[key])]
        act = KEYS.get(key)
        return [Intent(act)] if act is not None else []

    def _pad(self, event: pygame.event.Event) -> list[Intent]:
        kind = event.type
        if kind == pygame.JOYDEVICEADDED:
            try:
                pad = pygame.joystick.Joystick(event.device_index)
                self._pads[pad.get_instance_id()] = pad
            except pygame.error:
                pass
            return []
        if kind == pygame.JOYDEVICEREMOVED:
            self._pads.pop(int(event.instance_id), None)
            return []
        if kind == pygame.JOYBUTTONDOWN:
            if event.button == PAD_CONFIRM:
                return [Intent(Act.CONFIRM)]
            if event.button in (PAD_BACK, PAD_START):
                return [Intent(Act.BACK)]
            return []
        if kind == pygame.JOYHATMOTION:
            x, y = event.value
            out = []
            if y > 0:
                out.append(Intent(Act.UP))
            elif y < 0:
                out.append(Intent(Act.DOWN))
            if x < 0:
                out.append(Intent(Act.LEFT))
            elif x > 0:
                out.append(Intent(Act.RIGHT))
            return out
        if kind == pygame.JOYAXISMOTION and event.axis in (0, 1):
            value = float(event.value)
            direction = 1 if value > STICK_THRESHOLD else -1 if value < -STICK_THRESHOLD else 0
            key = (int(event.instance_id), int(event.axis))
            if self._stick.get(key, 0) == direction:
                return []
            self._stick[key] = direction
            if direction == 0:
                return []
            if event.axis == 1:
                return [Intent(Act.DOWN if direction > 0 else Act.UP)]
            return [Intent(Act.RIGHT if direction > 0 else Act.LEFT)]
        return []


def _pos(value: tuple[float, float]) -> tuple[int, int]:
    return (int(value[0]), int(value[1]))
