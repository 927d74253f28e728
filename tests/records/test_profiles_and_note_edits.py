"""Profiles renamed and erased, settings kept with the profile, notes edited and deleted:
on a real SQLite file and a real PostgreSQL database (the `store` fixture runs both)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from game.records.api import DuplicateTrainee, Footprint, RecordNotFound
from game.records.store import SqlStore
from tests.records.play import bad_choices, good_choices, play


def rows_of(store: SqlStore, table: str, trainee_id: int) -> int:
    column = "trainee_id" if table != "trainees" else "id"
    with store.engine.connect() as conn:
        found = conn.execute(
            text(f"SELECT count(*) FROM {table} WHERE {column} = :t"), {"t": trainee_id}
        ).scalar_one()
    return int(found)


def test_a_rename_keeps_the_records_and_refuses_a_taken_or_lookalike_name(
    store: SqlStore,
) -> None:
    ana = store.add_trainee("Ana Reyse")
    store.add_trainee("Ben Ortiz")
    attempt = play(store, ana.id, good_choices()).attempt_id
    for taken in ("ben ortiz", "Ben  Ortiz", "BEN ORTIZ"):
        with pytest.raises(DuplicateTrainee):
            store.rename_trainee(ana.id, taken)
    renamed = store.rename_trainee(ana.id, "  Ana   Reyes ")
    assert (renamed.id, renamed.name) == (ana.id, "Ana Reyes")
    assert store.find_trainee("ana reyes") == renamed
    assert store.find_trainee("Ana Reyse") is None
    assert [a.id for a in store.attempts(trainee_id=ana.id)] == [attempt]
    detail = store.attempt_detail(attempt)
    assert detail is not None and detail.attempt.trainee_name == "Ana Reyes"
    assert store.rename_trainee(ana.id, "ana reyes").name == "ana reyes"  # its own name: fine
    assert [r.trainee.name for r in store.overview()] == ["ana reyes", "Ben Ortiz"]
    with pytest.raises(RecordNotFound):
        store.rename_trainee(ana.id + 100, "Nobody")
    with pytest.raises(ValueError, match="empty"):
        store.rename_trainee(ana.id, "   ")


def test_erasing_a_profile_takes_everything_under_it_and_nothing_else(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    ben = store.add_trainee("Ben")
    a1 = play(store, ana.id, bad_choices())
    a2 = play(store, ana.id, good_choices())
    kept = play(store, ben.id, good_choices()).attempt_id
    store.add_note(a1.attempt_id, "Sam", "one")
    store.add_note(a2.attempt_id, "Sam", "two")
    store.add_note(a2.attempt_id, "Sam", "three")
    ben_note = store.add_note(kept, "Sam", "Ben's")
    assert [r.trainee.name for r in store.overview()] == ["Ana", "Ben"]  # cached now
    turns = len(a1.state.turns) + len(a2.state.turns)
    expected = Footprint(attempts=2, turns=turns, notes=3)
    assert store.trainee_footprint(ana.id) == expected
    assert store.delete_trainee(ana.id) == expected
    for table in ("trainees", "attempts", "notes", "level_stats", "principle_stats"):
        assert rows_of(store, table, ana.id) == 0, table
    with store.engine.connect() as conn:
        assert conn.execute(
            text("SELECT count(*) FROM turns WHERE attempt_id IN (:a, :b)"),
            {"a": a1.attempt_id, "b": a2.attempt_id},
        ).scalar_one() == 0  # fmt: skip
    assert store.get_trainee(ana.id) is None
    assert [r.trainee.name for r in store.overview()] == ["Ben"]  # the cache noticed
    rows, total = store.overview_page("name", False, 0, 10)
    assert total == 1 and [r.trainee.name for r in rows] == ["Ben"]
    assert [a.id for a in store.attempts()] == [kept]
    assert [n.id for n in store.notes_for_trainee(ben.id)] == [ben_note.id]
    with pytest.raises(RecordNotFound):
        store.delete_trainee(ana.id)
    with pytest.raises(RecordNotFound):
        store.trainee_footprint(ana.id)
    # the name is free again, and a new profile shows in the overview at once
    again = store.add_trainee("Ana")
    assert [r.trainee.id for r in store.overview()] == [again.id, ben.id]


def test_the_overview_never_misses_a_change_after_the_newest_trainee_is_erased(
    store: SqlStore,
) -> None:
    ana = store.add_trainee("Ana")
    ben = store.add_trainee("Ben")  # holds the highest revision
    assert len(store.overview()) == 2
    store.delete_trainee(ben.id)
    cara = store.add_trainee("Cara")  # added before the overview is read again
    assert [r.trainee.id for r in store.overview()] == [ana.id, cara.id]
    store.delete_trainee(ana.id)
    store.delete_trainee(cara.id)
    assert store.overview() == ()
    dee = store.add_trainee("Dee")
    assert [r.trainee.id for r in store.overview()] == [dee.id]
    play(store, dee.id, good_choices())
    (row,) = store.overview()
    assert row.attempts == 1


def test_settings_are_kept_with_the_profile(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    ben = store.add_trainee("Ben")
    assert store.trainee_settings(ana.id) is None  # the machine's default applies
    mine = json.dumps({"version": 1, "text_scale": 200, "high_contrast": True})
    store.set_trainee_settings(ana.id, mine)
    assert store.trainee_settings(ana.id) == mine
    assert store.trainee_settings(ben.id) is None
    with pytest.raises(ValueError, match="at most"):
        store.set_trainee_settings(ana.id, "x" * 5000)
    with pytest.raises(RecordNotFound):
        store.trainee_settings(ben.id + 100)
    with pytest.raises(RecordNotFound):
        store.set_trainee_settings(ben.id + 100, mine)


def test_a_note_is_edited_stamped_and_new_again_then_deleted(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    attempt = play(store, ana.id, good_choices()).attempt_id
    note = store.add_note(attempt, "Sam", "Good recap.")
    other = store.add_note(attempt, "Sam", "Keep going.")
    store.mark_note_read(note.id)
    edited = store.edit_note(note.id, "  Good recap. Thank him, too. ")
    assert edited.text == "Good recap. Thank him, too."
    assert edited.edited_at is not None and edited.edited_at >= edited.created_at
    assert edited.read_at is None  # the trainee is told of it again
    assert (edited.id, edited.author, edited.created_at) == (note.id, note.author, note.created_at)
    assert store.notes_for_trainee(ana.id, unread_only=True) == (edited, other)
    detail = store.attempt_detail(attempt)
    assert detail is not None and detail.notes == (edited, other)
    with pytest.raises(ValueError, match="empty"):
        store.edit_note(note.id, "  ")
    with pytest.raises(RecordNotFound):
        store.edit_note(note.id + 100, "x")
    store.delete_note(note.id)
    assert store.notes_for_trainee(ana.id) == (other,)
    with pytest.raises(RecordNotFound):
        store.delete_note(note.id)
