"""A training room on PostgreSQL: each login sees what it may, and the server enforces it.

Every attack here is what a trainee could try from their own machine with their own login
and any SQL client: the refusals come from PostgreSQL (privileges and row-level security),
not from the game's code, which the trainee controls.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from game.records import passphrase, room
from game.records.api import AccessRefused, AttemptStatus, RecordNotFound
from game.records.store import SqlStore, open_store
from tests.pg import pg_server  # noqa: F401  (fixture used through pg_url)
from tests.records.play import ROOT, good_choices, play

PHRASE = "correct horse battery"


@dataclass
class Room:
    admin: SqlStore
    url: str  # the administrator's URL

    def url_for(self, login: str, password: str) -> str:
        return (
            make_url(self.url)
            .set(username=login, password=password)
            .render_as_string(hide_password=False)
        )


@pytest.fixture
def pg_room(pg_url: str) -> Iterator[Room]:
    admin = open_store(pg_url)
    groups = room.init_room(admin)
    try:
        yield Room(admin, pg_url)
    finally:
        admin.close()
        # roles are per server, not per database: leave none behind
        prefix = (make_url(pg_url).database or "") + "_"
        libpq = make_url(pg_url).set(drivername="postgresql").render_as_string(False)
        with psycopg.connect(libpq, autocommit=True) as conn:
            roles = [
                str(r[0])
                for r in conn.execute(
                    "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (prefix,)
                )
            ]
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE usename = ANY(%s) AND pid <> pg_backend_pid()",
                (roles,),
            )
            for role in sorted(roles, key=lambda r: r in (groups.supervisors, groups.trainees)):
                name = psycopg.sql.Identifier(role)
                conn.execute(psycopg.sql.SQL("DROP OWNED BY {} CASCADE").format(name))
                conn.execute(psycopg.sql.SQL("DROP ROLE {}").format(name))


@dataclass
class Cohort:
    room: Room
    ana: SqlStore  # Ana's game, signed in with her own login
    ana_id: int
    ben_id: int
    ben_attempt: int
    ben_note: int
    supervisor: SqlStore
    supervisor_url: str


@pytest.fixture
def cohort(pg_room: Room) -> Iterator[Cohort]:
    admin = pg_room.admin
    ana = room.add_trainee(admin, "Ana Cruz")
    ben = room.add_trainee(admin, "Ben Ito")
    sam = room.add_supervisor(admin, login=room.login_for(admin, "sam"))
    assert ana.login and ana.secret and ben.trainee and ana.trainee and sam.login and sam.secret
    supervisor_url = pg_room.url_for(sam.login, sam.secret)
    supervisor = open_store(supervisor_url)
    ben_attempt = play(supervisor, ben.trainee.id, good_choices()).attempt_id
    note = supervisor.add_note(ben_attempt, "Sam", "Ben: private coaching words")
    passphrase.set_passphrase(supervisor, PHRASE)
    mine = open_store(pg_room.url_for(ana.login, ana.secret))
    try:
        yield Cohort(
            pg_room,
            mine,
            ana.trainee.id,
            ben.trainee.id,
            ben_attempt,
            note.id,
            supervisor,
            supervisor_url,
        )
    finally:
        mine.close()
        supervisor.close()


def refused() -> pytest.RaisesExc[ProgrammingError]:
    """PostgreSQL's own refusal of a statement: no privilege, or a row-level security check."""
    return pytest.raises(ProgrammingError, match=r"permission denied|row-level security")


def _raw(store: SqlStore, sql: str, **params: object) -> list[tuple[object, ...]]:
    with store.engine.begin() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def test_a_trainee_plays_and_reads_their_own_records(cohort: Cohort) -> None:
    ana = cohort.ana
    assert [t.name for t in ana.trainees()] == ["Ana Cruz"]  # nobody else exists for her
    attempt = play(ana, cohort.ana_id, good_choices()).attempt_id
    detail = ana.attempt_detail(attempt)
    assert detail is not None and detail.attempt.status is AttemptStatus.COMPLETED
    assert [a.id for a in ana.attempts()] == [attempt]
    note = cohort.supervisor.add_note(attempt, "Sam", "Well done, Ana")
    assert [n.text for n in ana.notes_for_trainee(cohort.ana_id)] == ["Well done, Ana"]
    ana.mark_note_read(note.id)
    assert ana.notes_for_trainee(cohort.ana_id, unread_only=True) == ()
    # the supervisor's overview still sees her writes (revisions stay global under RLS)
    rows = {r.trainee.name: r for r in cohort.supervisor.overview()}
    assert rows["Ana Cruz"].attempts == 1 and rows["Ben Ito"].attempts == 1


