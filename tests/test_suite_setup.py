"""The suite's own machinery holds when it runs in parallel: HTL_NO_SKIPS still fails a run
with a skipped test, and tests that start servers are left out of `make unit`.

Each case runs a tiny suite that uses this project's conftest hooks, under pytest-xdist with
two workers, exactly as `make test` runs the real one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # starts pytest and its workers as processes

CONFTEST = """\
import pytest

from tests.conftest import pytest_collection_modifyitems, pytest_sessionfinish  # noqa: F401


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: as in the project")


@pytest.fixture
def pg_url() -> str:
    return "postgresql://stands-in-for-a-server"
"""

TESTS = """\
import pytest


def test_passes() -> None:
    assert 1 + 1 == 2


def test_needs_a_server(pg_url: str) -> None:
    assert pg_url.startswith("postgresql://")


@pytest.mark.skipif(True, reason="something CI must provide is missing")
def test_skips() -> None:
    raise AssertionError("never runs")
"""


def run_suite(folder: Path, *args: str, no_skips: bool) -> subprocess.CompletedProcess[str]:
    (folder / "conftest.py").write_text(CONFTEST)
    (folder / "test_tiny.py").write_text(TESTS)
    (folder / "test_other.py").write_text("def test_other() -> None:\n    assert True\n")
    env = {k: v for k, v in os.environ.items() if k != "HTL_NO_SKIPS"}
    env["PYTHONPATH"] = str(ROOT)
    if no_skips:
        env["HTL_NO_SKIPS"] = "1"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "2"]
    return subprocess.run(
        [*command, "--dist", "loadfile", *args, str(folder)],
        capture_output=True, text=True, cwd=folder, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_a_skip_fails_the_parallel_run_under_htl_no_skips(tmp_path: Path) -> None:
    strict = run_suite(tmp_path, no_skips=True)
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "HTL_NO_SKIPS: 1 test(s) were skipped" in strict.stdout
    assert "3 passed, 1 skipped in" in strict.stdout
    relaxed = run_suite(tmp_path, no_skips=False)
    assert relaxed.returncode == 0, relaxed.stdout + relaxed.stderr
    assert "3 passed, 1 skipped in" in relaxed.stdout


def test_unit_leaves_out_tests_that_start_a_server(tmp_path: Path) -> None:
    unit = run_suite(tmp_path, "-m", "not slow", "-rA", no_skips=False)
    assert unit.returncode == 0, unit.stdout + unit.stderr
    assert "2 passed, 1 skipped in" in unit.stdout  # xdist deselects in the workers, quietly
    assert "PASSED test_tiny.py::test_passes" in unit.stdout
    assert "test_needs_a_server" not in unit.stdout
