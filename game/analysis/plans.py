"""Transcript plans: a whole conversation replayed, and what must come of it.

A plan is a small YAML file a trainer writes next to a scenario: the choices (authoring
order, 1-based) and the expectations (`passed: true`, `score_at_least: 80`, the path…).
`hold-the-line plan` runs any number of them against any scenario file and says, per
expectation and with its line and column, whether it held. The test suite runs the
shipped plans through this same code, so a plan means the same thing everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.scenario.diagnostics import titles
from game.scenario.problems import Position, Problem, ProblemSink, ScenarioError
from game.scenario.source import YMap, YNode, YScalar, YSeq, parse_text, read_bytes

if TYPE_CHECKING:
    from game.engine.catalog import Catalog
    from game.scenario.model import PolicyOverride

# Stable codes for plan files, in the style of the loader's SC codes.
PLAN_CODES: dict[str, str] = titles("PL")  # documented in game.scenario.diagnostics

PLAN_KEYS = ("scenario", "description", "seed", "policy", "choices", "expect")


@dataclass(frozen=True, slots=True)
class Expectation:
    """One line under `expect:`: what must be true of the finished call."""

    key: str
    value: Any
    pos: Position


@dataclass(frozen=True, slots=True)
class Plan:
    path: Path
    scenario: str
    scenario_pos: Position
    description: str
    choices: tuple[int, ...]
    choices_pos: Position
    expectations: tuple[Expectation, ...]
    seed: int = 0  # the attempt's seed: wordings, starting state and seeded story flags
    # The company policy the call is played under, over the campaign's and the scenario's
    # (`policy: {parting_ways: needs_supervisor}`); `--policy` on the command line wins.
    policy: PolicyOverride | None = None


@dataclass(frozen=True, slots=True)
class CallFacts:
    """The facts of a finished, scored call that a plan can expect."""

    outcome: str
    rating: str
    passed: bool
    score: int
    final_anger: int
    ending: str | None
    path: tuple[str, ...]
    verdicts: tuple[str, ...] = ()  # good | fair | poor | bad, one per turn


@dataclass(frozen=True, slots=True)
class Check:
    expectation: Expectation
    held: bool
    actual: Any


@dataclass(frozen=True, slots=True)
class PlanResult:
    plan: Plan
    scenario_file: Path
    facts: CallFacts
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return all(check.held for check in self.checks)

    def failures(self) -> tuple[Problem, ...]:
        """Every expectation that did not hold, located in the plan file."""
        return tuple(
            Problem(
                str(self.plan.path),
                check.expectation.pos.line,
                check.expectation.pos.col,
                "PL010",
                f"expected {check.expectation.key}: {show_value(check.expectation.value)}, "
                f"got {show_value(check.actual)}",
            )
            for check in self.checks
            if not check.held
        )


def show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


# What each expectation key checks: (the type its value must have, the test).
_Test = Callable[[CallFacts, Any], tuple[bool, Any]]
_KINDS: dict[type, str] = {
    str: "text",
    bool: "true or false",
    int: "a whole number",
    list: "a list of node ids (for `verdicts`: of good, fair, poor or bad)",
}
EXPECTATIONS: dict[str, tuple[type, _Test]] = {
    "outcome": (str, lambda o, v: (o.outcome == v, o.outcome)),
    "rating": (str, lambda o, v: (o.rating == v, o.rating)),
    "passed": (bool, lambda o, v: (o.passed is v, o.passed)),
    "ending": (str, lambda o, v: (o.ending == v, o.ending)),
    "path": (list, lambda o, v: (list(o.path) == v, list(o.path))),
    # What each turn was judged: how a plan shows a company policy changing a verdict.
    "verdicts": (list, lambda o, v: (list(o.verdicts) == v, list(o.verdicts))),
    "score_at_least": (int, lambda o, v: (o.score >= v, o.score)),
    "score_below": (int, lambda o, v: (o.score < v, o.score)),
    "final_anger_at_most": (int, lambda o, v: (o.final_anger <= v, o.final_anger)),
    "final_anger_at_least": (int, lambda o, v: (o.final_anger >= v, o.final_anger)),
}


def load_plan(path: Path) -> Plan:
    """Read a plan file; raise ScenarioError with every problem, located."""
    sink = ProblemSink(str(path))
    data = read_bytes(path, sink)
    root: YNode | None = None
    if data is not None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            sink.add(Position(1, 1), "SC019", "the plan is not valid UTF-8")
        else:
            root = parse_text(text, sink)
    if root is None:
        sink.raise_if_any()
        raise ScenarioError([Problem(str(path), 1, 1, "PL002", "the plan is empty")])
    if not isinstance(root, YMap):
        sink.add(root.pos, "PL003", "a plan is a mapping (scenario, choices, expect)")
        sink.raise_if_any()
    assert isinstance(root, YMap)
    for key, pos, _ in root.items:
        if key not in PLAN_KEYS:
            sink.unknown(pos, "PL001", "key", key, PLAN_KEYS)
    scenario = _string(root, "scenario", sink, required=True)
    description = _string(root, "description", sink, required=False)
    choices = _choices(root, sink)
    expectations = _expectations(root, sink)
    seed = _seed(root, sink)
    policy = _policy(root, sink)
    sink.raise_if_any()
    return Plan(
        path=path,
        scenario=scenario,
        scenario_pos=_value_pos(root, "scenario"),
        description=description,
        choices=choices,
        choices_pos=_value_pos(root, "choices"),
        expectations=expectations,
        seed=seed,
        policy=policy,
    )


def _policy(root: YMap, sink: ProblemSink) -> PolicyOverride | None:
    """A `policy:` mapping, read as the scenario's own `policy:` block is (PL001, SC022)."""
    from game.scenario.overrides import read_policy_block

    node = root.get("policy")
    if node is None:
        return None
    return read_policy_block(node, sink, unknown_code="PL001")


