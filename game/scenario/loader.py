"""Load a scenario file into a validated `Scenario`, or raise `ScenarioError` with every problem.

The building and checking is `builder.py`; this module reads files and bytes, and parses each
file's content once. The format's key lists callers use are re-exported here."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path

from game.scenario.builder import CHOICE_KEYS_OPTIONAL as CHOICE_KEYS_OPTIONAL
from game.scenario.builder import CHOICE_KEYS_REQUIRED as CHOICE_KEYS_REQUIRED
from game.scenario.builder import CONDITION_KEYS as CONDITION_KEYS
from game.scenario.builder import LINE_FACTS as LINE_FACTS
from game.scenario.builder import MAX_SEEDED_FLAGS as MAX_SEEDED_FLAGS
from game.scenario.builder import MAX_WORDINGS as MAX_WORDINGS
from game.scenario.builder import NODE_KEYS as NODE_KEYS
from game.scenario.builder import SCENARIO_KEYS_REQUIRED as SCENARIO_KEYS_REQUIRED
from game.scenario.builder import ScenarioBuilder
from game.scenario.model import (
    Scenario,
)
from game.scenario.problems import Position, ProblemSink, ScenarioError
from game.scenario.source import decode, loading, parse_text, read_bytes

# What each file's bytes gave, by path and content: a command that meets a file twice (a
# campaign and its levels, a level and the campaign beside it) parses it once. Keyed by the
# content's hash, so an edited file is always parsed again. Results are immutable.
_PARSED: OrderedDict[tuple[str, str], Scenario | ScenarioError] = OrderedDict()
_PARSED_LIMIT = 64


def parse_scenario(data: bytes, path: str = "<scenario>") -> Scenario:
    """Build a validated scenario from a file's bytes."""
    digest = hashlib.sha256(data).hexdigest()
    key = (path, digest)
    result = _PARSED.get(key)
    if result is None:
        result = _parse(data, path, digest)
        _PARSED[key] = result
        if len(_PARSED) > _PARSED_LIMIT:
            _PARSED.popitem(last=False)
    else:
        _PARSED.move_to_end(key)
    if isinstance(result, ScenarioError):
        raise ScenarioError(result.problems)
    return result


def _parse(data: bytes, path: str, digest: str) -> Scenario | ScenarioError:
    sink = ProblemSink(path)
    with loading():
        scenario = _build(decode(data, sink), path, digest, sink)
    if sink.items:
        return ScenarioError(sink.items)
    assert scenario is not None  # every failure path reports a problem
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    sink = ProblemSink(str(path))
    data = read_bytes(Path(path), sink)
    if data is None:
        raise ScenarioError(sink.items)
    return parse_scenario(data, str(path))


def _build(text: str | None, path: str, digest: str, sink: ProblemSink) -> Scenario | None:
    if text is None:
        return None
    root = parse_text(text, sink)
    if root is None:
        return None
    scenario = ScenarioBuilder(path, sink).build(root, digest)
    if scenario is None and not sink.items:  # pragma: no cover - defensive
        sink.add(Position(1, 1), "SC007", "the scenario is incomplete")
    return scenario
