"""The catalog is data; these tests keep it honest and traceable to the guides."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.catalog import load_catalog
from game.engine.mood import RULES, Context, _Facts, initial_mood

DESIGN_TECHNIQUES = [
    "listen",
    "recap",
    "empathize",
    "apologize",
    "ask",
    "solve",
    "offer_alternative",
    "positive_language",
    "realistic_promise",
    "set_boundary",
    "escalate",
    "call_security",
    "thank",
    "follow_up",
    "keep_informed",
    "use_name",
    "redirect",
    "upsell",
    "interrupt",
    "argue",
    "excuse",
    "dismiss",
    "condescend",
    "blame_customer",
    "overpromise",
    "negative_language",
    "retaliate",
    "deflect",
    "refuse_supervisor",
    "cave_in",
    "hang_up",
]


def test_every_cited_principle_exists() -> None:
    catalog = load_catalog()
    for technique in catalog.techniques.values():
        for case in technique.cases:
            for principle in case.cited:
                assert principle in catalog.principles, (technique.id, case.name, principle)


def test_every_principle_is_cited_by_some_technique_or_taught_by_the_game() -> None:
    catalog = load_catalog()
    cited = {p for t in catalog.techniques.values() for c in t.cases for p in c.cited}
    for principle in catalog.principles.values():
        if principle.taught_by_game:
            assert principle.id in ("G-CLOSE-4", "G-CLOSE-5", "G-CALM-4", "G-CALM-6")
        else:
            assert principle.id in cited, principle.id


def test_principles_match_the_guides_ids() -> None:
    """The ids are the stable ones from GUIDES.md (copied into the package, not read from it)."""
    catalog = load_catalog()
    expected = {
        "CALM": 7, "LISTEN": 7, "RECAP": 2, "EMPATHY": 7, "APOLOGY": 3,
        "RESOLVE": 12, "BOUNDARY": 7, "ESCALATE": 5, "CLOSE": 7,
    }  # fmt: skip
    ids = {f"G-{group}-{n}" for group, count in expected.items() for n in range(1, count + 1)}
    assert set(catalog.principles) == ids
    for principle in catalog.principles.values():
        assert principle.title and len(principle.rule) > 20
        assert principle.section in catalog.sections


def test_the_design_technique_list_is_all_there() -> None:
    catalog = load_catalog()
    assert set(DESIGN_TECHNIQUES) <= set(catalog.techniques)


def test_techniques_are_well_formed() -> None:
    catalog = load_catalog()
    for technique in catalog.techniques.values():
        assert technique.competency in catalog.competencies
        assert technique.step in (*catalog.steps, "none")
        assert technique.cases
        names = [c.name for c in technique.cases]
        assert len(names) == len(set(names))
        for case in technique.cases:
            assert case.quality in (-1.0, -0.5, 0.5, 1.0), (technique.id, case.name)
            assert case.short and len(case.short) <= 28, (technique.id, case.short)
            assert case.reason.endswith((".", "!", "?")), (technique.id, case.name)
        if not technique.helpful:
            assert any(c.quality < 0 for c in technique.cases), technique.id


def test_every_multi_case_technique_has_a_rule_that_can_pick_each_case() -> None:
    catalog = load_catalog()
    persona = np.array([0])
    ctx = Context(
        persona,
        np.array([False]),
        np.array([False]),
        np.zeros((1, len(catalog.tags)), bool),
        parting_approved=np.array([True]),
        apologise_at_fault=np.array([True]),
    )
    facts = _Facts(catalog, initial_mood(catalog, 1, 50, 0), ctx)
    for technique in catalog.techniques.values():
        if len(technique.cases) == 1:
            assert technique.id not in RULES or technique.id == "recap"
            continue
        assert technique.id in RULES, technique.id
        rule = RULES[technique.id](facts)
        named = {case for _, case, _ in rule}
        assert all(why for _, _, why in rule), technique.id  # every case says why, in words
        for case in technique.cases:
            assert case.name in named or case.name == "default" or case is technique.cases[0], (
                technique.id,
                case.name,
            )


def test_tables_are_read_only() -> None:
    catalog = load_catalog()
    with pytest.raises(ValueError, match="read-only"):
        catalog.case_table[0, 0, 0] = 99.0
    assert catalog.persona_multipliers.shape == (len(catalog.personas), len(catalog.techniques))
    assert np.all(catalog.persona_multipliers > 0)