def _seed(root: YMap, sink: ProblemSink) -> int:
    node = root.get("seed")
    if node is None:
        return 0
    value = node.value if isinstance(node, YScalar) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        sink.add(node.pos, "PL003", "`seed` must be a whole number from 0")
        return 0
    return value


def _value_pos(root: YMap, key: str) -> Position:
    node = root.get(key)
    return node.pos if node is not None else root.pos


def _string(root: YMap, key: str, sink: ProblemSink, *, required: bool) -> str:
    node = root.get(key)
    if node is None:
        if required:
            sink.add(root.pos, "PL002", f"missing `{key}`")
        return ""
    if not isinstance(node, YScalar) or not isinstance(node.value, str) or not node.value:
        sink.add(node.pos, "PL003", f"`{key}` must be text")
        return ""
    return node.value


def _choices(root: YMap, sink: ProblemSink) -> tuple[int, ...]:
    node = root.get("choices")
    if node is None:
        sink.add(root.pos, "PL002", "missing `choices` (reply numbers in authoring order)")
        return ()
    if not isinstance(node, YSeq) or not node.items:
        sink.add(node.pos, "PL003", "`choices` must be a list of reply numbers, e.g. [1, 3, 2]")
        return ()
    numbers: list[int] = []
    for item in node.items:
        value = item.value if isinstance(item, YScalar) else None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            sink.add(item.pos, "PL003", "a choice is a reply number from 1 (authoring order)")
            continue
        numbers.append(value)
    return tuple(numbers)


def _expectations(root: YMap, sink: ProblemSink) -> tuple[Expectation, ...]:
    node = root.get("expect")
    if node is None:
        sink.add(root.pos, "PL002", "missing `expect` (what must come of the call)")
        return ()
    if not isinstance(node, YMap) or not node.items:
        sink.add(node.pos, "PL003", "`expect` must map expectations to values, e.g. passed: true")
        return ()
    found: list[Expectation] = []
    for key, pos, value_node in node.items:
        if key not in EXPECTATIONS:
            sink.unknown(pos, "PL001", "expectation", key, EXPECTATIONS)
            continue
        kind, _ = EXPECTATIONS[key]
        value = _plain(value_node)
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if ok and kind is list:
            ok = all(isinstance(v, str) for v in value)
        if not ok:
            sink.add(value_node.pos, "PL003", f"`{key}` takes {_KINDS[kind]}")
            continue
        found.append(Expectation(key, value, pos))
    return tuple(found)


def _plain(node: YNode) -> Any:
    if isinstance(node, YScalar):
        return node.value
    if isinstance(node, YSeq):
        return [_plain(item) for item in node.items]
    return {key: _plain(value) for key, _, value in node.items}


def resolve_scenario(plan: Plan, search: Iterable[Path] = ()) -> Path:
    """The scenario a plan names: next to the plan, else in each folder of `search`."""
    named = Path(plan.scenario)
    for folder in (plan.path.parent, *search):
        candidate = named if named.is_absolute() else folder / named
        if candidate.is_file():
            return candidate
    raise ScenarioError(
        [
            Problem(
                str(plan.path),
                plan.scenario_pos.line,
                plan.scenario_pos.col,
                "PL004",
                f"scenario '{plan.scenario}' not found next to the plan"
                + (" or in the campaign folder" if search else "")
                + "; give the path relative to the plan file, or use --scenario FILE",
            )
        ]
    )


def run_plan(
    plan: Plan, scenario_file: Path, catalog: Catalog, policy: PolicyOverride | None = None
) -> PlanResult:
    """Play the plan's choices through the engine and check every expectation."""
    from game.engine.scoring import debrief
    from game.engine.session import SessionError, play_choices
    from game.scenario.campaign import play_settings_for
    from game.scenario.loader import load_scenario
    from game.scenario.overrides import with_policy

    scenario = load_scenario(scenario_file)
    if plan.policy is not None:
        scenario = with_policy(scenario, plan.policy)
    if policy is not None:
        scenario = with_policy(scenario, policy)
    base, pass_score = play_settings_for(scenario_file, scenario)
    try:
        state = play_choices(scenario, plan.choices, policy=base, catalog=catalog, seed=plan.seed)
    except SessionError as error:
        raise ScenarioError(
            [
                Problem(
                    str(plan.path),
                    plan.choices_pos.line,
                    plan.choices_pos.col,
                    "PL005",
                    f"{error} (scenario {scenario_file})",
                )
            ]
        ) from None
    report = debrief(scenario, state, pass_score, catalog=catalog)
    facts = CallFacts(
        outcome=report.outcome,
        rating=report.rating.value,
        passed=report.passed,
        score=report.score,
        final_anger=report.final_anger,
        ending=state.outcome.node if state.outcome else None,
        path=tuple(turn.node for turn in state.turns),
        verdicts=tuple(review.verdict for review in report.turns),
    )
    checks = []
    for expectation in plan.expectations:
        _, test = EXPECTATIONS[expectation.key]
        held, actual = test(facts, expectation.value)
        checks.append(Check(expectation, held, actual))
    return PlanResult(plan, scenario_file, facts, tuple(checks))
