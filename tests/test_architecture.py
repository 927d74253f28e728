"""House rules that keep the functional core a core."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

from tests.conftest import ROOT
from tests.layering import parsed

GAME = ROOT / "game"
CORE_PACKAGES = ("scenario", "engine", "analysis", "records", "training", "text")


def _imports(path: object) -> list[tuple[str, int]]:
    tree = parsed(path)  # type: ignore[arg-type]
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
        tree = parsed(path)
        assert not any(isinstance(n, ast.Global) for n in ast.walk(tree)), path
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in ("eval", "exec"):
                raise AssertionError(f"{path}: {node.id}")
            if isinstance(node, ast.Attribute) and node.attr in ("unsafe_load", "full_load"):
                raise AssertionError(f"{path}: yaml.{node.attr}")
        assert "import pickle" not in source and "from pickle" not in source, path


def module_level_classes(root: Path) -> dict[str, list[str]]:
    """Each class name defined at module level under `root` (in a module's body, or under a
    module-level `if`/`try`), with every module that defines it."""
    found: defaultdict[str, list[str]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        body = list(parsed(path).body)
        while body:
            node = body.pop(0)
            if isinstance(node, ast.ClassDef):
                found[node.name].append(str(path.relative_to(root.parent)))
            elif isinstance(node, ast.If | ast.Try):
                body += [*node.body, *node.orelse, *getattr(node, "finalbody", [])]
                body += [n for handler in getattr(node, "handlers", []) for n in handler.body]
    return dict(found)


def shared_class_names(root: Path) -> dict[str, list[str]]:
    return {name: where for name, where in module_level_classes(root).items() if len(where) > 1}


def test_no_two_classes_in_the_game_share_a_name() -> None:
    """A name says which thing it is: `Outcome` once, not a call's ending here and a plan's
    facts there (a reader, a grep and an import must not have to guess)."""
    assert shared_class_names(GAME) == {}


def test_the_name_check_finds_a_class_defined_twice(tmp_path: Path) -> None:
    toy = tmp_path / "toy"
    (toy / "engine").mkdir(parents=True)
    (toy / "engine" / "state.py").write_text("class Outcome:\n    pass\n", encoding="utf-8")
    (toy / "plans.py").write_text(
        "def f() -> None:\n    class Outcome: ...\n\n\nclass Plan: ...\n", encoding="utf-8"
    )
    assert shared_class_names(toy) == {}  # a class inside a function is not the module's
    (toy / "plans.py").write_text(
        "import typing\nif typing.TYPE_CHECKING:\n    pass\nelse:\n    class Outcome: ...\n",
        encoding="utf-8",
    )
    assert shared_class_names(toy) == {"Outcome": ["toy/engine/state.py", "toy/plans.py"]}


# Values the window holds that have a fixed set: each is an enum, compared by member.
FIXED_SETS = frozenset({"phase", "channel", "verdict", "rating", "speaker", "mode", "timer"})


def words_compared_to_fixed_sets(source: str) -> list[str]:
    """Each comparison of a fixed-set value (`x.phase`, `channel`) with a string literal or
    a tuple of them: `call.phase == "ended"` where `call.phase is CallPhase.ENDED` is meant."""

    def named(node: ast.expr) -> str | None:
        return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)

    def words(node: ast.expr) -> bool:
        items = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
        return bool(items) and all(
            isinstance(n, ast.Constant) and isinstance(n.value, str) for n in items
        )

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            for a, b in pairwise(sides):
                if (named(a) in FIXED_SETS and words(b)) or (named(b) in FIXED_SETS and words(a)):
                    found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_window_compares_fixed_sets_by_member_not_by_word() -> None:
    found = {
        str(path.relative_to(ROOT)): words
        for path in sorted((GAME / "ui").rglob("*.py"))
        if (words := words_compared_to_fixed_sets(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_word_check_finds_a_phase_compared_with_a_string() -> None:
    source = (
        "if call.phase is CallPhase.ENDED and theme.name == 'dark':\n    pass\n"
        "if self.flow.phase in ('speaking', 'waiting'):\n    pass\n"
        "ok = 'phone' != channel\n"
    )
    assert words_compared_to_fixed_sets(source) == [
        "3: self.flow.phase in ('speaking', 'waiting')",
        "5: 'phone' != channel",
    ]
