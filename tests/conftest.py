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


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (HTL_NO_SKIPS=1) a skipped test is a failure: CI provides everything tests need."""
    if not os.environ.get("HTL_NO_SKIPS"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped:
        reporter.write_line(
            f"HTL_NO_SKIPS: {len(skipped)} test(s) were skipped; CI must run them all"
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own user-data directory: no test touches the real one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOLD_THE_LINE_HOME", str(home))
    return home
