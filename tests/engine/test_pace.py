"""Pace is its own lesson: reading time is free, and silence never rewrites a reply's verdict.

Played through the engine's own API (tick, then choose), as the terminal and the window do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from game.engine.catalog import load_catalog
from game.engine.scoring import Debrief, debrief
from game.engine.session import (
    PACE_POINTS_PER_ANGER,
    Phase,
    SessionState,
    TimerMode,
    choose,
    pace_cost,
    proceed,
    reading_allowance,
    reading_seconds,
    screen_words,
    start,
    tick,
)
from game.scenario.campaign import load_campaign
from game.scenario.model import Scenario, Verdict
from tests.catalog import CATALOG
from tests.conftest import PLANS, SCENARIOS
from tests.engine.helpers import make

CAMPAIGN = load_campaign(SCENARIOS / "campaign.yaml")
LEVELS = [(lvl.scenario, lvl.pass_score) for lvl in CAMPAIGN.levels if lvl.scenario is not None]
IDS = [s.id for s, _ in LEVELS]
Think = Callable[[Scenario, str], float]


def guide_choices(scenario: Scenario) -> list[int]:
    """The level's guide path: the choices of its `*-good` transcript plan."""
    for plan_file in sorted(PLANS.glob("*-good.yaml")):
        plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
        if Path(plan["scenario"]).stem == Path(scenario.path).stem:
            return [int(c) for c in plan["choices"]]
    raise AssertionError(f"no guide plan for {scenario.id}")


def play(
    scenario: Scenario,
    choices: list[int],
    think: Think,
    timer: TimerMode = TimerMode.NORMAL,
    *,
    to_the_end: bool = True,
) -> SessionState:
    state = start(scenario, policy=CAMPAIGN.policy, timer=timer, catalog=CATALOG)
    for number in choices:
        while state.phase is Phase.SPEAKING:
            state = proceed(scenario, state)
        assert state.phase is Phase.CHOOSING, f"the call ended early at {state.node}"
        state = tick(scenario, state, think(scenario, state.node), catalog=CATALOG)
        assert state.phase is Phase.CHOOSING, "the customer gave up waiting"
        state, _ = choose(scenario, state, number, catalog=CATALOG)
    while state.phase is Phase.SPEAKING:
        state = proceed(scenario, state)
    assert state.phase is Phase.ENDED or not to_the_end
    return state


def play_guide(
    scenario: Scenario, think: Think, timer: TimerMode = TimerMode.NORMAL
) -> SessionState:
    """The guide path: the `*-good` plan's choice at each of its moments and, where pace or an
    anger branch leads elsewhere, the first reply its author declared `expect: good`."""
    untimed = play(scenario, guide_choices(scenario), lambda s, n: 0.0, TimerMode.OFF)
    route = {turn.node: turn.choice for turn in untimed.turns}
    state = start(scenario, policy=CAMPAIGN.policy, timer=timer, catalog=CATALOG)
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.SPEAKING:
            state = proceed(scenario, state)
            continue
        node = scenario.node(state.node)
        good = [c.number for c in node.choices if c.expect is Verdict.GOOD]
        number = route.get(node.id) or good[0]
        state = tick(scenario, state, think(scenario, state.node), catalog=CATALOG)
        assert state.phase is Phase.CHOOSING, "the customer gave up waiting"
        state, _ = choose(scenario, state, number, catalog=CATALOG)
    return state


def verdicts(report: Debrief) -> list[tuple[str, str]]:
    return [(r.turn.node, r.verdict) for r in report.turns]


@pytest.mark.parametrize(("scenario", "pass_score"), LEVELS, ids=IDS)
def test_reading_at_150_wpm_plus_3_s_scores_as_without_a_timer(
    scenario: Scenario, pass_score: int
) -> None:
    untimed = debrief(
        scenario, play_guide(scenario, lambda s, n: 0.0, TimerMode.OFF), pass_score, catalog=CATALOG
    )
    timed = debrief(
        scenario,
        play_guide(scenario, lambda s, n: reading_seconds(s, n, catalog=CATALOG) + 3.0),
        pass_score,
        catalog=CATALOG,
    )
    assert untimed.passed
    assert timed.score == untimed.score
    assert verdicts(timed) == verdicts(untimed)
    assert timed.pace_points == 0


