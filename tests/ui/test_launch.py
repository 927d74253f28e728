"""Launching the window: no display, no sound device, small and very large screens.

These run the real game in a child process (the display and sound drivers are chosen when
SDL starts, once per process)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.ui.app import EXIT_NO_DISPLAY, SIZE, window_size

ROOT = Path(__file__).resolve().parents[2]
PLAY = [sys.executable, "-m", "game", "play"]


def child_env(home: Path, **changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SDL_")}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env["HOLD_THE_LINE_HOME"] = str(home)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def test_no_display_says_so_and_exits(tmp_path: Path) -> None:
    done = subprocess.run(
        PLAY, cwd=ROOT, env=child_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == EXIT_NO_DISPLAY
    assert "no display" in done.stderr
    assert "hold-the-line text" in done.stderr


PROBE = """
import sys
from game.paths import default_campaign
from game.ui.app import AppConfig, open_app
from game.ui.autopilot import Autopilot
app = open_app(AppConfig(campaign=default_campaign()))
pilot = Autopilot(app)
pilot.start()
pilot.frames(3)
import pygame
size = pygame.display.get_window_size()
print("SOUND", repr(app.audio.off_reason))
print("WINDOW", size[0], size[1], app.screen.get_size()[0], app.screen.get_size()[1])
app.quit()
app.close()
"""


def test_no_sound_device_is_quiet_and_said(tmp_path: Path) -> None:
    """ALSA with no card: nothing on the terminal, and the title says sound is off."""
    env = child_env(tmp_path, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="alsa")
    env["ALSA_CONFIG_PATH"] = str(tmp_path / "no-such-alsa.conf")  # no card, whatever the host
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "ALSA" not in done.stderr and "ALSA" not in done.stdout
    assert "SOUND 'Sound is off" in done.stdout


@pytest.mark.parametrize(
    "desktop", [(1024, 600), (1280, 720), (1366, 768), (1920, 1080), (2560, 1440), (3840, 2160)]
)
def test_the_window_fits_every_desktop(desktop: tuple[int, int]) -> None:
    width, height = window_size(desktop)
    assert width <= desktop[0] and height <= desktop[1] - 40, "no room for a taskbar"
    assert abs(width / height - SIZE[0] / SIZE[1]) < 0.01
    assert width >= min(SIZE[0], desktop[0] * 0.8)  # and it uses the room it has


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb for a real X display")
@pytest.mark.parametrize("screen", [(1024, 600), (3840, 2160)])
def test_a_real_window_fits_the_screen(tmp_path: Path, screen: tuple[int, int]) -> None:
    display = f":{90 + screen[0] % 7}"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{screen[0]}x{screen[1]}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
            assert time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.05)
        env = child_env(tmp_path, DISPLAY=display, SDL_AUDIODRIVER="dummy")
        done = subprocess.run(
            [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        line = next(x for x in done.stdout.splitlines() if x.startswith("WINDOW"))
        w, h, lw, lh = (int(v) for v in line.split()[1:])
        assert (lw, lh) == SIZE  # the layout is always 1280×720, scaled to the window
        assert w <= screen[0] and h <= screen[1], f"window {w}×{h} on a {screen} screen"
        assert w >= screen[0] * 0.6
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
