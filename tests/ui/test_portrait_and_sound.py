"""The drawn customer changes with anger and blinks; each channel is staged differently;
the sound cues are synthesised and the game is silent, not broken, without a mixer."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pygame
import pytest

from game.engine.bands import BANDS
from game.scenario.model import Channel
from game.ui.audio import Audio
from game.ui.face import looks_for
from game.ui.portrait import Portrait
from game.ui.synth import synthesise
from game.ui.theme import load_themes

SIZE = (320, 260)


@pytest.fixture(autouse=True)
def display() -> Iterator[None]:
    pygame.display.init()
    pygame.display.set_mode((64, 64))
    yield
    pygame.display.quit()


def pixels(surface: pygame.Surface) -> np.ndarray:
    return pygame.surfarray.array3d(surface).astype(np.int32)


def difference(a: pygame.Surface, b: pygame.Surface) -> float:
    """Share of pixels that differ noticeably between two renders."""
    changed = np.abs(pixels(a) - pixels(b)).sum(axis=2) > 30
    return float(changed.mean())


def test_the_face_differs_between_every_band() -> None:
    theme = load_themes()["default"]
    portrait = Portrait("Mr. Smith", Channel.PHONE, SIZE, theme, theme.panel)
    faces = {band.name: portrait.render((band.low + band.high) / 2, 0.0) for band in BANDS}
    for (na, a), (nb, b) in itertools.combinations(faces.items(), 2):
        assert difference(a, b) > 0.004, f"{na} and {nb} look the same"
    calm, furious = faces["Calm"], faces["Furious"]
    assert difference(calm, furious) > difference(faces["Calm"], faces["Annoyed"])


def test_the_face_changes_continuously() -> None:
    theme = load_themes()["default"]
    portrait = Portrait("Ms. Reyes", Channel.IN_PERSON, SIZE, theme, theme.panel)
    renders = [portrait.render(a, 0.0) for a in range(0, 101, 10)]
    steps = [difference(a, b) for a, b in itertools.pairwise(renders)]
    assert all(step > 0 for step in steps), steps


def test_the_customer_blinks() -> None:
    theme = load_themes()["default"]
    portrait = Portrait("Mr. Smith", Channel.PHONE, SIZE, theme, theme.panel)
    assert difference(portrait.render(40, 0.0), portrait.render(40, 1.0)) > 0.001


def test_each_channel_is_staged_differently() -> None:
    theme = load_themes()["default"]
    stages = {
        channel: Portrait("Ms. Reyes", channel, SIZE, theme, theme.panel).render(30, 0.0)
        for channel in Channel
    }
    for (na, a), (nb, b) in itertools.combinations(stages.items(), 2):
        assert difference(a, b) > 0.05, f"{na} and {nb} are staged alike"


def test_looks_are_stable_and_varied() -> None:
    assert looks_for("Mr. Smith") == looks_for("  mr. smith ")
    names = ["Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Goran", "Hana", "Ivo", "Jun"]
    assert len({looks_for(n).skin for n in names}) >= 3
    assert looks_for("Mr. Smith").hair_style in ("short", "bald", "curly")


def test_every_cue_is_synthesised_within_range() -> None:
    waves = synthesise(22050)
    assert {"ring", "pickup", "hangup", "move", "select", "back", "nudge"} <= set(waves)
    for name, wave in waves.items():
        assert wave.ndim == 1 and len(wave) > 100, name
        assert np.abs(wave).max() <= 1.0, name
        assert np.abs(wave).max() > 0.05, f"{name} is silent"
    assert len(waves["ring"]) / 22050 > 2.0  # a full ring cadence


def test_sound_plays_on_the_dummy_device_and_is_silent_without_one() -> None:
    audio = Audio(50)
    rate = audio.open()
    assert rate is not None
    audio.load(synthesise(rate))
    audio.play("select")
    audio.loop("ring")
    audio.stop_loop()
    audio.set_volume(0)
    audio.play("select")
    audio.close()
    silent = Audio(50)  # never opened: no mixer
    silent.load(synthesise(8000))
    silent.play("ring")
    silent.loop("ring")
    silent.stop_loop()
    assert not silent.available