@pytest.mark.parametrize(("scenario", "pass_score"), LEVELS, ids=IDS)
def test_half_reading_speed_plus_10_s_still_passes_and_keeps_every_verdict(
    scenario: Scenario, pass_score: int
) -> None:
    untimed = debrief(
        scenario, play_guide(scenario, lambda s, n: 0.0, TimerMode.OFF), pass_score, catalog=CATALOG
    )
    state = play_guide(scenario, lambda s, n: 2 * reading_seconds(s, n, catalog=CATALOG) + 10.0)
    slow = debrief(scenario, state, pass_score, catalog=CATALOG)
    assert slow.passed, (slow.score, slow.rating)
    # silence never rewrites a reply's verdict (an anger branch may take another, as good, road)
    assert [v for _, v in verdicts(slow)] == [v for _, v in verdicts(untimed)]
    if scenario.channel.value != "email":
        assert slow.pace_points < 0  # ... it is scored on its own line
        assert slow.score <= untimed.score


def test_a_whole_guide_path_at_10_s_a_reply_passes_on_the_phone() -> None:
    """The first edition failed the best path of 7 of 13 levels at 10 s a reply."""
    for scenario, pass_score in LEVELS:
        state = play_guide(scenario, lambda s, n: 10.0)
        assert debrief(scenario, state, pass_score, catalog=CATALOG).passed, scenario.id


LOOKUP = """\
opening:
  customer: "Where is my order?"
  tags: [lookup]
  choices:
    - {say: "Let me check. Bear with me, I'm opening your order now.", technique: keep_informed, next: done}
    - {say: "Here is what I can do for you.", technique: positive_language, next: done}
done: {customer: "Fine.", end: resolved}
"""


def _answer(scenario: Scenario, number: int, seconds: float) -> SessionState:
    state = proceed(scenario, start(scenario, catalog=CATALOG))
    state = tick(scenario, state, seconds, catalog=CATALOG)
    state, _ = choose(scenario, state, number, catalog=CATALOG)
    while state.phase is Phase.SPEAKING:
        state = proceed(scenario, state)
    return state


def test_30_s_silent_at_a_lookup_without_keeping_them_informed_loses_points_there() -> None:
    scenario = make(LOOKUP)
    quick, slow = _answer(scenario, 2, 0.0), _answer(scenario, 2, 30.0)
    assert quick.turns[-1].quality == 1.0 and slow.turns[-1].quality < 0
    assert any(
        e.source == "lookup_silence" and e.principle == "G-RESOLVE-7"
        for e in slow.turns[-1].effects
    )
    assert pace_cost(slow.turns[-1]).lookup
    assert (
        debrief(scenario, slow, catalog=CATALOG).score
        < debrief(scenario, quick, catalog=CATALOG).score
    )
    # keeping them informed while looking up is the lesson: then the same wait is no mistake
    informed = _answer(scenario, 1, 30.0)
    assert not pace_cost(informed.turns[-1]).lookup
    assert informed.turns[-1].quality == _answer(scenario, 1, 0.0).turns[-1].quality == 1.0


