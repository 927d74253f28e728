"""The author's intent is declared (`expect:`) and checked by `lint` on every path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from game.analysis.lint import LintWarning, intent_check, lint_paths, lint_scenario
from game.analysis.montecarlo import compile_scenario, explore_states
from game.analysis.paths import explore
from game.engine.session import play_choices
from game.scenario.campaign import load_campaign
from game.scenario.loader import parse_scenario
from game.scenario.model import Scenario, Verdict
from game.scenario.problems import ScenarioError
from tests.catalog import CATALOG
from tests.conftest import SCENARIOS
from tests.engine.helpers import make

NODES = """\
opening:
  customer: "It broke again!"
  choices:
    - say: "So it broke again, twice now. That's maddening."
      technique: [recap, empathize]
      expect: good
      next: middle
    - say: "Let me fix that."
      technique: solve
      expect: good
      feedback: "A fix right away is what they want (G-RESOLVE-1)."
      next: middle
middle:
  customer: "Well?"
  choices:
    - say: "Here is the fix."
      technique: solve
      expect: good
      next: done
    - say: "Calm down."
      technique: dismiss
      expect: bad
      next: done
done: {customer: "Fine.", end: resolved}
"""


def test_every_shipped_choice_declares_its_verdict_and_the_campaign_lints_clean() -> None:
    campaign = load_campaign(SCENARIOS / "campaign.yaml")
    for level in campaign.levels:
        assert level.scenario is not None
        for node in level.scenario.nodes:
            for choice in node.choices:
                assert choice.expect is not None, (level.scenario.id, node.id, choice.number)
    notes: list[str] = []
    warnings, errors = lint_paths([SCENARIOS], catalog=CATALOG, notes=notes)
    # Length bias (LN009) still in shipped levels is held, level by level, in test_shallow.py.
    warnings = [w for w in warnings if w.code != "LN009"]
    assert not errors and not warnings, [str(w) for w in warnings]
    # every state was explored: nothing was left out past the cap (that would be LN017)
    assert not any("LN017" in note for note in notes)


def test_lint_reports_a_path_where_the_verdict_differs_with_its_location() -> None:
    scenario = make(NODES, vent=1)
    source = Path(SCENARIOS / "late-delivery.yaml").read_text(encoding="utf-8")
    found = [
        w
        for w in lint_scenario(
            scenario,
            source,
            explore(scenario, catalog=CATALOG),
            catalog=CATALOG,
            intent=intent_check(scenario, None, CATALOG),
        )
        if w.code == "LN014"
    ]
    choice = scenario.node("opening").choices[1]
    at_choice = [w for w in found if (w.line, w.col) == (choice.pos.line, choice.pos.col)]
    assert len(at_choice) == 1
    warning = at_choice[0]
    assert str(warning).startswith(f"engine-test.yaml:{choice.pos.line}:{choice.pos.col}: LN014")
    assert "expects good, but is judged bad on the path 2" in warning.message
    # the author meant that fix as right, so what follows it is checked too: the next fix
    # comes while they still vent (the first edition checked only the fewest-mistake paths)
    later = scenario.node("middle").choices[0]
    assert [w.message for w in found if w.line == later.pos.line] == [
        "choice 1 of 'middle' expects good, but is judged bad on the path 2,1"
    ]


def test_a_choice_without_expect_is_reported_and_a_wrong_one_does_not_load() -> None:
    scenario = make(NODES.replace("      expect: bad\n", ""))
    codes = {
        w.code
        for w in lint_scenario(scenario, "", explore(scenario, catalog=CATALOG), catalog=CATALOG)
    }
    assert "LN015" in codes
    text = "format: 1\nid: x\ntitle: X\nsummary: X\nchannel: phone\ndifficulty: 1\n"
    text += "customer: {name: T, persona: angry, anger: 50, vent: 0}\nstart: opening\nnodes:\n"
    text += "  opening:\n    customer: Hi\n    choices:\n"
    text += "      - {say: a, technique: recap, expect: great, next: done}\n"
    text += "      - {say: b, technique: recap, next: done}\n"
    text += "  done: {customer: Bye, end: resolved}\n"
    with pytest.raises(ScenarioError, match="SC031"):
        parse_scenario(text.encode(), "x.yaml")


def test_authored_feedback_never_contradicts_the_verdict() -> None:
    """The first edition showed "passing the buck" feedback on a turn it judged good."""
    scenario = make(NODES, vent=1)
    choice = scenario.node("opening").choices[1]
    assert choice.expect is Verdict.GOOD and choice.feedback is not None
    turn = play_choices(scenario, [2, 1], catalog=CATALOG).turns[0]
    assert turn.quality < 0  # a fix while they are still venting
    assert turn.feedback is None  # so the author's "what they want" is not shown
    assert "still venting" in turn.feedback_text()
    calm = make(NODES, vent=0)
    # venting over but nothing acknowledged: still premature, still no contradiction
    assert play_choices(calm, [2, 1], catalog=CATALOG).turns[0].feedback is None
    asked = make(NODES.replace('"It broke again!"', '"What will you do?"\n  tags: [asks_for_fix]'))
    shown = play_choices(asked, [2, 1], catalog=CATALOG).turns[0]
    assert shown.quality > 0 and shown.feedback == choice.feedback


# Two replies the author meant as right lead to `middle`; only one acknowledged the feeling,
# so after the other the fix there is premature: a path with no declared mistake on it.
TWO_ROADS = """\
opening:
  customer: "It broke again!"
  choices:
    - say: "It broke again, twice now. That's maddening."
      technique: [recap, empathize]
      expect: good
      next: middle
    - say: "Thank you for calling about it."
      technique: thank
      expect: good
      next: middle
    - say: "Calm down."
      technique: dismiss
      expect: bad
      next: middle
