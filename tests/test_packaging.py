"""The installed game is the same game: a wheel carries every package, scenario and asset."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from game.paths import PROJECT_ROOT
from game.scenario.campaign import load_campaign

# Building a wheel runs processes and takes seconds: not part of `make unit`.
pytestmark = pytest.mark.slow

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def test_every_package_on_disk_is_listed() -> None:
    on_disk = {
        ".".join(folder.relative_to(PROJECT_ROOT).parts)
        for folder in [PROJECT_ROOT / "game", *(PROJECT_ROOT / "game").rglob("*")]
        if folder.is_dir() and folder.name != "__pycache__" and folder.name != "bundled"
    }
    mapped = set(SETUPTOOLS["package-dir"])
    for package, folder in SETUPTOOLS["package-dir"].items():  # and the folders inside them
        for inner in (PROJECT_ROOT / folder).rglob("*"):
            if inner.is_dir() and inner.name != "__pycache__":
                relative = inner.relative_to(PROJECT_ROOT / folder).parts
                mapped.add(".".join((package, *relative)))
    assert set(SETUPTOOLS["packages"]) == on_disk | mapped
    for package, folder in SETUPTOOLS["package-dir"].items():
        assert (PROJECT_ROOT / folder).is_dir(), package


def _source_copy(into: Path) -> Path:
    """The files a wheel is built from, copied: setuptools writes `build/` and `*.egg-info`
    beside its sources, which must not happen in the checkout while other tests read it."""
    source = into / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT_ROOT / name, source / name)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("game", "scenarios", "assets", "locale"):
        shutil.copytree(PROJECT_ROOT / folder, source / folder, ignore=skip)
    return source


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = _source_copy(tmp_path_factory.mktemp("build"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "--wheel-dir", str(out), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    assert "Warning" not in built.stderr, built.stderr
    (path,) = out.glob("hold_the_line-*.whl")
    return path


def test_the_wheel_carries_scenarios_assets_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for scenario in (PROJECT_ROOT / "scenarios").iterdir():
        assert f"game/bundled/scenarios/{scenario.name}" in names
    for asset in (PROJECT_ROOT / "assets").rglob("*.*"):
        assert f"game/bundled/{asset.relative_to(PROJECT_ROOT).as_posix()}" in names
    for po in (PROJECT_ROOT / "locale").rglob("*.po*"):
        assert f"game/bundled/{po.relative_to(PROJECT_ROOT).as_posix()}" in names
    for data in ("engine/guides.yaml", "engine/techniques.yaml", "records/templates/report.html"):
        assert f"game/{data}" in names


def test_the_unpacked_wheel_plays_without_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import json, sys\n"
        "from game.paths import assets_dir, default_campaign\n"
        "from game.scenario.campaign import load_campaign\n"
        "campaign = load_campaign(default_campaign())\n"
        "print(json.dumps({'campaign': str(default_campaign()), 'fonts': str(assets_dir()),\n"
        "  'levels': [lvl.scenario is not None for lvl in campaign.levels],\n"
        "  'problems': sum(len(lvl.problems) for lvl in campaign.levels)}))\n"
    )
    env = {"HOLD_THE_LINE_HOME": str(tmp_path)}
    ran = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r})\n{probe}"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    seen = json.loads(ran.stdout)
    assert seen["campaign"].startswith(str(site)), seen
    assert seen["fonts"].startswith(str(site)), seen
    assert Path(seen["fonts"], "fonts", "DejaVuSans.ttf").is_file()
    shipped = load_campaign(PROJECT_ROOT / "scenarios" / "campaign.yaml")
    assert seen["levels"] == [True] * len(shipped.levels) and seen["problems"] == 0
    played = subprocess.run(
        [sys.executable, "-I", "-c",
         f"import sys; sys.path.insert(0, {str(site)!r}); from game.cli import main; "
         "sys.exit(main(['validate', sys.argv[1]]))", seen["campaign"]],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )  # fmt: skip
    assert played.returncode == 0, played.stdout + played.stderr
