"""House rules that keep the functional core a core."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import ROOT

GAME = ROOT / "game"
CORE_PACKAGES = ("scenario", "engine", "analysis", "records", "training", "text")


def _imports(path: object) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, node.lineno))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append((str(node.args[0].value), node.lineno))
    return found


def test_nothing_outside_game_ui_imports_pygame() -> None:
    offenders = []
    for path in GAME.rglob("*.py"):
        if path.is_relative_to(GAME / "ui"):
            continue
        for module, line in _imports(path):
            if module == "pygame" or module.startswith("pygame."):
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, offenders


def test_importing_the_core_does_not_load_pygame() -> None:
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for package in CORE_PACKAGES
        for p in (GAME / package).rglob("*.py")
    )
    modules += ["game.cli", "game.paths"]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print('pygame' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_global_statements_and_no_unsafe_loading() -> None:
    for path in GAME.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        assert not any(isinstance(n, ast.Global) for n in ast.walk(tree)), path
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in ("eval", "exec"):
                raise AssertionError(f"{path}: {node.id}")
            if isinstance(node, ast.Attribute) and node.attr in ("unsafe_load", "full_load"):
                raise AssertionError(f"{path}: yaml.{node.attr}")
        assert "import pickle" not in source and "from pickle" not in source, path
