"""The desk's level page: what the cohort picks, in the window, with the store's numbers."""

from __future__ import annotations

import pygame
import pytest

from game.records.analytics import Window
from game.records.analytics_view import percent
from game.ui.autopilot import Autopilot
from game.ui.scenes.supervisor_level import LevelScene
from game.ui.scenes.supervisor_overview import OverviewScene
from tests.ui.conftest import MakeApp
from tests.ui.test_supervisor import LEVEL, bad_choices, play_level, set_passphrase


def _open(pilot_make: MakeApp, scale: int = 100) -> tuple[LevelScene, Autopilot]:
    from game.ui.settings import PlayerSettings

    pilot = pilot_make(settings=PlayerSettings(text_scale=scale))
    store = pilot.app.world().store
    assert store is not None
    play_level(pilot, "Vic", bad_choices(LEVEL))
    play_level(pilot, "Wen", bad_choices(LEVEL))
    wen = store.find_trainee("Wen")
    assert wen is not None
    store.set_cohort(wen.id, "November")
    overview = set_passphrase(pilot)
    assert isinstance(overview, OverviewScene)
    overview.activate("levels")
    pilot.frames(2)
    return pilot.scene(LevelScene), pilot


def test_the_level_page_shows_the_stores_choice_map(make_app: MakeApp) -> None:
    page, pilot = _open(make_app)
    store = page.desk.store
    assert page.levels[page.index] == LEVEL.key
    section = page.section
    assert section is not None
    found = store.choice_map(LEVEL.key, scenario=LEVEL.scenario)
    shown = {p.node: p for p in section.points}
    for point in found.points:
        row = shown[point.node]
        assert row.visits == point.visits
        assert [r.share for r in row.replies] == [percent(r.share) for r in point.replies]
        assert [r.first for r in row.replies] == [percent(r.first_share) for r in point.replies]
    assert section.attempts == 2
    # Tab: one cohort (Wen's), whose numbers are Wen's alone
    pilot.key(pygame.K_TAB, frames=2)
    assert page.window == Window("November")
    assert page.section is not None and page.section.attempts == 1
    # → the next level, where nobody has played yet
    pilot.key(pygame.K_RIGHT, frames=2)
    assert page.levels[page.index] != LEVEL.key
    assert page.section is not None and page.section.attempts == 0
    assert page._content is not None and page._content.get_height() > 100
    pilot.key(pygame.K_ESCAPE, frames=2)
    assert isinstance(pilot.app.stack[-1], OverviewScene)


@pytest.mark.parametrize("scale", [100, 200])
def test_the_level_page_fits(make_app: MakeApp, scale: int) -> None:
    from tests.ui.test_text_fit import audit

    page, _ = _open(make_app, scale)
    assert audit(page) == []


def test_tab_on_a_trainee_page_moves_them_between_cohorts(make_app: MakeApp) -> None:
    from game.ui.scenes.supervisor_trainee import TraineeScene

    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None
    play_level(pilot, "Vic", bad_choices(LEVEL))
    play_level(pilot, "Wen", bad_choices(LEVEL))
    wen = store.find_trainee("Wen")
    vic = store.find_trainee("Vic")
    assert wen is not None and vic is not None
    store.set_cohort(wen.id, "November")
    set_passphrase(pilot)
    pilot.type_text("Vic")
    pilot.key(pygame.K_RETURN, frames=2)
    page = pilot.scene(TraineeScene)
    assert page.cohort is None and "in no cohort" in page._sub
    pilot.key(pygame.K_TAB, frames=2)
    assert page.cohort == "November" and store.trainee_cohorts()[vic.id] == "November"
    assert "cohort November" in page._sub
    november = store.choice_map(LEVEL.key, Window("November"))
    assert max(p.visits for p in november.points) == 2  # Vic's turns moved with him
    pilot.key(pygame.K_TAB, frames=2)
    assert page.cohort is None and vic.id not in store.trainee_cohorts()
