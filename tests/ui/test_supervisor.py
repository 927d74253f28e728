"""The supervisor's desk through the real window: the passphrase gate, the overview, a
trainee's page, an attempt with its coaching note, and the note reaching the trainee.

Everything is driven by posted key events, as a supervisor at the keyboard would.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pygame
import pytest

from game.engine.scoring import Debrief, debrief
from game.engine.session import TimerMode, replay
from game.records import passphrase
from game.records.api import NOTE_MAX, STUCK_AFTER_FAILS, AttemptStart, Store
from game.records.passphrase import FAILURES_KEY
from game.scenario.campaign import Level
from game.scenario.model import Text
from game.training import wait_after
from game.ui.autopilot import Autopilot
from game.ui.scenes import supervisor_gate
from game.ui.scenes.history import HistoryScene
from game.ui.scenes.levels import LevelsScene
from game.ui.scenes.notes import NotesScene
from game.ui.scenes.supervisor_attempt import AttemptScene
from game.ui.scenes.supervisor_gate import SET_COMMAND, GateMode, PassphraseScene
from game.ui.scenes.supervisor_overview import SORTS, OverviewScene
from game.ui.scenes.supervisor_trainee import TraineeScene
from game.ui.scenes.title import TitleScene
from game.ui.widgets import TextField
from tests.catalog import CATALOG
from tests.conftest import PLANS
from tests.ui.conftest import MakeApp
from tests.ui.plans import campaign, good_choices, playable

PHRASE = "correct horse battery"
LEVEL = playable()[0]


def desk_scenes(pilot: Autopilot) -> list[str]:
    """Names of the desk's scenes past the gate that are on the stack."""
    kinds = (OverviewScene, TraineeScene, AttemptScene)
    return [type(s).__name__ for s in pilot.app.stack if isinstance(s, kinds)]


@pytest.fixture(autouse=True)
def _game_time_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared wait runs in wall-clock time; these tests run the game faster than that."""
    monkeypatch.setattr(supervisor_gate, "wall_clock", supervisor_gate.wall_clock)


def install_passphrase(pilot: Autopilot) -> Store:
    """What the installer's `hold-the-line supervisor set-passphrase` does."""
    store = pilot.app.world().store
    assert store is not None
    passphrase.set_passphrase(store, PHRASE)
    return store


def open_gate(pilot: Autopilot) -> PassphraseScene:
    """From the title: the Supervisor's desk button."""
    supervisor_gate.wall_clock = lambda: pilot.app.clock  # restored by the fixture above
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "desk", "the desk button", 12, pygame.K_DOWN)
    pilot.key(pygame.K_RETURN, frames=2)
    return pilot.scene(PassphraseScene)


def gate_open(gate: PassphraseScene) -> Callable[[], bool]:
    """True once the gate's countdown after a wrong passphrase is over."""
    return lambda: gate.wait == 0


def answer(pilot: Autopilot, gate: PassphraseScene) -> None:
    """Press Enter on the focused field and wait for the check on its worker thread."""
    pilot.key(pygame.K_RETURN)
    gate.wait_for_check()
    pilot.frames(2)


def set_passphrase(pilot: Autopilot, author: str | None = None) -> OverviewScene:
    """The passphrase installed, then the desk opened with it (and the author's name)."""
    install_passphrase(pilot)
    gate = open_gate(pilot)
    assert gate.mode is GateMode.CHECK
    pilot.type_text(PHRASE)
    if author is not None:
        pilot.key(pygame.K_TAB)
        pilot.type_text(author)
    answer(pilot, gate)
    return pilot.scene(OverviewScene)


def unlock(pilot: Autopilot, phrase: str = PHRASE) -> PassphraseScene:
    gate = open_gate(pilot)
    assert gate.mode is GateMode.CHECK
    pilot.type_text(phrase)
    answer(pilot, gate)
    return gate


def play_level(pilot: Autopilot, name: str, choices: list[int]) -> Debrief:
    """A new trainee plays the first level from the title, then back to the title."""
    pilot.create_trainee(name)
    pilot.key(pygame.K_RETURN, frames=2)
    report = pilot.play(choices).report
    pilot.key(pygame.K_ESCAPE, frames=2)  # debrief → levels
    pilot.key(pygame.K_ESCAPE, frames=2)  # levels → title
    pilot.scene(TitleScene)
    return report


