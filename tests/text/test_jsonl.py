"""The machine door, `text SCENARIO --jsonl`, driven by a bot as a real subprocess."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.catalog import load_catalog
from game.engine.session import TimerMode
from game.scenario.loader import load_scenario
from game.text.call import CallSetup
from game.text.jsonl import play_jsonl
from tests.conftest import PLANS, SCENARIOS
from tests.text.door import LATE, Door, cli, silence_thresholds

OpenDoor = Callable[..., Door]


@pytest.fixture
def open_door() -> Iterator[OpenDoor]:
    doors: list[Door] = []

    def opened(*args: str) -> Door:
        door = Door(*args)
        doors.append(door)
        return door

    yield opened
    for door in doors:
        door.kill()


def plan(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((PLANS / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


def scripted(scenario: str, choices: list[int], *args: str) -> dict[str, Any]:
    result = cli("text", scenario, "--choices", ",".join(map(str, choices)), "--json", *args)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def play_plan(door: Door, choices: list[int]) -> dict[str, Any]:
    """A bot: at each `choose` it finds the planned reply among those shown and sends it."""
    for number in choices:
        prompt = door.until("choose")
        shown = [reply["number"] for reply in prompt["replies"]]
        assert sorted(shown) == list(range(1, len(shown) + 1)), "authoring numbers, 1-based"
        assert number in shown
        door.send(str(number))
        turn = door.until("turn")
        assert turn["choice"] == number and turn["node"] == prompt["node"]
    end = door.until("end")
    assert door.finish() == 0
    return end


@pytest.mark.parametrize("name", ["late-delivery-good", "mystery-charge-good"])
def test_a_bot_plays_the_guide_path_and_gets_the_scripted_result(
    open_door: OpenDoor, name: str
) -> None:
    level = plan(name)
    scenario = str(SCENARIOS / level["scenario"])
    door = open_door(scenario, "--seed", "7")
    end = play_plan(door, level["choices"])
    assert end["passed"] is True and end["outcome"] == level["expect"]["outcome"]
    # Replies sent without seconds took none: the clock runs, as with `--think 0`.
    expected = scripted(scenario, level["choices"], "--think", "0", "--seed", "7")
    assert {k: v for k, v in end.items() if k != "event"} == expected
    # Each live `turn` event is the same turn the final result shows.
    turns = [e for e in door.events if e["event"] == "turn"]
    assert [{k: v for k, v in t.items() if k != "event"} for t in turns] == expected["turns"]
    # Every customer line arrives as its own event, with the meter as it stands.
    customer = [e for e in door.events if e["event"] == "customer"]
    assert [e["node"] for e in customer] == level["expect"]["path"] + [expected["ending"]]
    assert customer[0]["anger"] == expected["anger"][0]


def test_a_bot_that_always_picks_the_first_reply_shown(open_door: OpenDoor) -> None:
    door = open_door(LATE, "--seed", "11", "--no-timer")
    sent: list[int] = []
    while True:
        event = door.until("choose", "end")
        if event["event"] == "end":
            break
        sent.append(event["replies"][0]["number"])
        door.send(str(sent[-1]))
    assert door.finish() == 0
    assert {k: v for k, v in event.items() if k != "event"} == scripted(LATE, sent, "--seed", "11")
    # The order shown is not the authoring order at every prompt: position gives nothing away.
    prompts = [e for e in door.events if e["event"] == "choose"]
    assert any(
        [r["number"] for r in p["replies"]] != sorted(r["number"] for r in p["replies"])
        for p in prompts
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "not a reply"),
        ("two", "not a reply"),
        ("9", "there is no reply 9 at 'opening'"),
        ("0", "there is no reply 0"),
        ("1 soon", "'soon' is not a number of seconds"),
        ("1 -3", "seconds must be from 0 to 3600"),
        ("1 nan", "seconds must be from 0 to 3600"),
        ("1 2 3", "not a reply"),
        ('{"choice": 1}', "not a reply"),
    ],
)
def test_a_malformed_line_gets_an_error_and_the_same_choice_again(
    open_door: OpenDoor, line: str, message: str
) -> None:
    door = open_door(LATE, "--seed", "2")
    first = door.until("choose")
    door.send(line)
    error = door.next_event()
    assert error["event"] == "error" and message in error["message"]
    assert "send one line: a reply number from 1 to 4" in error["message"]
    again = door.next_event()
    assert again == first
    door.send("1")
    turn = door.until("turn")
    assert turn["anger_before"] == 65 and turn["pace"]["anger"] == 0
    assert door.close_input() == 1


def test_end_of_input_abandons_the_call_cleanly(open_door: OpenDoor) -> None:
    door = open_door(LATE)
    door.until("choose")
    code = door.close_input()
    assert code == 1
    assert [e["event"] for e in door.events] == ["customer", "choose"]
    assert "Traceback" not in door.stderr()


def test_seconds_before_a_reply_run_the_clock_and_the_customer_asks_if_you_are_there(
    open_door: OpenDoor,
) -> None:
    (_, asks), _ = silence_thresholds(LATE, [1, 1])
    door = open_door(LATE, "--seed", "1")
    door.until("choose")
    door.send(f"1 {asks + 1:g}")  # a little longer than the customer waits before asking
    nudge = door.next_event()
    assert nudge["event"] == "customer" and nudge["text"] == "Hello? Are you still there?"
    assert nudge["node"] == "opening" and nudge["anger"] > 65
    turn = door.next_event()
    assert turn["event"] == "turn"
    assert turn["pace"]["seconds"] == asks + 1 and turn["pace"]["anger"] > 0
    assert turn["anger_before"] >= 65 + turn["pace"]["anger"]
    # A reply that takes long enough ends the call: the customer hangs up, and that's the end.
    door.until("choose")
    door.send("1 3600")
    lines = [door.next_event() for _ in range(3)]
    assert [e["event"] for e in lines] == ["customer", "customer", "end"]
    assert lines[1]["text"].startswith("Hello? ... Hello?!")
    assert lines[2]["cause"] == "dead_air" and lines[2]["passed"] is False
    assert door.finish() == 0


def test_no_timer_means_silence_costs_nothing(open_door: OpenDoor) -> None:
    door = open_door(LATE, "--no-timer")
    door.until("choose")
    door.send("1 120")
    turn = door.next_event()
    assert turn["event"] == "turn"
    assert turn["pace"]["seconds"] == 120 and turn["pace"]["anger"] == 0
    door.close_input()


def test_a_language_still_being_translated_is_refused_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only complete languages can be played (tests/i18n plays a complete one end to end).
    Every shipped language is complete, so a translator's locale folder with no Finnish yet
    stands in for one still being translated."""
    empty = tmp_path / "locale"
    empty.mkdir()
    monkeypatch.setenv("HOLD_THE_LINE_LOCALE", str(empty))
    result = cli("text", LATE, "--jsonl", "--lang", "fi")
    assert result.returncode == 2
    assert "Finnish (fi) is not complete yet" in result.stderr
    assert "hold-the-line i18n check --lang fi" in result.stderr


