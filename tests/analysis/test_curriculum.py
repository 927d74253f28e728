"""The campaign teaches every guide: coverage is computed from the files, not claimed."""

from __future__ import annotations

from game.analysis.curriculum import coverage, curriculum_markdown
from game.engine.catalog import load_catalog
from game.scenario.campaign import load_campaign
from game.scenario.model import AbusivePolicy, Channel, Persona, SupervisorPolicy
from tests.conftest import ROOT, SCENARIOS

CAMPAIGN = load_campaign(SCENARIOS / "campaign.yaml")


def test_every_level_loads() -> None:
    broken = {
        str(level.file.name): [str(p) for p in level.problems]
        for level in CAMPAIGN.levels
        if not level.playable
    }
    assert not broken, broken
    assert len(CAMPAIGN.levels) >= 12


def test_every_principle_is_exercised_by_some_choice() -> None:
    cov = coverage(CAMPAIGN, load_catalog())
    assert cov.uncovered == ()
    catalog = load_catalog()
    assert set(cov.by_game) == {p.id for p in catalog.principles.values() if p.taught_by_game}


def test_every_customer_type_and_channel_appears() -> None:
    scenarios = [level.scenario for level in CAMPAIGN.levels if level.scenario]
    assert {s.customer.persona for s in scenarios} == set(Persona)
    assert {s.channel for s in scenarios} == set(Channel)


def test_both_values_of_each_policy_are_played() -> None:
    policies = [CAMPAIGN.policy_for(level.scenario) for level in CAMPAIGN.levels if level.scenario]
    assert {p.abusive_caller for p in policies} == set(AbusivePolicy)
    assert {p.supervisor_request for p in policies} == set(SupervisorPolicy)


def test_difficulty_rises_through_the_campaign() -> None:
    difficulties = [level.scenario.difficulty for level in CAMPAIGN.levels if level.scenario]
    assert difficulties == sorted(difficulties)
    assert difficulties[0] == 1 and difficulties[-1] == 5


def test_checked_in_curriculum_is_current() -> None:
    text = (ROOT / "docs" / "curriculum.md").read_text(encoding="utf-8")
    assert text == curriculum_markdown(CAMPAIGN, load_catalog()), (
        "regenerate: hold-the-line curriculum --out docs/curriculum.md"
    )