def test_shipped_lookups_teach_the_same_lesson() -> None:
    """Every shipped phone lookup on a guide path: silence there without a word is dead air."""
    found = 0
    for scenario, _ in LEVELS:
        if scenario.channel.value != "phone":
            continue
        choices = guide_choices(scenario)
        state = play(scenario, choices, lambda s, n: 0.0, TimerMode.OFF)
        for index, turn in enumerate(state.turns):
            node = scenario.node(turn.node)
            if "lookup" not in node.tags:
                continue
            assert "keep_informed" in scenario.node(turn.node).choices[turn.choice - 1].techniques
            for choice in node.choices:
                if "keep_informed" in choice.techniques:
                    continue
                before = play(scenario, choices[:index], lambda s, n: 0.0, to_the_end=False)
                while before.phase is Phase.SPEAKING:
                    before = proceed(scenario, before)
                _, played = choose(
                    scenario,
                    tick(scenario, before, 30.0, catalog=CATALOG),
                    choice.number,
                    catalog=CATALOG,
                )
                assert pace_cost(played).lookup, (scenario.id, node.id, choice.number)
                found += 1
    assert found


def test_pace_cost_says_what_the_silence_cost() -> None:
    scenario = make(
        """\
        opening:
          customer: "Well?"
          choices:
            - {say: "I hear you.", technique: listen, next: done}
            - {say: "Calm down.", technique: dismiss, next: done}
        done: {customer: "Fine.", end: resolved}
        """,
        vent=2,
    )
    rule = load_catalog().channels["phone"].dead_air
    assert rule is not None
    words = screen_words(scenario, "opening")
    assert words == 6  # "Well?" and both replies
    assert reading_seconds(scenario, "opening", catalog=CATALOG) == pytest.approx(60 * words / 150)
    allowance = reading_allowance(scenario, "opening", TimerMode.NORMAL, catalog=CATALOG)
    assert allowance == pytest.approx(60 * words / 150 + rule.grace)
    state = start(scenario, catalog=CATALOG)
    state = proceed(scenario, state)
    state = tick(scenario, state, allowance + 2.0, catalog=CATALOG)
    state, turn = choose(scenario, state, 1, catalog=CATALOG)
    cost = pace_cost(turn)
    assert cost.seconds == pytest.approx(allowance + 2.0)
    assert cost.allowance == pytest.approx(allowance)
    assert cost.reading == pytest.approx(60 * words / 150)
    assert cost.anger == round(2.0 * rule.rate)
    assert cost.points == pytest.approx(PACE_POINTS_PER_ANGER * cost.anger)
    assert not cost.lookup
    assert turn.quality == 1.0  # the reply is still judged as the reply it was
    assert turn.anger_before == 50 + cost.anger


def test_silence_past_give_up_ends_the_call() -> None:
    scenario = make(
        """\
        opening:
          customer: "Well?"
          choices:
            - {say: "Yes.", technique: listen, next: done}
            - {say: "No.", technique: dismiss, next: done}
        done: {customer: "Fine.", end: resolved}
        """,
        anger=10,
    )
    rule = load_catalog().channels["phone"].dead_air
    assert rule is not None
    state = proceed(scenario, start(scenario, catalog=CATALOG))
    allowance = reading_allowance(scenario, "opening", TimerMode.NORMAL, catalog=CATALOG)
    state = tick(scenario, state, allowance + rule.give_up - 1, catalog=CATALOG)
    assert state.phase is Phase.CHOOSING
    state = tick(scenario, state, 1.0, catalog=CATALOG)
    assert state.outcome is not None and state.outcome.cause == "dead_air"


def test_screen_words_are_counted_for_the_scenario_as_it_is_now() -> None:
    """The count is kept per scenario, but an edited level (same file, other words) and a
    scenario object that only claims another's content are each counted afresh."""
    level = """\
        opening:
          customer: "{line}"
          choices:
            - {{say: "I hear you.", technique: listen, next: done}}
        done: {{customer: "Fine.", end: resolved}}
        """
    short = make(level.format(line="Well?"))
    longer = make(level.format(line="Well, what are you going to do about it?"))
    assert short.path == longer.path
    assert screen_words(short, "opening") == 4
    assert screen_words(longer, "opening") == 12
    assert screen_words(short, "opening") == 4
    posing = dataclasses.replace(longer, content_hash=short.content_hash)
    assert screen_words(posing, "opening") == 12
    assert screen_words(short, "opening") == 4