def bad_choices(level: Level) -> list[int]:
    import yaml

    plan = yaml.safe_load((PLANS / f"{level.key}-interrupt-excuse.yaml").read_text("utf-8"))
    return [int(c) for c in plan["choices"]]


# ---- the gate ---------------------------------------------------------------------------------


def test_the_desk_is_on_the_title_and_keyboard_reachable(make_app: MakeApp) -> None:
    pilot = make_app()
    title = pilot.scene(TitleScene)
    assert title.menu.button("desk") is not None
    assert "desk" in title.menu.ring.keys
    gate = open_gate(pilot)
    assert gate.mode is GateMode.UNSET
    assert desk_scenes(pilot) == []
    pilot.key(pygame.K_ESCAPE, frames=2)
    pilot.scene(TitleScene)


def test_the_first_visitor_cannot_claim_the_desk(make_app: MakeApp) -> None:
    """No passphrase yet: the gate names the installer's command and opens nothing."""
    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None
    gate = open_gate(pilot)
    assert gate.mode is GateMode.UNSET and gate.fields == {}
    assert SET_COMMAND in gate._help
    pilot.type_text("i am the supervisor now")
    pilot.key(pygame.K_RETURN, frames=2)
    assert pilot.top is gate and desk_scenes(pilot) == []
    assert "Still no passphrase" in gate.error
    assert not passphrase.has_passphrase(store)
    passphrase.set_passphrase(store, PHRASE)  # the installer runs the command meanwhile
    gate.menu.focus("go")
    pilot.key(pygame.K_RETURN, frames=2)
    checking = pilot.scene(PassphraseScene)
    assert checking.mode is GateMode.CHECK and desk_scenes(pilot) == []


def test_two_windows_share_one_count_of_wrong_tries(make_app: MakeApp) -> None:
    """A count each window kept for itself would let two windows reset each other."""
    first, second = make_app(), make_app()
    store = install_passphrase(first)
    now = 1000.0
    for step in range(3):
        at = now + 60 * step
        assert not passphrase.check_supervisor(store, "guess", lambda at=at: at).ok
    now += 60 * 3
    other = second.app.world().store
    assert other is not None and other is not store
    assert passphrase.failures(other) == 3
    verdict = passphrase.check_supervisor(other, PHRASE, lambda: now - 60 + 1)
    assert not verdict.ok and not verdict.checked and verdict.wait == pytest.approx(3.0)
    assert passphrase.check_supervisor(other, PHRASE, lambda: now).ok
    assert passphrase.failures(store) == 0


def test_the_passphrase_is_shown_masked(make_app: MakeApp) -> None:
    pilot = make_app()
    install_passphrase(pilot)
    gate = open_gate(pilot)
    pilot.type_text("swordfish-42")
    field = gate.fields["phrase"]
    assert field.text == "swordfish-42"
    app = pilot.app

    def picture(shown: TextField) -> bytes:
        canvas = pygame.Surface(app.screen.get_size())
        shown.draw(canvas, app.fonts, app.theme, False, 0.0)
        return pygame.image.tobytes(canvas, "RGB")

    dots, plain = TextField("x", 200), TextField("x", 200)
    dots.rect = plain.rect = field.rect
    dots.text, plain.text = "•" * 12, "swordfish-42"
    assert picture(field) == picture(dots)
    assert picture(field) != picture(plain)


