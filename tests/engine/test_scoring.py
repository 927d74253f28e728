"""Scores, grades, pass/fail, competencies and the Listen → Recap → Apologise → Resolve check."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from game.engine.scoring import (
    better_replies,
    debrief,
    grade_for,
    practice_fraction,
    turn_weight,
    verdict_for,
)
from game.engine.session import (
    Phase,
    SessionState,
    TimerMode,
    choose,
    play_choices,
    proceed,
    start,
)
from game.scenario.campaign import load_campaign
from game.scenario.loader import load_scenario
from game.scenario.model import Scenario
from tests.catalog import CATALOG
from tests.conftest import SCENARIOS
from tests.engine.helpers import make

LATE = load_scenario(SCENARIOS / "late-delivery.yaml")


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, "A"),
        (90, "A"),
        (89, "B"),
        (80, "B"),
        (79, "C"),
        (70, "C"),
        (60, "D"),
        (59, "F"),
        (0, "F"),
    ],
)
def test_grades(score: int, grade: str) -> None:
    assert grade_for(score) == grade


def test_verdicts() -> None:
    assert [verdict_for(q) for q in (1, 0.5, -0.5, -1)] == ["good", "fair", "poor", "bad"]


def test_weights_favour_angry_and_critical_moments() -> None:
    assert turn_weight(80, frozenset()) > turn_weight(20, frozenset())
    assert turn_weight(20, frozenset({"abusive"})) > turn_weight(20, frozenset({"lookup"}))
    assert practice_fraction([], []) == 0.0
    assert practice_fraction([100, 300], [1.0, -1.0]) == pytest.approx(0.25)


def test_the_guide_following_path_scores_high_and_passes() -> None:
    report = debrief(LATE, play_choices(LATE, [1] * 8, catalog=CATALOG), 70, catalog=CATALOG)
    assert report.score >= 90 and report.grade == "A" and report.passed
    assert report.in_order
    assert report.practice_points == 60
    assert dict(report.first_step_turn)["listen"] == 1
    assert all(r.verdict == "good" for r in report.turns)
    listening = next(c for c in report.competencies if c.id == "listening")
    assert listening.score == 100 and listening.uses == 2
    assert next(c for c in report.competencies if c.id == "escalation").score is None


def test_jumping_ahead_is_flagged() -> None:
    report = debrief(
        LATE, play_choices(LATE, [1, 3, 3], catalog=CATALOG), 70, catalog=CATALOG
    )  # listen, then fix before recapping
    assert not report.in_order
    jumped = report.turns[1]
    assert "recap" in jumped.skipped and jumped.verdict == "bad"


def test_a_bad_ending_never_passes_even_with_a_high_score() -> None:
    nodes = """\
    opening:
      customer: "Hm."
      choices:
        - {say: "a", technique: recap, next: left}
        - {say: "b", technique: recap, next: left}
    left:
      customer: "Bye."
      end: customer_left
    """
    scenario = make(nodes, anger=5)
    report = debrief(scenario, play_choices(scenario, [1], catalog=CATALOG), 40, catalog=CATALOG)
    assert report.score >= 40 and not report.passed


def test_only_finished_sessions_are_scored() -> None:
    with pytest.raises(ValueError, match="finished"):
        debrief(LATE, start(LATE, catalog=CATALOG), catalog=CATALOG)


def test_principle_tallies_count_followed_and_broken() -> None:
    report = debrief(LATE, play_choices(LATE, [4, 2, 2, 2], catalog=CATALOG), 70, catalog=CATALOG)
    tallies = {t.id: (t.followed, t.broken) for t in report.principles}
    assert tallies["G-APOLOGY-1"][1] >= 1
    assert tallies["G-LISTEN-1"][1] >= 1


def _random_play(scenario: Scenario, seed: int) -> SessionState:
    rng = np.random.default_rng(seed)
    state = start(scenario, seed=seed, timer=TimerMode.OFF, catalog=CATALOG)
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.SPEAKING:
            state = proceed(scenario, state)
            continue
        options = scenario.node(state.node).choices
        pick = options[int(rng.integers(len(options)))].number
        state, _ = choose(scenario, state, pick, catalog=CATALOG)
    return state


def test_better_replies_stop_early_only_where_the_full_replay_agrees() -> None:
    """On the scenario and catalog an attempt was played on, the replay stops after the last
    weak turn; it must give what replaying every turn gives (forced here by a state that
    does not name its catalog)."""
    shortened = 0
    for level in load_campaign(SCENARIOS / "campaign.yaml").levels:
        assert level.scenario is not None
        for seed in range(4):
            state = _random_play(level.scenario, seed)
            full = better_replies(level.scenario, replace(state, catalog_hash=""), catalog=CATALOG)
            assert better_replies(level.scenario, state, catalog=CATALOG) == full
            assert len(full) == len(state.turns)
            shortened += full[-1] is None
    assert shortened > 0  # some attempts ended on good turns, so the shortcut was taken


def test_better_replies_are_empty_when_the_attempt_no_longer_replays() -> None:
    state = play_choices(LATE, [1] * 8, catalog=CATALOG)  # its guide path
    other = load_scenario(SCENARIOS / "mystery-charge.yaml")
    assert better_replies(other, state, catalog=CATALOG) == ()
