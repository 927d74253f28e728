"""Schema versions: old databases move forward, newer ones are refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, inspect, text

from game.engine.session import play_choices, turn_to_json
from game.records.api import AttemptStart, AttemptStatus
from game.records.database import (
    METADATA,
    MIGRATIONS,
    SCHEMA_VERSION,
    SchemaVersionError,
    migrate,
)
from game.records.database.migrations import _v1_tables
from game.records.namespace import ensure_xapi_namespace
from game.records.store import SqlStore, open_store
from game.records.store.connect import _create_engine, _writer
from game.scenario.model import AtFaultApology, PartingPolicy, Policy
from tests.catalog import CATALOG
from tests.conftest import SCENARIOS
from tests.records.play import bad_choices, good_choices, play, scenario

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _versions(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return [int(v) for v in conn.execute(text("SELECT version FROM schema_version")).scalars()]


def _write_v1_database(url: str) -> dict[str, Any]:
    """A database as the first release left it, with a little of everything in it."""
    engine = _create_engine(url)
    v1 = _v1_tables().tables
    good = play_choices(scenario(), good_choices(), catalog=CATALOG)
    bad = play_choices(scenario(), bad_choices(), catalog=CATALOG)
    with _writer(engine).begin() as conn:
        assert migrate(conn, target=1) == 0
        ana = conn.execute(
            v1["trainees"].insert().values(name="Ana", name_key="ana", created_at=T0)
        ).inserted_primary_key
        assert ana is not None
        ids = []
        for n, (state, status) in enumerate(
            [(bad, "completed"), (good, "completed"), (bad, "abandoned"), (good, "in_progress")]
        ):
            finished = status == "completed"
            row = conn.execute(
                v1["attempts"]
                .insert()
                .values(
                    trainee_id=ana[0],
                    scenario_id="late-delivery",
                    content_hash=scenario().content_hash,
                    level=1,
                    pass_score=70,
                    seed=n,
                    abusive_caller="warn_then_end",
                    supervisor_request="honor",
                    timer="off",
                    lang="en",
                    status=status,
                    started_at=T0 + timedelta(hours=n),
                    ended_at=T0 + timedelta(hours=n, minutes=5)
                    if status != "in_progress"
                    else None,
                    turn_count=2,
                    score=(90 if state is good else 30) if finished else None,
                    grade=("A" if state is good else "F") if finished else None,
                    passed=(state is good) if finished else None,
                )
            ).inserted_primary_key
            assert row is not None
            ids.append(row[0])
            for turn in state.turns[:2]:
                data = turn_to_json(turn)
                conn.execute(
                    v1["turns"]
                    .insert()
                    .values(
                        attempt_id=row[0],
                        number=turn.number,
                        node=turn.node,
                        choice=turn.choice,
                        say=_json(data["say"]),
                        techniques=_json(data["techniques"]),
                        tags=_json(data["tags"]),
                        anger_before=turn.anger_before,
                        anger_after=turn.anger_after,
                        silence=turn.silence,
                        effects=_json(data["effects"]),
                        quality=turn.quality,
                        feedback=None if data["feedback"] is None else _json(data["feedback"]),
                        response_time=1.0,
                        recorded_at=T0,
                    )
                )
        conn.execute(v1["settings"].insert().values(key="lang", value="fi"))
    assert _versions(engine) == [1]
    engine.dispose()
    return {"ids": ids, "trainee": int(ana[0]), "turns": good.turns[:2]}


def _json(value: object) -> str:
    import json

    return json.dumps(value)


def test_a_version_1_database_migrates_forward(store_url: str) -> None:
    written = _write_v1_database(store_url)
    with open_store(store_url) as store:
        assert _versions(store.engine) == list(range(1, SCHEMA_VERSION + 1))
        # the new summary table was filled from the old attempts
        best = store.level_bests(written["trainee"])["late-delivery"]
        assert (best.best_score, best.best_grade, best.passed) == (90, "A", True)
        assert (best.attempts, best.failed) == (3, 1)
        assert best.last_played == T0 + timedelta(hours=2, minutes=5)
        (row,) = store.overview()
        assert row.attempts == 4
        # old rows read back whole, and new writes work on them
        detail = store.attempt_detail(written["ids"][3])
        assert detail is not None
        # a version 1 row has no place for what the engine learned to record later
        # (reading allowance, conversation facts, steps jumped, the rule behind the verdict):
        # those read back as defaults
        later = {"reading": 0.0, "allowance": 0.0, "facts": (), "jumped": 0, "why": None}
        assert detail.turns == tuple(replace(t, **later) for t in written["turns"])
        assert store.get_setting("lang") == "fi"
        # v8 counted the old turns into the cohort's choice map
        found = store.choice_map("late-delivery")
        opening = next(p for p in found.points if p.node == written["turns"][0].node)
        assert (opening.visits, opening.first_visits, opening.latest_visits) == (4, 1, 1)
        assert sum(p.visits for p in found.points) == 8
        # an old in-progress attempt has no owner: the game is gone, so it is abandoned
        assert store.abandon_stale() == 1
        assert store.attempts()[3].status is AttemptStatus.ABANDONED
        assert store.level_bests(written["trainee"])["late-delivery"].attempts == 4


def _shape(engine: Engine) -> dict[str, Any]:
    inspector = inspect(engine)
    shape: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        shape[table] = {
            "columns": sorted(
                (c["name"], c["nullable"], type(c["type"]).__name__)
                for c in inspector.get_columns(table)
            ),
            "pk": sorted(inspector.get_pk_constraint(table)["constrained_columns"]),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "fks": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"])
                for f in inspector.get_foreign_keys(table)
            ),
        }
    return shape


def test_migrations_build_exactly_the_schema_the_store_queries(
    store_url: str, tmp_path: Path
) -> None:
    with open_store(store_url) as store:
        migrated = _shape(store.engine)
    if store_url.startswith("sqlite"):
        reference = _create_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    else:
        reference = _create_engine(store_url)
        with reference.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    METADATA.create_all(reference)
    built = _shape(reference)
    reference.dispose()
    migrated.pop("schema_version")
    built.pop("schema_version")
    assert migrated == built


def _sqlite_contents(path: Path) -> dict[str, Any]:
    """Everything a SQLite file holds but the times the steps were applied."""
    with sqlite3.connect(path) as raw:
        # sorted: SQLAlchemy creates a table's indexes in no fixed order, which means nothing
        schema = sorted(raw.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        tables = [name for kind, name, _, _ in schema if kind == "table"]
        rows = {t: sorted(raw.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}
        rows["schema_version"] = [v for v, _ in rows["schema_version"]]
        rows.pop("settings")  # the xAPI namespace: a fresh uuid per database
        pragmas = [
            raw.execute(f"PRAGMA {p}").fetchall()
            for p in ("user_version", "application_id", "journal_mode", "encoding")
        ]
    return {"schema": schema, "rows": rows, "pragmas": pragmas}


def test_a_new_sqlite_database_is_what_the_steps_build_one_by_one(tmp_path: Path) -> None:
    """A new file gets the steps' schema in one go; it must be the very one they build."""
    made = tmp_path / "new.db"
    open_store(f"sqlite:///{made}").close()
    stepped = tmp_path / "stepped.db"
    engine = _create_engine(f"sqlite:///{stepped}")
    with _writer(engine).begin() as conn:
        assert migrate(conn, target=1) == 0
    with _writer(engine).begin() as conn:  # from version 1, every later step in turn
        assert migrate(conn) == 1
        ensure_xapi_namespace(conn)
    assert _versions(engine) == list(range(1, SCHEMA_VERSION + 1))
    engine.dispose()
    assert _sqlite_contents(made) == _sqlite_contents(stepped)