def test_wrong_passphrases_wait_longer_each_time_and_the_loop_runs(make_app: MakeApp) -> None:
    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None
    overview = set_passphrase(pilot)
    overview.leave()
    pilot.frames(2)
    waits = []
    for attempt in range(1, 4):
        gate = open_gate(pilot)
        pilot.until(gate_open(gate), "the countdown from last time", 400)
        pilot.type_text("not the passphrase")
        answer(pilot, gate)
        assert gate.failures == attempt
        assert gate.error == "That passphrase is not right."
        assert pilot.top is gate and desk_scenes(pilot) == []  # refused: no desk
        assert wait_after(attempt) - 0.5 < gate.wait <= wait_after(attempt)  # counting down
        waits.append(round(gate.wait))
        # while it counts down the window keeps drawing, and a try is not even checked
        frames, before = pilot.app.frames, gate.wait
        pilot.type_text(PHRASE)
        pilot.key(pygame.K_RETURN, frames=30)
        assert pilot.app.frames == frames + 31
        assert not gate.checking and pilot.top is gate and desk_scenes(pilot) == []
        assert gate.wait == pytest.approx(before - 31 / 60, abs=0.01)
        pilot.key(pygame.K_ESCAPE, frames=2)  # leaving does not reset the count
        pilot.scene(TitleScene)
    assert waits == [1, 2, 4]
    assert store.get_setting(FAILURES_KEY) == "3"
    gate = open_gate(pilot)
    assert 3.0 < gate.wait < 4.0  # coming back still waits, counted from the last failure
    pilot.until(lambda: gate.wait == 0, "the countdown", 400)
    pilot.type_text(PHRASE)
    answer(pilot, gate)
    pilot.scene(OverviewScene)
    assert store.get_setting(FAILURES_KEY) == "0"


def test_the_passphrase_is_changed_from_the_desk_with_the_old_one(make_app: MakeApp) -> None:
    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None
    overview = set_passphrase(pilot)
    pilot.key(pygame.K_UP)  # from the table up into the toolbar
    overview.menu.focus("passphrase")
    pilot.key(pygame.K_RETURN, frames=2)
    gate = pilot.scene(PassphraseScene)
    assert gate.mode is GateMode.CHANGE
    pilot.type_text("wrong old one")
    pilot.key(pygame.K_TAB)
    pilot.type_text("a brand new phrase")
    pilot.key(pygame.K_TAB)
    pilot.type_text("a brand new phrase")
    answer(pilot, gate)
    assert pilot.top is gate and gate.error == "That passphrase is not right."
    pilot.until(lambda: gate.wait == 0, "the countdown", 200)
    gate.fields["old"].text = PHRASE
    gate.menu.focus("go")
    answer(pilot, gate)
    assert pilot.scene(OverviewScene) is overview
    assert passphrase.verify_passphrase(store, "a brand new phrase")
    assert not passphrase.verify_passphrase(store, PHRASE)


# ---- the whole journey ------------------------------------------------------------------------


def test_a_supervisor_coaches_a_trainee_who_then_sees_the_note(make_app: MakeApp) -> None:
    pilot = make_app()
    app = pilot.app
    store = app.world().store
    assert store is not None
    live = play_level(pilot, "Tess Trainee", good_choices(LEVEL))
    (played,) = store.attempts()

    overview = set_passphrase(pilot, author="Sam Okafor")
    pilot.type_text("tess")  # find her by name
    assert [r.trainee.name for r in overview.rows] == ["Tess Trainee"]
    pilot.key(pygame.K_RETURN, frames=2)
    page = pilot.scene(TraineeScene)
    assert [a.id for a in page.attempts] == [played.id]
    assert page.menu.focused == f"attempt:{played.id}"
    pilot.key(pygame.K_RETURN, frames=2)
    shown = pilot.scene(AttemptScene)
    assert shown.detail.attempt.id == played.id
    assert shown.menu.focused == "note"

    text = "Lovely recap on turn 3.\nNext time, thank him for waiting."
    for line in text.split("\n"):
        pilot.type_text(line)
        pilot.key(pygame.K_RETURN)  # Enter in the note starts a new line
    pilot.key(pygame.K_BACKSPACE)
    assert shown.field.text == text
    assert shown.field.counter == f"{len(text)} / {NOTE_MAX}"
    pilot.key(pygame.K_TAB)
    assert shown.menu.focused == "save"
    pilot.key(pygame.K_RETURN, frames=2)
    assert shown.saved.startswith("Saved")
    (note,) = store.notes_for_trainee(played.trainee_id)
    assert (note.attempt_id, note.author, note.text) == (played.id, "Sam Okafor", text)
    assert [n.id for n in shown.coaching] == [note.id]

    assert shown.report == live  # the debrief Tess saw, restored from the records
    for _ in range(4):  # attempt → trainee → overview (clears the search) → title
        pilot.key(pygame.K_ESCAPE, frames=2)
    title = pilot.scene(TitleScene)
    assert desk_scenes(pilot) == [] and len(app.stack) == 1
    pilot.until(lambda: title.menu.focused == "continue", "continue", 12, pygame.K_UP)
    pilot.key(pygame.K_RETURN, frames=2)
    told = pilot.scene(NotesScene)  # "Continue as Tess": signed in, she is told of it
    assert [n.id for n in told.notes] == [note.id]
    pilot.key(pygame.K_ESCAPE, frames=2)
    pilot.scene(LevelsScene)


