"""The store protocol on both backends: trainees, attempts turn by turn, bests, overview, notes."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from game.engine.session import Event, play_choices
from game.records.api import (
    STUCK_AFTER_FAILS,
    AttemptStart,
    AttemptStatus,
    DuplicateTrainee,
    RecordNotFound,
    Store,
)
from game.records.store import BUSY_TIMEOUT_MS, DEFAULT_DB_NAME, SqlStore, open_store
from game.scenario.model import Policy
from tests.records.play import (
    bad_choices,
    expected_bests,
    find_path,
    good_choices,
    play,
    scenario,
)


def test_sql_store_satisfies_the_protocol(store: SqlStore) -> None:
    typed: Store = store  # mypy checks the structural match; this checks it at run time
    assert callable(typed.overview)


# ---- opening --------------------------------------------------------------------------------


def test_default_store_is_a_sqlite_file_in_the_data_dir(isolated_home: Path) -> None:
    with open_store() as store:
        store.add_trainee("Ana")
        assert store.url.startswith("sqlite:///")
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
    path = isolated_home / DEFAULT_DB_NAME
    assert path.is_file()
    with sqlite3.connect(path) as raw:  # the data is really in that file
        assert raw.execute("SELECT name FROM trainees").fetchall() == [("Ana",)]


def test_postgresql_urls_use_psycopg3(store: SqlStore) -> None:
    dialect = store.engine.dialect
    if dialect.name == "postgresql":
        assert dialect.driver == "psycopg"
        assert store.url.startswith("postgresql://")
    else:
        assert dialect.name == "sqlite"


def test_unsupported_urls_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database URL"):
        open_store("mysql://localhost/htl")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_databases_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="in-memory"):
        open_store(url)


def test_foreign_keys_are_enforced(store: SqlStore) -> None:
    with pytest.raises(RecordNotFound):
        store.start_attempt(_start(trainee_id=999))
    with pytest.raises(RecordNotFound):
        store.add_note(12345, "Sam", "Nice work")


# ---- trainees -------------------------------------------------------------------------------


def test_trainees_are_added_listed_and_found(store: SqlStore) -> None:
    zoe = store.add_trainee("  Zoë   Ng ")
    ana = store.add_trainee("ana Cruz")
    assert zoe.name == "Zoë Ng"  # whitespace tidied
    assert zoe.created_at.tzinfo is not None
    assert [t.name for t in store.trainees()] == ["ana Cruz", "Zoë Ng"]
    assert store.get_trainee(ana.id) == ana
    assert store.get_trainee(ana.id + zoe.id + 100) is None
    assert store.find_trainee("ZOË NG") == zoe
    assert store.find_trainee("zoë  ng") == zoe
    assert store.find_trainee("nobody") is None


@pytest.mark.parametrize("again", ["Ana Cruz", "ana cruz", "ANA  CRUZ", " ana\tcruz "])
def test_duplicate_names_are_refused_case_insensitively(store: SqlStore, again: str) -> None:
    store.add_trainee("Ana Cruz")
    with pytest.raises(DuplicateTrainee):
        store.add_trainee(again)
    assert len(store.trainees()) == 1


def test_casefolding_is_unicode_aware(store: SqlStore) -> None:
    store.add_trainee("Strauß")
    with pytest.raises(DuplicateTrainee):
        store.add_trainee("STRAUSS")


@pytest.mark.parametrize("bad", ["", "   ", "x" * 101, "tab\x00name"])
def test_unusable_names_are_refused(store: SqlStore, bad: str) -> None:
    with pytest.raises(ValueError, match="name"):
        store.add_trainee(bad)


# ---- attempts, written as the call goes -----------------------------------------------------


def _start(trainee_id: int, **changes: object) -> AttemptStart:
    sc = scenario()
    values: dict[str, object] = {
        "trainee_id": trainee_id,
        "scenario_id": sc.id,
        "content_hash": sc.content_hash,
        "level": 1,
        "pass_score": 70,
        "seed": 2**31 - 1,
        "policy": Policy(),
        "timer": "normal",
        "lang": "en",
        "started_at": datetime(2026, 11, 22, 9, 0, tzinfo=UTC),
    }
    values.update(changes)
    return AttemptStart(**values)  # type: ignore[arg-type]


def test_turns_are_restored_exactly_with_events_and_response_times(store: SqlStore) -> None:
    trainee = store.add_trainee("Ana")
    state = play_choices(scenario(), good_choices())
    attempt_id = store.start_attempt(_start(trainee.id))
    times = [0.25 + i * 1.125 for i in range(len(state.turns))]
    for turn, event, took in zip(state.turns, state.events, times, strict=True):
        store.record_turn(attempt_id, turn, event, took)
        partial = store.attempt_detail(attempt_id)
        assert partial is not None
        assert partial.attempt.status is AttemptStatus.IN_PROGRESS
        assert partial.turns[-1] == turn
        assert partial.attempt.turn_count == turn.number
    detail = store.attempt_detail(attempt_id)
    assert detail is not None
    assert detail.turns == state.turns  # the engine's own values, equal field by field
    assert detail.events == state.events
    assert detail.response_times == tuple(times)
    assert detail.anger_trace == state.anger_trace()  # rebuilt from the turns while unfinished
    assert detail.competencies == {}
    assert detail.attempt.seed == 2**31 - 1


def test_finishing_records_the_result(store: SqlStore) -> None:
    trainee = store.add_trainee("Ana")
    recorder = play(store, trainee.id, good_choices(), pass_score=75)
    report = recorder.debrief
    assert report is not None
    detail = store.attempt_detail(recorder.attempt_id)
    assert detail is not None
    attempt = detail.attempt
    assert attempt.status is AttemptStatus.COMPLETED
    assert (attempt.score, attempt.grade, attempt.passed) == (
        report.score,
        report.grade,
        report.passed,
    )
    assert (attempt.outcome, attempt.rating) == (report.outcome, report.rating.value)
    assert attempt.final_anger == report.final_anger
    assert attempt.pass_score == 75
    assert attempt.trainee_name == "Ana"
    assert attempt.ended_at is not None
    assert attempt.duration_seconds is not None
    assert attempt.duration_seconds >= 0
    assert detail.anger_trace == report.anger_trace
    assert detail.closing_effects == report.closing_effects
    assert dict(detail.competencies) == {c.id: c.score for c in report.competencies}


def test_closing_effects_round_trip(store: SqlStore) -> None:
    """An overpromise's debt lands after the call: that effect is stored and restored whole."""
    trainee = store.add_trainee("Ana")
    sc = scenario()
    path = find_path(sc, lambda s: s.outcome is not None and bool(s.outcome.effects))
    assert path is not None, "late-delivery has no path where a broken promise lands"
    recorder = play(store, trainee.id, path)
    report = recorder.debrief
    assert report is not None
    assert report.closing_effects  # the debt landed
    detail = store.attempt_detail(recorder.attempt_id)
    assert detail is not None
    assert detail.closing_effects == report.closing_effects
    assert detail.anger_trace == report.anger_trace  # includes the final jump


