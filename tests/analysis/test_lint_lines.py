"""Lint keeps customer lines honest and length from giving the answer away."""

from __future__ import annotations

from game.analysis.lint import LintWarning, lint_scenario
from game.analysis.paths import explore
from game.scenario.loader import parse_scenario
from game.scenario.model import Scenario
from tests.catalog import CATALOG

HEAD = """\
format: 1
id: lint-test
title: Lint test
summary: A scenario built by a test.
channel: {channel}
difficulty: 1
customer: {{name: Test, persona: angry, anger: {anger}, vent: 0}}
start: opening
nodes:
"""

TONES = """\
  opening:
    customer: "It's broken and nobody cares."
    choices:
      - {say: "So it arrived broken. Is that right?", technique: recap, expect: good, next: heard}
      - {say: "Calm down.", technique: dismiss, expect: bad, next: heard}
  heard:
    customer:
      - {when: {anger_at_least: 90}, text: "That's it."}
      - {text: "Yes. Exactly that. Thank you.", tone: confirms}
    choices:
      - {say: "Here's the fix: a new one today.", technique: solve, expect: good, next: done}
      - {say: "Nothing I can do.", technique: negative_language, expect: bad, next: gone}
  done:
    customer:
      - {text: "Thank you so much, you've been lovely.", tone: warm}
    end: resolved
  gone: {customer: "Bye.", end: customer_left}
"""


def scenario_of(nodes: str, *, anger: int = 60, channel: str = "phone") -> Scenario:
    text = HEAD.format(channel=channel, anger=anger) + nodes
    return parse_scenario(text.encode(), "lint-test.yaml")


def warnings(scenario: Scenario, code: str) -> list[LintWarning]:
    found = lint_scenario(scenario, "", explore(scenario, catalog=CATALOG), catalog=CATALOG)
    return [w for w in found if w.code == code]


def test_a_confirmation_without_a_recap_is_reported_where_it_is_written() -> None:
    scenario = scenario_of(TONES)
    found = warnings(scenario, "LN019")
    variant = scenario.node("heard").lines[1]
    assert [(w.line, w.col) for w in found] == [(variant.pos.line, variant.pos.col)]
    assert "customer line 2 of 'heard'" in found[0].message
    assert "fact: acknowledged" in found[0].message  # says what to do
    fixed = scenario_of(
        TONES.replace(
            '      - {when: {anger_at_least: 90}, text: "That\'s it."}',
            '      - {when: {not_fact: acknowledged}, text: "Hm. And?"}',
        )
    )
    assert warnings(fixed, "LN019") == []


def test_a_warm_line_at_high_anger_is_reported() -> None:
    angry = scenario_of(TONES, anger=90)
    found = warnings(angry, "LN018")
    assert len(found) == 1 and "customer line 1 of 'done'" in found[0].message
    advised = TONES.replace(
        '      - {text: "Thank you so much',
        '      - {when: {anger_at_least: 50}, text: "Fine. Whatever."}\n      - {text: "Thank you so much',
    )
    assert warnings(scenario_of(advised, anger=90), "LN018") == []


LENGTHS = """\
  opening:
    customer: "Hello."
    choices:
      - {say: "A long and careful good reply that keeps going.", technique: empathize, expect: good, next: second}
      - {say: "Short bad.", technique: dismiss, expect: bad, next: second}
  second:
    customer: "And?"
    choices:
      - {say: "Another long and careful good reply, with more words.", technique: recap, expect: good, next: third}
      - {say: "Bad.", technique: dismiss, expect: bad, next: third}
  third:
    customer: "So?"
    choices:
      - {say: "A third long, careful good reply with many words in it.", technique: solve, expect: good, next: done}
      - {say: "BAD_WORDING", technique: negative_language, expect: bad, next: done}
  done: {customer: "Fine.", end: resolved}
"""


def test_length_bias_counts_the_wordings_an_attempt_can_show() -> None:
    biased = scenario_of(LENGTHS.replace("BAD_WORDING", "No."))
    found = warnings(biased, "LN009")
    assert len(found) == 1 and "3.0 of 3 decisions" in found[0].message
    # A long second wording for two wrong replies (the longest shown is good half the time
    # there) and a long wrong reply at the third: 1 of 3, under 40 %.
    long_bad = (
        "No, and frankly there is nothing at all that anyone here can do about it for you today."
    )
    mixed = LENGTHS.replace("BAD_WORDING", long_bad)
    for short in ("Short bad.", "Bad."):
        mixed = mixed.replace(f'say: "{short}"', f'say: ["{short}", "{long_bad}"]')
    half = [
        w
        for w in lint_scenario(scenario_of(mixed.replace(long_bad, "No.", 1)), "", catalog=CATALOG)
    ]
    assert [w.code for w in half if w.code == "LN009"] == ["LN009"]  # 1.5 of 3 is too many
    assert warnings(scenario_of(mixed), "LN009") == []


def test_reading_load_is_checked_per_channel() -> None:
    wordy = " ".join(["word"] * 70)
    nodes = LENGTHS.replace("BAD_WORDING", wordy).replace('customer: "So?"', f'customer: "{wordy}"')
    on_the_phone = warnings(scenario_of(nodes), "LN020")
    assert len(on_the_phone) == 1 and "'third'" in on_the_phone[0].message
    assert warnings(scenario_of(nodes, channel="email"), "LN020") == []
