"""The roster port: trainees, their names, PINs and database logins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Connection,
    case,
    select,
)
from sqlalchemy.exc import IntegrityError

from game.records.api import (
    DuplicateTrainee,
    RecordNotFound,
    Trainee,
)
from game.records.database import (
    trainees,
)
from game.records.names import lookalike_key, lookup_key, search_key
from game.records.store.base import StoreBase
from game.records.store.rows import _clean_name, _now, _trainee, _trainee_select, holds_key
from game.records.store.statements import _next_revision


def refuse_lookalike(conn: Connection, name: str, *, other_than: int | None = None) -> None:
    """DuplicateTrainee if another profile's name would look the same on screen."""
    look = lookalike_key(name)
    query = select(trainees.c.name)
    if other_than is not None:
        query = query.where(trainees.c.id != other_than)
    for (other,) in conn.execute(query):
        if lookalike_key(str(other)) == look:
            raise DuplicateTrainee(
                f"a trainee called {other!r} already exists, and {name!r} would"
                " look the same on screen: add a surname or an initial"
            )


class RosterMixin(StoreBase):
    """The roster port: trainees, their names, PINs and database logins."""

    def add_trainee(self, name: str) -> Trainee:
        clean = _clean_name(name, "the trainee's name")
        now = _now()
        try:
            with self._writing(revises=True) as conn:
                # In the same transaction as the insert (writers take turns), so two
                # look-alikes added at once cannot both get in.
                refuse_lookalike(conn, clean)
                result = conn.execute(
                    trainees.insert().values(
                        name=clean,
                        name_key=lookup_key(clean),
                        search_key=search_key(clean),
                        created_at=now,
                        attempt_count=0,
                        revision=_next_revision(self._pg),
                    )
                )
                pk = result.inserted_primary_key
                assert pk is not None
                trainee_id = int(pk[0])
        except IntegrityError as error:
            raise DuplicateTrainee(f"a trainee called {clean!r} already exists") from error
        return Trainee(trainee_id, clean, now, None)

    def trainees(self) -> tuple[Trainee, ...]:
        with self._reading() as conn:
            rows = conn.execute(_trainee_select().order_by(trainees.c.name_key, trainees.c.id))
            return tuple(_trainee(r) for r in rows)

    def get_trainee(self, trainee_id: int) -> Trainee | None:
        with self._reading() as conn:
            row = conn.execute(_trainee_select().where(trainees.c.id == trainee_id)).first()
        return None if row is None else _trainee(row)

    def find_trainee(self, name: str) -> Trainee | None:
        key = lookup_key(name)
        with self._reading() as conn:
            row = conn.execute(_trainee_select().where(trainees.c.name_key == key)).first()
        return None if row is None else _trainee(row)

    def search_trainees(self, term: str, limit: int = 20) -> tuple[Trainee, ...]:
        """Trainees whose name holds `term`, case and diacritics ignored ("ngoc tram" finds
        "Ngọc Trâm"), by name; those whose whole name matches come first."""
        key = search_key(term)
        if not key:
            return ()
        t = trainees.c
        whole = case((t.search_key == key, 0), else_=1)
        query = (
            _trainee_select()
            .where(holds_key(t.search_key, key))
            .order_by(whole, t.name_key, t.id)
            .limit(limit)
        )
        with self._reading() as conn:
            return tuple(_trainee(r) for r in conn.execute(query))

    def trainee_pin(self, trainee_id: int) -> tuple[str | None, int, datetime | None]:
        t = trainees.c
        with self._reading() as conn:
            row = conn.execute(
                select(t.pin_hash, t.pin_failures, t.pin_failed_at).where(t.id == trainee_id)
            ).first()
        if row is None:
            raise RecordNotFound(f"no trainee with id {trainee_id}")
        stored = None if row.pin_hash is None else str(row.pin_hash)
        return stored, int(row.pin_failures), row.pin_failed_at

    def set_trainee_pin(self, trainee_id: int, pin_hash: str | None) -> None:
        self._update_trainee(trainee_id, pin_hash=pin_hash, pin_failures=0, pin_failed_at=None)

    def count_pin_failure(self, trainee_id: int, when: datetime) -> int:
        with self._writing() as conn:
            found = conn.execute(
                trainees.update()
                .where(trainees.c.id == trainee_id)
                .values(pin_failures=trainees.c.pin_failures + 1, pin_failed_at=when)
                .returning(trainees.c.pin_failures)
            ).scalar()
        if found is None:
            raise RecordNotFound(f"no trainee with id {trainee_id}")
        return int(found)

    def clear_pin_failures(self, trainee_id: int) -> None:
        self._update_trainee(trainee_id, pin_failures=0, pin_failed_at=None)

    def set_trainee_login(self, trainee_id: int, login: str | None) -> None:
        """Which database login is this trainee (PostgreSQL rooms; see game.records.room)."""
        self._update_trainee(trainee_id, login=login)

    def trainee_login(self, trainee_id: int) -> str | None:
        with self._reading() as conn:
            return conn.execute(
                select(trainees.c.login).where(trainees.c.id == trainee_id)
            ).scalar()
