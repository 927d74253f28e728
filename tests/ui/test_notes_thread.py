"""Coaching notes as a thread on the attempt, end to end with keys posted to the real window.

The supervisor sees, edits and deletes the notes they wrote; the trainee is told of new ones
only after signing in (never on the shared title screen), marks them read without losing
them, and finds every note in History and on the debrief of its call.
"""

from __future__ import annotations

from typing import Any

import pygame
import pytest

from game.records.api import Store
from game.ui.autopilot import Autopilot
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.history import NOTES, HistoryScene
from game.ui.scenes.levels import LevelsScene
from game.ui.scenes.notes import DONE, NotesScene
from game.ui.scenes.supervisor_attempt import EDIT, AttemptScene
from game.ui.scenes.supervisor_notes import DELETE, SAVE, NotesEditScene
from game.ui.scenes.supervisor_trainee import TraineeScene
from game.ui.scenes.title import TitleScene
from tests.ui.conftest import MakeApp
from tests.ui.plans import good_choices
from tests.ui.test_supervisor import LEVEL, play_level, set_passphrase

PRIVATE = "Lovely recap on turn 3"


def store_of(pilot: Autopilot) -> Store:
    store = pilot.app.world().store
    assert store is not None
    return store


class Drawn:
    """Every string the fonts render or lay out while it is active."""

    def __init__(self, pilot: Autopilot, monkeypatch: pytest.MonkeyPatch) -> None:
        self.texts: list[str] = []
        fonts = pilot.app.fonts
        for name in ("render", "draw_block", "wrap", "fit_line"):
            original = getattr(fonts, name)

            def spy(text: str, *args: Any, _original: Any = original, **kw: Any) -> Any:
                self.texts.append(str(text))
                return _original(text, *args, **kw)

            monkeypatch.setattr(fonts, name, spy)

    def any(self, words: str) -> bool:
        return any(words.lower() in t.lower() for t in self.texts)


@pytest.fixture
def coached(make_app: MakeApp) -> tuple[Autopilot, Store, int, int]:
    """Tess played a call; two notes on it wait for her (the newest shown first)."""
    pilot = make_app()
    play_level(pilot, "Tess Trainee", good_choices(LEVEL))
    store = store_of(pilot)
    (attempt,) = store.attempts()
    first = store.add_note(attempt.id, "Sam", f"{PRIVATE}. Next time thank him for waiting.")
    second = store.add_note(attempt.id, "Sam", "And use his name once, early on.")
    return pilot, store, first.id, second.id


def test_the_title_never_shows_a_note_and_signing_in_tells_of_them(
    coached: tuple[Autopilot, Store, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot, store, first, second = coached
    drawn = Drawn(pilot, monkeypatch)
    title = pilot.scene(TitleScene)
    title.resume()  # read the records again, as coming back to the title does
    pilot.frames(3)
    assert not drawn.any(PRIVATE) and not drawn.any("new note"), "a note on the shared screen"
    assert not any(k.startswith("note") for k in title.menu.ring.keys)

    pilot.until(lambda: title.menu.focused == "continue", "continue", 12, pygame.K_UP)
    pilot.key(pygame.K_RETURN, frames=3)  # signed in: told of the notes, over the levels
    notes = pilot.scene(NotesScene)
    assert isinstance(pilot.app.stack[-2], LevelsScene)
    assert drawn.any(PRIVATE) and drawn.any("2 new notes")
    assert notes.menu.focused == f"read:{second}"  # the newest first
    pilot.key(pygame.K_RETURN, frames=2)  # Mark as read
    assert notes.menu.focused == f"read:{first}", "focus went past the next new note"
    pilot.key(pygame.K_RETURN, frames=2)
    assert notes.menu.focused == DONE, "after the last one, focus goes to Continue, not away"
    assert [n.id for n in notes.notes] == [second, first]  # read, and still there
    assert store.notes_for_trainee(notes.trainee.id, unread_only=True) == ()
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.scene(LevelsScene)
    assert pilot.app.running

    # no new notes: signing in again goes straight to the levels
    pilot.key(pygame.K_ESCAPE, frames=2)
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "continue", "continue", 12, pygame.K_UP)
    pilot.key(pygame.K_RETURN, frames=3)
    assert pilot.top_name == "LevelsScene"


def test_read_notes_stay_in_history_and_on_the_debrief_of_their_call(
    coached: tuple[Autopilot, Store, int, int],
) -> None:
    pilot, store, first, second = coached
    for note in (first, second):
        store.mark_note_read(note)
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "continue", "continue", 12, pygame.K_UP)
    pilot.key(pygame.K_RETURN, frames=3)
    levels = pilot.scene(LevelsScene)  # nothing new: no notes scene
    levels.menu.focus("history")
    pilot.key(pygame.K_RETURN, frames=3)
    history = pilot.scene(HistoryScene)
    (attempt,) = history.attempts
    row = history.menu.button(f"attempt:{attempt.id}")
    assert row is not None and row.detail is not None and "2 coaching notes" in row.detail
    notes_button = history.menu.button(NOTES)
    assert notes_button is not None and notes_button.label == "Coaching notes (2)"
    history.menu.focus(NOTES)
    pilot.key(pygame.K_RETURN, frames=3)
    every = pilot.scene(NotesScene)
    assert [n.id for n in every.notes] == [second, first]
    assert every.menu.focused == DONE  # nothing to mark
    pilot.key(pygame.K_ESCAPE, frames=2)
    history.menu.focus(f"attempt:{attempt.id}")
    pilot.key(pygame.K_RETURN)
    pilot.until(lambda: pilot.top_name == "DebriefScene", "the debrief", 60)
    debrief = pilot.scene(DebriefScene)
    assert [n.id for n in debrief.coaching] == [first, second]
    assert debrief._notes_card(None, 0, 470) > 0  # a card of its own in the left column


