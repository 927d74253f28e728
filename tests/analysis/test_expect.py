"""The author's intent is declared (`expect:`) and checked by `lint` on every path."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.analysis.lint import lint_paths, lint_scenario
from game.analysis.paths import explore
from game.engine.session import play_choices
from game.scenario.campaign import load_campaign
from game.scenario.loader import parse_scenario
from game.scenario.model import Verdict
from game.scenario.problems import ScenarioError
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
    warnings, errors = lint_paths([SCENARIOS])
    # Length bias (LN009) still in shipped levels is held, level by level, in test_shallow.py.
    warnings = [w for w in warnings if w.code != "LN009"]
    assert not errors and not warnings, [str(w) for w in warnings]


def test_lint_reports_a_path_where_the_verdict_differs_with_its_location() -> None:
    scenario = make(NODES, vent=1)
    source = Path(SCENARIOS / "late-delivery.yaml").read_text(encoding="utf-8")
    found = [w for w in lint_scenario(scenario, source, explore(scenario)) if w.code == "LN014"]
    assert len(found) == 1
    warning = found[0]
    choice = scenario.node("opening").choices[1]
    assert (warning.line, warning.col) == (choice.pos.line, choice.pos.col)
    assert str(warning).startswith(f"engine-test.yaml:{choice.pos.line}:{choice.pos.col}: LN014")
    assert "expects good, but is judged bad on the path 2" in warning.message


def test_a_choice_without_expect_is_reported_and_a_wrong_one_does_not_load() -> None:
    scenario = make(NODES.replace("      expect: bad\n", ""))
    codes = {w.code for w in lint_scenario(scenario, "", explore(scenario))}
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
    turn = play_choices(scenario, [2, 1]).turns[0]
    assert turn.quality < 0  # a fix while they are still venting
    assert turn.feedback is None  # so the author's "what they want" is not shown
    assert "still venting" in turn.feedback_text()
    calm = make(NODES, vent=0)
    # venting over but nothing acknowledged: still premature, still no contradiction
    assert play_choices(calm, [2, 1]).turns[0].feedback is None
    asked = make(NODES.replace('"It broke again!"', '"What will you do?"\n  tags: [asks_for_fix]'))
    shown = play_choices(asked, [2, 1]).turns[0]
    assert shown.quality > 0 and shown.feedback == choice.feedback