def test_the_note_box_holds_what_the_store_allows_and_no_more(make_app: MakeApp) -> None:
    """One limit: a pasted page longer than the store's NOTE_MAX stops at it, and a note of
    exactly that length is saved whole (the box used to stop at a tenth of it)."""
    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None
    play_level(pilot, "Vic", good_choices(LEVEL))
    set_passphrase(pilot)
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.key(pygame.K_RETURN, frames=2)
    shown = pilot.scene(AttemptScene)
    page = "Keep the caller's name in every reply. " * 10
    chunks = NOTE_MAX // len(page) + 2
    for _ in range(chunks):  # pasted chunks, past the limit
        pilot.type_text(page)
    typed = (page * chunks)[:NOTE_MAX]
    assert shown.field.text == typed
    assert shown.field.counter == f"{NOTE_MAX} / {NOTE_MAX}"
    pilot.key(pygame.K_TAB)
    pilot.key(pygame.K_RETURN, frames=2)
    assert shown.saved.startswith("Saved"), shown.saved
    (note,) = store.notes_for_trainee(store.attempts()[0].trainee_id)
    assert note.text == typed.strip()  # the store keeps it whole (trimmed, as every note)


def test_leaving_a_note_unsaved_warns_once(make_app: MakeApp) -> None:
    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None
    play_level(pilot, "Uma", good_choices(LEVEL))
    set_passphrase(pilot)
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.key(pygame.K_RETURN, frames=2)
    shown = pilot.scene(AttemptScene)
    pilot.type_text("Half a thought")
    pilot.key(pygame.K_ESCAPE)
    assert pilot.top is shown and "not saved" in shown.saved
    pilot.key(pygame.K_ESCAPE, frames=2)
    pilot.scene(TraineeScene)
    assert store.notes_for_trainee(store.attempts()[0].trainee_id) == ()


# ---- the overview -----------------------------------------------------------------------------


def finish(store: Store, trainee_id: int, level: Level, when: datetime, passed: bool) -> None:
    assert level.scenario is not None
    attempt = store.start_attempt(
        AttemptStart(trainee_id, level.key, level.scenario.content_hash, level.number,
                     level.pass_score, 0, campaign().policy, "off", "en", when)
    )  # fmt: skip
    score = 85 if passed else 40
    store.finish_attempt(
        attempt, ended_at=when, outcome="resolved", rating="good" if passed else "bad",
        cause="ending", score=score, grade="B" if passed else "F", passed=passed,
        final_anger=20, anger_trace=(60, 20), closing_effects=(), competencies={},
    )  # fmt: skip


