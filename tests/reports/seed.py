"""Realistic records for report and export tests, written through the real store.

Attempts are played through the engine with the transcript plans' choices and recorded with
the store's own calls, at chosen times, so dates, durations and response times are known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import yaml

from game.engine.scoring import debrief
from game.engine.session import Phase, TimerMode, play_choices, proceed, replay
from game.records.api import AttemptStart, Store
from game.records.recorder import finish_from_debrief
from game.scenario.campaign import Campaign, Level, load_campaign
from tests.catalog import CATALOG
from tests.conftest import PLANS, SCENARIOS

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Plan:
    name: str
    level: Level
    choices: tuple[int, ...]
    passes: bool | None


@cache
def campaign() -> Campaign:
    return load_campaign(SCENARIOS / "campaign.yaml")


@cache
def plans() -> dict[str, Plan]:
    found = {}
    for path in sorted(PLANS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        level = next(
            (lv for lv in campaign().levels if lv.file.name == Path(data["scenario"]).name), None
        )
        if level is None or level.scenario is None:
            continue
        found[path.stem] = Plan(
            path.stem, level, tuple(data["choices"]), data["expect"].get("passed")
        )
    return found


def plan_for(scenario_id: str, *, passes: bool) -> Plan:
    return next(p for p in plans().values() if p.level.key == scenario_id and p.passes is passes)


def record(
    store: Store,
    trainee_id: int,
    plan: Plan,
    *,
    started_at: datetime,
    seconds: float = 6.0,
    notes: Sequence[str] = (),
    abandon_after: int | None = None,
    lang: str = "en",
    seed: int = 3,
) -> int:
    """One attempt, turn by turn, as the game records it; returns the attempt id."""
    scenario = plan.level.scenario
    assert scenario is not None
    policy = campaign().policy_for(scenario)
    state = play_choices(scenario, plan.choices, policy=policy, seed=seed, catalog=CATALOG)
    attempt_id = store.start_attempt(
        AttemptStart(
            trainee_id=trainee_id,
            scenario_id=scenario.id,
            content_hash=scenario.content_hash,
            level=plan.level.number,
            pass_score=plan.level.pass_score,
            seed=seed,
            policy=state.policy,
            timer=TimerMode.OFF.value,
            lang=lang,
            started_at=started_at,
        )
    )
    turns = state.turns if abandon_after is None else state.turns[:abandon_after]
    for index, turn in enumerate(turns):
        store.record_turn(attempt_id, turn, state.events[index], seconds + index % 3)
    elapsed = sum(seconds + i % 3 for i in range(len(turns))) + 8 * len(turns) + 5
    ended_at = started_at + timedelta(seconds=elapsed)
    if abandon_after is not None:
        partial = replay(scenario, state.events[:abandon_after], policy=policy, seed=seed,
                         timer=TimerMode.OFF, catalog=CATALOG)  # fmt: skip
        assert partial.phase is not Phase.ENDED
        store.abandon_attempt(attempt_id, ended_at)
    else:
        while state.phase is Phase.SPEAKING:
            state = proceed(scenario, state)
        result = debrief(scenario, state, plan.level.pass_score, catalog=CATALOG)
        finish_from_debrief(store, attempt_id, result, ended_at=ended_at)
    for text in notes:
        store.add_note(attempt_id, "Supervisor Kim", text)
    return attempt_id


def start_only(store: Store, trainee_id: int, plan: Plan, *, started_at: datetime) -> int:
    """An attempt still in progress: one turn played, no end yet."""
    scenario = plan.level.scenario
    assert scenario is not None
    state = play_choices(
        scenario, plan.choices, policy=campaign().policy_for(scenario), catalog=CATALOG
    )
    attempt_id = store.start_attempt(
        AttemptStart(
            trainee_id, scenario.id, scenario.content_hash, plan.level.number,
            plan.level.pass_score, 0, state.policy, "off", "en", started_at,
        )
    )  # fmt: skip
    store.record_turn(attempt_id, state.turns[0], state.events[0], 4.0)
    return attempt_id


@dataclass(frozen=True)
class Demo:
    """What `fill_demo` wrote, for tests to check against."""

    trainees: dict[str, int]
    attempts: tuple[int, ...]
    stuck: str  # the trainee with three failed attempts at one level
    abandoned: int
    in_progress: int


def fill_demo(store: Store, names: Sequence[str] | None = None) -> Demo:
    """A small training room: five trainees, several levels, a stuck one, notes."""
    names = list(
        names or ("Ana Reyes", "Mikko Virtanen", "Nguyễn Thị Lan", "Şükrü Yılmaz", "Dan Okafor")
    )
    ids = {name: store.add_trainee(name).id for name in names}
    when = T0
    made: list[int] = []

    def play(name: str, scenario_id: str, passes: bool, **kw: object) -> int:
        nonlocal when
        attempt = record(store, ids[name], plan_for(scenario_id, passes=passes),
                         started_at=when, **kw)  # type: ignore[arg-type]  # fmt: skip
        when += timedelta(hours=3, minutes=17)
        made.append(attempt)
        return attempt

    first, second, third, fourth, fifth = names
    play(first, "late-delivery", False)
    play(
        first, "late-delivery", True, notes=["Lovely recap on turn 4. Try using his name earlier."]
    )
    play(first, "cant-decide", True)
    play(first, "discount-bully", True)
    for _ in range(3):
        play(second, "late-delivery", False)
    play(
        second,
        "late-delivery",
        False,
        notes=["Let's practise together: listen twice before you explain anything."],
    )
    play(third, "late-delivery", True)
    play(third, "cant-decide", False)
    play(third, "cant-decide", True, seconds=9.0)
    play(fourth, "late-delivery", True)
    abandoned = play(fourth, "cant-decide", True, abandon_after=2)
    play(fifth, "late-delivery", False)
    in_progress = start_only(store, ids[fifth], plan_for("late-delivery", passes=True),
                             started_at=when)  # fmt: skip
    return Demo(ids, tuple(made), second, abandoned, in_progress)
