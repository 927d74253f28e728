"""One review of any recorded attempt, as the history and the desk show it."""

from __future__ import annotations

from dataclasses import replace

from game.engine.catalog import load_catalog
from game.records.replayed import SCENARIO_CHANGED_NOTE
from game.records.store import SqlStore
from game.scenario.campaign import Campaign
from game.training import review_attempt
from tests.training.conftest import plan_choices, play


def test_the_review_is_the_debrief_the_trainee_saw(store: SqlStore, campaign: Campaign) -> None:
    level = campaign.levels[1]
    rae = store.add_trainee("Rae").id
    attempt, played = play(store, campaign, level, plan_choices(f"{level.key}-good"), rae)
    review = review_attempt(store, campaign, load_catalog(), attempt)
    assert review is not None and review.level == level
    assert review.report == played and review.note is None
    said = [text for speaker, text in review.lines if speaker == "agent"]
    assert said == [turn.say.en for turn in review.detail.turns]
    assert review.lines[0][0] == "customer"


def test_nothing_to_review_for_an_unknown_or_unfinished_attempt(
    store: SqlStore, campaign: Campaign
) -> None:
    level = campaign.levels[0]
    rae = store.add_trainee("Rae").id
    attempt, _ = play(store, campaign, level, [], rae, finish=False)
    catalog = load_catalog()
    assert review_attempt(store, campaign, catalog, attempt) is None
    assert review_attempt(store, campaign, catalog, attempt + 100) is None


def test_an_attempt_whose_level_left_the_campaign_is_still_found(
    store: SqlStore, campaign: Campaign
) -> None:
    level = campaign.levels[0]
    rae = store.add_trainee("Rae").id
    attempt, _ = play(store, campaign, level, plan_choices(f"{level.key}-good"), rae)
    without = replace(campaign, levels=campaign.levels[1:])
    review = review_attempt(store, without, load_catalog(), attempt)
    assert review is not None
    assert review.level is None and review.report is None and review.lines == ()
    assert review.detail.attempt.scenario_id == level.key


def test_a_changed_level_is_reviewed_with_the_score_it_got_then(
    store: SqlStore, campaign: Campaign
) -> None:
    level = campaign.levels[0]
    assert level.scenario is not None
    rae = store.add_trainee("Rae").id
    attempt, played = play(store, campaign, level, plan_choices(f"{level.key}-good"), rae)
    assert played is not None
    edited = replace(level, scenario=replace(level.scenario, content_hash="edited"))
    changed = replace(campaign, levels=(edited, *campaign.levels[1:]))
    review = review_attempt(store, changed, load_catalog(), attempt)
    assert review is not None and review.report is not None
    assert review.note == SCENARIO_CHANGED_NOTE
    assert review.report.score == played.score
