"""The catalog is passed in, not fetched from a hidden global (issue 11, item 6).

Only `game/engine/catalog.py` defines `load_catalog`; only hosts call it: the command line
(which also reads `--catalog FILE`) and the window's loader. The engine, the scenario
model, the analysis, the records and the terminal player take a `catalog: Catalog`
parameter, so what scored a call is always the value that was handed in.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT
from tests.layering import parsed

GAME = ROOT / "game"
# The composition roots: where a run starts and its one catalog is loaded.
HOSTS = frozenset({"game/cli.py", "game/ui/loading.py"})
HOST_PACKAGES = ("game/cli/",)  # the command package, once game/cli.py is split into one
CORE = ("engine", "scenario", "analysis", "records", "text")


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _calls_and_definitions(path: Path) -> tuple[list[int], list[int]]:
    tree = parsed(path)
    calls, definitions = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name == "load_catalog":
                calls.append(node.lineno)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == (
            "load_catalog"
        ):
            definitions.append(node.lineno)
    return calls, definitions


def test_only_hosts_call_load_catalog() -> None:
    offenders = []
    for path in sorted(GAME.rglob("*.py")):
        where = _relative(path)
        calls, _ = _calls_and_definitions(path)
        host = where in HOSTS or where.startswith(HOST_PACKAGES)
        if calls and not host:
            offenders += [f"{where}:{line}" for line in calls]
    assert not offenders, (
        "load_catalog() called outside a host; take a `catalog: Catalog` parameter: "
        + ", ".join(offenders)
    )


def test_no_core_module_calls_load_catalog() -> None:
    """The stated rule for the core, checked by itself so its failure names the package."""
    for package in CORE:
        for path in (GAME / package).rglob("*.py"):
            calls, _ = _calls_and_definitions(path)
            assert not calls, f"{_relative(path)}:{calls[0]} calls load_catalog()"


def test_load_catalog_is_defined_once() -> None:
    defined = [
        f"{_relative(path)}:{line}"
        for path in GAME.rglob("*.py")
        for line in _calls_and_definitions(path)[1]
    ]
    assert defined == [f"game/engine/catalog.py:{defined[0].split(':')[1]}"], defined


def test_the_check_sees_a_hidden_fetch(tmp_path: Path) -> None:
    """The walk finds a call however it is written (a name or an attribute)."""
    module = tmp_path / "m.py"
    module.write_text(
        "from game.engine import catalog\n"
        "def f():\n    return catalog.load_catalog()\n"
        "def g(c=None):\n    return c or load_catalog()\n",
        encoding="utf-8",
    )
    assert _calls_and_definitions(module) == ([3, 5], [])
