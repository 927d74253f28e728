"""Exam mode and drills in the window (real pygame, dummy video, a real SQLite file): the
levels screen offers what the training layer allows, the call hides the grading, the
debrief and History show it, and a weak result puts a drill on the campaign screen."""

from __future__ import annotations

import pygame

from game.ui.scenes.call import CallScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.history import attempt_label
from game.ui.scenes.levels import LevelsScene
from tests.ui.conftest import MakeApp
from tests.ui.plans import good_choices
from tests.ui.test_supervisor import bad_choices


def _play(pilot, choices: list[int]) -> tuple[CallScene, DebriefScene, list[object]]:  # type: ignore[no-untyped-def]
    """Play a call from its ringing; the meter's floating change after every reply."""
    call = pilot.scene(CallScene)
    pilot.answer()
    deltas = []
    for number in choices:
        pilot.reply(number)
        pilot.frames(2)
        deltas.append(call.meter.delta)
    return call, pilot.finish_call(), deltas


def test_an_exam_opens_after_a_pass_and_hides_the_grading_until_the_debrief(
    make_app: MakeApp,
) -> None:
    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None
    pilot.create_trainee("Ana")
    levels = pilot.scene(LevelsScene)
    first = levels.levels[0]
    assert levels.menu.button("exam") is None  # not passed yet: no exam offered
    pilot.key(pygame.K_RETURN, frames=2)
    practice, debrief, deltas = _play(pilot, good_choices(first))
    assert not practice.exam and all(d is not None for d in deltas)  # graded as it lands
    assert debrief.report.passed
    pilot.key(pygame.K_ESCAPE, frames=2)  # debrief → levels
    levels = pilot.scene(LevelsScene)
    levels.select(0)
    assert levels.menu.button("exam") is not None
    levels.activate("exam")
    pilot.frames(2)
    exam, debrief, deltas = _play(pilot, good_choices(first))
    assert exam.exam and deltas == [None] * len(deltas)  # no change, no reason, per reply
    assert exam.flow.anger != first.scenario.customer.anger  # type: ignore[union-attr]
    assert debrief.exam and debrief.caption.startswith("Exam debrief")
    assert debrief.report.turns and all(r.verdict for r in debrief.report.turns)  # all of it
    latest = store.attempts(trainee_id=pilot.app.trainee.id)[-1]  # type: ignore[union-attr]
    assert latest.exam and attempt_label(latest)[0].endswith(" · exam")


def test_a_required_exam_and_a_drill_show_on_the_campaign_screen(make_app: MakeApp) -> None:
    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None
    pilot.create_trainee("Ben")
    levels = pilot.scene(LevelsScene)
    first = levels.levels[0]
    store.require_exam(first.key, True, "Sam")
    levels.resume()
    assert levels.menu.button("play").label == "Take the exam"  # type: ignore[union-attr]
    assert levels.menu.button("exam") is None
    pilot.key(pygame.K_RETURN, frames=2)
    call, debrief, deltas = _play(pilot, bad_choices(first))
    assert call.exam and deltas == [None] * len(deltas)  # required: an exam before any pass
    assert not debrief.report.passed
    pilot.key(pygame.K_ESCAPE, frames=2)
    levels = pilot.scene(LevelsScene)
    pilot.app.wait_for_background(timeout=120)
    pilot.frames(2)
    assert levels.drills, "a failed call proposes a drill"
    assert "to practise now" in levels._progress
    drilled = next(lvl for lvl in levels.levels if lvl.key in levels.drills)
    assert "practice due now" in levels._sub(drilled)