def test_the_overview_sorts_pages_and_marks_the_stuck(make_app: MakeApp) -> None:
    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None
    levels = playable()
    t0 = datetime(2026, 11, 1, 9, tzinfo=UTC)
    for n in range(30):
        trainee = store.add_trainee(f"Trainee {n:02d}")
        for k in range(n % 4):
            finish(store, trainee.id, levels[k], t0 + timedelta(hours=n * 5 + k), True)
    stuck = store.add_trainee("Stella Stuck")
    for k in range(STUCK_AFTER_FAILS):
        finish(store, stuck.id, levels[1], t0 + timedelta(days=3, hours=k), False)

    overview = set_passphrase(pilot)
    assert overview.sort[:2] == ("coaching", True)
    first = overview.rows[0]
    assert first.trainee.name == "Stella Stuck" and first.stuck_levels == (levels[1].key,)
    assert len(overview.rows) == overview.page_size < 31 and overview.total == 31
    # the stuck row says so in words and marks, not only in colour
    assert overview.zone == "table"
    assert overview.row_detail(first) == (f"⚠ Stuck at level {levels[1].number}", True)
    assert overview.cell_text(first, levels[1].key) == ("40", "F !")
    calm = next(r for r in overview.rows if r.levels and not r.stuck_levels)
    text, warning = overview.row_detail(calm)
    assert not warning and "⚠" not in text and text.endswith("levels passed")
    assert overview.cell_text(calm, levels[0].key) == ("85", "B ✓")

    for index, (sort, descending, _) in enumerate(SORTS):
        assert overview.sort_index == index
        expected, total = store.overview_page(sort, descending, 0, overview.page_size)
        assert (overview.rows, overview.total) == (expected, total)
        pilot.key(pygame.K_TAB)
    assert overview.sort_index == 0  # round again

    # paging: down past the last row of the page fetches the next page
    size = overview.page_size
    for _ in range(size):
        pilot.key(pygame.K_DOWN)
    assert overview.offset == size and overview.cursor == 0
    expected, _ = store.overview_page("coaching", True, size, size)
    assert overview.rows == expected
    pilot.key(pygame.K_PAGEDOWN)
    assert overview.offset == 2 * size
    pilot.key(pygame.K_END)
    assert overview.offset + overview.cursor == 30
    pilot.key(pygame.K_HOME)
    assert (overview.offset, overview.cursor) == (0, 0)
    pilot.key(pygame.K_UP)
    assert overview.zone == "sort"  # up from the first row: the toolbar
    pilot.key(pygame.K_RETURN)
    assert overview.sort_index == 1  # the sort button changes the sort too
    pilot.key(pygame.K_DOWN)
    assert overview.zone == "table"


# ---- a trainee's page and an attempt ----------------------------------------------------------


def test_the_trainee_page_shows_averages_and_weakest_principles(make_app: MakeApp) -> None:
    pilot = make_app()
    store = pilot.app.world().store
    catalog = pilot.app.world().catalog
    assert store is not None
    play_level(pilot, "Vic", bad_choices(LEVEL))
    set_passphrase(pilot)
    pilot.key(pygame.K_RETURN, frames=2)
    page = pilot.scene(TraineeScene)
    vic = page.trainee.id
    assert page.averages == dict(store.competency_averages(vic))
    assert page.weakest == store.weakest_principles(vic, 5) and page.weakest
    detail = store.attempt_detail(store.attempts(trainee_id=vic)[0].id)
    assert detail is not None
    broken = {
        e.principle
        for t in detail.turns
        for e in t.effects
        if e.principle and e.quality is not None and e.quality < 0
    }
    assert {t.principle for t in page.weakest} <= broken
    side = page._paint_side(470)
    assert side.get_height() > 100
    for tally in page.weakest:
        assert catalog.principles[tally.principle].title  # shown beside its id


