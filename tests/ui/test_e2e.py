"""End to end, through the window: title → new profile → level select → a whole call → debrief.

Every level of the campaign whose file loads is played with its good plan by posting key
presses, and the debrief on screen must agree with the engine's own debrief for the same
choices. Earlier levels are unlocked the way the game unlocks them: by passing attempts in
the trainee's records.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pygame
import pytest
import yaml

from game.engine.scoring import debrief
from game.engine.session import play_choices
from game.records.api import AttemptStart, AttemptStatus, Store
from game.scenario.campaign import Level
from game.ui.scenes.call import CallPhase, CallScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.levels import LevelsScene
from game.ui.scenes.title import TitleScene
from tests.catalog import CATALOG
from tests.conftest import PLANS
from tests.ui.conftest import MakeApp
from tests.ui.plans import campaign, good_choices, good_plan_path, playable

LEVELS = playable()


def test_every_level_file_that_exists_has_a_good_plan() -> None:
    missing = [
        f"level {lvl.number} ({lvl.file.name}) has no {good_plan_path(lvl).name}"
        for lvl in campaign().levels
        if lvl.file.exists() and not good_plan_path(lvl).exists()
    ]
    assert not missing, missing


def test_the_campaign_has_levels_to_play() -> None:
    assert LEVELS, "no level of the campaign loads"


def record_pass(store: Store, trainee_id: int, level: Level) -> None:
    """A passed attempt in the trainee's records: how the game unlocks the next level."""
    assert level.scenario is not None
    now = datetime.now(UTC)
    attempt = store.start_attempt(
        AttemptStart(
            trainee_id=trainee_id, scenario_id=level.key, content_hash=level.scenario.content_hash,
            level=level.number, pass_score=level.pass_score, seed=0, policy=campaign().policy,
            timer="off", lang="en", started_at=now,
        )
    )  # fmt: skip
    store.finish_attempt(
        attempt, ended_at=now, outcome="resolved", rating="good", cause="ending",
        score=level.pass_score, grade="C", passed=True, final_anger=10,
        anger_trace=(level.scenario.customer.anger, 10), closing_effects=(), competencies={},
    )  # fmt: skip


@pytest.mark.parametrize("level", LEVELS, ids=[lvl.key for lvl in LEVELS])
def test_play_a_level_through_the_window(make_app: MakeApp, level: Level) -> None:
    assert level.scenario is not None
    pilot = make_app()
    pilot.create_trainee("Tess Trainee")
    app = pilot.app
    assert app.trainee is not None and app.trainee.name == "Tess Trainee"
    store = app.world().store
    assert store is not None

    earlier = [lvl for lvl in LEVELS if lvl.number < level.number]
    if earlier:
        for lvl in earlier:
            record_pass(store, app.trainee.id, lvl)
        pilot.key(pygame.K_ESCAPE, frames=2)  # back to the title, then "Continue as Tess"
        title = pilot.scene(TitleScene)
        pilot.until(
            lambda: title.menu.focused == "continue", "the continue button", 10, pygame.K_UP
        )
        pilot.key(pygame.K_RETURN, frames=2)

    levels = pilot.scene(LevelsScene)
    assert levels.levels[levels.selected].key == level.key, "the next level is not preselected"
    pilot.key(pygame.K_RETURN, frames=2)
    call = pilot.scene(CallScene)
    assert call.level.key == level.key

    choices = good_choices(level)
    shown = pilot.play(choices)

    expected = debrief(
        level.scenario,
        # the same attempt: the window's call was played with its own seed
        play_choices(
            level.scenario,
            choices,
            policy=campaign().policy,
            catalog=CATALOG,
            seed=call.recorder.state.seed,
        ),
        level.pass_score,
        catalog=CATALOG,
    )
    report = shown.report
    assert (report.score, report.grade, report.passed) == (
        expected.score,
        expected.grade,
        expected.passed,
    )
    assert report.anger_trace == expected.anger_trace
    assert shown.summary["score"] == str(expected.score)
    assert shown.summary["grade"] == expected.grade
    assert shown.summary["passed"] == ("Passed" if expected.passed else "Not passed")
    assert expected.passed, f"{level.key}: the good plan should pass"

    attempts = store.attempts(trainee_id=app.trainee.id, scenario_id=level.key)
    mine = [a for a in attempts if a.status is AttemptStatus.COMPLETED and a.seed == 7]
    assert [(a.score, a.grade, a.passed) for a in mine] == [
        (expected.score, expected.grade, expected.passed)
    ]