def _make_newer(url: str) -> None:
    with open_store(url) as store:
        store.add_trainee("Ana")
        with store.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO schema_version (version, applied_at) VALUES (:v, :t)"),
                {"v": SCHEMA_VERSION + 7, "t": "2027-01-01 00:00:00.000000"},
            )
            conn.execute(text("CREATE TABLE future_thing (id INTEGER PRIMARY KEY)"))


def test_a_newer_database_is_refused_and_left_untouched(store_url: str) -> None:
    _make_newer(store_url)
    before = _fingerprint(store_url)
    with pytest.raises(SchemaVersionError, match=f"version {SCHEMA_VERSION + 7}") as error:
        open_store(store_url)
    assert "newer" in str(error.value)
    assert "Update Hold the Line" in str(error.value)
    assert _fingerprint(store_url) == before


def _fingerprint(url: str) -> object:
    """The SQLite file's bytes; on PostgreSQL, the versions and table list."""
    if url.startswith("sqlite:///"):
        return hashlib.sha256(Path(url.removeprefix("sqlite:///")).read_bytes()).hexdigest()
    engine = _create_engine(url)
    try:
        return (_versions(engine), sorted(inspect(engine).get_table_names()))
    finally:
        engine.dispose()


def test_a_database_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE trainees (who TEXT)")
        raw.execute("INSERT INTO trainees VALUES ('someone else')")
    with pytest.raises(SchemaVersionError, match="not written by Hold the Line"):
        open_store(f"sqlite:///{path}")
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT * FROM trainees").fetchall() == [("someone else",)]


