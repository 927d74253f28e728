"""The judge, second edition: each case measured on the first edition (commit 6b3c563) that
taught a wrong lesson, played through the engine, now judged as the guides say.

(Reading punished as dead air is tests/engine/test_pace.py.)
"""

from __future__ import annotations

from game.analysis.paths import explore
from game.engine.scoring import ORDER_POINTS, ORDER_POINTS_MAX, debrief
from game.engine.session import Turn, play_choices
from game.scenario.campaign import load_campaign
from game.scenario.model import Rating, Scenario
from tests.catalog import CATALOG
from tests.conftest import SCENARIOS
from tests.engine.helpers import make

CAMPAIGN = load_campaign(SCENARIOS / "campaign.yaml")


def level(scenario_id: str) -> tuple[Scenario, int]:
    found = CAMPAIGN.level(scenario_id)
    assert found is not None and found.scenario is not None
    return found.scenario, found.pass_score


def cases(turn: Turn) -> dict[str, str]:
    return {e.source: e.case for e in turn.effects}


# ---- a hidden number decided whether a fix was "too early" ---------------------------------


def test_a_fix_the_customer_asked_for_is_never_too_early() -> None:
    """'Three options, you pick' and 'Saturday, yes?' were judged '+10: fix before they felt
    heard'. A moment tagged `asks_for_fix` welcomes the fix."""
    for scenario_id, node_id in (("discount-bully", "suggestions"), ("chatterbox", "fall_story")):
        scenario, _ = level(scenario_id)
        assert "asks_for_fix" in scenario.node(node_id).tags
        exploration = explore(scenario, policy=CAMPAIGN.policy, catalog=CATALOG)
        for choice in scenario.node(node_id).choices:
            if {"solve", "offer_alternative"} & set(choice.techniques) and not (
                set(choice.techniques) & {"overpromise", "cave_in", "lowball", "interrupt"}
            ):
                seen = exploration.quality_of(node_id, choice.number)
                assert seen is not None and seen[0] > 0, (scenario_id, choice.number, seen)


def test_venting_wears_off_with_turns_not_only_with_listening() -> None:
    scenario = make(
        """\
        opening:
          customer: "Where is it?"
          choices:
            - {say: "Let me check.", technique: keep_informed, next: opening}
            - {say: "Here is the fix.", technique: solve, next: done}
        done: {customer: "Fine.", end: resolved}
        """,
        vent=3,
    )
    waited = play_choices(scenario, [1, 1, 1, 2], catalog=CATALOG)
    facts = [t.facts for t in waited.turns]
    assert facts[0][0] == "still_venting" and facts[3][0] == "vented"
    state = play_choices(scenario, [2], catalog=CATALOG)
    assert cases(state.turns[0])["solve"] == "early"


def test_a_premature_fix_names_the_missing_step() -> None:
    scenario = make(
        """\
        opening:
          customer: "It broke."
          choices:
            - {say: "I see. Go on.", technique: listen, next: middle}
            - {say: "Here is the fix.", technique: solve, next: done}
        middle:
          customer: "And nobody called me back."
          choices:
            - {say: "Here is the fix.", technique: solve, next: done}
            - {say: "So it broke and nobody called back. That's maddening.", technique: [recap, empathize], next: fix}
        fix:
          customer: "Yes, exactly."
          choices:
            - {say: "Here is the fix.", technique: solve, next: done}
            - {say: "Calm down.", technique: dismiss, next: done}
        done: {customer: "Fine.", end: resolved}
        """,
        vent=1,
    )
    venting = play_choices(scenario, [2], catalog=CATALOG).turns[0]
    assert cases(venting)["solve"] == "early" and "still venting" in venting.effects[0].reason
    unheard = play_choices(scenario, [1, 1], catalog=CATALOG).turns[1]
    assert cases(unheard)["solve"] == "unacknowledged"
    assert "hadn't recapped" in unheard.effects[0].reason
    assert unheard.facts == ("vented", "not_acknowledged")
    ready = play_choices(scenario, [1, 2, 1], catalog=CATALOG).turns[2]
    assert cases(ready)["solve"] == "ready" and ready.quality == 1.0
    assert ready.facts == ("vented", "acknowledged")


# ---- verdicts contradicted their authors ----------------------------------------------------


def test_an_escalation_the_author_marks_as_passing_the_buck_is_bad_on_every_path() -> None:
    """'Maybe you'd prefer to take it up with my supervisor?' was judged good by the 'stuck'
    rule on some paths; the late-delivery line flipped with how well the call had gone."""
    for scenario_id, node_id, number in (
        ("mystery-charge", "liar_again", 3),
        ("late-delivery", "insulted", 3),
    ):
        scenario, pass_score = level(scenario_id)
        exploration = explore(
            scenario, policy=CAMPAIGN.policy, pass_score=pass_score, catalog=CATALOG
        )
        seen = exploration.quality_of(node_id, number)
        assert seen is not None and seen[1] < 0, (scenario_id, seen)


def test_walking_back_that_promise_clears_it_and_the_level_can_be_passed() -> None:
    for scenario_id, choices in (
        ("chatterbox", [3, 1, 2, 1, 2, 2, 3]),  # promises Friday, then takes it back
        ("fifth-refund", [3, 2, 3, 1, 3, 3, 2, 3]),  # "no questions asked", then owns it
    ):
        scenario, pass_score = level(scenario_id)
        state = play_choices(scenario, choices, policy=CAMPAIGN.policy, catalog=CATALOG)
        assert any("overpromise" in t.techniques for t in state.turns)
        assert any(cases(t).get("walk_back") == "correction" for t in state.turns)
        report = debrief(scenario, state, pass_score, catalog=CATALOG)
        assert not report.promise_broken and report.passed, (scenario_id, report.score)


