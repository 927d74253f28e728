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

# What makes a test slow is what it starts: a PostgreSQL server, a full game window, a
# browser, a real LRS, whole-screen photographs. A test using any of these fixtures (or the
# PostgreSQL side of a backend-parametrised one) is marked `slow` here, in one place, so a
# new fixture of that kind needs one line. Tests that spawn and kill processes carry the mark
# themselves. `make unit` runs what is not slow; `make test` runs everything.
SLOW_FIXTURES = frozenset({"pg_server", "pg_url", "make_app", "browser", "ralph", "shots"})
SLOW_PARAMS = {"store_url": "postgresql", "db_url": "postgresql"}
# Whole modules whose every test starts a server, a process or a real display of its own.
SLOW_MODULES = {
    "tests/reports/test_hostile_lrs.py": "HTTP servers that stall and drip on purpose",
    "tests/reports/test_namespace.py": "several processes opening one database at once",
    "tests/records/test_timeouts.py": "a PostgreSQL stand-in that never answers",
    "tests/text/test_recording.py": "the CLI in subprocesses, on SQLite and PostgreSQL",
    "tests/text/test_interactive.py": "the CLI on a pseudo-terminal and a pipe",
    "tests/text/test_jsonl.py": "the machine door in a subprocess",
    "tests/test_readme_commands.py": "the README's commands as subprocesses",
    "tests/ui/test_no_hang.py": "the game killed with SIGTERM while its records are stuck",
    "tests/ui/test_launch.py": "real Xvfb displays and the game as a process",
    "tests/ui/test_live_reload.py": "the full game window, its level edited mid-call",
    "tests/text/test_watch.py": "the CLI in a subprocess, its level edited mid-call",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if (
            item.path.is_relative_to(ROOT)
            and item.path.relative_to(ROOT).as_posix() in SLOW_MODULES
        ):
            item.add_marker(pytest.mark.slow)
            continue
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {}
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())) or any(
            params.get(name) == value for name, value in SLOW_PARAMS.items()
        ):
            item.add_marker(pytest.mark.slow)


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
