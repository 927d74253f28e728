"""Playing attempts through the Recorder for tests (and the crash/concurrency workers)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from game.engine.session import Phase, TimerMode
from game.records.api import Store
from game.records.recorder import Recorder
from game.scenario.campaign import Campaign, load_campaign
from game.scenario.loader import load_scenario
from game.scenario.model import Scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
PLANS = ROOT / "tests" / "plans"


@dataclass(frozen=True)
class Plan:
    name: str
    scenario_file: str
    choices: tuple[int, ...]
    expect: dict[str, Any]


@cache
def plans() -> tuple[Plan, ...]:
    found = []
    for path in sorted(PLANS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.append(
            Plan(path.stem, data["scenario"], tuple(data["choices"]), dict(data["expect"]))
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
        store, trainee_id, chosen, level, pass_score, None, seed, timer, "en", **kwargs
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