def test_an_unrelated_honest_promise_does_not_clear_a_standing_one() -> None:
    scenario = make(
        """\
        opening:
          customer: "Can it come today?"
          choices:
            - {say: "Today, guaranteed!", technique: overpromise, next: later}
            - {say: "Tomorrow.", technique: realistic_promise, next: later}
        later:
          customer: "And the refund?"
          choices:
            - {say: "Three working days.", technique: realistic_promise, next: done}
            - {say: "Sorry, today was wrong: it's tomorrow.", technique: walk_back, next: done}
        done: {customer: "Fine.", end: resolved}
        """
    )
    unrelated = play_choices(scenario, [1, 1], catalog=CATALOG)
    assert unrelated.outcome is not None and unrelated.outcome.effects[0].source == "debt"
    assert debrief(scenario, unrelated, catalog=CATALOG).promise_broken
    walked = play_choices(scenario, [1, 2], catalog=CATALOG)
    assert walked.outcome is not None and not walked.outcome.effects
    assert walked.outcome.rating is Rating.GOOD


def test_eased_off_is_never_credited_on_a_harmful_turn() -> None:
    scenario = make(
        """\
        opening:
          customer: "Listen to me!"
          choices:
            - {say: "So: broken, twice, and no call back. That's awful.", technique: [recap, empathize], next: opening2}
            - {say: "x", technique: argue, next: opening2}
        opening2:
          customer: "Right."
          choices:
            - {say: "You're wrong about that.", technique: argue, next: done}
            - {say: "Security!", technique: call_security, next: done}
        done: {customer: "Hmph.", end: resolved}
        """,
        anger=70,
    )
    for second in (1, 2):
        state = play_choices(scenario, [1, second], catalog=CATALOG)
        assert any(e.source == "relax" for e in state.turns[0].effects)  # heard after turn 1
        assert state.turns[1].quality < 0
        assert not any(e.source == "relax" for e in state.turns[1].effects), second


def test_name_and_follow_up_are_wrong_during_a_threat() -> None:
    for technique in ("use_name", "follow_up"):
        scenario = make(
            f"""\
            opening:
              customer: "Give me the money or else."
              tags: [threat]
              choices:
                - {{say: "x", technique: {technique}, next: done}}
                - {{say: "Security, please.", technique: call_security, next: done}}
            done: {{customer: "(Gone.)", end: security}}
            """
        )
        turn = play_choices(scenario, [1], catalog=CATALOG).turns[0]
        assert cases(turn)[technique] == "threat" and turn.quality < 0


def test_the_right_move_done_badly_has_its_own_lesson() -> None:
    for technique, principle in (
        ("wrong_recap", "G-RECAP-2"),
        ("feeling_apology", "G-APOLOGY-2"),
        ("scripted_empathy", "G-EMPATHY-6"),
        ("irrelevant_offer", "G-CLOSE-3"),
    ):
        scenario = make(
            f"""\
            opening:
              customer: "Well?"
              choices:
                - {{say: "x", technique: {technique}, next: done}}
                - {{say: "y", technique: recap, next: done}}
            done: {{customer: "Hm.", end: resolved}}
            """,
            anger=20,
        )
        turn = play_choices(scenario, [1], catalog=CATALOG).turns[0]
        assert turn.effects[0].principle == principle and turn.quality < 0, technique


# ---- the order was shown but not scored ----------------------------------------------------


def test_jumping_ahead_of_the_four_steps_costs_practice_points() -> None:
    """An excuse first still scored 86 B, and the step strip credited it as Apologise."""
    scenario, pass_score = level("late-delivery")
    excuse_first = debrief(
        scenario,
        play_choices(
            scenario, [4, 1, 1, 1, 1, 1, 1, 1, 1], policy=CAMPAIGN.policy, catalog=CATALOG
        ),
        pass_score,
        catalog=CATALOG,
    )
    first = excuse_first.turns[0]
    assert "excuse" in first.turn.techniques
    assert first.steps == ()  # an excuse fulfils no step
    assert first.skipped == ("listen", "recap")
    assert excuse_first.order_points == -2 * ORDER_POINTS  # the excuse, then an apology
    assert excuse_first.score < 86
    guided = debrief(
        scenario, play_choices(scenario, [1] * 8, catalog=CATALOG), pass_score, catalog=CATALOG
    )
    assert guided.order_points == 0 and guided.in_order
    assert excuse_first.score < guided.score


def test_order_points_are_documented() -> None:
    text = (SCENARIOS.parent / "docs" / "techniques.md").read_text(encoding="utf-8")
    assert f"{ORDER_POINTS} practice points" in text and f"at most {ORDER_POINTS_MAX}" in text


# ---- the debrief says what to do instead ---------------------------------------------------


def test_every_turn_that_was_not_good_shows_a_good_reply_that_was_on_screen() -> None:
    scenario, pass_score = level("late-delivery")
    report = debrief(
        scenario,
        play_choices(
            scenario, [4, 1, 1, 1, 1, 1, 1, 1, 1], policy=CAMPAIGN.policy, catalog=CATALOG
        ),
        pass_score,
        catalog=CATALOG,
    )
    for review in report.turns:
        if review.verdict == "good":
            assert review.instead is None
            continue
        better = review.instead
        assert better is not None, review.turn.node
        node = scenario.node(review.turn.node)
        assert better.number != review.turn.choice
        assert node.choices[better.number - 1].say == better.say
        assert better.principle is not None and better.principle.startswith("G-")
    first = report.turns[0]
    assert first.verdict == "bad" and first.instead is not None
    assert first.instead.principle == "G-LISTEN-3"
