"""Read YAML into plain values that remember where they came from.

We compose (never construct) with the safe loader and convert nodes ourselves, so no tag
can become code, every value keeps its line and column for error messages, aliases cannot
expand without bound, and duplicate keys are caught instead of silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from game.scenario.problems import Position, ProblemSink

try:  # libyaml is several times faster; the pure-Python loader is equally safe.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1 << 20  # 1 MiB: the longest scenario we ship is ~60 KiB
MAX_NODES = 200_000  # after alias expansion
MAX_DEPTH = 64

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

Scalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class YScalar:
    pos: Position
    value: Scalar


@dataclass(frozen=True, slots=True)
class YSeq:
    pos: Position
    items: tuple[YNode, ...]


@dataclass(frozen=True, slots=True)
class YMap:
    pos: Position
    items: tuple[tuple[str, Position, YNode], ...]
    keys: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def get(self, key: str) -> YNode | None:
        index = self.keys.get(key)
        return None if index is None else self.items[index][2]

    def key_pos(self, key: str) -> Position:
        index = self.keys.get(key)
        return self.pos if index is None else self.items[index][1]


YNode = YScalar | YSeq | YMap


def _pos(mark: yaml.Mark | None) -> Position:
    if mark is None:
        return Position(1, 1)
    return Position(mark.line + 1, mark.column + 1)


class _BudgetExceededError(Exception):
    pass


class _Converter:
    def __init__(self, sink: ProblemSink) -> None:
        self.sink = sink
        self.count = 0
        self.active: set[int] = set()

    def convert(self, node: yaml.Node, depth: int = 0) -> YNode:
        self.count += 1
        pos = _pos(node.start_mark)
        if self.count > MAX_NODES:
            self.sink.add(pos, "SC018", f"document expands to more than {MAX_NODES} values")
            raise _BudgetExceededError
        if depth > MAX_DEPTH:
            self.sink.add(pos, "SC018", f"nested more than {MAX_DEPTH} levels deep")
            raise _BudgetExceededError
        if id(node) in self.active:
            self.sink.add(pos, "SC018", "an alias refers to itself (recursive structure)")
            raise _BudgetExceededError
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, pos)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _SEQ_TAG:
                    self._bad_tag(node.tag, pos)
                return YSeq(pos, tuple(self.convert(item, depth + 1) for item in node.value))
            if isinstance(node, yaml.MappingNode):
                if node.tag != _MAP_TAG:
                    self._bad_tag(node.tag, pos)
                return self._mapping(node, pos, depth)
        finally:
            self.active.discard(id(node))
        raise AssertionError(f"unexpected YAML node {type(node).__name__}")  # pragma: no cover

    def _bad_tag(self, tag: str, pos: Position) -> None:
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        self.sink.add(pos, "SC017", f"tag '{shown}' is not allowed; write plain data")

    def _scalar(self, node: yaml.ScalarNode, pos: Position) -> YScalar:
        kind = _PLAIN_TAGS.get(node.tag)
        text: str = node.value
        if kind is None:
            self._bad_tag(node.tag, pos)
            return YScalar(pos, text)
        if kind == "str":
            return YScalar(pos, text)
        if kind == "null":
            return YScalar(pos, None)
        if kind == "bool":
            return YScalar(pos, text.lower() in ("true", "yes", "on", "y"))
        if kind == "int":
            return YScalar(pos, _parse_int(text, self.sink, pos))
        try:
            return YScalar(pos, float(text.replace("_", "")))
        except ValueError:
            return YScalar(pos, text)  # '.inf' etc.: leave as text; type checks report it

    def _mapping(self, node: yaml.MappingNode, pos: Position, depth: int) -> YMap:
        items: list[tuple[str, Position, YNode]] = []
        keys: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_pos = _pos(key_node.start_mark)
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                self.sink.add(key_pos, "SC008", "mapping keys must be plain text")
                continue
            key = str(key_node.value)
            value = self.convert(value_node, depth + 1)
            if key in keys:
                first = items[keys[key]][1]
                self.sink.add(
                    key_pos, "SC009", f"duplicate key '{key}' (first at line {first.line})"
                )
                continue
            keys[key] = len(items)
            items.append((key, key_pos, value))
        return YMap(pos, tuple(items), keys)


def _parse_int(text: str, sink: ProblemSink, pos: Position) -> int | str:
    cleaned = text.replace("_", "")
    if len(cleaned) > 30:
        sink.add(pos, "SC014", "number is far too long")
        return text
    try:
        if cleaned.lower().startswith(("0x", "-0x", "+0x")):
            return int(cleaned, 16)
        if cleaned.lower().startswith(("0o", "-0o", "+0o")):
            return int(cleaned, 8)
        return int(cleaned, 10)
    except ValueError:
        return text


def parse_text(text: str, sink: ProblemSink) -> YNode | None:
    """Parse one YAML document; problems go to the sink, None when nothing usable came out."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or "invalid YAML"
        if error.context:
            message = f"{message} ({error.context})"
        sink.add(_pos(mark), "SC016", message)
        return None
    except yaml.YAMLError as error:
        sink.add(Position(1, 1), "SC016", str(error).splitlines()[0])
        return None
    except RecursionError:
        sink.add(Position(1, 1), "SC018", "nested too deeply to parse")
        return None
    if root is None:
        sink.add(Position(1, 1), "SC007", "the file is empty")
        return None
    size = _expanded_size(root)
    if size is None:
        sink.add(_pos(root.start_mark), "SC018", "an alias refers to itself (recursive structure)")
        return None
    if size > MAX_NODES:
        sink.add(
            _pos(root.start_mark),
            "SC018",
            f"aliases expand the document to {size:,} values; the limit is {MAX_NODES:,}",
        )
        return None
    try:
        return _Converter(sink).convert(root)
    except _BudgetExceededError:
        return None


def _expanded_size(root: yaml.Node) -> int | None:
    """How many values the document has once aliases are expanded, or None if one recurses.

    Aliases share nodes, so this counts each distinct node once (memoised, iterative):
    linear in the file even when the expansion would be astronomically large.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            continue
        if key in sizes:
            continue
        if key in on_path:
            return None
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                return None
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def decode(data: bytes, sink: ProblemSink) -> str | None:
    if len(data) > MAX_FILE_BYTES:
        sink.add(
            Position(1, 1), "SC018", f"file is {len(data)} bytes; the limit is {MAX_FILE_BYTES}"
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        col = error.start - (before.rfind(b"\n") + 1) + 1
        sink.add(Position(line, col), "SC019", f"byte 0x{data[error.start]:02x} is not UTF-8")
        return None
    return text.removeprefix("\ufeff")


def read_bytes(path: Path, sink: ProblemSink) -> bytes | None:
    """A file's bytes, read no further than the size cap."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        sink.add(Position(1, 1), "SC027", f"cannot read file: {error.strerror or error}")
        return None
    if len(data) > MAX_FILE_BYTES:
        sink.add(Position(1, 1), "SC018", f"file is larger than the {MAX_FILE_BYTES}-byte limit")
        return None
    return data
