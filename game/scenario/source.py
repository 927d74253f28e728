"""Read YAML into plain values that remember where they came from.

We compose (never construct) with the safe loader and convert nodes ourselves, so no tag
can become code, every value keeps its line and column for error messages, aliases cannot
expand without bound, and duplicate keys are caught instead of silently overwritten.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import yaml

from game.scenario.model import nfc
from game.scenario.problems import Position, ProblemSink

try:  # libyaml is several times faster; the pure-Python loader is equally safe.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1 << 20  # 1 MiB: the longest scenario we ship is ~60 KiB
MAX_NODES = 200_000  # after alias expansion
MAX_DEPTH = 64
MAX_REPORTED_CONTROLS = 10  # then one line says how many more

# Control characters (Unicode category Cc) have no place in a scenario: NUL crashes the
# renderer, ESC and CSI reach the terminal as commands. Tab and newline are text; a raw
# carriage return is a line ending (YAML folds it); every other one is refused, raw or
# written as an escape ("\0", "\x1b", "\u009b", "\e", ...).
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_VALUE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# One escape in a double-quoted YAML scalar, for locating an escaped control character.
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
# Something that may be an anchor (`&name` after a space, a bracket, a comma or at the start
# of a line); "Q&A" is not. Aliases need an anchor, and only aliases can expand a document.
# (Written to start with the literal "&", which the regex engine scans for at C speed.)
_ANCHOR = re.compile(r"(?<![^\s\[{,])&[^\s\[\]{},]")
_SIMPLE_ESCAPES = {
    "0": "\x00", "a": "\x07", "b": "\x08", "v": "\x0b", "f": "\x0c", "r": "\r", "e": "\x1b",
    "N": "\x85",
}  # fmt: skip

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


# Named tuples, not frozen dataclasses: a file has tens of thousands of values, and a tuple is
# made several times faster. Immutable all the same.
class YScalar(NamedTuple):
    pos: Position
    value: Scalar


class YSeq(NamedTuple):
    pos: Position
    items: tuple[YNode, ...]


class YMap(NamedTuple):
    pos: Position
    items: tuple[tuple[str, Position, YNode], ...]
    keys: dict[str, int]  # key -> index in items; never changed after the map is built

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


def describe_control(char: str) -> str:
    """How an author would recognise the character: its code point and a common name."""
    names = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x9b": "CSI", "\r": "carriage return"}
    name = names.get(char)
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _control_message(char: str) -> str:
    return (
        f"control character {describe_control(char)} is not allowed in a scenario;"
        " delete it (tabs and line breaks are fine)"
    )


def _find_raw_controls(text: str, sink: ProblemSink) -> bool:
    """Report raw control characters where they are; True if there were any.

    libyaml refuses them too, but without a place (every one came out as 1:1).
    """
    found = 0
    line, scanned = 1, 0
    for match in _RAW_CONTROL.finditer(text):
        found += 1
        if found > MAX_REPORTED_CONTROLS + 1:
            continue
        offset = match.start()
        line += text.count("\n", scanned, offset)  # counted once overall: linear in the file
        scanned = offset
        pos = Position(line, offset - text.rfind("\n", 0, offset))
        if found <= MAX_REPORTED_CONTROLS:
            sink.add(pos, "SC029", _control_message(match.group()))
        else:
            last = pos
    if found > MAX_REPORTED_CONTROLS:
        more = found - MAX_REPORTED_CONTROLS
        sink.add(last, "SC029", f"{more} more control character(s) from here on, not listed")
    return found > 0


def _escape_offset(source: str, char: str) -> int | None:
    """Where, in a double-quoted scalar's source, the escape that wrote `char` starts."""
    for match in _ESCAPE.finditer(source):
        code = match.group(1)
        if len(code) > 1:
            written = chr(int(code[1:], 16)) if int(code[1:], 16) <= 0x10FFFF else ""
        else:
            written = _SIMPLE_ESCAPES.get(code, code)
        if written == char:
            return match.start()
    return None


class _BudgetExceededError(Exception):
    pass


