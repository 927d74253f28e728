"""Scripted play with thinking times: `text SCENARIO --choices … --think …`."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

import pytest

from game.cli import main
from tests.text.door import LATE

GOOD = ",".join(["1"] * 8)  # late-delivery's guide path: eight replies


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def result(*args: str) -> dict[str, Any]:
    code, out, err = run("text", LATE, "--choices", GOOD, "--json", *args)
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def test_one_time_before_every_reply_is_the_same_as_that_time_given_per_reply() -> None:
    assert result("--think", "12") == result("--think", ",".join(["12"] * 8))


def test_the_result_says_what_pace_cost_on_every_turn() -> None:
    think = [3, 12, 0, 20, 5, 9, 1, 2]
    played = result("--think", ",".join(map(str, think)))
    paces = [turn["pace"] for turn in played["turns"]]
    assert [p["seconds"] for p in paces] == think
    for pace, turn in zip(paces, played["turns"], strict=True):
        silence = [e for e in turn["effects"] if e["source"] == "silence"]
        assert pace["anger"] == sum(e["anger"] for e in silence)
        assert (pace["principle"] is None) == (not silence)
    # On the phone the first seconds are free; twelve and twenty are dead air.
    assert paces[0]["anger"] == 0 and paces[2]["anger"] == 0
    assert paces[1]["anger"] > 0 and paces[3]["anger"] > paces[1]["anger"]
    assert paces[1]["principle"] == "G-RESOLVE-7"
    assert played["pace"] == {"seconds": sum(think), "anger": sum(p["anger"] for p in paces)}
    # No time taken costs nothing, exactly as scripted play without a clock.
    instant = result("--think", "0")
    assert instant == result()
    assert all(t["pace"]["anger"] == 0 for t in instant["turns"])


def test_no_timer_makes_thinking_free() -> None:
    slow = result("--think", "30", "--no-timer")
    assert [t["pace"]["seconds"] for t in slow["turns"]] == [30] * 8
    assert all(t["pace"]["anger"] == 0 for t in slow["turns"])
    assert slow["score"] == result()["score"]


def test_thinking_too_long_lets_the_customer_hang_up() -> None:
    code, out, err = run("text", LATE, "--choices", GOOD, "--json", "--think", "5,60")
    assert code == 2 and "--think gives 2 times for 8 choices" in err
    code, out, err = run("text", LATE, "--choices", GOOD, "--json", "--think", "5,600,1,1,1,1,1,1")
    assert code == 0
    played = json.loads(out)
    assert played["cause"] == "dead_air" and len(played["turns"]) == 1 and not played["passed"]
    assert "gave up waiting before choice 2; 7 of the 8 choices were not played" in err


def test_the_transcript_shows_the_time_taken() -> None:
    code, out, _ = run("text", LATE, "--choices", GOOD, "--think", "12")
    assert code == 0
    assert "⏱ 12 s before this reply: cost +" in out and "(G-RESOLVE-7)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--choices", GOOD, "--think", "1,2,3"], "--think gives 3 times for 8 choices"),
        (["--choices", "1,1", "--think", "1,2,3"], "--think gives 3 times for 2 choices"),
        (["--choices", GOOD, "--think", "soon"], "--think must be seconds"),
        (["--choices", GOOD, "--think", "-4"], "-4 is not a time from 0 to 3600"),
        (["--choices", GOOD, "--think", "inf"], "inf is not a time"),
        (["--choices", GOOD, "--think", ","], "--think is empty"),
        (["--think", "12"], "--think needs --choices"),
        (["--choices", GOOD, "--pass-score", "101"], "--pass-score must be from 0 to 100"),
    ],
)
def test_bad_thinking_times_are_usage_errors(args: list[str], message: str) -> None:
    code, out, err = run("text", LATE, *args)
    assert code == 2 and message in err and out == ""
