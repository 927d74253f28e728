"""What trainee screens say, read off the real window: principle names, not codes, and an
outcome that agrees with pass or fail. Supervisors still see the codes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pygame
import yaml
from hypothesis import given
from hypothesis import strategies as st

from game.ui.app import App
from game.ui.autopilot import Autopilot
from game.ui.scenes.breather import BreatherScene
from game.ui.scenes.call import CallScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.title import TitleScene
from tests.catalog import CATALOG
from tests.conftest import PLANS
from tests.ui.conftest import MakeApp
from tests.ui.plans import campaign, playable
from tests.ui.test_e2e import record_pass

CODE = re.compile(r"\bG-[A-Z]+-\d+\b")


def spy_text(app: App) -> list[str]:
    """Every line of text the window renders from now on (the fonts' one way to draw)."""
    seen: list[str] = []
    fonts = app.fonts
    render: Callable[..., pygame.Surface] = fonts.render

    def recording(text: str, style: str, color: tuple[int, int, int]) -> pygame.Surface:
        seen.append(text)
        return render(text, style, color)

    fonts.render = recording  # type: ignore[method-assign]
    fonts._lines.clear()  # nothing comes from the cache unseen
    return seen


def play_plan(pilot: Autopilot, plan_file: str) -> DebriefScene:
    plan = yaml.safe_load((PLANS / plan_file).read_text(encoding="utf-8"))
    level = next(lvl for lvl in playable() if lvl.file.name == plan["scenario"])
    app = pilot.app
    store = app.world().store
    assert store is not None and app.trainee is not None
    for earlier in playable():
        if earlier.number < level.number:
            record_pass(store, app.trainee.id, earlier)
    pilot.key(pygame.K_ESCAPE, frames=2)
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "continue", "continue", 10, pygame.K_UP)
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.key(pygame.K_RETURN, frames=2)
    call = pilot.scene(CallScene)
    assert call.level.key == level.key
    return pilot.play([int(c) for c in plan["choices"]])


def test_the_debrief_names_principles_and_agrees_with_the_verdict(make_app: MakeApp) -> None:
    pilot = make_app()
    pilot.create_trainee("Wren Words")
    seen = spy_text(pilot.app)
    shown = play_plan(pilot, "cant-decide-hold.yaml")  # a good ending, not passed
    pilot.frames(2)
    report = shown.report
    assert not report.passed and report.rating.value == "good"
    codes = sorted({c for text in seen for c in CODE.findall(text)})
    assert not codes, f"codes on trainee screens: {codes}"
    words = " ".join(seen).lower()
    assert "a good ending" not in words
    assert "under the pass mark" in shown.summary["outcome"]
    # a broken guide is labelled by what the reply did and the principle's name
    bad = [r for r in report.turns if r.verdict == "bad"]
    assert bad
    catalog = pilot.app.world().catalog
    for review in bad:
        head = next(t for t in seen if t.startswith(f"Turn {review.turn.number} ·"))
        labels = [catalog.techniques[t].label for t in review.turn.techniques]
        assert any(label in head for label in labels), head
        assert "“" in head, f"no principle named in {head!r}"


def test_breather_and_title_use_names(make_app: MakeApp) -> None:
    pilot = make_app()
    seen = spy_text(pilot.app)
    pilot.app.generation += 1  # lay the title out again, now watched
    pilot.frames(2)
    pilot.app.push(BreatherScene(pilot.app, then=pilot.app.pop))
    pilot.frames(2)
    assert any("PRINCIPLE OF THE DAY" in t for t in seen)
    assert any(t.startswith("From the guides") for t in seen)
    assert not [t for t in seen if CODE.search(t)]


def test_supervisor_view_keeps_codes(tmp_path: Path) -> None:
    from game.engine.scoring import debrief
    from game.engine.session import play_choices
    from game.ui.scenes.debrief import turn_heading

    plan = yaml.safe_load((PLANS / "two-weeks-no-parcel-late-recovery.yaml").read_text())
    level = next(lvl for lvl in playable() if lvl.file.name == plan["scenario"])
    assert level.scenario is not None
    state = play_choices(level.scenario, plan["choices"], policy=campaign().policy, catalog=CATALOG)
    report = debrief(level.scenario, state, level.pass_score, catalog=CATALOG)
    from game.engine.catalog import load_catalog

    catalog = load_catalog()
    bad = next(r for r in report.turns if r.verdict == "bad")
    assert CODE.search(turn_heading(catalog, bad, codes=True))
    assert " — broke G-" in turn_heading(catalog, bad, codes=True)
    assert not CODE.search(turn_heading(catalog, bad, codes=False))


@given(
    st.lists(
        st.sampled_from(
            ["G-LISTEN-5", "G-NOPE-9", "(G-RECAP-1)", "(G-CALM-4, G-CALM-6)", "word", " ", "("]
        ),
        max_size=12,
    )
)
def test_no_code_survives_naming(parts: list[str]) -> None:
    from game.engine.catalog import load_catalog
    from game.ui.words import name_principles

    text = " ".join(parts)
    named = name_principles(text, load_catalog().principles)
    assert not CODE.search(named)
    assert named.count("“") >= sum(p.count("G-") for p in parts if "NOPE" not in p)
