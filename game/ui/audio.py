"""Playing sound: the synthesised cues through pygame's mixer, at the volume setting.

With no audio device, or any mixer error, the game simply stays silent: every method is a
no-op then. numpy is imported only when the waves are converted, after the first frame.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from game.ui.synth import Wave

RATE = 44100

# Relative loudness of each cue before the volume setting.
LEVELS = MappingProxyType(
    {
        "ring": 0.55,
        "bell": 0.5,
        "chime": 0.45,
        "pickup": 0.6,
        "hangup": 0.5,
        "move": 0.18,
        "select": 0.3,
        "back": 0.25,
        "nudge": 0.45,
        "calmer": 0.25,
        "tenser": 0.3,
        "type": 0.12,
    }
)


class Audio:
    """Plays the cues at the volume setting; every method is a no-op without a mixer."""

    def __init__(self, volume: int) -> None:
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self._loop: pygame.mixer.Channel | None = None
        self.volume = volume
        self.available = False
        self.off_reason = ""  # set when opening found no sound device: the game says so

    def open(self) -> int | None:
        """Start the mixer; returns its sample rate, or None when there is no audio device.

        Sound libraries (ALSA above all) print their failures straight to the terminal; they
        are kept quiet here, and the game shows one calm note instead."""
        try:
            with _quiet_stderr():
                if not pygame.mixer.get_init():
                    pygame.mixer.init(RATE, -16, 2, 512)
                init = pygame.mixer.get_init()
        except (pygame.error, OSError):
            self.off_reason = "Sound is off: no sound device was found."
            return None
        if not init:
            self.off_reason = "Sound is off: no sound device was found."
            return None
        self.available = True
        return int(init[0])

    def load(self, waves: Mapping[str, Wave]) -> None:
        if not self.available:
            return
        try:
            init = pygame.mixer.get_init()
            if not init:
                self.available = False
                return
            import numpy as np

            _, size, channels = init
            for name, wave in waves.items():
                level = LEVELS.get(name, 0.4)
                samples = wave * level
                data: np.ndarray[tuple[int, ...], np.dtype[np.generic]]
                if size == 8:
                    data = ((samples + 1) * 127.5).astype(np.uint8)
                elif size == -8:
                    data = (samples * 127).astype(np.int8)
                elif abs(size) == 32:
                    data = samples.astype(np.float32)
                else:
                    data = (samples * 32767).astype(np.int16)
                if channels > 1:
                    data = np.ascontiguousarray(np.repeat(data[:, None], channels, axis=1))
                sound = pygame.sndarray.make_sound(data)
                self._sounds[name] = sound
            self.set_volume(self.volume)
        except (pygame.error, ValueError, TypeError):
            self._sounds.clear()
            self.available = False

    def set_volume(self, volume: int) -> None:
        self.volume = volume
        for sound in self._sounds.values():
            sound.set_volume(volume / 100)

    def play(self, name: str) -> None:
        sound = self._sounds.get(name)
        if sound is None or self.volume <= 0:
            return
        with contextlib.suppress(pygame.error):
            sound.play()

    def loop(self, name: str) -> None:
        """Play a cue over and over (the phone ringing) until `stop_loop`."""
        self.stop_loop()
        sound = self._sounds.get(name)
        if sound is None:
            return
        try:
            self._loop = sound.play(loops=-1)
        except pygame.error:
            self._loop = None

    def stop_loop(self) -> None:
        if self._loop is not None:
            with contextlib.suppress(pygame.error):
                self._loop.stop()
            self._loop = None

    def close(self) -> None:
        self.stop_loop()
        self._sounds.clear()
        if self.available:
            with contextlib.suppress(pygame.error):
                pygame.mixer.quit()
        self.available = False


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Send what C libraries write to file descriptor 2 to /dev/null for a moment."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # no real stderr (tests capture it)
        fd = 2
    try:
        saved = os.dup(fd)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            sys.stderr.flush()
            os.dup2(devnull.fileno(), fd)
            try:
                yield
            finally:
                os.dup2(saved, fd)
    finally:
        os.close(saved)
