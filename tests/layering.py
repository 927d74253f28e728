"""An import graph of a package, read from the source (every import, wherever it is written),
and the two checks the layer test makes of it: no import points up the layer table, and no
two modules import each other, however indirectly.

Function-level imports and imports under `TYPE_CHECKING` count: they are dependencies a
reader has to follow all the same, and a cycle through them is a cycle in the design.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

Graph = Mapping[str, frozenset[str]]


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    modules: tuple[str, ...]  # module names or package prefixes
    exact: tuple[str, ...] = ()  # modules that belong here alone (a package's `__init__`)


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    line: int


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module of `package` under `root`, by dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for path in sorted((root / package.replace(".", "/")).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _absolute(name: str | None, level: int, current: str, is_package: bool) -> str:
    if not level:
        return name or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, *([name] if name else [])])


def _known(name: str, modules: Iterable[str]) -> str | None:
    """The longest known module that `name` is or is inside (`a.b.C` → `a.b`)."""
    known = set(modules)
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


@cache
def _parsed(path: Path, stamp: tuple[int, int]) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def parsed(path: Path) -> ast.Module:
    """The module's syntax tree, parsed once per version of the file (several tests walk the
    same ~190 modules; a file rewritten by a test is parsed again). Read it; never change it."""
    stat = path.stat()
    return _parsed(path, (stat.st_mtime_ns, stat.st_size))


def import_edges(root: Path, package: str) -> list[Edge]:
    """Every import between modules of `package`, with the line it is written on."""
    modules = module_names(root, package)
    edges: list[Edge] = []
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(parsed(path)):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(node.module, node.level, module, is_package)
                # `from a import b` imports the module a.b when there is one, else a name in a
                names = [f"{base}.{alias.name}" for alias in node.names]
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names = [node.args[0].value]
            for name in names:
                target = _known(name, modules)
                if target is not None and target != module:
                    edges.append(Edge(module, target, getattr(node, "lineno", 0)))
    return edges


def graph_of(edges: Iterable[Edge], modules: Iterable[str] = ()) -> dict[str, frozenset[str]]:
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    return {module: frozenset(targets) for module, targets in graph.items()}


def layer_index(module: str, layers: Sequence[Layer]) -> int | None:
    """Which layer a module is in: the one naming it or its longest enclosing package."""
    best: tuple[int, int] | None = None  # (prefix length, layer index)
    for index, layer in enumerate(layers):
        if module in layer.exact:
            return index
        for prefix in layer.modules:
            inside = module == prefix or module.startswith(prefix + ".")
            if inside and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    return None if best is None else best[1]


def upward(edges: Iterable[Edge], layers: Sequence[Layer]) -> list[str]:
    """Imports from a lower layer into a higher one, as `source:line → target (why)`."""
    found = []
    for edge in edges:
        low, high = layer_index(edge.source, layers), layer_index(edge.target, layers)
        if low is not None and high is not None and high > low:
            found.append(
                f"{edge.source}:{edge.line} → {edge.target} "
                f"({layers[low].name} may not import {layers[high].name})"
            )
    return sorted(found)


def unplaced(modules: Iterable[str], layers: Sequence[Layer]) -> list[str]:
    return sorted(m for m in modules if layer_index(m, layers) is None)


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph) + 100))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, frozenset()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)
