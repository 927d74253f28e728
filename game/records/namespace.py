"""The database's xAPI statement-id namespace: made once, atomically, when the store opens.

Statement ids are uuid5 over (namespace, attempt, verb, turn), so a database must keep one
namespace for ever. It is made in the same transaction that creates or migrates the tables
(`INSERT … ON CONFLICT DO NOTHING`: two processes opening a fresh database at once keep the
first one written), so exporting never has to write: `report` and `export` open the
database read-only and only read it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from game.records.database import settings

NAMESPACE_SETTING = "xapi.namespace"


def ensure_xapi_namespace(conn: Connection) -> None:
    """Add a namespace if the database has none; an existing one (even bad) is never replaced."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(
        insert(settings)
        .values(key=NAMESPACE_SETTING, value=str(uuid.uuid4()))
        .on_conflict_do_nothing(index_elements=[settings.c.key])
    )


def read_xapi_namespace(conn: Connection) -> uuid.UUID | None:
    """The kept namespace, or None if there is none (or it is not a uuid)."""
    value = conn.execute(
        select(settings.c.value).where(settings.c.key == NAMESPACE_SETTING)
    ).scalar()
    try:
        return None if value is None else uuid.UUID(str(value))
    except ValueError:
        return None
