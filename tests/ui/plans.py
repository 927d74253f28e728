"""The transcript plans the game tests play through the window."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from game.paths import default_campaign
from game.scenario.campaign import Campaign, Level, load_campaign
from tests.conftest import PLANS


@cache
def campaign() -> Campaign:
    return load_campaign(default_campaign())


def good_plan_path(level: Level) -> Path:
    return PLANS / f"{level.key}-good.yaml"


def good_choices(level: Level) -> list[int]:
    path = good_plan_path(level)
    if not path.exists():
        pytest.fail(f"level {level.number} ({level.key}) has no good plan {path.name} yet")
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert plan["expect"].get("passed") is True, f"{good_plan_path(level).name} must pass"
    return [int(c) for c in plan["choices"]]


def playable() -> list[Level]:
    return [level for level in campaign().levels if level.playable]
