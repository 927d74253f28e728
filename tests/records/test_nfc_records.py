"""Text read from the records is NFC, whoever wrote it (an old row, another program)."""

from __future__ import annotations

import unicodedata

from sqlalchemy import text

from game.records.store import SqlStore
from tests.records.play import good_choices, play

NAME = "Nguyễn Ngọc Trâm"
AUTHOR = "Şükrü Öztürk"
NOTE = "Chị đã lắng nghe rất tốt; lần sau hãy nhắc lại yêu cầu của khách trước khi hứa."


def _nfd(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value)
    assert decomposed != value  # the test means something only if the bytes differ
    return decomposed


def test_names_and_notes_come_back_in_nfc(store: SqlStore) -> None:
    trainee = store.add_trainee("Placeholder")
    attempt = play(store, trainee.id, good_choices()).attempt_id
    note = store.add_note(attempt, "Sam", "Well done.")
    with store.engine.begin() as conn:  # as an old version or another program wrote them
        conn.execute(
            text("UPDATE trainees SET name = :name WHERE id = :id"),
            {"name": _nfd(NAME), "id": trainee.id},
        )
        conn.execute(
            text("UPDATE notes SET author = :author, text = :text WHERE id = :id"),
            {"author": _nfd(AUTHOR), "text": _nfd(NOTE), "id": note.id},
        )
    assert [t.name for t in store.trainees()] == [NAME]
    fetched = store.get_trainee(trainee.id)
    assert fetched is not None and fetched.name == NAME
    rows, _ = store.overview_page("name", False, 0, 10)
    assert rows[0].trainee.name == NAME
    (kept,) = store.notes_for_trainee(trainee.id)
    assert (kept.author, kept.text) == (AUTHOR, NOTE)
