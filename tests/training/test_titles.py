"""The campaign's names for levels on every read side."""

from __future__ import annotations

from game.scenario.campaign import Campaign
from game.training import Titles


def test_titles_name_levels_as_the_campaign_does(campaign: Campaign) -> None:
    titles = Titles(campaign)
    third = campaign.levels[2]
    assert titles.title(third.key) == third.title
    assert titles.numbered(third.key) == f"3. {third.title}"
    assert titles.level_name(third.key) == f"Level 3 · {third.title}"


def test_a_level_the_campaign_no_longer_has_keeps_its_key(campaign: Campaign) -> None:
    for titles in (Titles(campaign), Titles(None)):
        assert titles.title("gone") == titles.numbered("gone") == "gone"
        assert titles.level_name("gone") == "gone"


def test_order_is_the_campaigns_then_unknown_keys_alphabetically(campaign: Campaign) -> None:
    first, second = campaign.levels[0].key, campaign.levels[1].key
    assert Titles(campaign).order(["zeta", second, "alpha", first]) == (
        first, second, "alpha", "zeta",
    )  # fmt: skip
    assert Titles(None).order(["b", "a"]) == ("a", "b")
