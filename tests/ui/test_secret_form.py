"""The secret forms' rules (the PIN sign-in, the database login, the desk's passphrase), in
plain Python: `game.ui.secret_form` never loads pygame."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from game.ui.secret_form import MASK, Entry, SecretForm, masked, seconds_left
from tests.conftest import ROOT


@dataclass
class Box:
    text: str = ""


def test_the_rules_load_without_pygame() -> None:
    code = "import sys, game.ui.secret_form; print('pygame' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


@given(st.text(max_size=60))
def test_a_secret_is_shown_as_one_dot_per_character(typed: str) -> None:
    shown = masked(typed)
    assert len(shown) == len(typed) and set(shown) <= {MASK}


def test_the_wait_is_shown_in_whole_seconds_rounded_up() -> None:
    assert [seconds_left(w) for w in (0.0, -1.0, 0.2, 1.0, 1.01, 59.5)] == [0, 0, 1, 1, 2, 60]


def _passphrase_change() -> tuple[SecretForm, dict[str, Box]]:
    form = SecretForm([Entry("old", True), Entry("new", True), Entry("again", True)])
    return form, {"old": Box(), "new": Box(), "again": Box()}


def test_enter_moves_to_the_next_empty_secret_else_submits() -> None:
    form, fields = _passphrase_change()
    assert form.after_enter("old", fields) == "new"
    fields["new"].text = "a new passphrase"
    assert form.after_enter("old", fields) is None  # the next secret is filled: submit
    assert form.after_enter("new", fields) == "again"
    assert form.after_enter("again", fields) is None  # the last field submits

    check = SecretForm([Entry("phrase", True), Entry("author", False)])
    # the supervisor's name is not a secret: Enter in the passphrase submits
    assert check.after_enter("phrase", {"phrase": Box("x"), "author": Box()}) is None

    login = SecretForm([Entry("login", False), Entry("password", True)])
    assert login.after_enter("login", {"login": Box("ana"), "password": Box()}) == "password"


def test_a_refusal_says_why_and_empties_only_the_secrets_it_names() -> None:
    login = SecretForm([Entry("login", False), Entry("password", True)])
    fields = {"login": Box("ana"), "password": Box("hunter2")}
    login.refuse("That login name or password is not right.", fields, clear=("login", "password"))
    assert fields == {"login": Box("ana"), "password": Box("")}
    assert login.status() == "That login name or password is not right."

    form, secrets = _passphrase_change()
    for box in secrets.values():
        box.text = "typed"
    form.refuse("The two new passphrases are not the same.", secrets, clear=("again",))
    assert [secrets[k].text for k in ("old", "new", "again")] == ["typed", "typed", ""]
    form.forget(secrets)
    assert all(box.text == "" for box in secrets.values())


def test_the_status_line_and_when_a_try_is_taken() -> None:
    form = SecretForm([Entry("pin", True)])
    assert form.status() == "" and form.may_submit()
    form.checking = True
    assert form.status() == "Checking…" and not form.may_submit()
    form.checking = False
    form.refuse("That PIN is not right.", {"pin": Box("1234")}, clear=("pin",))
    form.wait = 3.2
    assert form.status() == "That PIN is not right. Try again in 4 s."
    assert not form.may_submit()
    form.error, form.wait = "", 0.5
    assert form.status() == "Try again in 1 s."
    form.wait = 0.0
    form.message = "Passphrase changed."
    assert form.status() == "Passphrase changed." and form.may_submit()
    assert SecretForm([Entry("password", True)], busy="Connecting…").status() == ""
    connecting = SecretForm([Entry("password", True)], busy="Connecting…")
    connecting.checking = True
    assert connecting.status() == "Connecting…"
