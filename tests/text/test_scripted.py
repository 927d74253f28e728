"""Scripted play with thinking times: `text SCENARIO --choices … --think …`."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

import pytest

from game.cli import main
from tests.text.door import LATE, silence_thresholds

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


def without_pace(played: dict[str, Any]) -> dict[str, Any]:
    """The result minus what only the clock knows (the reading allowance, when it runs)."""
    turns = [{k: v for k, v in t.items() if k != "pace"} for t in played["turns"]]
    return {**{k: v for k, v in played.items() if k != "pace"}, "turns": turns}


def test_one_time_before_every_reply_is_the_same_as_that_time_given_per_reply() -> None:
    assert result("--think", "12") == result("--think", ",".join(["12"] * 8))


def test_the_result_says_what_pace_cost_on_every_turn() -> None:
    costs = [cost for cost, _ in silence_thresholds(LATE, [1] * 8)]
    # Free, costly, free, costlier, …: just inside or a few seconds past the free time.
    think = [
        costs[i] - 0.5 if i % 2 == 0 else costs[i] + 2 + i for i in range(8)
    ]  # fmt: skip
    played = result("--think", ",".join(f"{t:g}" for t in think))
    paces = [turn["pace"] for turn in played["turns"]]
    assert [p["seconds"] for p in paces] == [round(t, 2) for t in think]
    for pace, turn in zip(paces, played["turns"], strict=True):
        silence = [e for e in turn["effects"] if e["source"] == "silence"]
        assert pace["anger"] == sum(e["anger"] for e in silence)
    assert all(p["anger"] == 0 for p in paces[0::2])
    assert all(p["anger"] > 0 for p in paces[1::2])
    # the engine's pace_cost, field for field: free up to the reading allowance, not past it
    assert all(p["seconds"] <= p["allowance"] and p["points"] == 0 for p in paces[0::2])
    assert all(p["seconds"] > p["allowance"] and p["points"] > 0 for p in paces[1::2])
    assert all(0 < p["reading"] < p["allowance"] and p["lookup"] is False for p in paces)
    assert played["pace"] == {
        "seconds": round(sum(think), 2),
        "anger": sum(p["anger"] for p in paces),
        "points": round(min(10, sum(p["points"] for p in paces)), 2),
    }
    # No time taken costs nothing, exactly as scripted play without a clock.
    instant, unclocked = result("--think", "0"), result()
    assert without_pace(instant) == without_pace(unclocked)
    assert all(t["pace"]["anger"] == 0 for t in instant["turns"])


def test_no_timer_makes_thinking_free() -> None:
    slow = result("--think", "30", "--no-timer")
    assert [t["pace"]["seconds"] for t in slow["turns"]] == [30] * 8
    assert all(t["pace"]["anger"] == 0 for t in slow["turns"])
    assert slow["score"] == result()["score"]


def test_thinking_too_long_lets_the_customer_hang_up() -> None:
    code, out, err = run("text", LATE, "--choices", GOOD, "--json", "--think", "5,60")
    assert code == 2 and "--think gives 2 times for 8 choices" in err
    code, out, err = run("text", LATE, "--choices", GOOD, "--json", "--think", "0,3600,1,1,1,1,1,1")
    assert code == 0
    played = json.loads(out)
    assert played["cause"] == "dead_air" and len(played["turns"]) == 1 and not played["passed"]
    assert "gave up waiting before choice 2; 7 of the 8 choices were not played" in err


def test_the_transcript_shows_the_time_taken() -> None:
    late = [f"{cost + 4:g}" for cost, _ in silence_thresholds(LATE, [1] * 8)]
    code, out, _ = run("text", LATE, "--choices", GOOD, "--think", ",".join(late))
    assert code == 0
    first = float(late[0])
    assert f"⏱ {first:.0f} s before this reply: cost +" in out
    assert out.count("before this reply: cost +") == 8


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
