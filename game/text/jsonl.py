"""The machine door: a live conversation over standard input and output, one JSON object a
line, for bots, tests and other front-ends.

Out: `customer` for each line the customer says (their "are you still there?" included, when
it happens), `choose` with the replies in the order shown and their authoring numbers, `turn`
after each reply (the fields of a turn of `--json`), `error` for a line that isn't a reply
(followed by the same `choose` again), and last `end` with the whole `--json` result.
In: one line per `choose`: `N`, or `N SECONDS` when the reply took that long (the silence is
handed to the engine a step at a time before the reply is played). End of input abandons
the call. Every line is flushed as soon as it is written.
"""

from __future__ import annotations

import math
import re
from typing import Any, TextIO

from game.engine.session import ChoicePrompt, CustomerLine, Finished
from game.text.call import Call, CallSetup, Recording, VirtualClock
from game.text.player import MAX_THINK
from game.text.render import exam_turn_json, result_json, review_so_far, turn_json
from game.text.safe import json_text

REPLY = re.compile(r"\s*(\d+)(?:\s+(\S+))?\s*")
MAX_LINE = 1000  # characters of an input line echoed back in an error


class Door:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def send(self, event: str, **fields: Any) -> None:
        self.out.write(json_text({"event": event, **fields}) + "\n")
        self.out.flush()


def parse_reply(line: str, prompt: ChoicePrompt) -> tuple[int, float] | str:
    """`N` or `N SECONDS` → (authoring number, seconds); anything else → what is wrong."""
    match = REPLY.fullmatch(line)
    numbers = sorted(option.number for option in prompt.options)
    expected = (
        f"send one line: a reply number from {numbers[0]} to {numbers[-1]},"
        " optionally followed by the seconds it took (e.g. '2' or '2 11.5')"
    )
    if match is None:
        shown = line.strip()[:MAX_LINE]
        return f"not a reply: {shown!r}; {expected}"
    number = int(match.group(1))
    if number not in numbers:
        return f"there is no reply {number} at '{prompt.node}'; {expected}"
    seconds = 0.0
    if match.group(2) is not None:
        try:
            seconds = float(match.group(2))
        except ValueError:
            return f"{match.group(2)[:MAX_LINE]!r} is not a number of seconds; {expected}"
        if not (math.isfinite(seconds) and 0 <= seconds <= MAX_THINK):
            return f"seconds must be from 0 to {MAX_THINK:.0f}, not {match.group(2)}; {expected}"
    return number, seconds


def _choose_event(prompt: ChoicePrompt) -> dict[str, Any]:
    return {
        "node": prompt.node,
        "replies": [{"number": o.number, "text": o.text} for o in prompt.options],
    }


def play_jsonl(
    setup: CallSetup, inp: TextIO, out: TextIO, *, recording: Recording | None = None
) -> int:
    """Play one call over `inp`/`out`. Returns 0 when it ended, 1 when input ran out first."""
    door = Door(out)
    call = Call(setup, recording, clock=VirtualClock())
    scenario = setup.scenario

    def nudge(text: str) -> None:
        door.send("customer", node=call.state.node, text=text, anger=round(call.live_anger))

    try:
        while True:
            moment = call.current()
            if isinstance(moment, CustomerLine):
                door.send(
                    "customer", node=moment.node, text=moment.text, anger=round(call.live_anger)
                )
                call.proceed()
                continue
            if isinstance(moment, Finished):
                report = call.report()
                result = result_json(scenario, call.state, report, setup.lang)
                result["exam"] = setup.exam
                if call.attempt_id is not None:
                    result["attempt"] = call.attempt_id
                door.send("end", **result)
                return 0
            door.send("choose", **_choose_event(moment))
            line = inp.readline()
            if not line:
                call.abandon()
                return 1
            reply = parse_reply(line, moment)
            if isinstance(reply, str):
                door.send("error", message=reply)
                continue  # the same prompt again: nothing has moved
            number, seconds = reply
            if not call.wait(seconds, nudge):
                continue  # they gave up waiting: their parting line, then the end
            turn = call.choose(number)
            if setup.exam:
                door.send("turn", **exam_turn_json(turn, setup.lang))
                continue
            door.send(
                "turn", **turn_json(review_so_far(scenario, call.state, setup.catalog), setup.lang)
            )
    finally:
        call.abandon()  # an unfinished recorded call is kept as abandoned
