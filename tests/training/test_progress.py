"""Unlocks without a window: the level list and the debrief's "next level" agree."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from game.records.api import LevelBest
from game.records.store import SqlStore
from game.scenario.campaign import Campaign
from game.training import next_unlocked, progress
from tests.training.conftest import plan_choices, play


@dataclass(frozen=True)
class FakeLevel:
    key: str
    playable: bool = True


def best(key: str, passed: bool) -> LevelBest:
    return LevelBest(key, 80 if passed else 20, None, passed, 1, 0 if passed else 1, None)


LEVELS = (FakeLevel("a"), FakeLevel("b"), FakeLevel("broken", playable=False), FakeLevel("c"))


def test_a_new_trainee_has_only_the_first_level_open() -> None:
    state = progress(LEVELS, {})
    assert dict(state.open) == {"a": True, "b": False, "broken": False, "c": False}
    assert state.selected == 0
    assert next_unlocked(LEVELS, 0, {}) is None


def test_passing_a_level_opens_the_next_playable_one_skipping_a_broken_file() -> None:
    assert next_unlocked(LEVELS, 0, {"a": best("a", True)}) == 1
    assert next_unlocked(LEVELS, 0, {"a": best("a", False)}) is None
    bests = {"a": best("a", True), "b": best("b", True)}
    assert next_unlocked(LEVELS, 1, bests) == 3  # "broken" never blocks and is never offered
    assert progress(LEVELS, bests).selected == 3
    assert next_unlocked(LEVELS, 3, {**bests, "c": best("c", True)}) is None  # the last one


@given(st.lists(st.booleans(), min_size=4, max_size=4), st.integers(0, 3))
def test_the_next_level_offered_is_always_open_in_the_level_list(
    passed: list[bool], index: int
) -> None:
    bests = {lvl.key: best(lvl.key, won) for lvl, won in zip(LEVELS, passed, strict=True)}
    later = next_unlocked(LEVELS, index, bests)
    opened = progress(LEVELS, bests).open
    if later is not None:
        assert later > index and opened[LEVELS[later].key]
    assert opened[LEVELS[progress(LEVELS, bests).selected].key] or not any(opened.values())


def test_progress_from_the_records_of_real_calls(store: SqlStore, campaign: Campaign) -> None:
    rae = store.add_trainee("Rae").id
    first = campaign.levels[0]
    assert next_unlocked(campaign.levels, 0, store.level_bests(rae)) is None
    play(store, campaign, first, plan_choices(f"{first.key}-good"), rae)
    bests = store.level_bests(rae)
    assert bests[first.key].passed
    assert next_unlocked(campaign.levels, 0, bests) == 1
    assert progress(campaign.levels, bests).selected == 1
