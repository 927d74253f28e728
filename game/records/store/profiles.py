"""Profiles looked after: renamed, erased with everything recorded under them, and their own
settings (text size, contrast, timer…) kept with them rather than with one machine."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.exc import IntegrityError

from game.records.api import DuplicateTrainee, Footprint, RecordNotFound, Trainee
from game.records.database import (
    attempts,
    latest_attempts,
    level_stats,
    notes,
    principle_stats,
    tally_choices,
    trainees,
    turns,
)
from game.records.names import lookup_key, search_key
from game.records.store.base import StoreBase
from game.records.store.roster import refuse_lookalike
from game.records.store.rows import _clean_name, _trainee, _trainee_select
from game.records.store.statements import _next_revision

SETTINGS_MAX = 4_000  # characters of a profile's settings JSON (the game writes about 120)


def _footprint(conn: Connection, trainee_id: int) -> Footprint:
    owned = select(attempts.c.id).where(attempts.c.trainee_id == trainee_id)
    count_attempts = (
        select(func.count()).select_from(attempts).where(attempts.c.trainee_id == trainee_id)
    )
    count_turns = select(func.count()).select_from(turns).where(turns.c.attempt_id.in_(owned))
    count_notes = select(func.count()).select_from(notes).where(notes.c.trainee_id == trainee_id)
    return Footprint(
        attempts=int(conn.execute(count_attempts).scalar_one()),
        turns=int(conn.execute(count_turns).scalar_one()),
        notes=int(conn.execute(count_notes).scalar_one()),
    )


def _exists(conn: Connection, trainee_id: int) -> None:
    if conn.execute(select(trainees.c.id).where(trainees.c.id == trainee_id)).first() is None:
        raise RecordNotFound(f"no trainee with id {trainee_id}")


class ProfilesMixin(StoreBase):
    """Rename, erase, and per-profile settings."""

    def rename_trainee(self, trainee_id: int, name: str) -> Trainee:
        clean = _clean_name(name, "the trainee's name")
        try:
            with self._writing(revises=True) as conn:  # the overview shows the new name
                _exists(conn, trainee_id)
                refuse_lookalike(conn, clean, other_than=trainee_id)
                conn.execute(
                    trainees.update()
                    .where(trainees.c.id == trainee_id)
                    .values(
                        name=clean,
                        name_key=lookup_key(clean),
                        search_key=search_key(clean),
                        revision=_next_revision(self._pg),
                    )
                )
                row = conn.execute(_trainee_select().where(trainees.c.id == trainee_id)).one()
        except IntegrityError as error:
            raise DuplicateTrainee(f"a trainee called {clean!r} already exists") from error
        return _trainee(row)

    def trainee_footprint(self, trainee_id: int) -> Footprint:
        with self._reading(snapshot=True) as conn:
            _exists(conn, trainee_id)
            return _footprint(conn, trainee_id)

    def delete_trainee(self, trainee_id: int) -> Footprint:
        """Erase the profile and everything under it, in one transaction.

        Before the row goes, another trainee takes the next revision: the counter is the
        highest revision in the table, and it must never go back (an overview that has seen
        the erased trainee's revision would then miss the next change).
        """
        with self._writing(revises=True) as conn:
            _exists(conn, trainee_id)
            erased = _footprint(conn, trainee_id)
            other = conn.execute(
                select(func.min(trainees.c.id)).where(trainees.c.id != trainee_id)
            ).scalar()
            if other is not None:
                conn.execute(
                    trainees.update()
                    .where(trainees.c.id == other)
                    .values(revision=_next_revision(self._pg))
                )
            # the cohort's choice map forgets them too, before their turns go (v9)
            tally_choices(conn, trainee_id=trainee_id, sign=-1)
            owned = select(attempts.c.id).where(attempts.c.trainee_id == trainee_id)
            for statement in (
                delete(latest_attempts).where(latest_attempts.c.trainee_id == trainee_id),
                delete(notes).where(notes.c.trainee_id == trainee_id),
                delete(turns).where(turns.c.attempt_id.in_(owned)),
                delete(attempts).where(attempts.c.trainee_id == trainee_id),
                delete(level_stats).where(level_stats.c.trainee_id == trainee_id),
                delete(principle_stats).where(principle_stats.c.trainee_id == trainee_id),
                delete(trainees).where(trainees.c.id == trainee_id),
            ):
                conn.execute(statement)
        return erased

    def trainee_settings(self, trainee_id: int) -> str | None:
        with self._reading() as conn:
            row = conn.execute(
                select(trainees.c.settings).where(trainees.c.id == trainee_id)
            ).first()
        if row is None:
            raise RecordNotFound(f"no trainee with id {trainee_id}")
        return None if row.settings is None else str(row.settings)

    def set_trainee_settings(self, trainee_id: int, settings: str) -> None:
        if len(settings) > SETTINGS_MAX:
            raise ValueError(
                f"a profile's settings hold at most {SETTINGS_MAX:,} characters,"
                f" not {len(settings):,}"
            )
        self._update_trainee(trainee_id, settings=settings)
