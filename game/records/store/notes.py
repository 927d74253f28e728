"""Coaching notes on attempts."""

from __future__ import annotations

from sqlalchemy import (
    select,
)

from game.records.api import (
    Note,
    RecordNotFound,
)
from game.records.database import (
    attempts,
    notes,
)
from game.records.store.base import StoreBase
from game.records.store.rows import _clean_name, _clean_note, _note, _now


class NotesMixin(StoreBase):
    """Coaching notes on attempts."""

    def add_note(self, attempt_id: int, author: str, text: str) -> Note:
        who = _clean_name(author, "the note's author")
        body = _clean_note(text)
        now = _now()
        with self._writing() as conn:
            trainee_id = conn.execute(
                select(attempts.c.trainee_id).where(attempts.c.id == attempt_id)
            ).scalar()
            if trainee_id is None:
                raise RecordNotFound(f"no attempt with id {attempt_id}")
            result = conn.execute(
                notes.insert().values(
                    attempt_id=attempt_id,
                    trainee_id=trainee_id,
                    author=who,
                    text=body,
                    created_at=now,
                )
            )
            pk = result.inserted_primary_key
            assert pk is not None
        return Note(int(pk[0]), attempt_id, int(trainee_id), who, body, now, None)

    def notes_for_trainee(self, trainee_id: int, *, unread_only: bool = False) -> tuple[Note, ...]:
        query = select(notes).where(notes.c.trainee_id == trainee_id)
        if unread_only:
            query = query.where(notes.c.read_at.is_(None))
        with self._reading() as conn:
            rows = conn.execute(query.order_by(notes.c.created_at, notes.c.id)).all()
        return tuple(_note(r) for r in rows)

    def mark_note_read(self, note_id: int) -> None:
        with self._writing() as conn:
            result = conn.execute(
                notes.update()
                .where(notes.c.id == note_id, notes.c.read_at.is_(None))
                .values(read_at=_now())
            )
            if result.rowcount == 0:
                found = conn.execute(select(notes.c.id).where(notes.c.id == note_id)).first()
                if found is None:
                    raise RecordNotFound(f"no note with id {note_id}")
