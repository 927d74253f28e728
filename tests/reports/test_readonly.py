"""`report` and `export` as an attacker (or an unlucky supervisor) would try them.

Each expected failure is named in words with its remedy and its documented exit status
(4: the records cannot be read; 5: the output cannot be written), never "internal error"
(3); no password shows; and "read-only" means it: nothing is created, migrated or switched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from game.cli import main
from game.cli.errors import EXIT_OUTPUT, EXIT_RECORDS
from game.records.failures import redact
from game.records.namespace import NAMESPACE_SETTING
from game.records.readonly import open_readonly
from game.records.store import open_store
from tests.conftest import ROOT
from tests.reports.seed import Demo, fill_demo

SECRET = "Hunter2-secret"
COMMANDS = {
    "report": ["report", "--out", "{out}/r.html"],
    "csv": ["export", "--format", "csv", "--out", "{out}/a.csv"],
    "xapi": ["export", "--format", "xapi", "--out", "{out}/s.json"],
}


def run(kind: str, db: str, out: Path) -> list[str]:
    return [a.replace("{out}", str(out)) for a in COMMANDS[kind]] + ["--db", db]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def no_internal(code: int, err: str) -> None:
    assert code not in (0, 3), err
    assert "internal error" not in err
    assert "Traceback" not in err


@pytest.fixture(params=sorted(COMMANDS))
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_another_applications_database_is_refused_untouched(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other-app.db"
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    before = digest(other)
    code = main(run(kind, f"sqlite:///{other}", tmp_path))
    err = capsys.readouterr().err
    no_internal(code, err)
    assert code == EXIT_RECORDS
    assert "not a Hold the Line records database" in err and "untouched" in err
    assert digest(other) == before
    with closing(sqlite3.connect(other)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert tables == {"invoices"}  # no seven tables added
    assert mode == "delete"  # not switched to WAL
    assert not list(tmp_path.glob("*.html")) + list(tmp_path.glob("*.csv"))


def test_a_mistyped_path_is_refused_instead_of_created(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo" / "recrods.db"
    code = main(run(kind, f"sqlite:///{missing}", tmp_path))
    err = capsys.readouterr().err
    assert code == EXIT_RECORDS
    assert f"there is no records database at {missing}" in err and "never create" in err
    assert not missing.exists() and not missing.parent.exists()


def test_a_damaged_file_is_named_as_such(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt = tmp_path / "records.db"
    corrupt.write_bytes(os.urandom(8192))
    before = digest(corrupt)
    code = main(run(kind, f"sqlite:///{corrupt}", tmp_path))
    err = capsys.readouterr().err
    no_internal(code, err)
    assert code == EXIT_RECORDS
    assert "damaged or not a database file" in err and "backup" in err
    assert digest(corrupt) == before


def test_a_newer_schema_is_refused_with_its_remedy(
    kind: str, demo: Demo, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(db_url.removeprefix("sqlite:///"))
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (99, '2030-01-01')")
    code = main(run(kind, db_url, tmp_path))
    err = capsys.readouterr().err
    assert code == EXIT_RECORDS
    assert "written by a newer Hold the Line" in err and "Update Hold the Line" in err


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_refused_connection_is_named_and_the_password_hidden(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql://supervisor:{SECRET}@127.0.0.1:{_closed_port()}/room"
    code = main(run(kind, url, tmp_path))
    err = capsys.readouterr().err
    no_internal(code, err)
    assert code == EXIT_RECORDS
    assert "cannot connect to the database server" in err
    assert SECRET not in err and "supervisor:***@" in err


@pytest.mark.parametrize("out", ["/nonexistent/x.html", "{tmp}/no/such/folder/x.html"])
def test_an_unwritable_out_creates_no_folder(
    kind: str, demo: Demo, db_url: str, tmp_path: Path, out: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    target = Path(out.replace("{tmp}", str(tmp_path)))
    args = [a for a in run(kind, db_url, tmp_path)]
    args[args.index("--out") + 1] = str(target)
    code = main(args)
    err = capsys.readouterr().err
    assert code == EXIT_OUTPUT
    assert "does not exist" in err and "never create folders" in err
    assert not target.parent.exists()


def test_out_that_is_a_folder_is_refused(
    demo: Demo, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--db", db_url, "--out", str(tmp_path)]) == EXIT_OUTPUT
    assert "it is a folder" in capsys.readouterr().err


def test_a_failed_write_keeps_the_previous_output(
    demo: Demo, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    out = tmp_path / "attempts.csv"
    out.write_text("yesterday's export\n", encoding="utf-8")

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", full_disk)
    code = main(["export", "--db", db_url, "--format", "csv", "--out", str(out)])
    assert code == EXIT_OUTPUT
    assert "No space left on device" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "yesterday's export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".attempts")] == []


def test_the_read_only_store_cannot_write(demo: Demo, db_url: str) -> None:
    path = Path(db_url.removeprefix("sqlite:///"))
    before = digest(path)
    store = open_readonly(db_url)
    try:
        assert store.trainees()
        with pytest.raises(DBAPIError, match=r"readonly|read-only|query_only"):
            store.add_trainee("Mallory")
        with pytest.raises(DBAPIError):
            store.set_setting(NAMESPACE_SETTING, "00000000-0000-0000-0000-000000000000")
    finally:
        store.close()
    assert digest(path) == before


def test_a_database_without_a_namespace_is_refused_not_written(
    demo: Demo, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(db_url.removeprefix("sqlite:///"))
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("DELETE FROM settings WHERE key = ?", (NAMESPACE_SETTING,))
    code = main(["export", "--db", db_url, "--format", "xapi", "--out", str(tmp_path / "s.json")])
    err = capsys.readouterr().err
    assert code == EXIT_RECORDS
    assert "no valid xAPI statement-id namespace" in err and "open it once with the game" in err
    with closing(sqlite3.connect(path)) as conn:
        assert (
            conn.execute(
                "SELECT COUNT(*) FROM settings WHERE key = ?", (NAMESPACE_SETTING,)
            ).fetchone()[0]
            == 0
        )


def _read_only_mount_works(folder: Path) -> bool:
    probe = subprocess.run(
        ["unshare", "--map-root-user", "--mount", "sh", "-c",
         f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
         f"! touch {folder}/probe 2>/dev/null"],
        capture_output=True, timeout=30, check=False,
    )  # fmt: skip
    return probe.returncode == 0


def test_report_and_export_work_on_read_only_media(demo: Demo, db_url: str, tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1) to mount a folder read-only without root")
    media = tmp_path / "media"
    media.mkdir()
    shutil.copyfile(db_url.removeprefix("sqlite:///"), media / "records.db")
    if not _read_only_mount_works(media):
        pytest.skip("this kernel does not allow an unprivileged read-only bind mount")
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    db = f"sqlite:///{media / 'records.db'}"
    commands = " && ".join(
        f"{sys.executable} -m game {' '.join(run(kind, db, out))}" for kind in sorted(COMMANDS)
    )
    done = subprocess.run(
        ["unshare", "--map-root-user", "--mount", "sh", "-c",
         f"mount --bind {media} {media} && mount -o remount,bind,ro {media} && {commands}"],
        capture_output=True, text=True, timeout=300, env=env, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (out / "r.html").stat().st_size > 0
    assert (out / "a.csv").stat().st_size > 0
    assert (out / "s.json").stat().st_size > 0
    assert sorted(p.name for p in media.iterdir()) == ["records.db"]


def test_postgresql_sessions_are_read_only(pg_url: str, tmp_path: Path) -> None:
    with open_store(pg_url) as pg:
        fill_demo(pg)
    store = open_readonly(pg_url)
    try:
        assert store.trainees()
        with pytest.raises(DBAPIError, match="read-only transaction"):
            store.add_trainee("Mallory")
    finally:
        store.close()
    assert (
        main(["export", "--db", pg_url, "--format", "csv", "--out", str(tmp_path / "a.csv")]) == 0
    )


def test_redact_hides_passwords_in_urls_and_pairs() -> None:
    assert redact(f"postgresql://u:{SECRET}@h/db") == "postgresql://u:***@h/db"
    assert SECRET not in redact(f"connect password={SECRET} host=h")
    assert SECRET not in redact(f"the secret is {SECRET}", SECRET)


def test_an_internal_error_never_shows_or_logs_a_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError(
            f"lost connection to postgresql://kim:{SECRET}@db/room password={SECRET}"
        )

    monkeypatch.setattr("game.cli.report.run", broken)
    code = main(["report", "--db", f"postgresql://kim:{SECRET}@db/room", "--out", "x.html"])
    err = capsys.readouterr().err
    assert code == 3 and "internal error" in err
    assert SECRET not in err
    logs = list((Path(os.environ["HOLD_THE_LINE_HOME"]) / "logs").glob("*.log"))
    assert logs and all(SECRET not in log.read_text(encoding="utf-8") for log in logs)
    assert "kim:***@db" in logs[0].read_text(encoding="utf-8")
