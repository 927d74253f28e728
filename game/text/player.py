"""Play a scenario in the terminal, interactively or from a script of choices."""

from __future__ import annotations

import json
import secrets
import sys
import time
from collections.abc import Callable
from typing import TextIO

from game.engine.scoring import debrief
from game.engine.session import (
    ChoicePrompt,
    CustomerLine,
    Finished,
    InvalidChoice,
    Session,
    SessionError,
    TimerMode,
    play_choices,
)
from game.scenario.model import Policy, Scenario
from game.text.render import debrief_text, header, meter, result_json, turn_feedback, wrap


class ScriptError(Exception):
    """The scripted choices do not fit the scenario."""


def parse_choices(text: str) -> list[int]:
    try:
        numbers = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError as error:
        raise ScriptError(f"--choices must be numbers separated by commas, not {text!r}") from error
    if not numbers:
        raise ScriptError("--choices is empty")
    return numbers


def play_scripted(
    scenario: Scenario,
    choices: list[int],
    *,
    policy: Policy | None,
    pass_score: int,
    as_json: bool,
    lang: str,
    out: TextIO,
) -> None:
    try:
        state = play_choices(scenario, choices, policy=policy)
    except InvalidChoice as error:
        raise ScriptError(str(error)) from error
    except SessionError as error:
        raise ScriptError(str(error)) from error
    if len(state.events) < len(choices):
        raise ScriptError(
            f"the conversation ended after {len(state.events)} choices; {len(choices)} were given"
        )
    report = debrief(scenario, state, pass_score)
    if as_json:
        out.write(
            json.dumps(result_json(scenario, state, report, lang), ensure_ascii=False, indent=2)
        )
        out.write("\n")
        return
    out.write(header(scenario, lang) + "\n\n")
    name = scenario.customer.name.get(lang)
    for turn in state.turns:
        out.write(wrap(f'{name}: "{_line(scenario, turn.node, lang)}"') + "\n")
        out.write(wrap(f'You: "{turn.say.get(lang)}"') + "\n")
        out.write(turn_feedback(turn, lang) + "\n")
        out.write(meter(turn.anger_after) + "\n\n")
    assert state.outcome is not None
    out.write(wrap(f'{name}: "{_line(scenario, state.outcome.node, lang)}"') + "\n")
    out.write(debrief_text(scenario, report, lang) + "\n")


def _line(scenario: Scenario, node: str, lang: str) -> str:
    from game.engine.session import line_text

    return line_text(scenario, node, lang)


def play_interactive(
    scenario: Scenario,
    *,
    policy: Policy | None,
    pass_score: int,
    lang: str,
    timer: TimerMode,
    seed: int | None = None,
    read: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Play in the terminal; the dead-air clock runs between the prompt and the answer."""
    session = Session(
        scenario,
        policy=policy,
        seed=secrets.randbelow(2**31) if seed is None else seed,
        timer=timer,
    )
    name = scenario.customer.name.get(lang)
    out.write(header(scenario, lang) + "\n\n")
    while True:
        moment = session.current(lang)
        if isinstance(moment, CustomerLine):
            out.write(wrap(f'{name}: "{moment.text}"') + "\n")
            if not moment.final:
                out.write(meter(session.live_anger) + "\n")
            session.proceed()
            continue
        if isinstance(moment, Finished):
            report = debrief(scenario, session.state, pass_score)
            out.write(debrief_text(scenario, report, lang) + "\n")
            return 0
        assert isinstance(moment, ChoicePrompt)
        out.write("\n")
        for position, option in enumerate(moment.options, start=1):
            out.write(wrap(option.text, indent="     ", first=f"  {position}) ") + "\n")
        asked = clock()
        number = _ask(read, out, len(moment.options))
        if number is None:
            out.write("\nCall abandoned. Nothing was scored.\n")
            return 1
        session.tick(clock() - asked)
        after_wait = session.current(lang)
        if isinstance(after_wait, ChoicePrompt) and after_wait.nudge:
            out.write(wrap(f'{name}: "{after_wait.nudge}"') + "\n")
        if not isinstance(after_wait, ChoicePrompt):
            continue  # they gave up waiting: the next moment is their parting line
        turn = session.choose(moment.options[number - 1].number)
        out.write(turn_feedback(turn, lang) + "\n")


def _ask(read: Callable[[str], str], out: TextIO, count: int) -> int | None:
    while True:
        try:
            answer = read(f"Your reply (1-{count}, q to leave the call): ").strip().lower()
        except EOFError:
            return None
        if answer in ("q", "quit", "exit"):
            return None
        if answer.isdigit() and 1 <= int(answer) <= count:
            return int(answer)
        out.write(f"  Please type a number from 1 to {count}.\n")
