"""A typo in a key stays one problem in its own node: it never cascades into errors about
other nodes (links to it reported as unknown, its successors as unreachable)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.scenario.loader import (
    CHOICE_KEYS_OPTIONAL,
    CHOICE_KEYS_REQUIRED,
    CONDITION_KEYS,
    NODE_KEYS,
    parse_scenario,
)
from game.scenario.problems import ScenarioError
from tests.conftest import SCENARIOS

TEXT = (SCENARIOS / "late-delivery.yaml").read_text(encoding="utf-8")
LINES = TEXT.splitlines(keepends=True)
NODE = re.compile(r"^  ([a-z][a-z0-9_]*):\s*$")
KEY = re.compile(r"^(\s+(?:- )?)([a-z_]+)(:.*)$", re.S)


def _node_spans() -> list[tuple[int, int]]:
    """(first, last) 0-based line of each node's block."""
    starts = [i for i, line in enumerate(LINES) if NODE.match(line)]
    return [(s, e - 1) for s, e in zip(starts, [*starts[1:], len(LINES)], strict=True)]


SPANS = _node_spans()
FORMAT_KEYS = {
    *NODE_KEYS,
    *CHOICE_KEYS_REQUIRED,
    *CHOICE_KEYS_OPTIONAL,
    *CONDITION_KEYS,
    "goto",
    "when",
}
# every key line inside a node (its own keys and its choices' keys), with its node's span
KEY_LINES = [
    (i, span) for span in SPANS for i in range(span[0] + 1, span[1] + 1) if KEY.match(LINES[i])
]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(KEY_LINES),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12),
)
def test_a_misspelt_key_is_reported_only_inside_its_node(
    where: tuple[int, tuple[int, int]], typo: str
) -> None:
    index, (first, last) = where
    match = KEY.match(LINES[index])
    assert match is not None
    if typo in FORMAT_KEYS:
        return  # another real key: not a typo
    lines = list(LINES)
    lines[index] = match.group(1) + typo + match.group(3)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario("".join(lines).encode(), "t.yaml")
    problems = caught.value.problems
    assert any(p.code == "SC006" and p.line == index + 1 for p in problems)
    outside = [str(p) for p in problems if not first + 1 <= p.line <= last + 1]
    assert outside == [], f"line {index + 1} `{typo}:` cascaded: {outside}"