def test_a_trainee_cannot_read_another_trainees_attempts_turns_or_notes(cohort: Cohort) -> None:
    ana = cohort.ana
    assert ana.attempts(trainee_id=cohort.ben_id) == ()
    assert ana.attempt_detail(cohort.ben_attempt) is None
    assert ana.notes_for_trainee(cohort.ben_id) == ()
    assert ana.get_trainee(cohort.ben_id) is None
    assert ana.level_bests(cohort.ben_id) == {}
    # straight SQL from her login, no filter at all: the server shows her nothing of Ben's
    assert _raw(ana, "SELECT count(*) FROM attempts") == [(0,)]
    assert _raw(ana, "SELECT count(*) FROM turns") == [(0,)]
    assert _raw(ana, "SELECT count(*) FROM notes") == [(0,)]
    assert _raw(ana, "SELECT count(*) FROM level_stats") == [(0,)]
    assert _raw(ana, "SELECT name FROM trainees") == [("Ana Cruz",)]


def test_a_trainee_cannot_write_in_another_trainees_name(cohort: Cohort) -> None:
    ana = cohort.ana
    with pytest.raises(RecordNotFound):  # for her login, Ben does not exist
        play(ana, cohort.ben_id, good_choices())
    with refused():  # a row in his name: row-level security refuses it
        _raw(
            ana,
            "INSERT INTO attempts (trainee_id, scenario_id, content_hash, pass_score, seed,"
            " abusive_caller, supervisor_request, timer, lang, status, started_at)"
            " VALUES (:t, 'x', 'x', 70, 1, 'x', 'x', 'off', 'en', 'completed', now())",
            t=cohort.ben_id,
        )
    with refused():  # read Ben's note by marking it: refused
        _raw(ana, "UPDATE notes SET text = 'changed' WHERE id = :n", n=cohort.ben_note)
    assert _raw(ana, "UPDATE notes SET read_at = now() WHERE id = :n RETURNING id",
                n=cohort.ben_note) == []  # fmt: skip
    with refused():  # become Ben by taking his login
        _raw(ana, "UPDATE trainees SET login = 'x' WHERE id = :t", t=cohort.ana_id)
    with pytest.raises(RecordNotFound):  # Ben's attempt does not exist for her
        ana.add_note(cohort.ben_attempt, "Ana", "I am the supervisor now")
    with refused():  # and notes are the supervisors' to write
        _raw(
            ana,
            "INSERT INTO notes (attempt_id, trainee_id, author, text, created_at)"
            " VALUES (:a, :t, 'Sam', 'forged', now())",
            a=cohort.ben_attempt,
            t=cohort.ben_id,
        )
    with pytest.raises(AccessRefused):
        ana.add_trainee("Ana Cruz 2")
    with refused():
        _raw(ana, "DELETE FROM attempts")
    note = cohort.supervisor.attempt_detail(cohort.ben_attempt)
    assert note is not None and [n.read_at for n in note.notes] == [None]


def test_a_trainee_cannot_read_alter_or_reset_the_passphrase(cohort: Cohort) -> None:
    ana = cohort.ana
    with pytest.raises(AccessRefused):
        ana.get_setting(passphrase.SETTING_KEY)
    with pytest.raises(AccessRefused):
        passphrase.set_passphrase(ana, "my own phrase", replace=True)
    with pytest.raises(AccessRefused):
        ana.set_setting(passphrase.FAILURES_KEY, "0")  # resetting the throttle
    with refused():
        _raw(ana, "DELETE FROM settings")
    with pytest.raises(AccessRefused):
        passphrase.check_supervisor(ana, PHRASE)
    assert passphrase.verify_passphrase(cohort.supervisor, PHRASE)  # untouched


def test_a_trainee_reads_the_required_exams_but_cannot_change_them(cohort: Cohort) -> None:
    cohort.supervisor.require_exam("late-delivery", True, "Sam")
    ana = cohort.ana
    assert set(ana.exam_rules()) == {"late-delivery"}  # the game reads it for her
    with pytest.raises(AccessRefused):
        ana.require_exam("late-delivery", False, "Ana")
    with pytest.raises(AccessRefused):
        ana.require_exam("mystery-charge", True, "Ana")
    with refused():
        _raw(ana, "DELETE FROM exam_levels")
    with refused():
        _raw(ana, "UPDATE exam_levels SET required_by = 'Ana'")
    assert set(cohort.supervisor.exam_rules()) == {"late-delivery"}  # untouched


def test_a_trainee_cannot_change_the_schema_or_the_rights(cohort: Cohort) -> None:
    for attack in (
        "ALTER TABLE attempts DISABLE ROW LEVEL SECURITY",
        "DROP POLICY htl_own_rows ON attempts",
        "CREATE TABLE mine (x int)",
        "GRANT SELECT ON settings TO PUBLIC",
    ):
        with pytest.raises(ProgrammingError, match=r"permission denied|must be owner"):
            _raw(cohort.ana, attack)