def test_jsonl_refuses_scripted_options() -> None:
    result = cli("text", LATE, "--jsonl", "--choices", "1")
    assert result.returncode == 2 and "--jsonl plays from standard input" in result.stderr


LINES = st.one_of(
    st.text(max_size=12).map(lambda s: s.replace("\n", " ")),
    st.builds(
        lambda n, s: f"{n} {s}",
        st.integers(-2, 6),
        st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 400)),
    ),
    st.integers(0, 5).map(str),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(LINES, max_size=14), st.integers(0, 2**31 - 1))
def test_any_input_gives_valid_events_and_never_a_crash(lines: list[str], seed: int) -> None:
    """Played in-process on random input: every output line is one JSON event, every bad
    line gets an error and the same choice again, and the call ends or is abandoned."""
    setup = CallSetup(
        load_scenario(LATE), None, 1, 70, "en", TimerMode.NORMAL, seed, load_catalog()
    )
    out = io.StringIO()
    code = play_jsonl(setup, io.StringIO("".join(line + "\n" for line in lines)), out)
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    kinds = [e["event"] for e in events]
    assert set(kinds) <= {"customer", "choose", "turn", "error", "end"}
    assert code == (0 if kinds[-1] == "end" else 1)
    assert code == 0 or kinds[-1] == "choose"  # input ran out while a reply was wanted
    for index, kind in enumerate(kinds):
        if kind == "error":
            assert events[index - 1]["event"] == "choose" and events[index + 1] == events[index - 1]
    # Each `choose` reads exactly one line: at the end of input, one more is left waiting.
    if code == 1:
        assert kinds.count("choose") == len(lines) + 1
    else:
        assert kinds.count("choose") <= len(lines)
        assert kinds.count("turn") == len(events[-1]["turns"])
