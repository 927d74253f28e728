"""The breather rule (G-CLOSE-4) without a window: which calls were hard."""

from __future__ import annotations

from dataclasses import replace

from game.records.store import SqlStore
from game.scenario.campaign import Campaign, Level
from game.scenario.model import Rating
from game.training import HARD_ANGER, is_hard
from tests.training.conftest import plan_choices, play


def _level(campaign: Campaign, key: str) -> Level:
    level = campaign.level(key)
    assert level is not None
    return level


def test_a_call_that_ended_badly_is_hard_and_a_good_one_is_not(
    store: SqlStore, campaign: Campaign
) -> None:
    rae = store.add_trainee("Rae").id
    level = _level(campaign, "chatterbox")
    _, good = play(store, campaign, level, plan_choices("chatterbox-good"), rae)
    _, bad = play(store, campaign, level, plan_choices("chatterbox-endless-questions"), rae)
    assert good is not None and bad is not None
    assert good.rating is Rating.GOOD and good.final_anger < HARD_ANGER
    assert not is_hard(good)
    assert bad.rating is Rating.BAD
    assert is_hard(bad)


def test_a_call_that_ended_well_but_angry_is_hard(store: SqlStore, campaign: Campaign) -> None:
    rae = store.add_trainee("Rae").id
    _, good = play(
        store, campaign, _level(campaign, "chatterbox"), plan_choices("chatterbox-good"), rae
    )
    assert good is not None
    assert not is_hard(replace(good, final_anger=HARD_ANGER - 1))
    assert is_hard(replace(good, final_anger=HARD_ANGER))
    assert is_hard(replace(good, final_anger=100))
    assert is_hard(replace(good, rating=Rating.BAD, final_anger=0))