def _some_paths() -> list[tuple[int, ...]]:
    return [good_choices(), bad_choices(), (3, 1, 1, 1, 1, 1, 1, 1, 1, 1)]


def test_turns_cannot_be_written_out_of_order_or_after_the_end(store: SqlStore) -> None:
    trainee = store.add_trainee("Ana")
    state = play_choices(scenario(), good_choices())
    attempt_id = store.start_attempt(_start(trainee.id))
    with pytest.raises(ValueError, match="0 turns recorded"):
        store.record_turn(attempt_id, state.turns[1], state.events[1], 1.0)
    store.record_turn(attempt_id, state.turns[0], state.events[0], 1.0)
    with pytest.raises(ValueError, match="1 turns recorded"):
        store.record_turn(attempt_id, state.turns[0], state.events[0], 1.0)
    with pytest.raises(ValueError, match="does not match"):
        store.record_turn(attempt_id, state.turns[1], Event(None, 3.0), 1.0)
    with pytest.raises(RecordNotFound):
        store.record_turn(attempt_id + 1000, state.turns[1], state.events[1], 1.0)
    store.abandon_attempt(attempt_id, datetime.now(UTC))
    with pytest.raises(ValueError, match="already abandoned"):
        store.record_turn(attempt_id, state.turns[1], state.events[1], 1.0)
    detail = store.attempt_detail(attempt_id)
    assert detail is not None
    assert detail.turns == state.turns[:1]


