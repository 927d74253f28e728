"""Settings and counters shared by every window on the database."""

from __future__ import annotations

from sqlalchemy import (
    Integer,
    cast,
    func,
    select,
)
from sqlalchemy import Text as TextType

from game.records.database import (
    settings,
)
from game.records.store.base import StoreBase


class SharedSettingsMixin(StoreBase):
    """Settings and counters shared by every window on the database."""

    def increment_setting(self, key: str) -> int:
        """One atomic upsert: two windows counting at once both count."""
        stmt = self._insert(settings).values(key=key, value="1")
        current = func.coalesce(cast(settings.c.value, Integer), 0)
        stmt = stmt.on_conflict_do_update(
            index_elements=[settings.c.key], set_={"value": cast(current + 1, TextType)}
        ).returning(settings.c.value)
        with self._writing() as conn:
            return int(conn.execute(stmt).scalar_one())

    def get_setting(self, key: str) -> str | None:
        with self._reading() as conn:
            value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
        return None if value is None else str(value)

    def set_setting(self, key: str, value: str) -> None:
        stmt = self._insert(settings).values(key=key, value=value)
        stmt = stmt.on_conflict_do_update(
            index_elements=[settings.c.key], set_={"value": stmt.excluded.value}
        )
        with self._writing() as conn:
            conn.execute(stmt)