def english(value: object) -> object:
    """A value with every `Text` reduced to its English, to compare what was said."""
    if isinstance(value, Text):
        return value.en
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(english(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (tuple, list)):
        return tuple(english(item) for item in value)
    return value


def test_the_attempt_page_matches_the_engine_debrief(make_app: MakeApp) -> None:
    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None and LEVEL.scenario is not None
    live = play_level(pilot, "Wes", bad_choices(LEVEL))
    set_passphrase(pilot)
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.key(pygame.K_RETURN, frames=2)
    shown = pilot.scene(AttemptScene)
    detail = shown.detail
    attempt = detail.attempt
    state = replay(
        LEVEL.scenario,
        detail.events,
        policy=attempt.policy,
        seed=attempt.seed,
        timer=TimerMode(attempt.timer),
        catalog=CATALOG,
    )
    expected = debrief(LEVEL.scenario, state, attempt.pass_score, catalog=CATALOG)
    # the same debrief, read in English: the window's campaign carries every language's text,
    # the test's scenario only the English
    assert english(shown.report) == english(expected) == english(live)
    assert (expected.score, expected.grade) == (attempt.score, attempt.grade)
    # the transcript: every reply the trainee gave, in order, between the customer's lines
    agent = [text for speaker, text in shown.lines if speaker == "agent"]
    assert agent == [t.say.get("en") for t in state.turns]
    assert shown.lines[0][0] == "customer"
    assert shown.lines[0][1] == LEVEL.scenario.node(LEVEL.scenario.start).customer.get("en")
    # the turn-by-turn feedback is the engine's, line for line
    for review in expected.turns:
        texts = [text for text, *_ in shown._turn_lines(review)]
        assert f"“{review.turn.say.get('en')}”" in texts
        for effect in review.turn.effects:
            assert any(effect.reason in t for t in texts)
        if review.turn.feedback is not None:
            assert "» " + review.turn.feedback.get("en") in texts


# ---- trainees stay in their own records -------------------------------------------------------


def test_a_trainee_history_lists_only_their_own_attempts(make_app: MakeApp) -> None:
    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None
    play_level(pilot, "Xena", good_choices(LEVEL))
    play_level(pilot, "Yuri", bad_choices(LEVEL))
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "continue", "continue", 12, pygame.K_UP)
    pilot.key(pygame.K_RETURN, frames=2)
    levels = pilot.scene(LevelsScene)
    levels.menu.focus("history")
    pilot.key(pygame.K_RETURN, frames=2)
    history = pilot.scene(HistoryScene)
    yuri = pilot.app.trainee
    assert yuri is not None and yuri.name == "Yuri"
    shown = history.attempts
    assert shown and {a.trainee_id for a in shown} == {yuri.id}
    assert len(store.attempts()) == 2  # Xena's is in the records, not on Yuri's screen


# ---- large text -------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [100, 200])
def test_every_desk_screen_fits(make_app: MakeApp, scale: int) -> None:
    """Each desk scene passes the same audit as the game's screens, at 100 % and 200 %."""
    from game.ui.settings import PlayerSettings
    from tests.ui.test_text_fit import audit

    pilot = make_app(settings=PlayerSettings(text_scale=scale))
    play_level(pilot, "Maximiliano Alessandro Villanueva-Bartholomew", bad_choices(LEVEL))
    install_passphrase(pilot)
    gate = open_gate(pilot)
    problems = audit(gate)
    set_passphrase_from(pilot, gate, author="Sam Okafor")
    problems += audit(pilot.scene(OverviewScene))
    pilot.key(pygame.K_RETURN, frames=2)
    problems += audit(pilot.scene(TraineeScene))
    pilot.key(pygame.K_RETURN, frames=2)
    shown = pilot.scene(AttemptScene)
    problems += audit(shown)
    assert shown.view.rect.height > 100, "the debrief needs room to be read above the note"
    assert shown.field.rect.bottom <= 720 and not shown.field.rect.colliderect(shown.view.rect)
    # with a note of theirs saved: "Edit my notes" joins the buttons, and its own screen
    from game.ui.scenes.profile_manage import ProfileManageScene
    from game.ui.scenes.supervisor_notes import NotesEditScene

    pilot.type_text("Let him finish before you explain. " * 4)
    shown.menu.focus("save")
    pilot.key(pygame.K_RETURN, frames=2)
    problems += audit(shown)
    assert shown.view.rect.height > 100, "the debrief needs room with three buttons too"
    shown.menu.focus("edit")
    pilot.key(pygame.K_RETURN, frames=2)
    problems += audit(pilot.scene(NotesEditScene))
    pilot.key(pygame.K_ESCAPE, frames=2)
    pilot.key(pygame.K_ESCAPE, frames=2)
    page = pilot.scene(TraineeScene)
    page.menu.focus("manage")
    pilot.key(pygame.K_RETURN, frames=2)
    manage = pilot.scene(ProfileManageScene)
    problems += audit(manage)
    manage.menu.focus("delete")
    pilot.key(pygame.K_RETURN, frames=2)  # the warning and two more buttons
    problems += audit(manage)
    assert manage.card.bottom <= 720 - 40
    assert problems == []


def set_passphrase_from(pilot: Autopilot, gate: PassphraseScene, author: str) -> None:
    pilot.type_text(PHRASE)
    pilot.key(pygame.K_TAB)
    pilot.type_text(author)
    answer(pilot, gate)
