"""The campaign teaches every guide: coverage is computed from the files, not claimed."""

from __future__ import annotations

import functools

from game.analysis.curriculum import Coverage, coverage, curriculum_markdown
from game.engine.catalog import load_catalog
from game.scenario.campaign import load_campaign
from game.scenario.model import AbusivePolicy, Channel, Persona, SupervisorPolicy
from tests.conftest import ROOT, SCENARIOS

CAMPAIGN = load_campaign(SCENARIOS / "campaign.yaml")


@functools.cache
def _coverage() -> Coverage:
    """Every path of all 18 levels, explored once for the whole file (seconds, not minutes)."""
    return coverage(CAMPAIGN, load_catalog())


def test_every_level_loads() -> None:
    broken = {
        str(level.file.name): [str(p) for p in level.problems]
        for level in CAMPAIGN.levels
        if not level.playable
    }
    assert not broken, broken
    assert len(CAMPAIGN.levels) >= 12


def test_every_principle_is_exercised_by_some_choice() -> None:
    cov = _coverage()
    assert cov.uncovered == ()
    catalog = load_catalog()
    assert set(cov.by_game) == {p.id for p in catalog.principles.values() if p.taught_by_game}


def test_every_principle_is_the_main_lesson_of_a_good_and_a_bad_reply() -> None:
    """Practice at doing it and at spotting it done wrong: a citation in passing is not enough."""
    cov = _coverage()
    assert cov.one_sided == (), cov.one_sided


def test_a_citation_in_passing_is_not_counted_as_taught() -> None:
    """G-EMPATHY-2 rides along on every `empathize` case; it counts only where it is the lesson."""
    cov = _coverage()
    empathy_levels = {
        level.scenario_id for level in cov.lessons if "G-EMPATHY-2" in level.in_passing
    }
    assert empathy_levels
    assert not empathy_levels & set(cov.levels_for("G-EMPATHY-2"))
    for level in cov.lessons:
        assert not level.in_passing & level.taught


def test_main_lesson_is_the_feedback_first_citation_or_the_leading_technique() -> None:
    cov = _coverage()
    rude_waiter = next(level for level in cov.lessons if level.scenario_id == "rude-waiter")
    lessons = {(lesson.node, lesson.choice): lesson for lesson in rude_waiter.lessons}
    # feedback names G-EMPATHY-7 first: giving your name is the lesson of this good reply
    assert lessons[("opening", 2)].principle == "G-EMPATHY-7" and lessons[("opening", 2)].good
    # no feedback: a bad reply's lesson is the guide its leading harmful technique broke
    minimised = lessons[("tells_story", 3)]
    assert minimised.principle == "G-EMPATHY-4" and not minimised.good


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
    assert text == curriculum_markdown(CAMPAIGN, load_catalog(), _coverage()), (
        "regenerate: hold-the-line curriculum --out docs/curriculum.md"
    )
