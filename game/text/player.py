"""Play a scenario in the terminal, interactively or from a script of choices."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, TextIO

from game.analysis.live import Broken, Reloaded, ScenarioWatch, resume
from game.engine.session import (
    ChoicePrompt,
    CustomerLine,
    Finished,
    InvalidChoice,
    Phase,
    SessionError,
    dead_air_rule,
    line_text,
)
from game.text.call import TICK, Call, CallSetup, Recording, VirtualClock
from game.text.render import (
    debrief_text,
    header,
    meter,
    pace_line,
    result_json,
    turn_feedback,
    wrap,
)
from game.text.safe import clean, json_text
from game.text.terminal import Terminal

if TYPE_CHECKING:
    from game.scenario.model import Scenario

MAX_THINK = 3600.0  # seconds; longer than any customer waits


class ScriptError(Exception):
    """The scripted choices (or thinking times) do not fit the scenario."""


def parse_choices(text: str) -> list[int]:
    try:
        numbers = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError as error:
        raise ScriptError(f"--choices must be numbers separated by commas, not {text!r}") from error
    if not numbers:
        raise ScriptError("--choices is empty")
    return numbers


def parse_think(text: str, count: int) -> list[float]:
    """`--think 12` (the same before every reply) or `--think 12,8,15` (one per reply)."""
    parts = [part for part in text.replace(" ", "").split(",") if part]
    try:
        seconds = [float(part) for part in parts]
    except ValueError as error:
        raise ScriptError(
            f"--think must be seconds, e.g. 12 or 12,8,15 (one per reply), not {text!r}"
        ) from error
    if not seconds:
        raise ScriptError("--think is empty: give seconds, e.g. --think 12")
    bad = [s for s in seconds if not (math.isfinite(s) and 0 <= s <= MAX_THINK)]
    if bad:
        raise ScriptError(f"--think: {bad[0]:g} is not a time from 0 to {MAX_THINK:.0f} seconds")
    if len(seconds) == 1:
        return seconds * count
    if len(seconds) != count:
        raise ScriptError(
            f"--think gives {len(seconds)} times for {count} choices: give one time for every"
            " choice, or a single time for all of them"
        )
    return seconds


# ---- scripted play -------------------------------------------------------------------------


def _run_script(call: Call, choices: list[int], think: list[float] | None) -> int:
    """Play the script on `call`; returns how many choices were played (fewer only when the
    customer gave up waiting). Raises ScriptError when the script does not fit."""
    for index, number in enumerate(choices):
        call.to_prompt()
        if call.phase is Phase.ENDED:
            raise ScriptError(
                f"the conversation ended after {index} choices; {len(choices)} were given"
            )
        if think is not None and not call.wait(think[index]):
            call.to_prompt()
            return index  # the silence ran too long: the customer gave up
        try:
            call.choose(number)
        except InvalidChoice as error:
            raise ScriptError(f"choice {index + 1} of the script: {error}") from None
        except SessionError as error:  # pragma: no cover - the phase is checked above
            raise ScriptError(str(error)) from error
    call.to_prompt()
    if call.phase is not Phase.ENDED:
        raise ScriptError(
            f"the choices ran out at node '{call.state.node}' before the conversation ended"
        )
    return len(choices)


def play_scripted(
    setup: CallSetup,
    choices: list[int],
    *,
    think: list[float] | None,
    as_json: bool,
    out: TextIO,
    warn: TextIO,
    recording: Recording | None = None,
) -> int:
    """Play the choices (authoring numbers) to the end; with `think`, that many seconds of
    silence pass before each reply. The script is checked on an unrecorded run first, so a
    script that doesn't fit records nothing."""
    _run_script(Call(setup, clock=VirtualClock()), choices, think)
    call = Call(setup, recording, clock=VirtualClock())
    played = _run_script(call, choices, think)
    if played < len(choices):
        warn.write(
            f"hold-the-line: the customer gave up waiting before choice {played + 1};"
            f" {len(choices) - played} of the {len(choices)} choices were not played\n"
        )
    scenario, lang, state = setup.scenario, setup.lang, call.state
    report = call.report()
    if as_json:
        result = result_json(scenario, state, report, lang)
        if call.attempt_id is not None:
            result["attempt"] = call.attempt_id
        out.write(json_text(result, indent=2) + "\n")
        return 0
    tr = setup.tr
    lines = [header(scenario, lang, setup.catalog, tr), ""]
    name = scenario.customer.name.get(lang)
    for turn in state.turns:
        lines.append(wrap(f'{name}: "{line_text(scenario, turn.node, lang, setup.catalog)}"'))
        pace = pace_line(turn, tr)
        if pace is not None:
            lines.append(pace)
        # i18n: the trainee's own reply in the terminal transcript
        lines.append(wrap(tr._('You: "{reply}"', reply=turn.say.get(lang))))
        lines.append(turn_feedback(turn, lang))
        lines.append(meter(turn.anger_after, tr=tr))
        lines.append("")
    assert state.outcome is not None
    lines.append(wrap(f'{name}: "{line_text(scenario, state.outcome.node, lang, setup.catalog)}"'))
    lines.append(debrief_text(scenario, report, setup.catalog, lang, tr))
    out.write(clean("\n".join(lines)) + "\n")
    return 0


# ---- interactive play ----------------------------------------------------------------------

GAVE_UP = -1  # the customer ended the call while the trainee was still deciding


def clock_text(call: Call, prompt: ChoicePrompt) -> str:
    """The dead-air clock: silence so far, and the meter while the silence costs."""
    tr = call.setup.tr
    text = f"⏱ {int(prompt.silence):>2d} s"
    if prompt.live_anger > call.state.anger:
        text += " · " + tr._("dead air: anger {anger} ↑", anger=round(prompt.live_anger))
    return text