def test_next_level_follows_from_the_debrief(make_app: MakeApp) -> None:
    first, second = LEVELS[0], LEVELS[1]
    pilot = make_app()
    pilot.create_trainee("Nico")
    pilot.key(pygame.K_RETURN, frames=2)
    shown = pilot.play(good_choices(first))
    assert shown.report.passed
    if shown.hard:  # a hard call offers the breather first; skip past it
        assert shown.menu.focused == "breather"
        pilot.key(pygame.K_RIGHT)
    assert shown.menu.focused == "next"
    pilot.key(pygame.K_RETURN, frames=2)
    if shown.hard:
        pilot.key(pygame.K_ESCAPE, frames=2)
    call = pilot.scene(CallScene)
    assert call.level.key == second.key
    assert call.phase is CallPhase.RINGING


def test_leaving_a_call_keeps_it_as_abandoned(make_app: MakeApp) -> None:
    level = LEVELS[0]
    pilot = make_app()
    pilot.create_trainee("Ola")
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.answer()
    pilot.reply(good_choices(level)[0])
    pilot.key(pygame.K_ESCAPE, frames=2)
    pause = pilot.expect("pause")
    assert pause.opaque is False
    for _ in range(3):
        pilot.key(pygame.K_DOWN)
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.scene(LevelsScene)
    store = pilot.app.world().store
    assert store is not None and pilot.app.trainee is not None
    (attempt,) = store.attempts(trainee_id=pilot.app.trainee.id)
    assert attempt.status is AttemptStatus.ABANDONED
    assert attempt.turn_count == 1


def test_the_debrief_opens_again_from_the_history(make_app: MakeApp) -> None:
    level = LEVELS[0]
    pilot = make_app()
    pilot.create_trainee("Pat")
    pilot.key(pygame.K_RETURN, frames=2)
    played = pilot.play(good_choices(level))
    pilot.key(pygame.K_ESCAPE, frames=2)
    levels = pilot.scene(LevelsScene)
    levels.menu.focus("history")
    pilot.key(pygame.K_RETURN, frames=2)
    history = pilot.expect("history")
    assert history.menu.focused is not None
    pilot.key(pygame.K_RETURN, frames=2)
    review = pilot.scene(DebriefScene)
    assert review.review_of is not None
    assert review.report.score == played.report.score
    assert review.report.anger_trace == played.report.anger_trace
    assert [r.verdict for r in review.report.turns] == [r.verdict for r in played.report.turns]
    assert [b.key for b in review.menu.buttons] == ["back"]


def test_restarting_keeps_the_first_attempt_as_abandoned(make_app: MakeApp) -> None:
    level = LEVELS[0]
    pilot = make_app()
    pilot.create_trainee("Ines")
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.answer()
    pilot.reply(good_choices(level)[0])
    pilot.key(pygame.K_ESCAPE, frames=2)
    pilot.key(pygame.K_DOWN)  # Resume → Restart the call
    pilot.key(pygame.K_RETURN, frames=2)
    call = pilot.scene(CallScene)
    assert call.phase in (CallPhase.CONNECTING, CallPhase.SPEAKING)
    pilot.wait_for_choices()
    store = pilot.app.world().store
    assert store is not None and pilot.app.trainee is not None
    statuses = sorted(a.status.value for a in store.attempts(trainee_id=pilot.app.trainee.id))
    assert statuses == ["abandoned", "in_progress"]


def test_a_hard_call_offers_a_breather_first(make_app: MakeApp) -> None:
    from game.ui.scenes.breather import CYCLES, EXHALE, INHALE, BreatherScene

    level = LEVELS[0]
    bad = yaml.safe_load((PLANS / f"{level.key}-interrupt-excuse.yaml").read_text(encoding="utf-8"))
    pilot = make_app()
    pilot.create_trainee("Jo")
    pilot.key(pygame.K_RETURN, frames=2)
    shown = pilot.play(bad["choices"])
    assert shown.hard and not shown.report.passed
    assert shown.menu.focused == "breather"
    assert "next" not in [b.key for b in shown.menu.buttons]  # not passed, next still locked
    pilot.key(pygame.K_RETURN, frames=2)
    breather = pilot.scene(BreatherScene)
    assert breather.phase()[0] == "in"
    pilot.frames(round((INHALE + 0.5) * 60))
    assert breather.phase()[0] == "out"
    pilot.frames(round((INHALE + EXHALE) * CYCLES * 60))  # it moves on by itself
    assert pilot.scene(DebriefScene) is shown


def test_the_main_loop_runs_until_the_window_closes(make_app: MakeApp) -> None:
    pilot = make_app()
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    assert pilot.app.run() == 0
    assert not pilot.app.running
