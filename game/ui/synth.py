"""Sound synthesis: every cue the game plays, made with numpy at start-up.

No recorded assets to ship or license. This module is pure numpy and runs on the loader
thread; `game.ui.audio` turns the waves into mixer sounds on the main thread.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Wave = NDArray[np.float64]
RATE = 44100


def _t(seconds: float, rate: int) -> Wave:
    return np.arange(int(seconds * rate)) / rate


def _env(n: int, rate: int, attack: float = 0.005, release: float = 0.02) -> Wave:
    """A linear attack and release, so no cue starts or stops with a click."""
    env = np.ones(n)
    a, r = max(1, int(attack * rate)), max(1, int(release * rate))
    env[:a] = np.linspace(0, 1, min(a, n))[: min(a, n)]
    env[-r:] *= np.linspace(1, 0, min(r, n))
    return env


def tone(freqs: tuple[float, ...], seconds: float, rate: int, decay: float = 0.0) -> Wave:
    t = _t(seconds, rate)
    wave = sum(np.sin(2 * np.pi * f * t) for f in freqs) / len(freqs)
    wave = np.asarray(wave, dtype=np.float64) * _env(len(t), rate)
    if decay:
        wave *= np.exp(-t * decay)
    return wave


def silence(seconds: float, rate: int) -> Wave:
    return np.zeros(int(seconds * rate))


def bell(freq: float, seconds: float, rate: int) -> Wave:
    """A struck bell: a few inharmonic partials with exponential decay."""
    t = _t(seconds, rate)
    partials = ((1.0, 1.0, 3.0), (2.76, 0.5, 5.0), (5.4, 0.25, 8.0), (8.93, 0.12, 12.0))
    wave = sum(a * np.sin(2 * np.pi * freq * m * t) * np.exp(-t * d) for m, a, d in partials)
    return np.asarray(wave, dtype=np.float64) * _env(len(t), rate, 0.001, 0.05) / 1.8


def synthesise(rate: int = RATE) -> dict[str, Wave]:
    """Every cue the game plays, as mono float waves in -1..1."""
    ring_burst = tone((440.0, 480.0), 0.4, rate) * (
        0.75 + 0.25 * np.sin(2 * np.pi * 20 * _t(0.4, rate))
    )
    rng = np.random.default_rng(7)
    click_noise = rng.uniform(-1, 1, int(0.012 * rate)) * np.linspace(1, 0, int(0.012 * rate))
    waves = {
        # North-American ring cadence: two bursts, then a pause (the loop adds the rest).
        "ring": np.concatenate([ring_burst, silence(0.2, rate), ring_burst, silence(1.6, rate)]),
        "bell": bell(1568.0, 1.2, rate),
        "chime": np.concatenate([tone((880.0,), 0.09, rate, 18), tone((1318.5,), 0.22, rate, 10)]),
        "pickup": np.concatenate(
            [
                click_noise * 0.6,
                silence(0.03, rate),
                tone((660.0,), 0.07, rate),
                tone((880.0,), 0.1, rate, 12),
            ]
        ),
        "hangup": np.concatenate(
            [
                tone((620.0,), 0.14, rate),
                silence(0.05, rate),
                tone((480.0,), 0.14, rate),
                silence(0.05, rate),
                tone((380.0,), 0.24, rate, 4),
            ]
        ),
        "move": tone((1320.0,), 0.03, rate, 60),
        "select": np.concatenate([tone((880.0,), 0.04, rate), tone((1320.0,), 0.07, rate, 25)]),
        "back": np.concatenate([tone((1320.0,), 0.04, rate), tone((880.0,), 0.07, rate, 25)]),
        "nudge": np.concatenate(
            [tone((740.0,), 0.12, rate, 6), silence(0.06, rate), tone((740.0,), 0.12, rate, 6)]
        ),
        "calmer": np.concatenate(
            [tone((523.3, 659.3), 0.12, rate, 8), tone((659.3, 784.0), 0.3, rate, 6)]
        ),
        "tenser": np.concatenate([tone((196.0, 207.7), 0.28, rate, 5)]),
        "type": tone((2200.0,), 0.012, rate, 200),
    }
    return {name: np.clip(wave, -1.0, 1.0) for name, wave in waves.items()}