def test_concurrent_first_opens_migrate_once(store_url: str) -> None:
    errors: list[BaseException] = []
    gate = threading.Barrier(4)

    def opener() -> None:
        try:
            gate.wait()
            open_store(store_url).close()
        except BaseException as error:  # collected and re-raised below
            errors.append(error)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    engine = _create_engine(store_url)
    assert _versions(engine) == [m.version for m in MIGRATIONS]
    engine.dispose()


def undo_v8(conn: Connection) -> None:
    """Take a database back to version 7 (from any later version; for tests of earlier migrations)."""
    if conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar() >= 9:
        undo_v9(conn)
    conn.execute(text("ALTER TABLE notes DROP COLUMN edited_at"))
    conn.execute(text("ALTER TABLE trainees DROP COLUMN settings"))
    conn.execute(text("DELETE FROM schema_version WHERE version >= 8"))


def test_v8_lets_notes_be_edited_and_profiles_keep_settings(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    attempt = play(store, ana.id, good_choices()).attempt_id
    note = store.add_note(attempt, "Sam", "Well done.")
    with store.engine.begin() as conn:  # back to how a version 7 database looks
        undo_v8(conn)
    with open_store(store.url) as migrated:
        (kept,) = migrated.notes_for_trainee(ana.id)
        assert kept == note and kept.edited_at is None  # nothing lost, nothing made up
        assert migrated.trainee_settings(ana.id) is None  # the machine's default applies
        assert migrated.edit_note(note.id, "Well done, again.").edited_at is not None
        migrated.set_trainee_settings(ana.id, '{"text_scale": 150}')
        assert migrated.trainee_settings(ana.id) == '{"text_scale": 150}'


def undo_v12(conn: Connection) -> None:
    """Take a database back from version 12 to 11 (for tests of earlier migrations)."""
    conn.execute(text("DROP INDEX ix_trainees_search_key"))
    conn.execute(text("ALTER TABLE trainees DROP COLUMN search_key"))
    conn.execute(text("DELETE FROM schema_version WHERE version >= 12"))


def undo_v11(conn: Connection) -> None:
    """Take a database back from version 12 or 11 to 10 (for tests of earlier migrations)."""
    if conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar() >= 12:
        undo_v12(conn)
    conn.execute(text("DROP TABLE exam_levels"))
    conn.execute(text("ALTER TABLE attempts DROP COLUMN exam"))
    conn.execute(text("DELETE FROM schema_version WHERE version >= 11"))


def test_v11_keeps_every_earlier_attempt_as_practice(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    before = play(store, ana.id, good_choices()).attempt_id
    with store.engine.begin() as conn:  # back to how a version 10 database looks
        undo_v11(conn)
    with open_store(store.url) as migrated:
        assert _versions(migrated.engine)[-1] == SCHEMA_VERSION
        (kept,) = migrated.attempts(trainee_id=ana.id)
        assert kept.id == before and kept.exam is False  # nothing made up: it was practice
        assert migrated.exam_rules() == {}
        migrated.require_exam("late-delivery", True, "Sam")
        assert migrated.exam_rules()["late-delivery"].required_by == "Sam"
        (record,) = migrated.practice_records(ana.id)
        assert (record.scenario_id, record.exam, record.passed) == ("late-delivery", False, True)
        detail = migrated.attempt_detail(before)
        assert detail is not None
        assert record.worst_quality == min(t.quality for t in detail.turns)


def undo_v10(conn: Connection) -> None:
    """Take a database back from version 11 or 10 to 9 (for tests of earlier migrations)."""
    if conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar() >= 11:
        undo_v11(conn)
    conn.execute(text("ALTER TABLE attempts DROP COLUMN parting_ways"))
    conn.execute(text("ALTER TABLE attempts DROP COLUMN apology_when_customer_at_fault"))
    conn.execute(text("DELETE FROM schema_version WHERE version >= 10"))


def test_v10_keeps_the_newer_policies_and_replays_older_attempts_by_their_rules(
    store: SqlStore,
) -> None:
    ana = store.add_trainee("Ana")
    before = play(store, ana.id, good_choices()).attempt_id
    with store.engine.begin() as conn:  # back to how a version 9 database looks
        undo_v10(conn)
    stricter = Policy(
        parting_ways=PartingPolicy.NEEDS_SUPERVISOR,
        apology_when_customer_at_fault=AtFaultApology.NO_APOLOGY_NEEDED,
    )
    with open_store(store.url) as migrated:
        # Played before the keys existed: the rules it was played by, now each one's default.
        old = migrated.attempt_detail(before)
        assert old is not None and old.attempt.policy == Policy()
        after = play(migrated, ana.id, good_choices(), policy=stricter).attempt_id
        detail = migrated.attempt_detail(after)
        assert detail is not None and detail.attempt.policy == stricter


def undo_v9(conn: Connection) -> None:
    """Take a database back from version 9 (or later) to 8 (for tests of earlier migrations)."""
    from game.records.database import drop_choice_trigger

    if conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar() >= 10:
        undo_v10(conn)
    drop_choice_trigger(conn)
    if conn.dialect.name == "postgresql":
        conn.execute(text("DROP FUNCTION htl_tally_turn()"))
    for table in ("choice_tallies", "path_tallies", "principle_tallies", "latest_attempts"):
        conn.execute(text(f"DROP TABLE {table}"))
    conn.execute(text("DROP INDEX ix_trainees_cohort"))
    conn.execute(text("DROP INDEX ix_attempts_trainee_scenario"))
    conn.execute(text("DROP INDEX ix_attempts_level_completed"))
    conn.execute(text("ALTER TABLE trainees DROP COLUMN cohort"))
    conn.execute(text("DELETE FROM schema_version WHERE version >= 9"))


def undo_v7(conn: Connection) -> None:
    """Take a database back from version 7 to 6 (after `undo_v8`; for tests of earlier migrations)."""
    conn.execute(text("ALTER TABLE attempts DROP COLUMN catalog_hash"))
    conn.execute(text("DELETE FROM schema_version WHERE version >= 7"))


def undo_v6(conn: Connection) -> None:
    """Take a database back from version 6 to 5 (after `undo_v7`; for tests of earlier migrations)."""
    conn.execute(text("DROP INDEX trainees_login_key"))
    for column in ("login", "pin_failed_at", "pin_failures", "pin_hash"):
        conn.execute(text(f"ALTER TABLE trainees DROP COLUMN {column}"))
    if conn.dialect.name == "postgresql":
        conn.execute(text("DROP FUNCTION htl_next_revision()"))
    conn.execute(text("DELETE FROM schema_version WHERE version >= 6"))


def test_attempts_record_the_catalog_that_scored_them(store_url: str) -> None:
    """v7: an attempt keeps its catalog's hash; one recorded before is never re-scored."""
    from game.engine.catalog import load_catalog
    from game.records.replayed import replay_recorded, scored_elsewhere
    from game.scenario.loader import load_scenario

    written = _write_v1_database(store_url)
    scenario = load_scenario(SCENARIOS / "late-delivery.yaml")
    with open_store(store_url) as store:
        old = store.attempt_detail(written["ids"][0])
        assert old is not None and old.attempt.catalog_hash is None
        shown = replay_recorded(old, scenario, load_catalog())
        assert scored_elsewhere(old, load_catalog())
        # a first-release row keeps no outcome: there is nothing to debrief, and nothing is
        # re-scored; its stored score stays what every view shows
        assert shown.report is None and shown.note is None
        assert old.attempt.score == 30
        start = AttemptStart(
            old.attempt.trainee_id, scenario.id, scenario.content_hash, 1, 70, 0, Policy(),
            "off", "en", T0, catalog_hash=load_catalog().content_hash,
        )  # fmt: skip
        new = store.attempt_detail(store.start_attempt(start))
        assert new is not None and new.attempt.catalog_hash == load_catalog().content_hash