def _report(url: str, out: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HOLD_THE_LINE_HOME=str(home), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "game", "report", "--db", url, "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_report_needs_a_supervisor_login(cohort: Cohort, tmp_path: Path) -> None:
    admin = cohort.room.admin
    ana = room.reset(admin, "Ana Cruz")
    assert ana.login is not None and ana.secret is not None
    refused = _report(cohort.room.url_for(ana.login, ana.secret), tmp_path / "a.html", tmp_path)
    assert refused.returncode == 4  # the records cannot be read (docs/supervisors.md)
    assert "a trainee's" in refused.stderr and "supervisor" in refused.stderr
    assert not (tmp_path / "a.html").exists()
    assert ana.secret not in refused.stderr + refused.stdout
    allowed = _report(cohort.supervisor_url, tmp_path / "b.html", tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert "Ben Ito" in (tmp_path / "b.html").read_text(encoding="utf-8")


def test_a_removed_trainee_cannot_connect_and_their_records_stay(cohort: Cohort) -> None:
    admin = cohort.room.admin
    login = admin.trainee_login(cohort.ana_id)
    assert login is not None
    cohort.ana.close()
    room.remove(admin, "Ana Cruz")
    assert admin.trainee_login(cohort.ana_id) is None
    with pytest.raises(Exception, match=f'role "{login}" does not exist'):
        open_store(cohort.room.url_for(login, "whatever")).close()
    assert admin.get_trainee(cohort.ana_id) is not None


def test_init_is_idempotent_and_only_for_the_owner(cohort: Cohort) -> None:
    room.init_room(cohort.room.admin)  # again: same rights, no error
    assert _raw(cohort.ana, "SELECT count(*) FROM attempts") == [(0,)]
    with pytest.raises(room.RoomError, match="owner"):
        room.init_room(cohort.supervisor)


def test_passwords_are_stored_as_scram_verifiers(pg_room: Room) -> None:
    done = room.add_trainee(pg_room.admin, "Cy Tan", login="cy_tan_" + os.urandom(3).hex())
    assert done.login and done.secret
    stored = _raw(pg_room.admin, "SELECT rolpassword FROM pg_authid WHERE rolname = :r",
                  r=done.login)  # fmt: skip
    assert str(stored[0][0]).startswith("SCRAM-SHA-256$") and done.secret not in str(stored[0][0])


def test_a_trainee_keeps_own_settings_but_cannot_edit_notes_or_erase_profiles(
    cohort: Cohort,
) -> None:
    ana, supervisor = cohort.ana, cohort.supervisor
    ana.set_trainee_settings(cohort.ana_id, '{"version": 1, "text_scale": 150}')
    assert ana.trainee_settings(cohort.ana_id) == '{"version": 1, "text_scale": 150}'
    with pytest.raises(RecordNotFound):  # Ben's row does not exist for her login
        ana.set_trainee_settings(cohort.ben_id, '{"text_scale": 200}')
    assert supervisor.trainee_settings(cohort.ben_id) is None
    with pytest.raises(AccessRefused):  # his note: no login of a trainee changes a note
        ana.edit_note(cohort.ben_note, "changed")
    mine = play(supervisor, cohort.ana_id, good_choices()).attempt_id
    note = supervisor.add_note(mine, "Sam", "Ana: well done")
    with pytest.raises(AccessRefused):  # her own note: hers to read, the supervisor's words
        ana.edit_note(note.id, "I wrote this myself")
    with pytest.raises(AccessRefused):
        ana.delete_note(note.id)
    with pytest.raises(AccessRefused):  # renaming or erasing a profile: supervisors only
        ana.rename_trainee(cohort.ana_id, "Ana Queen")
    with pytest.raises(AccessRefused):
        ana.delete_trainee(cohort.ana_id)
    assert [n.text for n in ana.notes_for_trainee(cohort.ana_id)] == ["Ana: well done"]
    # the supervisor's login does all of it
    edited = supervisor.edit_note(note.id, "Ana: well done, again")
    assert edited.read_at is None and edited.edited_at is not None
    supervisor.delete_note(note.id)
    assert ana.notes_for_trainee(cohort.ana_id) == ()
    assert supervisor.rename_trainee(cohort.ben_id, "Ben Itō").name == "Ben Itō"
    erased = supervisor.delete_trainee(cohort.ben_id)
    assert (erased.attempts, erased.notes) == (1, 1)
    assert supervisor.get_trainee(cohort.ben_id) is None
    assert [r.trainee.id for r in supervisor.overview()] == [cohort.ana_id]
