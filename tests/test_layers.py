"""The layer table holds: every import points down (or stays in its layer), and no modules
import each other. Imports inside functions and under TYPE_CHECKING count too.

Lowest first. A module may import its own layer and the layers below it, never above.
"""

from __future__ import annotations

import ast
import importlib
from functools import cache
from pathlib import Path

from tests.conftest import ROOT
from tests.layering import (
    Edge,
    Layer,
    cycles,
    graph_of,
    import_edges,
    module_names,
    unplaced,
    upward,
)

LAYERS = (
    # the frozen model, the rules of a conversation, scoring, the session runner
    Layer(
        "core",
        (
            "game.paths",
            "game.scenario.model",
            "game.scenario.problems",
            "game.scenario.diagnostics",  # the problems' table: data, imports nothing
            "game.engine",
        ),
        exact=("game",),  # the package itself: its version
    ),
    # reading and checking what trainers write; tools for authors
    Layer("authoring", ("game.scenario", "game.analysis", "game.i18n")),
    # what is stored, and the exports and report read from it
    Layer("storage", ("game.records",)),
    # the use cases every host calls
    Layer("training", ("game.training",)),
    # the terminal and the window
    Layer("hosts", ("game.text", "game.ui")),
    # the command line: parses arguments, opens a host, maps failures to exit codes
    Layer("commands", ("game.cli", "game.__main__")),
)


@cache
def _game_edges() -> tuple[Edge, ...]:
    return tuple(import_edges(ROOT, "game"))


def game_edges() -> list[Edge]:
    """The real tree's imports, read once for the five tests that check them (a copy each)."""
    return list(_game_edges())


def test_every_module_has_a_layer() -> None:
    assert unplaced(module_names(ROOT, "game"), LAYERS) == []


def test_imports_point_down_the_layer_table() -> None:
    assert upward(game_edges(), LAYERS) == []


def test_no_import_cycles_between_modules() -> None:
    edges = game_edges()
    assert cycles(graph_of(edges, module_names(ROOT, "game"))) == []


def test_hosts_do_not_import_each_other() -> None:
    """The window and the terminal are two faces of the same training layer."""
    crossing = [
        f"{e.source}:{e.line} → {e.target}"
        for e in game_edges()
        if (e.source.startswith("game.ui") and e.target.startswith("game.text"))
        or (e.source.startswith("game.text") and e.target.startswith("game.ui"))
    ]
    assert crossing == []


def _write(root: Path, module: str, source: str) -> None:
    path = root / (module.replace(".", "/") + ".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in path.relative_to(root).parents:
        if str(parent) != ".":
            (root / parent / "__init__.py").touch()
    path.write_text(source, encoding="utf-8")


def test_the_checker_fails_on_an_upward_import_even_inside_a_function(tmp_path: Path) -> None:
    layers = (Layer("core", ("toy.core",)), Layer("hosts", ("toy.hosts",)))
    _write(tmp_path, "toy.core.rules", "RULE = 1\n")
    _write(tmp_path, "toy.hosts.screen", "from toy.core.rules import RULE\n")
    assert upward(import_edges(tmp_path, "toy"), layers) == []
    assert cycles(graph_of(import_edges(tmp_path, "toy"))) == []
    _write(
        tmp_path,
        "toy.core.rules",
        "RULE = 1\n\n\ndef show() -> None:\n    from ..hosts import screen\n",
    )
    found = upward(import_edges(tmp_path, "toy"), layers)
    assert found == ["toy.core.rules:5 → toy.hosts.screen (core may not import hosts)"]
    assert cycles(graph_of(import_edges(tmp_path, "toy"))) == [
        ["toy.core.rules", "toy.hosts.screen"]
    ]


def test_the_checker_counts_type_checking_and_dynamic_imports(tmp_path: Path) -> None:
    layers = (Layer("core", ("toy.core",)), Layer("hosts", ("toy.hosts",)))
    _write(tmp_path, "toy.hosts.screen", "X = 1\n")
    _write(
        tmp_path,
        "toy.core.rules",
        "from typing import TYPE_CHECKING\nimport importlib\n"
        "if TYPE_CHECKING:\n    import toy.hosts.screen\n"
        "def f() -> None:\n    importlib.import_module('toy.hosts.screen')\n",
    )
    assert [line.split(" ")[0] for line in upward(import_edges(tmp_path, "toy"), layers)] == [
        "toy.core.rules:4",
        "toy.core.rules:6",
    ]


def test_the_checker_fails_on_an_upward_edge_added_to_the_real_tree() -> None:
    edges = game_edges()
    injected = [*edges, Edge("game.engine.step", "game.ui.app", 1)]
    assert upward(injected, LAYERS) == [
        "game.engine.step:1 → game.ui.app (core may not import hosts)"
    ]
    back = [*edges, Edge("game.training.review", "game.ui.scenes.history", 1)]
    assert cycles(graph_of(back)) != []


def test_every_package_declares_its_public_surface() -> None:
    """`__all__` in each package: what other layers may use; the rest is internal."""
    missing, wrong = [], []
    for name, path in module_names(ROOT, "game").items():
        if path.name != "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        declared = [
            node
            for node in tree.body
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        ]
        if not declared:
            missing.append(name)
            continue
        package = importlib.import_module(name)
        for public in package.__all__:
            if not hasattr(package, public):
                try:
                    importlib.import_module(f"{name}.{public}")
                except ModuleNotFoundError:
                    wrong.append(f"{name}.{public}")
    assert missing == [] and wrong == []


def test_other_packages_use_only_a_package_s_public_modules() -> None:
    """A module outside a package imports only what the package's `__all__` names."""
    modules = module_names(ROOT, "game")
    packages = {name for name, path in modules.items() if path.name == "__init__.py"}
    public = {name: set(importlib.import_module(name).__all__) for name in packages}
    reaching_in = []
    for edge in game_edges():
        package, _, child = edge.target.rpartition(".")
        inside = edge.source == package or edge.source.startswith(package + ".")
        if package not in packages or package == "game" or inside:
            continue  # the top-level packages are governed by the layer table above
        if child not in public[package]:
            reaching_in.append(f"{edge.source}:{edge.line} → {edge.target}")
    assert reaching_in == []
