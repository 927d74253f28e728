"""Coaching notes changed or taken back by the supervisor after writing them."""

from __future__ import annotations

from sqlalchemy import delete, select

from game.records.api import Note, RecordNotFound
from game.records.database import notes
from game.records.store.base import StoreBase
from game.records.store.rows import _clean_note, _note, _now


class NoteEditsMixin(StoreBase):
    """Edit (stamped, and new to the trainee again) and delete (for good) a coaching note."""

    def edit_note(self, note_id: int, text: str) -> Note:
        body = _clean_note(text)
        with self._writing() as conn:
            done = conn.execute(
                notes.update()
                .where(notes.c.id == note_id)
                .values(text=body, edited_at=_now(), read_at=None)
            )
            if done.rowcount != 1:
                raise RecordNotFound(f"no note with id {note_id}")
            row = conn.execute(select(notes).where(notes.c.id == note_id)).one()
        return _note(row)

    def delete_note(self, note_id: int) -> None:
        with self._writing() as conn:
            done = conn.execute(delete(notes).where(notes.c.id == note_id))
            if done.rowcount != 1:
                raise RecordNotFound(f"no note with id {note_id}")
