"""Property tests: whatever an author (or a fuzzer) does to a valid file, the loader either
returns a scenario or raises ScenarioError with located, coded problems. Nothing else, and
never a hang (each example has a deadline; each test a timeout).

The contract itself is `tests.scenario.fuzz_target.check`, which the longer coverage-guided
run (`tests/scenario/fuzz_loader.py`, see docs/authoring.md) shares."""

from __future__ import annotations

import copy
import re
from datetime import timedelta
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SCENARIOS
from tests.scenario.base import BASE
from tests.scenario.fuzz_target import check

REAL = [
    path.read_text(encoding="utf-8")
    for path in sorted(SCENARIOS.glob("*.yaml"))
    if path.name != "campaign.yaml"
]
SOURCES = [BASE, *REAL]
# Re-serialising a parsed file per example costs ~40 ms for the long ones: two sources suffice.
# Parsed once here (libyaml, as the game reads); each example mutates its own deep copy.
STRUCTURED = [
    yaml.load(text, Loader=yaml.CSafeLoader)
    for text in (BASE, (SCENARIOS / "late-delivery.yaml").read_text(encoding="utf-8"))
]

TOKENS = [
    "",
    " ",
    "\t",
    ":",
    "-",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a",
    "*a",
    "!!python/object:os.system",
    "!!str",
    "!custom",
    "|",
    ">",
    "'",
    '"',
    "#",
    "%YAML 1.1",
    "---",
    "...",
    "null",
    "~",
    "true",
    "0x1F",
    "1e9",
    "-1",
    "101",
    "999999999999999999999999999999999",
    "é",
    "\u200b",
    "\x00",
    "\x1b[2J",
    "\x85",
    "\x9b",
    '"\\0"',
    '"\\e[31m"',
    '"\\x1b"',
    '"\\u009b"',
    '"\\ud800"',
    '"\\U0010ffff"',
    '"tiny-test\\n"',
    "|\n  block\n",
    "x" * 2_100,
    "listen",
    "lisen",
    "solve",
    "escalate",
    "phone",
    "angry",
    "resolved",
    "opening",
    "when",
    "goto",
    "next",
    "technique",
    "choices",
    "end",
    "customer",
    "anger_at_least",
    "flag",
    "anger: 1000",
    "next: nowhere",
    "nodes: {}",
    "choices: []",
]

# A deadline per example: a parse that takes seconds is a hang in the making.
settings.register_profile(
    "loader",
    max_examples=120,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def text_mutations(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(SOURCES)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(
            st.sampled_from(["delete", "duplicate", "swap", "token", "indent", "insert", "cut"])
        )
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "token":
            words = re.split(r"(\s+)", lines[i])
            k = draw(st.integers(0, len(words) - 1))
            words[k] = draw(st.sampled_from(TOKENS) | st.text(max_size=6))
            lines[i] = "".join(words)
        elif kind == "indent":
            delta = draw(st.integers(-4, 4))
            stripped = lines[i].lstrip(" ")
            indent = max(0, len(lines[i]) - len(stripped) + delta)
            lines[i] = " " * indent + stripped
        elif kind == "insert":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(st.sampled_from(TOKENS)) + lines[i][pos:]
        else:
            lines = lines[:i]
    data = "".join(lines).encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()) and data:
        pos = draw(st.integers(0, len(data) - 1))
        data = data[:pos] + draw(st.binary(min_size=1, max_size=3)) + data[pos:]
    return data


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(TOKENS),
    st.lists(st.text(max_size=4), max_size=3),
    st.dictionaries(
        st.sampled_from(["en", "fi", "when", "goto", "x"]), st.text(max_size=4), max_size=2
    ),
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def structure_mutations(draw: st.DrawFn) -> bytes:
    data = copy.deepcopy(draw(st.sampled_from(STRUCTURED)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        action = draw(st.sampled_from(["drop", "replace", "rename"]))
        if action == "drop":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(VALUES)
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=6))] = parent.pop(key)
    dumped: str = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    return dumped.encode("utf-8")


@pytest.mark.timeout(300)
@settings(settings.get_profile("loader"))
@given(text_mutations())
def test_text_mutations_never_escape(data: bytes) -> None:
    check(data, "t.yaml")


@pytest.mark.timeout(300)
@settings(settings.get_profile("loader"))
@given(structure_mutations())
def test_structure_mutations_never_escape(data: bytes) -> None:
    check(data, "t.yaml")


@pytest.mark.timeout(300)
@settings(settings.get_profile("loader"), max_examples=400)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_escape(data: bytes) -> None:
    check(data, "t.yaml")
