"""The loader's fuzz target, shared by the property tests and the coverage-guided run.

Whatever bytes come in, the loader either returns a scenario that plays, holds no control
character and keeps every length limit, or raises `ScenarioError` whose problems are all
located and coded. Any other exception, or a hang, is a bug. `tests/scenario/
test_loader_properties.py` runs this under hypothesis in every `make test`;
`tests/scenario/fuzz_loader.py` runs it under atheris for release checks.
"""

from __future__ import annotations

import re
from dataclasses import fields

from game.engine.session import Phase, start
from game.scenario.loader import parse_scenario
from game.scenario.model import Scenario, Text
from game.scenario.problems import CODES, Problem, ScenarioError
from game.scenario.reader import MAX_LINE
from tests.catalog import CATALOG

LOCATED = re.compile(r"^[^\n]+:\d+:\d+: SC\d{3} [^\n]+$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check(data: bytes, path: str = "fuzz.yaml") -> None:
    """Raise AssertionError (or whatever escaped the loader) if `data` breaks the contract."""
    try:
        scenario = parse_scenario(data, path)
    except ScenarioError as error:
        _check_refused(data, error.problems)
        return
    _check_accepted(scenario)


def _check_refused(data: bytes, problems: tuple[Problem, ...]) -> None:
    assert problems, "a ScenarioError with no problem in it"
    lines = data.count(b"\n") + 2
    for problem in problems:
        assert isinstance(problem, Problem)
        assert LOCATED.match(str(problem)), repr(str(problem))
        assert problem.code in CODES, problem.code
        assert 1 <= problem.line <= lines and problem.col >= 1, str(problem)
        assert not CONTROL.search(str(problem)), repr(str(problem))


def _check_accepted(scenario: Scenario) -> None:
    state = start(scenario, catalog=CATALOG)  # a scenario the loader accepts must be playable
    assert state.phase is Phase.SPEAKING
    for text in _texts(scenario):
        for value in (text.en, *(other for _, other in text.translations)):
            assert not CONTROL.search(value), repr(value)
            assert 0 < len(value) <= MAX_LINE, len(value)


def _texts(value: object) -> list[Text]:
    """Every Text inside a scenario's frozen dataclasses and tuples."""
    if isinstance(value, Text):
        return [value]
    if isinstance(value, tuple):
        return [text for item in value for text in _texts(item)]
    if hasattr(value, "__dataclass_fields__"):
        return [text for f in fields(value) for text in _texts(getattr(value, f.name))]  # type: ignore[arg-type]
    return []
