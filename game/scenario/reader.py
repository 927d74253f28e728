"""Typed access to positioned YAML that reports, rather than raises, on every mismatch."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

from game.scenario.model import LANGUAGES, Text
from game.scenario.problems import Position, ProblemSink
from game.scenario.source import YMap, YNode, YScalar, YSeq

E = TypeVar("E", bound=StrEnum)

# Matched whole (`fullmatch`): with `match`, "$" also matches before a final newline, so an id
# ending in "\n" passed. The anchors stay for the JSON Schema, whose patterns search.
SNAKE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
KEBAB_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Longest text each field may hold, in characters. Generous (the longest shipped line is under
# 500), but bounded: a 10,000-character title froze the call screen, and every later step
# (layout, records, reports) pays for length.
MAX_ID = 64
MAX_TITLE = 100
MAX_NAME = 80
MAX_SUMMARY = 600
MAX_LINE = 2_000
MAX_TEXT = 2_000  # anything else that is text (tags, targets, file names, ...)


def kind_name(node: YNode) -> str:
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    value = node.value
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    return "text"


class Reader:
    def __init__(self, sink: ProblemSink) -> None:
        self.sink = sink

    def mapping(
        self,
        node: YNode | None,
        what: str,
        *,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
        at: Position | None = None,
        unknown_code: str = "SC006",
        unknown_what: str = "key",
    ) -> YMap | None:
        """The node as a mapping with only the allowed keys; reports unknown and missing keys."""
        if node is None:
            return None
        if not isinstance(node, YMap):
            self.sink.add(node.pos, "SC008", f"{what} must be a mapping, not {kind_name(node)}")
            return None
        required = tuple(required)
        allowed = (*required, *tuple(optional))
        misspelt: set[str | None] = set()  # required keys an unknown key is a typo of
        for key, key_pos, _ in node.items:
            if key not in allowed:
                misspelt.add(
                    self.sink.unknown(
                        key_pos, unknown_code, unknown_what, key, allowed, f"in {what}"
                    )
                )
        for key in required:
            # `custmer:` is reported once, as the typo it is, not again as a missing key
            if key not in node.keys and key not in misspelt:
                self.sink.add(at or node.pos, "SC007", f"{what} is missing `{key}`")
        return node

    def string(self, node: YNode | None, what: str, limit: int = MAX_TEXT) -> str | None:
        if node is None:
            return None
        if isinstance(node, YScalar) and isinstance(node.value, str):
            if not node.value.strip():
                self.sink.add(node.pos, "SC008", f"{what} must not be empty")
                return None
            if len(node.value) > limit:
                self.too_long(node.pos, what, len(node.value), limit)
                return None
            return node.value
        self.sink.add(node.pos, "SC008", f"{what} must be text, not {kind_name(node)}")
        return None

    def too_long(self, pos: Position, what: str, length: int, limit: int) -> None:
        self.sink.add(pos, "SC030", f"{what} is {length:,} characters long; the limit is {limit:,}")

    def integer(self, node: YNode | None, what: str, low: int, high: int) -> int | None:
        if node is None:
            return None
        value = node.value if isinstance(node, YScalar) else None
        if not isinstance(value, int) or isinstance(value, bool):
            self.sink.add(
                node.pos, "SC008", f"{what} must be a whole number, not {kind_name(node)}"
            )
            return None
        if not low <= value <= high:
            self.sink.add(node.pos, "SC014", f"{what} is {value}; it must be {low}..{high}")
            return None
        return value

    def enum(self, node: YNode | None, kind: type[E], code: str, what: str) -> E | None:
        text = self.string(node, what)
        if text is None or node is None:
            return None
        try:
            return kind(text)
        except ValueError:
            self.sink.unknown(node.pos, code, what, text, [m.value for m in kind])
            return None

    def ident(
        self, node: YNode | None, what: str, pattern: re.Pattern[str], style: str
    ) -> str | None:
        text = self.string(node, what, MAX_ID)
        if text is None or node is None:
            return None
        if not pattern.fullmatch(text):
            self.sink.add(node.pos, "SC021", f"{what} '{text}' must be {style}")
            return None
        return text

    def text(self, node: YNode | None, what: str, limit: int = MAX_LINE) -> Text | None:
        """A string, or a mapping of language code to string with English required."""
        if node is None:
            return None
        if isinstance(node, YMap):
            english: str | None = None
            others: list[tuple[str, str]] = []
            for code, key_pos, value in node.items:
                if code not in LANGUAGES:
                    self.sink.unknown(key_pos, "SC024", "language code", code, LANGUAGES)
                    continue
                text = self.string(value, f"{what} ({code})", limit)
                if text is None:
                    continue
                if code == "en":
                    english = text
                else:
                    others.append((code, text))
            if english is None:
                if "en" not in node.keys:
                    self.sink.add(node.pos, "SC015", f"{what} has no English (`en`) text")
                return None
            return Text(english, tuple(others))
        text = self.string(node, what, limit)
        return None if text is None else Text(text)

    def sequence(
        self, node: YNode | None, what: str, *, allow_scalar: bool = False
    ) -> tuple[YNode, ...]:
        """A list's items; a single scalar counts as a one-item list where allowed."""
        if node is None:
            return ()
        if isinstance(node, YSeq):
            return node.items
        if allow_scalar and isinstance(node, YScalar):
            return (node,)
        self.sink.add(node.pos, "SC008", f"{what} must be a list, not {kind_name(node)}")
        return ()