def test_abandoning_keeps_the_turns_and_is_idempotent(store: SqlStore) -> None:
    trainee = store.add_trainee("Ana")
    recorder = play(store, trainee.id, good_choices(), stop_after=3)
    recorder.abandon()
    recorder.abandon()
    detail = store.attempt_detail(recorder.attempt_id)
    assert detail is not None
    assert detail.attempt.status is AttemptStatus.ABANDONED
    assert len(detail.turns) == 3
    assert detail.attempt.score is None
    assert detail.attempt.ended_at is not None
    store.abandon_attempt(recorder.attempt_id, datetime.now(UTC))  # still harmless
    finished = play(store, trainee.id, good_choices())
    store.abandon_attempt(finished.attempt_id, datetime.now(UTC))  # a finished call stays so
    after = store.attempt_detail(finished.attempt_id)
    assert after is not None
    assert after.attempt.status is AttemptStatus.COMPLETED
    with pytest.raises(RecordNotFound):
        store.abandon_attempt(finished.attempt_id + 1000, datetime.now(UTC))
    bests = store.level_bests(trainee.id)["late-delivery"]
    assert bests.attempts == 2  # abandoned once, completed once: no double counting


def test_attempts_filter_by_trainee_scenario_and_time(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    ben = store.add_trainee("Ben")
    base = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    ids = []
    for day, (who, sid) in enumerate(
        [
            (ana, "late-delivery"),
            (ben, "late-delivery"),
            (ana, "mystery-charge"),
            (ana, "late-delivery"),
        ]
    ):
        ids.append(
            store.start_attempt(
                _start(who.id, scenario_id=sid, started_at=base + timedelta(days=day))
            )
        )
    everything = store.attempts()
    assert [a.id for a in everything] == ids  # oldest first
    assert [a.id for a in store.attempts(trainee_id=ana.id)] == [ids[0], ids[2], ids[3]]
    assert [a.id for a in store.attempts(scenario_id="late-delivery")] == [ids[0], ids[1], ids[3]]
    assert [a.id for a in store.attempts(since=base + timedelta(days=2))] == [ids[2], ids[3]]
    # `since` in another time zone means the same instant
    manila = timezone(timedelta(hours=8))
    since = (base + timedelta(days=1)).astimezone(manila)
    assert [a.id for a in store.attempts(since=since)] == ids[1:]
    assert [
        a.id
        for a in store.attempts(
            trainee_id=ana.id, scenario_id="late-delivery", since=base + timedelta(hours=1)
        )
    ] == [ids[3]]
    assert all(a.started_at.tzinfo is not None for a in everything)
    assert everything[0].started_at == base


# ---- level bests and the supervisor overview ------------------------------------------------


def test_level_bests_follow_every_ending(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    play(store, ana.id, bad_choices())
    play(store, ana.id, good_choices(), stop_after=2).abandon()
    open_call = play(store, ana.id, good_choices(), stop_after=1)  # in progress: not counted
    first = store.level_bests(ana.id)["late-delivery"]
    assert (first.passed, first.attempts, first.failed) == (False, 2, 1)
    play(store, ana.id, good_choices())
    play(store, ana.id, bad_choices())
    bests = store.level_bests(ana.id)
    got = {
        sid: (b.best_score, b.best_grade, b.passed, b.attempts, b.failed)
        for sid, b in bests.items()
    }
    assert got == expected_bests(store, ana.id)
    assert got["late-delivery"][2] is True
    assert open_call.attempt_id in {a.id for a in store.attempts(trainee_id=ana.id)}
    assert store.level_bests(store.add_trainee("Ben").id) == {}


def test_overview_flags_stuck_trainees(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    ben = store.add_trainee("Ben")
    store.add_trainee("Cy")  # never played
    for _ in range(STUCK_AFTER_FAILS):
        play(store, ana.id, bad_choices())
        play(store, ben.id, bad_choices())
    play(store, ben.id, good_choices())
    play(store, ana.id, good_choices(), stop_after=1).abandon()  # abandoning is not failing
    rows = {row.trainee.name: row for row in store.overview()}
    assert list(rows) == ["Ana", "Ben", "Cy"]
    assert rows["Ana"].stuck_levels == ("late-delivery",)
    assert rows["Ben"].stuck_levels == ()  # failed as often, but passed since
    assert rows["Cy"].stuck_levels == ()
    assert rows["Cy"].levels == {}
    assert rows["Ana"].attempts == STUCK_AFTER_FAILS + 1
    assert rows["Ben"].attempts == STUCK_AFTER_FAILS + 1
    assert rows["Cy"].attempts == 0
    assert rows["Cy"].last_activity is None
    ana_attempts = store.attempts(trainee_id=ana.id)
    assert rows["Ana"].last_activity == max(a.ended_at or a.started_at for a in ana_attempts)
    assert rows["Ana"].levels == store.level_bests(ana.id)
    assert rows["Ben"].levels["late-delivery"].failed == STUCK_AFTER_FAILS


def test_one_fail_short_of_stuck_is_not_stuck(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    for _ in range(STUCK_AFTER_FAILS - 1):
        play(store, ana.id, bad_choices())
    (row,) = store.overview()
    assert row.stuck_levels == ()
    play(store, ana.id, bad_choices())
    (row,) = store.overview()
    assert row.stuck_levels == ("late-delivery",)


def test_competency_averages_match_the_attempts(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    ids = [play(store, ana.id, c).attempt_id for c in _some_paths()]
    play(store, ana.id, good_choices(), stop_after=2).abandon()  # no debrief: not averaged
    details = [store.attempt_detail(i) for i in ids]
    averages = store.competency_averages(ana.id)
    assert details[0] is not None
    assert set(averages) == set(details[0].competencies)
    for cid, got in averages.items():
        values = [d.competencies[cid] for d in details if d and d.competencies[cid] is not None]
        if values:
            assert got == pytest.approx(sum(v for v in values if v is not None) / len(values))
        else:
            assert got is None
    assert store.competency_averages(store.add_trainee("Ben").id) == {}


# ---- coaching notes -------------------------------------------------------------------------


def test_notes_attach_to_attempts_and_are_read_by_the_trainee(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    ben = store.add_trainee("Ben")
    first = play(store, ana.id, bad_choices()).attempt_id
    second = play(store, ana.id, good_choices()).attempt_id
    other = play(store, ben.id, good_choices()).attempt_id
    n1 = store.add_note(first, "Sam (supervisor)", "  Let him vent before you explain.  ")
    n2 = store.add_note(second, "Sam (supervisor)", "Much better — the recap landed.")
    store.add_note(other, "Sam (supervisor)", "Good call.")
    assert n1.text == "Let him vent before you explain."
    assert n1.trainee_id == ana.id
    assert n1.read_at is None
    assert [n.id for n in store.notes_for_trainee(ana.id)] == [n1.id, n2.id]
    assert [n.id for n in store.notes_for_trainee(ana.id, unread_only=True)] == [n1.id, n2.id]
    store.mark_note_read(n1.id)
    store.mark_note_read(n1.id)  # reading twice keeps the first time
    read = store.notes_for_trainee(ana.id)[0]
    assert read.read_at is not None
    store.mark_note_read(n1.id)
    assert store.notes_for_trainee(ana.id)[0].read_at == read.read_at
    assert [n.id for n in store.notes_for_trainee(ana.id, unread_only=True)] == [n2.id]
    detail = store.attempt_detail(second)
    assert detail is not None
    assert detail.notes == (n2,)
    with pytest.raises(RecordNotFound):
        store.mark_note_read(n2.id + 1000)
    with pytest.raises(ValueError, match="empty"):
        store.add_note(first, "Sam", "   ")


# ---- settings -------------------------------------------------------------------------------


def test_settings_are_stored_and_replaced(store: SqlStore) -> None:
    assert store.get_setting("timer") is None
    store.set_setting("timer", "relaxed")
    store.set_setting("lang", "fil")
    store.set_setting("timer", "off")
    assert store.get_setting("timer") == "off"
    assert store.get_setting("lang") == "fil"


def test_values_are_shared_between_open_stores(store_url: str) -> None:
    """Two stores on one database (two games in a room) see each other's writes at once."""
    with open_store(store_url) as one, open_store(store_url) as two:
        ana = one.add_trainee("Ana")
        recorder = play(one, ana.id, good_choices(), stop_after=2)
        detail = two.attempt_detail(recorder.attempt_id)
        assert detail is not None
        assert len(detail.turns) == 2
        with pytest.raises(DuplicateTrainee):
            two.add_trainee("ANA")


def test_naive_datetimes_are_local_time(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    naive = datetime(2026, 6, 1, 12, 0)
    attempt_id = store.start_attempt(_start(ana.id, started_at=naive))
    (attempt,) = store.attempts()
    assert attempt.id == attempt_id
    assert attempt.started_at == naive.astimezone(UTC)


def test_sqlite_writes_take_the_lock_up_front(tmp_path: Path) -> None:
    """Writes BEGIN IMMEDIATE: a second writer waits for the first instead of failing late."""
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    with open_store(url) as store:
        ana = store.add_trainee("Ana")
        with store.engine.execution_options(htl_write=True).connect() as conn, conn.begin():
            # While this write transaction is open, a raw reader still reads (WAL) ...
            raw = sqlite3.connect(tmp_path / "lock.db", timeout=0.1)
            assert raw.execute("SELECT COUNT(*) FROM trainees").fetchone() == (1,)
            # ... but a raw writer cannot get the lock.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                raw.execute("BEGIN IMMEDIATE")
            raw.close()
            conn.execute(text("SELECT 1"))
        assert store.get_trainee(ana.id) == ana


def test_the_overview_follows_writes_from_other_stores(store_url: str) -> None:
    """The supervisor's screen refreshes only what moved, and never misses a change."""
    with open_store(store_url) as supervisor, open_store(store_url) as game:
        ana = game.add_trainee("Ana")
        ben = game.add_trainee("Ben")
        first = {r.trainee.name: r for r in supervisor.overview()}
        assert first["Ana"].attempts == 0
        play(game, ana.id, bad_choices())
        second = {r.trainee.name: r for r in supervisor.overview()}
        assert second["Ana"].attempts == 1
        assert second["Ana"].levels["late-delivery"].failed == 1
        assert second["Ben"] is first["Ben"]  # untouched rows are reused, not rebuilt
        assert supervisor.overview() is supervisor.overview()  # nothing moved: no re-read
        cy = game.add_trainee("Aaron")
        live = play(game, ben.id, good_choices(), stop_after=1)
        names = [r.trainee.name for r in supervisor.overview()]
        assert names == ["Aaron", "Ana", "Ben"]
        assert {r.trainee.id: r.attempts for r in supervisor.overview()}[ben.id] == 1
        live.abandon()
        assert supervisor.overview()[2].levels["late-delivery"].attempts == 1
        with open_store(store_url) as fresh:
            assert fresh.overview() == supervisor.overview()
        assert cy.id in {r.trainee.id for r in supervisor.overview()}


def test_revisions_are_taken_in_commit_order(store_url: str) -> None:
    """A write that commits later must not hide behind one that committed first.

    One store holds a revising write open (Ana's last activity moves); another adds a trainee
    meanwhile. If both took the same revision and the second committed first, a supervisor
    reading in between would skip Ana's change for good.
    """
    with (
        open_store(store_url) as supervisor,
        open_store(store_url) as slow,
        open_store(store_url) as quick,
    ):
        ana = slow.add_trainee("Ana")
        supervisor.overview()
        moved = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
        errors: list[BaseException] = []

        def add_zed() -> None:
            try:
                quick.add_trainee("Zed")
            except BaseException as error:  # re-raised in the test thread
                errors.append(error)

        adder = threading.Thread(target=add_zed)
        with slow._writing(revises=True) as conn:
            conn.execute(slow._sql.touch_trainee_end, {"b_tid": ana.id, "b_when": moved})
            adder.start()
            time.sleep(0.5)  # Zed's write runs now, or waits for ours
            between = supervisor.overview()
        adder.join(timeout=30)
        assert errors == []
        assert [r.trainee.name for r in between] in (["Ana"], ["Ana", "Zed"])
        after = {r.trainee.name: r for r in supervisor.overview()}
        assert set(after) == {"Ana", "Zed"}
        assert after["Ana"].last_activity == moved


def test_turn_fields_newer_than_the_columns_are_kept(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the engine's turn JSON grows a field, the store keeps it and hands it back."""
    from game.engine import session
    from game.records.store import attempts as attempt_log
    from game.records.store import rows as row_mapping

    seen: list[dict[str, object]] = []

    def newer_to_json(turn: session.Turn) -> dict[str, object]:
        return {**session.turn_to_json(turn), "gesture": {"kind": "nod", "at": [0.5, 1.25]}}

    def newer_from_json(data: dict[str, object]) -> session.Turn:
        seen.append(data)
        return session.turn_from_json(data)

    monkeypatch.setattr(attempt_log, "turn_to_json", newer_to_json)
    monkeypatch.setattr(row_mapping, "turn_from_json", newer_from_json)
    ana = store.add_trainee("Ana")
    recorder = play(store, ana.id, good_choices(), stop_after=2)
    detail = store.attempt_detail(recorder.attempt_id)
    assert detail is not None
    assert detail.turns == recorder.state.turns
    assert [d["gesture"] for d in seen] == [{"kind": "nod", "at": [0.5, 1.25]}] * 2
