"""The administrator's commands on one machine (SQLite): passphrase, PINs, leavers."""

from __future__ import annotations

import io
import re
import stat
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.records import passphrase
from game.records.store import open_store


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_installer_sets_the_passphrase_and_changing_it_needs_the_old_one(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        monkeypatch, capsys, "supervisor", "set-passphrase", "--stdin", stdin="first phrase\n"
    )
    assert code == 0 and "is set" in out
    with open_store() as store:
        assert passphrase.verify_passphrase(store, "first phrase")
    # without the current one it is refused, and nothing changes
    code, _, err = _run(
        monkeypatch, capsys, "supervisor", "set-passphrase", "--stdin", stdin="wrong\nother one\n"
    )
    assert code == 1 and "current passphrase" in err
    code, _, _ = _run(
        monkeypatch,
        capsys,
        "supervisor",
        "set-passphrase",
        "--stdin",
        stdin="first phrase\nsecond phrase\n",
    )
    assert code == 0
    with open_store() as store:
        assert passphrase.verify_passphrase(store, "second phrase")
    db = isolated_home / "hold-the-line.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_a_cohort_is_enrolled_with_pins_reset_and_removed(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(monkeypatch, capsys, "room", "add-trainee", "Ana Cruz", "Ben Ito")
    assert code == 0, err
    pins = dict(re.findall(r"^(.+?): added, PIN (\d{6})", out, re.MULTILINE))
    assert set(pins) == {"Ana Cruz", "Ben Ito"}
    with open_store() as store:
        ana = store.find_trainee("Ana Cruz")
        assert ana is not None
        assert passphrase.check_pin(store, ana.id, pins["Ana Cruz"]).ok
        assert not passphrase.check_pin(store, ana.id, pins["Ben Ito"]).ok
    code, out, _ = _run(
        monkeypatch, capsys, "room", "reset", "Ana Cruz", "--secret-stdin", stdin="9753\n"
    )
    assert code == 0 and "9753" not in out  # a PIN the admin chose is not echoed
    code, out, _ = _run(monkeypatch, capsys, "room", "remove", "Ben Ito")
    assert code == 0 and "can no longer sign in" in out
    with open_store() as store:
        ana = store.find_trainee("Ana Cruz")
        ben = store.find_trainee("Ben Ito")
        assert ana is not None and ben is not None  # records kept
        assert passphrase.check_pin(store, ana.id, "9753").ok
        with pytest.raises(passphrase.ProfileClosed):
            passphrase.check_pin(store, ben.id, pins["Ben Ito"])
    code, _, err = _run(monkeypatch, capsys, "room", "reset", "Nobody")
    assert code == 1 and "no trainee called 'Nobody'" in err
    code, _, err = _run(monkeypatch, capsys, "room", "add-trainee", "An\u200ba Cruz")
    assert code == 1 and "look the same" in err


def test_room_init_explains_that_logins_need_postgresql(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{isolated_home / 'room.db'}"
    code, _, err = _run(monkeypatch, capsys, "room", "init", "--db", db)
    assert code == 1 and "needs PostgreSQL" in err and "set-passphrase" in err
