"""Playing attempts through the Recorder for tests (and the crash/concurrency workers)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from game.engine.session import Phase, SessionState, TimerMode, choose, proceed, start
from game.records.api import AttemptStatus, Store
from game.records.recorder import Recorder
from game.scenario.campaign import Campaign, load_campaign
from game.scenario.loader import load_scenario
from game.scenario.model import Policy, Scenario
from tests.catalog import CATALOG

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
PLANS = ROOT / "tests" / "plans"


@dataclass(frozen=True)
class Plan:
    name: str
    scenario_file: str
    choices: tuple[int, ...]
    expect: dict[str, Any]
    policy: dict[str, str] | None = None  # the plan's own company policy, if it sets one


@cache
def plans() -> tuple[Plan, ...]:
    found = []
    for path in sorted(PLANS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.append(
            Plan(
                path.stem,
                data["scenario"],
                tuple(data["choices"]),
                dict(data["expect"]),
                data.get("policy"),
            )
        )
    return tuple(found)


@cache
def campaign() -> Campaign:
    return load_campaign(SCENARIOS / "campaign.yaml")


@cache
def scenario(name: str = "late-delivery.yaml") -> Scenario:
    return load_scenario(SCENARIOS / name)


def good_choices() -> tuple[int, ...]:
    return next(p.choices for p in plans() if p.name == "late-delivery-good")


def bad_choices() -> tuple[int, ...]:
    return next(p.choices for p in plans() if p.name == "late-delivery-interrupt-excuse")


class StepClock:
    """A clock that advances by a fixed step each time it is read: known response times."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def play(
    store: Store,
    trainee_id: int,
    choices: Sequence[int],
    *,
    scenario_obj: Scenario | None = None,
    level: int | None = 1,
    pass_score: int = 70,
    seed: int = 0,
    policy: Policy | None = None,
    timer: TimerMode = TimerMode.OFF,
    silences: Iterable[float] | None = None,
    clock: Callable[[], float] | None = None,
    stop_after: int | None = None,
    on_turn: Callable[[Recorder], None] | None = None,
) -> Recorder:
    """Play `choices` (authoring numbers) through a Recorder; stop early to leave it open."""
    chosen = scenario_obj or scenario()
    kwargs: dict[str, Any] = {} if clock is None else {"clock": clock}
    recorder = Recorder.begin(
        store, trainee_id, chosen, level, pass_score, policy, seed, timer, "en", CATALOG, **kwargs
    )
    waits = iter(silences) if silences is not None else None
    for index, number in enumerate(choices):
        if stop_after is not None and index >= stop_after:
            return recorder
        while recorder.phase is Phase.SPEAKING:
            recorder.proceed()
        if recorder.phase is Phase.ENDED or recorder.finished:
            break
        if waits is not None:
            recorder.tick(next(waits, 0.0))
            if recorder.state.outcome is not None:  # the customer gave up on the silence
                break
        recorder.choose(number)
        if on_turn is not None:
            on_turn(recorder)
    while recorder.phase is Phase.SPEAKING:
        recorder.proceed()
    return recorder


def find_path(
    chosen: Scenario, wanted: Callable[[SessionState], bool], *, max_turns: int = 14
) -> tuple[int, ...] | None:
    """Choices (authoring numbers) that end the conversation in a state `wanted` accepts."""
    stack: list[tuple[SessionState, tuple[int, ...]]] = [(start(chosen, catalog=CATALOG), ())]
    while stack:
        state, path = stack.pop()
        while state.phase is Phase.SPEAKING and state.outcome is None:
            state = proceed(chosen, state)
        if state.outcome is not None:
            if wanted(state):
                return path
            continue
        if len(path) >= max_turns:
            continue
        node = chosen.node(state.node)
        for choice in reversed(node.choices):
            after, _ = choose(chosen, state, choice.number, catalog=CATALOG)
            stack.append((after, (*path, choice.number)))
    return None


def expected_bests(store: Store, trainee_id: int) -> dict[str, tuple[object, ...]]:
    """Level bests recomputed independently from the attempts list."""
    out: dict[str, tuple[object, ...]] = {}
    mine = store.attempts(trainee_id=trainee_id)
    for sid in {a.scenario_id for a in mine}:
        ended = [
            a for a in mine if a.scenario_id == sid and a.status is not AttemptStatus.IN_PROGRESS
        ]
        done = [a for a in ended if a.status is AttemptStatus.COMPLETED]
        best = max(done, key=lambda a: (a.score or 0, -a.id), default=None)
        out[sid] = (
            None if best is None else best.score,
            None if best is None else best.grade,
            any(a.passed for a in done),
            len(ended),
            sum(1 for a in done if not a.passed),
        )
    return out