middle:
  customer: "Well?"
  choices:
    - say: "Here is the fix."
      technique: solve
      expect: good
      next: done
    - say: "Whatever."
      technique: dismiss
      expect: bad
      next: done
done: {customer: "Fine.", end: resolved}
"""


def _lint(scenario: Scenario, **options: Any) -> list[LintWarning]:
    return lint_scenario(
        scenario,
        "",
        explore(scenario, catalog=CATALOG),
        catalog=CATALOG,
        intent=intent_check(scenario, None, CATALOG, **options.pop("check", {})),
        **options,
    )


def test_lint_checks_expect_on_every_path_the_author_meant_once_per_choice() -> None:
    scenario = make(TWO_ROADS)
    found = [w for w in _lint(scenario) if w.code == "LN014"]
    fix = scenario.node("middle").choices[0]
    assert [(w.line, w.col) for w in found] == [(fix.pos.line, fix.pos.col)]
    assert "expects good, but is judged bad on the path 2,1" in found[0].message
    # ... and through the road that acknowledged them it is what the author meant
    assert play_choices(scenario, [1, 1], catalog=CATALOG).turns[1].quality == 1.0


def test_a_difference_only_after_a_declared_mistake_is_listed_on_request_never_hidden() -> None:
    scenario = make(TWO_ROADS.replace("      technique: thank\n", "      technique: recap\n"))
    notes: list[str] = []
    quiet = _lint(scenario, notes=notes)
    assert not [w for w in quiet if w.code in ("LN014", "LN016")]
    assert notes and "1 choice(s)" in notes[0] and "--every-path" in notes[0]
    listed = [w for w in _lint(scenario, every_path=True) if w.code == "LN016"]
    assert len(listed) == 1 and "on the path 3,1" in listed[0].message


def test_the_state_search_ends_on_a_loop_and_a_cap_is_reported() -> None:
    looping = make(
        """\
        opening:
          customer: "Again?"
          choices:
            - say: "Tell me more."
              technique: listen
              expect: good
              next: opening
            - say: "Here is the fix."
              technique: solve
              expect: good
              next: done
        done: {customer: "Fine.", end: resolved}
        """,
        vent=3,
    )
    compiled = compile_scenario(looping, None, catalog=CATALOG)
    for visits in (1, 3, 10):
        space = explore_states(compiled, catalog=CATALOG, max_visits=visits)
        assert not space.capped and space.states <= visits + 2
    capped = [w for w in _lint(looping, check={"max_states": 1}) if w.code == "LN017"]
    assert len(capped) == 1 and "conversation states only" in capped[0].message
