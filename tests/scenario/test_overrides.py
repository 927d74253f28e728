"""`--policy KEY=VALUE`: parsed with clear messages, and winning over every file's policy."""

from __future__ import annotations

import pytest

from game.scenario.campaign import load_campaign
from game.scenario.model import AbusivePolicy, PolicyOverride, SupervisorPolicy
from game.scenario.overrides import (
    PolicyOptionError,
    parse_policy,
    with_campaign_policy,
    with_policy,
)
from tests.conftest import SCENARIOS


def test_items_become_an_override() -> None:
    assert parse_policy([]) is None
    assert parse_policy(["abusive_caller=transfer_to_escalations"]) == PolicyOverride(
        abusive_caller=AbusivePolicy.TRANSFER
    )
    both = parse_policy([" supervisor_request = help_first ", "abusive_caller=warn_then_end"])
    assert both == PolicyOverride(AbusivePolicy.WARN_THEN_END, SupervisorPolicy.HELP_FIRST)


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ("abusive_caller", "write KEY=VALUE"),
        ("=honor", "write KEY=VALUE"),
        ("supervisor_requst=honor", "did you mean 'supervisor_request'?"),
        ("supervisor_request=honr", "did you mean 'honor'?"),
        ("colour=blue", "policies: abusive_caller, supervisor_request"),
    ],
)
def test_a_bad_item_says_what_is_wrong(item: str, words: str) -> None:
    with pytest.raises(PolicyOptionError, match=item.split("=")[0] or "=") as caught:
        parse_policy([item])
    assert words in str(caught.value)
    with pytest.raises(PolicyOptionError, match="twice"):
        parse_policy(["supervisor_request=honor", "supervisor_request=help_first"])


def test_the_override_wins_over_the_scenario_and_the_campaign() -> None:
    campaign = load_campaign(SCENARIOS / "campaign.yaml")
    level = campaign.level("supervisor-demand")
    assert level is not None and level.scenario is not None
    own = level.scenario
    assert campaign.policy_for(own).supervisor_request is SupervisorPolicy.HELP_FIRST
    override = PolicyOverride(supervisor_request=SupervisorPolicy.HONOR)
    assert campaign.policy_for(with_policy(own, override)).supervisor_request is (
        SupervisorPolicy.HONOR
    )
    moved = with_campaign_policy(campaign, override)
    for changed in moved.levels:
        assert changed.scenario is not None
        assert moved.policy_for(changed.scenario).supervisor_request is SupervisorPolicy.HONOR
