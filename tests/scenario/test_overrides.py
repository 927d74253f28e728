"""`--policy KEY=VALUE`: parsed with clear messages, and winning over every file's policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.analysis.plans import load_plan, run_plan
from game.scenario.campaign import load_campaign
from game.scenario.loader import load_scenario
from game.scenario.model import (
    AbusivePolicy,
    AtFaultApology,
    PartingPolicy,
    PolicyOverride,
    SupervisorPolicy,
)
from game.scenario.overrides import (
    PolicyOptionError,
    parse_policy,
    with_campaign_policy,
    with_policy,
)
from game.scenario.problems import ScenarioError
from tests.catalog import CATALOG
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


def test_the_newer_policies_are_read_wherever_policies_are_written(tmp_path: Path) -> None:
    """Campaign file, a scenario's own block, `--policy` and a plan: one table of keys."""
    assert parse_policy(
        ["parting_ways=needs_supervisor", "apology_when_customer_at_fault=no_apology_needed"]
    ) == PolicyOverride(
        parting_ways=PartingPolicy.NEEDS_SUPERVISOR,
        apology_when_customer_at_fault=AtFaultApology.NO_APOLOGY_NEEDED,
    )
    with pytest.raises(PolicyOptionError, match="did you mean 'needs_supervisor'"):
        parse_policy(["parting_ways=needs_supervsor"])
    campaign = load_campaign(SCENARIOS / "campaign.yaml")  # the campaign states its choice
    assert campaign.policy.parting_ways is PartingPolicy.APPROVED
    assert campaign.policy.apology_when_customer_at_fault is (
        AtFaultApology.APOLOGISE_FOR_MISUNDERSTANDING
    )
    shipped = (SCENARIOS / "the-chronic-complainer.yaml").read_text(encoding="utf-8")
    own = tmp_path / "the-chronic-complainer.yaml"
    own.write_text(
        shipped.replace("\nstart:", "\npolicy: {parting_ways: needs_supervisor}\nstart:", 1),
        encoding="utf-8",
    )
    scenario = load_scenario(own)
    assert campaign.policy_for(scenario).parting_ways is PartingPolicy.NEEDS_SUPERVISOR
    assert campaign.policy_for(scenario).abusive_caller is AbusivePolicy.WARN_THEN_END


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            "policy: {parting_ways: needs_supervsor}",
            "SC022 unknown `parting_ways` policy 'needs_supervsor' (did you mean "
            "'needs_supervisor'?)",
        ),
        (
            "policy: {apology_when_customer_at_fualt: no_apology_needed}",
            "SC006 unknown key 'apology_when_customer_at_fualt' in `policy` (did you mean "
            "'apology_when_customer_at_fault'?)",
        ),
    ],
)
def test_a_wrong_policy_in_a_file_is_located_with_a_suggestion(
    tmp_path: Path, block: str, expected: str
) -> None:
    shipped = (SCENARIOS / "the-chronic-complainer.yaml").read_text(encoding="utf-8")
    own = tmp_path / "level.yaml"
    own.write_text(shipped.replace("\nstart:", f"\n{block}\nstart:", 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(own)
    (problem,) = caught.value.problems
    line = shipped[: shipped.index("\nstart:")].count("\n") + 2
    assert str(problem).startswith(f"{own}:{line}:") and expected in str(problem)
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(
        f"format: 1\ntitle: T\n{block}\nlevels:\n  - scenario: the-chronic-complainer.yaml\n",
        encoding="utf-8",
    )
    (tmp_path / "the-chronic-complainer.yaml").write_text(shipped, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_campaign(campaign)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{campaign}:3:") and expected in str(problem)


def test_a_plan_plays_under_its_own_policy_and_the_command_line_wins(tmp_path: Path) -> None:
    text = (
        "scenario: {scenario}\npolicy:\n  parting_ways: {value}\nchoices: [1, 1, 1, 4]\n"
        "expect:\n  verdicts: [good, good, good, good]\n"
    )
    scenario = SCENARIOS / "the-chronic-complainer.yaml"
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(text.format(scenario=scenario, value="needs_supervisor"), "utf-8")
    plan = load_plan(plan_file)
    assert plan.policy == PolicyOverride(parting_ways=PartingPolicy.NEEDS_SUPERVISOR)
    assert run_plan(plan, scenario, CATALOG).passed  # bringing Mira the case is right
    approved = PolicyOverride(parting_ways=PartingPolicy.APPROVED)
    held = run_plan(plan, scenario, CATALOG, policy=approved)
    assert not held.passed and held.facts.verdicts[-1] == "bad"  # passing the buck
    plan_file.write_text(text.format(scenario=scenario, value="aproved"), "utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_plan(plan_file)
    assert [str(p) for p in caught.value.problems] == [
        f"{plan_file}:3:17: SC022 unknown `parting_ways` policy 'aproved' (did you mean "
        "'approved'?)"
    ]
