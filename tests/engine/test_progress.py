"""Campaign progress: a level unlocks when the one before it is passed; broken levels never block."""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.progress import following, next_level, unlocked
from game.scenario.campaign import load_campaign
from tests.conftest import SCENARIOS


@dataclass(frozen=True)
class Lvl:
    key: str
    playable: bool = True


LEVELS = [Lvl("a"), Lvl("b"), Lvl("broken", playable=False), Lvl("c"), Lvl("d")]


def test_only_the_first_level_is_open_at_the_start() -> None:
    assert unlocked(LEVELS, set()) == {
        "a": True,
        "b": False,
        "broken": False,
        "c": False,
        "d": False,
    }
    assert next_level(LEVELS, set()) == 0


def test_passing_opens_the_next_playable_level_past_a_broken_one() -> None:
    opened = unlocked(LEVELS, {"a", "b"})
    assert opened["c"] and not opened["broken"] and not opened["d"]
    assert next_level(LEVELS, {"a", "b"}) == 3
    assert following(LEVELS, 1) == 3
    assert following(LEVELS, 4) is None


def test_all_passed_points_at_the_last_level() -> None:
    assert next_level(LEVELS, {"a", "b", "c", "d"}) == 4


def test_the_shipped_campaign_opens_level_one_first() -> None:
    campaign = load_campaign(SCENARIOS / "campaign.yaml")
    opened = unlocked(campaign.levels, set())
    assert [key for key, is_open in opened.items() if is_open] == ["late-delivery"]
