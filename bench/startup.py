"""Process start to the first drawn frame of the title screen, against a bare pygame window.

Each run starts a fresh Python process and times, from just before it is spawned to the
moment it reports its first frame flipped: the game (`App` built exactly as `run_game`
builds it, one frame stepped) and, in the same run, a bare pygame program (open a
1280×720 window, fill, flip). Runs alternate between the two so that machine load hits
both alike; medians are compared. Headless: dummy video and audio drivers; bytecode
caching on, as on any installed Python.

Target: the game's first frame within 2× the bare window's. Exit status 1 when missed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 2.0
RUNS = 15

BARE = """
import pygame
pygame.display.init()
screen = pygame.display.set_mode((1280, 720))
screen.fill((15, 22, 38))
pygame.display.flip()
print("first-frame", flush=True)
"""

GAME = """
import os
from game.paths import default_campaign
from game.ui.app import open_app, App, AppConfig
app = open_app(AppConfig(campaign=default_campaign()))
app.step(0.0)
print("first-frame", flush=True)
os._exit(0)  # the loader thread has started; the measurement is over
"""


def first_frame(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == "first-frame":
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError("the child process never drew its first frame")
    child.wait(timeout=60)
    return elapsed


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="htl-startup-") as home:
        env = {
            **os.environ,
            "SDL_VIDEODRIVER": "dummy",
            "SDL_AUDIODRIVER": "dummy",
            "PYGAME_HIDE_SUPPORT_PROMPT": "1",
            "HOLD_THE_LINE_HOME": home,
        }
        # Measure what an installed game does: Python caches compiled modules (.pyc). Some
        # sandboxes switch that off, which would charge the game for recompiling itself.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        first_frame(GAME, env)  # warm the file cache (and create the data directory)
        first_frame(BARE, env)
        bare: list[float] = []
        game: list[float] = []
        for _ in range(RUNS):
            bare.append(first_frame(BARE, env))
            game.append(first_frame(GAME, env))
    b, g = statistics.median(bare), statistics.median(game)
    ratio = g / b
    print(f"process start to first frame, median of {RUNS} runs each (dummy video driver)")
    print(f"  bare pygame window  {b * 1000:7.1f} ms   (min {min(bare) * 1000:.1f})")
    print(f"  Hold the Line title {g * 1000:7.1f} ms   (min {min(game) * 1000:.1f})")
    print(f"  ratio               {ratio:7.2f}x")
    ok = ratio <= TARGET_RATIO
    print(f"  {'meets' if ok else 'MISSES'} the target: <= {TARGET_RATIO}x the bare window")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