def play_interactive(
    setup: CallSetup,
    terminal: Terminal,
    *,
    recording: Recording | None = None,
    clock: Callable[[], float] = time.monotonic,
    watch: ScenarioWatch | None = None,
) -> int:
    """Play in the terminal; the dead-air clock and the customer's prompts show as they
    happen, while the trainee is still choosing. With `watch` (`--watch`, never recorded),
    an edit of the scenario file resumes the call on the new version, and a broken edit
    shows its problems while the call goes on."""
    call = Call(setup, recording, clock=clock)
    scenario, lang, tr = setup.scenario, setup.lang, setup.tr
    name = scenario.customer.name.get(lang)
    try:
        terminal.say(header(scenario, lang, setup.catalog, tr) + "\n")
        while True:
            moment = call.current()
            if isinstance(moment, CustomerLine):
                terminal.say(wrap(f'{name}: "{moment.text}"'))
                if not moment.final:
                    terminal.say(meter(call.live_anger, tr=tr))
                call.proceed()
                continue
            if isinstance(moment, Finished):
                terminal.say(debrief_text(scenario, call.report(), setup.catalog, lang, tr))
                return 0
            terminal.say("")
            for position, option in enumerate(moment.options, start=1):
                terminal.say(wrap(option.text, indent="     ", first=f"  {position}) "))
            number = _ask(call, moment, terminal, clock, watch)
            if number is None:
                call.abandon()
                kept = (
                    " " + tr._("It is kept in the records as abandoned.") if call.recorder else ""
                )
                terminal.say("\n" + tr._("Call abandoned. Nothing was scored.") + kept)
                return 1
            if isinstance(number, Reloaded):  # on with the call on the edited version
                call = _resumed(call, number.scenario, terminal)
                scenario, name = call.scenario, call.scenario.customer.name.get(lang)
                continue
            if number == GAVE_UP:
                continue  # their parting line comes next
            turn = call.choose(number)
            pace = pace_line(turn, tr)
            terminal.say((pace + "\n" if pace else "") + turn_feedback(turn, lang))
    finally:
        call.abandon()  # only an unfinished recorded call: Ctrl-C, a crash


def _resumed(call: Call, scenario: Scenario, terminal: Terminal) -> Call:
    """The call on the edited scenario, replayed to where it was (same seed: the replies
    keep their numbers); says where it resumed, and repeats the customer's current line."""
    setup = call.setup
    resumption = resume(
        scenario, call.state, policy=setup.policy, lang=setup.lang, catalog=setup.catalog
    )
    fresh = Call(replace(setup, scenario=scenario, seed=call.state.seed), clock=call.clock)
    for event in resumption.events:
        fresh.to_prompt()
        fresh.tick(event.silence)
        if event.choice is not None:
            fresh.choose(event.choice)
    terminal.say(f"\n↻ {resumption.note}")
    return fresh


def _ask(
    call: Call,
    prompt: ChoicePrompt,
    terminal: Terminal,
    clock: Callable[[], float],
    watch: ScenarioWatch | None = None,
) -> int | Reloaded | None:
    """Wait for a reply while the clock runs. Returns the authoring number, None to leave,
    GAVE_UP when the customer ended the call first, or the new version of the scenario
    when its file changed (`--watch`)."""
    try:
        return _reply(call, prompt, terminal, clock, watch)
    finally:
        terminal.close_prompt()


def _reply(
    call: Call,
    prompt: ChoicePrompt,
    terminal: Terminal,
    clock: Callable[[], float],
    watch: ScenarioWatch | None,
) -> int | Reloaded | None:
    count, tr = len(prompt.options), call.setup.tr
    # i18n: the terminal player's prompt; the trainee types a number or q
    question = tr._("Your reply (1-{count}, q to leave the call): ", count=count)
    timed = dead_air_rule(call.scenario, call.state.timer, catalog=call.setup.catalog) is not None
    nudged = prompt.nudge is not None
    shown = -1  # the whole seconds last shown on the clock
    costing = False
    last = clock()
    current = prompt
    while True:
        if timed and terminal.live:
            terminal.ask(f"{clock_text(call, current)}  {question}")
        else:
            terminal.ask(question)
        try:
            line = terminal.read(TICK)
        except EOFError:
            return None
        now = clock()
        call.tick(max(0.0, now - last))
        last = now
        moment = call.current()
        if not isinstance(moment, ChoicePrompt):
            return GAVE_UP
        current = moment
        if moment.nudge and not nudged:
            nudged = True
            terminal.say(
                wrap(f'{call.scenario.customer.name.get(call.setup.lang)}: "{moment.nudge}"')
            )
        seconds = int(moment.silence)
        if timed and not terminal.live and seconds != shown:
            starts_costing = moment.live_anger > call.state.anger and not costing
            if starts_costing or (seconds and seconds % 5 == 0):
                terminal.say("  " + clock_text(call, moment))
            costing = costing or starts_costing
            shown = seconds
        if line is None:
            change = watch.poll() if watch is not None else None
            if isinstance(change, Broken):
                terminal.say(
                    "\n✗ The edit has errors; the call goes on with the last good version:"
                )
                for problem in change.lines():
                    terminal.say("  " + problem)
            elif isinstance(change, Reloaded):
                return change
            continue
        answer = line.strip().lower()
        if answer in ("q", "quit", "exit"):
            return None
        if answer.isdigit() and 1 <= int(answer) <= count:
            return moment.options[int(answer) - 1].number
        terminal.say("  " + tr._("Please type a number from 1 to {count}.", count=count))
