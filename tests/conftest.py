"""Shared test setup: isolate user data and run pygame headless."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Set before anything imports pygame: no window, no sound card needed.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
PLANS = Path(__file__).resolve().parent / "plans"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own user-data directory: no test touches the real one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOLD_THE_LINE_HOME", str(home))
    return home
