"""Scenario text printed by `text` can never drive the terminal: control characters and
escape sequences come out visible and inert, in every mode (defence in depth: the loader
is being taught to refuse them too)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.text.safe import clean, json_text
from tests.scenario.base import BASE
from tests.text.door import WAIT, command

# Raw bytes a terminal would act on: C0 but tab and newline, DEL, C1, bidi controls.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = {
    "title": "Tiny\x1b]0;pwned\x07",
    "customer_name": "Ms. \x1b[31mRed\x1b[0m",
    "opening": "This is \x1b[2J\x1b[Hunacceptable!\r\x9b6n",
    "reply": "I'm \u202elistening\u202c.\x08\x08",
}


@given(st.text())
def test_clean_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    cleaned = clean(text)
    assert not UNSAFE.search(cleaned)
    assert len(cleaned) == len(text)  # one visible symbol for each control: nothing hidden
    assert all(a == b for a, b in zip(text, cleaned, strict=True) if not UNSAFE.match(a))


@given(
    st.recursive(
        st.text() | st.integers() | st.none(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_json_text_is_exact_json_with_no_raw_controls(data: object) -> None:
    for indent in (None, 2):
        text = json_text(data, indent)
        assert not UNSAFE.search(text)
        assert json.loads(text) == data
    assert "\n" not in json_text(data)


def test_clean_shows_what_was_there() -> None:
    assert clean("a\x1b[31mb\rc\td\ne\x7f\x9b\u202e") == "a␛[31mb␍c\td\ne␡\ufffd\ufffd"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    text = (
        BASE.replace("title: Tiny", f"title: {json.dumps(HOSTILE['title'])}")
        .replace("name: Ms. Test", f"name: {json.dumps(HOSTILE['customer_name'])}")
        .replace('"This is unacceptable!"', json.dumps(HOSTILE["opening"]))
        .replace('"I\'m listening."', json.dumps(HOSTILE["reply"]))
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["--choices", "1,1"], ""),
        (["--choices", "1,1", "--json"], ""),
        (["--jsonl"], "1\n1\n"),
        (["--seed", "1"], "1\n1\n"),
    ],
    ids=["scripted", "json", "jsonl", "interactive"],
)
def test_hostile_scenario_text_never_reaches_the_terminal_raw(
    hostile: Path, args: list[str], stdin: str
) -> None:
    result = subprocess.run(
        command("text", str(hostile), *args),
        input=stdin.encode(),
        capture_output=True,
        timeout=WAIT,
        check=False,
    )
    out, err = result.stdout.decode(), result.stderr.decode()
    assert "Traceback" not in out + err
    assert not UNSAFE.search(out) and not UNSAFE.search(err), (out + err)[-600:]
    if result.returncode == 2:  # the loader refused the file: the message says where
        assert "hostile.yaml" in err
        return
    assert result.returncode == 0, err
    if "--jsonl" in args:  # a program still gets the exact text back
        events = [json.loads(line) for line in out.splitlines()]
        assert events[0]["text"] == HOSTILE["opening"]
        assert HOSTILE["reply"] in [r["text"] for r in events[1]["replies"]]
    elif "--json" not in args:
        assert "␛[2J" in out and "Ms. ␛[31mRed" in out
