"""Finding a trainee ignores case and diacritics, in SQL, on SQLite and PostgreSQL.

The key is stored (`trainees.search_key`, schema v10), back-filled for the names already
there, kept current by a rename, and indexed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text

from game.records.database import migrate, trainees
from game.records.export import find_trainee_id
from game.records.failures import InvalidRequest
from game.records.names import search_key
from game.records.store import SqlStore, open_store
from game.records.store.connect import _create_engine, _writer

ROOM = (
    "Ngọc Trâm Nguyễn", "Ayşe Yılmaz", "İpek Şahin", "Đặng Văn Lâm", "Mikko Mäkinen",
    "Päivi Jönsson", "Maria Peña", "Santo Niño Cruz", "Jürgen Strauß", "Søren Holm",
    "Ana Reyes",
)  # fmt: skip
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FOUND = [
    ("ngoc tram", ["Ngọc Trâm Nguyễn"]),
    ("NGỌC", ["Ngọc Trâm Nguyễn"]),
    ("yilmaz", ["Ayşe Yılmaz"]),
    ("YILMAZ", ["Ayşe Yılmaz"]),
    ("ayse", ["Ayşe Yılmaz"]),
    ("ipek", ["İpek Şahin"]),
    ("sahin", ["İpek Şahin"]),
    ("dang van", ["Đặng Văn Lâm"]),
    ("makinen", ["Mikko Mäkinen"]),
    ("paivi jons", ["Päivi Jönsson"]),
    ("pena", ["Maria Peña"]),
    ("nino", ["Santo Niño Cruz"]),
    ("strauss", ["Jürgen Strauß"]),
    ("soren", ["Søren Holm"]),
    ("an", ["Ana Reyes", "Đặng Văn Lâm", "Santo Niño Cruz"]),
    ("100%", []),
    ("_", []),
]


@pytest.fixture
def room(store: SqlStore) -> SqlStore:
    for name in ROOM:
        store.add_trainee(name)
    return store


@pytest.mark.parametrize(("typed", "names"), FOUND)
def test_the_desk_search_finds_names_as_typed(room: SqlStore, typed: str, names: list[str]
                                              ) -> None:  # fmt: skip
    rows, total = room.overview_page("name", False, 0, 50, typed)
    assert sorted(r.trainee.name for r in rows) == sorted(names)
    assert total == len(names)
    assert sorted(t.name for t in room.search_trainees(typed)) == sorted(names)


def test_whole_names_come_first_and_report_picks_one(room: SqlStore) -> None:
    room.add_trainee("Lan")
    room.add_trainee("Lan Anh")  # "lan" is in both, and whole in one
    assert next(t.name for t in room.search_trainees("LAN")) == "Lan"
    lan = room.find_trainee("Lan")
    assert lan is not None
    assert find_trainee_id(room, "lån") == lan.id  # the whole-name match decides
    assert find_trainee_id(room, "ngoc tram") == room.search_trainees("ngoc tram")[0].id
    assert find_trainee_id(room, "yilmaz") == room.search_trainees("Yılmaz")[0].id
    with pytest.raises(InvalidRequest, match="matches more than one trainee"):
        find_trainee_id(room, "an")
    with pytest.raises(InvalidRequest, match="no trainee called 'Nobody'"):
        find_trainee_id(room, "Nobody")


def test_accented_and_plain_spellings_stay_two_people_and_are_told_apart(store: SqlStore
                                                                          ) -> None:  # fmt: skip
    plain, accented = store.add_trainee("Nguyen Lan"), store.add_trainee("Nguyễn Lan")
    assert {t.id for t in store.search_trainees("nguyen lan")} == {plain.id, accented.id}
    assert find_trainee_id(store, "Nguyễn Lan") == accented.id  # as spelt: that one
    assert find_trainee_id(store, "Nguyen Lan") == plain.id
    with pytest.raises(InvalidRequest, match="'Nguyen Lan', 'Nguyễn Lan'"):
        find_trainee_id(store, "Nguyền lan")  # neither as spelt: both match alike


def test_a_rename_moves_the_key(room: SqlStore) -> None:
    ana = room.find_trainee("Ana Reyes")
    assert ana is not None
    room.rename_trainee(ana.id, "Anaïs Çelik")
    assert [t.id for t in room.search_trainees("anais celik")] == [ana.id]
    assert room.search_trainees("reyes") == ()
    rows, _ = room.overview_page("name", False, 0, 50, "CELIK")
    assert [r.trainee.id for r in rows] == [ana.id]


def test_the_key_is_indexed(room: SqlStore, store_url: str) -> None:
    engine = _create_engine(store_url)
    try:
        with engine.connect() as conn:
            indexes = {
                ix["name"]: ix["column_names"] for ix in inspect(conn).get_indexes("trainees")
            }
            assert indexes["ix_trainees_search_key"] == ["search_key"]
            stored = dict(conn.execute(text("SELECT name, search_key FROM trainees")).all())
    finally:
        engine.dispose()
    assert stored == {name: search_key(name) for name in ROOM}


def test_names_already_there_are_back_filled(store_url: str) -> None:
    """A database of schema 9 (no search key) is moved to 10 with every name's key."""
    engine = _create_engine(store_url)
    try:
        with _writer(engine).begin() as conn:
            assert migrate(conn, target=9) == 0
            for name in ROOM:
                conn.execute(
                    trainees.insert().values(
                        name=name, name_key=name.casefold(), created_at=T0, attempt_count=0,
                        revision=1,
                    )
                )  # fmt: skip
    finally:
        engine.dispose()
    with open_store(store_url) as store:  # opening migrates
        assert [t.name for t in store.search_trainees("ngoc tram")] == ["Ngọc Trâm Nguyễn"]
        assert [t.name for t in store.search_trainees("yilmaz")] == ["Ayşe Yılmaz"]
        rows, total = store.overview_page("name", False, 0, 50, "SOREN")
        assert [r.trainee.name for r in rows] == ["Søren Holm"] and total == 1