def test_the_supervisor_edits_and_deletes_their_notes(make_app: MakeApp) -> None:
    pilot = make_app()
    play_level(pilot, "Tess Trainee", good_choices(LEVEL))
    store = store_of(pilot)
    (played,) = store.attempts()
    other = store.add_note(played.id, "Another Supervisor", "Not Sam's to change.")
    store.mark_note_read(other.id)
    overview = set_passphrase(pilot, author="Sam Okafor")
    pilot.type_text("tess")
    assert [r.trainee.name for r in overview.rows] == ["Tess Trainee"]
    pilot.key(pygame.K_RETURN, frames=2)
    page = pilot.scene(TraineeScene)
    row = page.menu.button(f"attempt:{played.id}")
    assert row is not None and row.detail is not None and "✉ 1 note" in row.detail
    pilot.key(pygame.K_RETURN)
    pilot.until(lambda: pilot.top_name == "AttemptScene", "the attempt", 60)
    shown = pilot.scene(AttemptScene)
    assert [n.id for n in shown.coaching] == [other.id]  # reopening shows what is there
    assert shown.menu.button(EDIT) is None  # nothing of Sam's to edit yet
    pilot.type_text("Lovely recap.")
    pilot.key(pygame.K_TAB)
    pilot.key(pygame.K_RETURN, frames=2)  # Save the note
    assert shown.field.text == ""
    assert [n.text for n in shown.coaching] == ["Not Sam's to change.", "Lovely recap."]
    mine = shown.coaching[-1]
    assert shown.menu.ring.keys == ["note", "save", EDIT, "back"]
    shown.menu.focus(EDIT)
    pilot.key(pygame.K_RETURN, frames=2)
    edit = pilot.scene(NotesEditScene)
    assert [n.id for n in edit.notes] == [mine.id]  # only the notes Sam wrote
    assert edit.menu.focused == "field" and edit.field.text == "Lovely recap."
    pilot.type_text(" Thank him for waiting, too.")
    pilot.key(pygame.K_TAB)
    assert edit.menu.focused == SAVE
    pilot.key(pygame.K_RETURN, frames=2)
    assert edit.message.startswith("Saved")
    changed = next(n for n in store.notes_for_trainee(played.trainee_id) if n.id == mine.id)
    assert changed.text == "Lovely recap. Thank him for waiting, too."
    assert changed.edited_at is not None and changed.read_at is None  # new to her again

    edit.menu.focus(DELETE)
    pilot.key(pygame.K_RETURN, frames=2)  # once: asks
    assert edit.confirming and "cannot be brought back" in edit.message
    assert mine.id in [n.id for n in store.notes_for_trainee(played.trainee_id)]
    pilot.key(pygame.K_RETURN, frames=2)  # twice: gone, and back on the attempt
    assert [n.id for n in store.notes_for_trainee(played.trainee_id)] == [other.id]
    back = pilot.scene(AttemptScene)
    assert [n.id for n in back.coaching] == [other.id]
    assert back.menu.button(EDIT) is None


@pytest.mark.parametrize("scale", [100, 200])
def test_the_notes_screen_fits_at_every_text_size(make_app: MakeApp, scale: int) -> None:
    from game.ui.settings import PlayerSettings
    from tests.ui.test_text_fit import audit

    pilot = make_app(settings=PlayerSettings(text_scale=scale))
    play_level(pilot, "Maximiliano Alessandro Villanueva-Bartholomew", good_choices(LEVEL))
    store = store_of(pilot)
    (attempt,) = store.attempts()
    for words in ("Lovely recap. " * 12, "Use his name once, early."):
        store.add_note(attempt.id, "Sam Okafor (supervisor)", words)
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "continue", "continue", 12, pygame.K_UP)
    pilot.key(pygame.K_RETURN, frames=3)
    notes = pilot.scene(NotesScene)
    assert audit(notes) == []
    assert notes.view.content_height > notes.view.rect.height or scale == 100  # it scrolls
    pilot.key(pygame.K_RETURN, frames=2)  # mark the first read: focus to the next note's
    assert notes.menu.focused == f"read:{notes.unread[0].id}"
    assert audit(notes) == []