class _Converter:
    def __init__(self, sink: ProblemSink, text: str, aliases: bool) -> None:
        self.sink = sink
        self.text = text
        self.count = 0
        self.aliases = aliases  # without any, no node can be its own ancestor
        self.active: set[int] = set()

    def _check_controls(self, node: yaml.ScalarNode, value: str, pos: Position) -> None:
        """Refuse an escaped control character, pointing at its escape where we can.

        Only a double-quoted scalar has escapes; raw control characters were refused before
        parsing, so the others need no look.
        """
        if node.style != '"':
            return
        match = _VALUE_CONTROL.search(value)
        if match is None:
            return
        char = match.group()
        start, end = node.start_mark.index, node.end_mark.index
        source = self.text[start:end] if 0 <= start <= end <= len(self.text) else ""
        offset = _escape_offset(source, char) if source.startswith('"') else None
        if offset is not None:
            before = source[:offset]
            newlines = before.count("\n")
            col = pos.col + offset if not newlines else offset - before.rfind("\n")
            pos = Position(pos.line + newlines, col)
        self.sink.add(pos, "SC029", _control_message(char))

    def convert(self, node: yaml.Node, depth: int = 0) -> YNode:
        self.count += 1
        mark = node.start_mark
        pos = Position(mark.line + 1, mark.column + 1)
        if self.count > MAX_NODES:
            self.sink.add(pos, "SC018", f"document expands to more than {MAX_NODES} values")
            raise _BudgetExceededError
        if depth > MAX_DEPTH:
            self.sink.add(pos, "SC018", f"nested more than {MAX_DEPTH} levels deep")
            raise _BudgetExceededError
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, pos)
        if not self.aliases:
            return self._collection(node, pos, depth)
        if id(node) in self.active:
            self.sink.add(pos, "SC018", "an alias refers to itself (recursive structure)")
            raise _BudgetExceededError
        self.active.add(id(node))
        try:
            return self._collection(node, pos, depth)
        finally:
            self.active.discard(id(node))

    def _collection(self, node: yaml.Node, pos: Position, depth: int) -> YNode:
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._bad_tag(node.tag, pos)
            return YSeq(pos, tuple([self.convert(item, depth + 1) for item in node.value]))
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                self._bad_tag(node.tag, pos)
            return self._mapping(node, pos, depth)
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
            self._check_controls(node, text, pos)
            return YScalar(pos, nfc(text))
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
            mark = key_node.start_mark
            key_pos = Position(mark.line + 1, mark.column + 1)
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                self.sink.add(key_pos, "SC008", "mapping keys must be plain text")
                continue
            key = nfc(str(key_node.value))
            self._check_controls(key_node, key, key_pos)
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


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """Garbage collection paused while a file is parsed and built.

    Loading allocates many small objects and frees none, so every collection the allocations
    trigger finds nothing to free, yet the full ones walk everything allocated so far: most
    of the time of a large file went there, growing faster than the file. Nested use is fine.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_text(text: str, sink: ProblemSink) -> YNode | None:
    """Parse one YAML document; problems go to the sink, None when nothing usable came out."""
    if _find_raw_controls(text, sink):
        return None
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
    if not _ANCHOR.search(text):  # no anchor, no alias: the converter's own limits suffice
        return _convert(root, sink, text, aliases=False)
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
    return _convert(root, sink, text, aliases=True)


def _convert(root: yaml.Node, sink: ProblemSink, text: str, *, aliases: bool) -> YNode | None:
    try:
        return _Converter(sink, text, aliases).convert(root)
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
    """A regular file's bytes, read no further than the size cap.

    A FIFO, device or socket is never opened (opening a FIFO blocks until someone writes;
    a device can stream for ever): we look before opening, open without blocking, and look
    again at what was actually opened, so a file swapped in between cannot slip through.
    """
    try:
        kind = not_regular(os.stat(path).st_mode)
        if kind is not None:
            sink.add(Position(1, 1), "SC027", f"{kind}, not a regular file; nothing was read")
            return None
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            kind = not_regular(os.fstat(handle.fileno()).st_mode)
            if kind is not None:
                sink.add(Position(1, 1), "SC027", f"{kind}, not a regular file; nothing was read")
                return None
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        sink.add(Position(1, 1), "SC027", f"cannot read file: {os_reason(error)}")
        return None
    if len(data) > MAX_FILE_BYTES:
        sink.add(Position(1, 1), "SC018", f"file is larger than the {MAX_FILE_BYTES}-byte limit")
        return None
    return data


def not_regular(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "this is a folder"
    if stat.S_ISFIFO(mode):
        return "this is a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "this is a device"
    if stat.S_ISSOCK(mode):
        return "this is a socket"
    return "this is a special file"


def os_reason(error: OSError) -> str:
    """An OS error in words, with what to do for the ones authors meet."""
    if isinstance(error, FileNotFoundError):
        return "no such file (check the name and folder)"
    if isinstance(error, PermissionError):
        return "permission denied (ask whoever owns the file to make it readable)"
    if isinstance(error, IsADirectoryError):
        return "this is a folder"
    return error.strerror or str(error)


def inside(folder: Path, path: Path) -> bool | None:
    """Whether `path`, once every link is resolved, lies in `folder` (also resolved).

    None when it cannot be resolved at all (a loop of links). A plain name in the folder
    that is not a link is inside without resolving anything (the common case, and resolving
    costs a system call per folder on the way).
    """
    try:
        if path.parent == folder and path.name not in ("", ".", "..") and not path.is_symlink():
            return True
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return None
