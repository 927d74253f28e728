"""`hold-the-line text SCENARIO`: play in the terminal, scripted, or over JSON lines.

With --trainee the call is recorded like a call in the game window.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from game.cli.errors import EXIT_USAGE, UsageError
from game.cli.languages import add_language_argument, reader
from game.cli.settings import add_settings_arguments, settings

if TYPE_CHECKING:
    from game.text.call import CallSetup, Recording

NAME = "text"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    text = sub.add_parser(
        NAME,
        help="play a scenario in the terminal (or over JSON lines with --jsonl)",
        description="Play a scenario without a window: interactively, from a script of"
        " choices (--choices), or over standard input and output one JSON object a line"
        " (--jsonl). With --trainee the call is recorded like a call in the game window.",
    )
    text.add_argument("scenario", type=Path)
    text.add_argument(
        "--choices", help="scripted play: choice numbers in authoring order, e.g. 1,3,2"
    )
    text.add_argument(
        "--think",
        help="scripted play: seconds taken before every reply (12), or before each (12,8,15)",
    )
    text.add_argument("--json", action="store_true", help="print the result as one JSON object")
    text.add_argument(
        "--jsonl",
        action="store_true",
        help="machine play: JSON lines out, one reply ('N' or 'N SECONDS') a line in",
    )
    text.add_argument("--no-timer", action="store_true", help="turn the dead-air timer off")
    add_language_argument(text, "of the call, the feedback and the debrief (default: en)")
    text.add_argument("--pass-score", type=int, help="pass mark (default: the campaign's, else 70)")
    text.add_argument(
        "--seed",
        type=int,
        help="the attempt's seed: the order replies are shown in, their wordings, the "
        "starting state and seeded story flags (scripted play: 0)",
    )
    text.add_argument("--trainee", help="record the call for this trainee (as the game does)")
    text.add_argument(
        "--create-trainee",
        action="store_true",
        help="with --trainee: create the profile if there is none by that name",
    )
    text.add_argument("--db", help="with --trainee: database URL (default: the local SQLite file)")
    text.add_argument(
        "--watch",
        action="store_true",
        help="interactive play: reload the scenario when its file changes, resume where it was",
    )
    add_settings_arguments(text)


def run(args: argparse.Namespace) -> int:
    import secrets

    from game.engine.session import TimerMode
    from game.i18n.localize import localized
    from game.scenario.campaign import find_campaign_for, play_settings_for
    from game.scenario.loader import load_scenario
    from game.scenario.problems import ScenarioError
    from game.text.call import CallSetup, RecordingError, open_recording
    from game.text.player import ScriptError, parse_choices, parse_think
    from game.text.safe import clean

    scripted = args.choices is not None
    if args.json and not scripted:
        raise UsageError("--json needs --choices (scripted play)")
    if args.think is not None and not scripted:
        raise UsageError("--think needs --choices (scripted play); with --jsonl send 'N SECONDS'")
    if args.jsonl and (scripted or args.json):
        raise UsageError("--jsonl plays from standard input: leave out --choices and --json")
    if (args.db is not None or args.create_trainee) and args.trainee is None:
        raise UsageError("--db and --create-trainee need --trainee NAME (whose call to record)")
    if args.watch and (scripted or args.jsonl or args.trainee is not None):
        raise UsageError(
            "--watch is for trying a level while you edit it: interactive play, unrecorded"
            " (leave out --choices, --jsonl and --trainee)"
        )
    if args.pass_score is not None and not 0 <= args.pass_score <= 100:
        raise UsageError(f"--pass-score must be from 0 to 100, not {args.pass_score}")
    try:
        choices = parse_choices(args.choices) if scripted else []
        think = parse_think(args.think, len(choices)) if args.think is not None else None
    except ScriptError as error:
        raise UsageError(str(error)) from error
    catalog, override = settings(args)
    tr, catalog = reader(args.lang, catalog)  # the catalog's labels in the player's language
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        for problem in error.problems:
            print(clean(str(problem)), file=sys.stderr)
        print(f"hold-the-line: {clean(str(args.scenario))} cannot be played", file=sys.stderr)
        return EXIT_USAGE
    scenario = localized(scenario)
    if override is not None:
        from game.scenario.overrides import with_policy

        scenario = with_policy(scenario, override)
    policy, pass_score = play_settings_for(args.scenario, scenario)
    if args.pass_score is not None:
        pass_score = args.pass_score
    campaign = find_campaign_for(args.scenario)
    level = campaign.level(scenario.id) if campaign else None  # recorded with the attempt
    if scripted:
        # Scripted play runs the clock only when told how long each reply took.
        timer = TimerMode.NORMAL if think is not None and not args.no_timer else TimerMode.OFF
        seed = 0 if args.seed is None else args.seed
    else:
        timer = TimerMode.OFF if args.no_timer else TimerMode.NORMAL
        seed = secrets.randbelow(2**31) if args.seed is None else args.seed
    setup = CallSetup(
        scenario=scenario,
        policy=policy,
        level=level.number if level else None,
        pass_score=pass_score,
        lang=tr.lang,
        timer=timer,
        seed=seed,
        catalog=catalog,  # a composition root: the catalog is loaded here, passed in
        tr=tr,
    )
    recording: Recording | None = None
    if args.trainee is not None:
        try:
            recording = open_recording(args.db, args.trainee, create=args.create_trainee)
        except RecordingError as error:
            raise UsageError(clean(str(error))) from error
    try:
        return _play_text(args, setup, choices, think, recording)
    finally:
        if recording is not None:
            recording.store.close()


def _play_text(
    args: argparse.Namespace,
    setup: CallSetup,
    choices: list[int],
    think: list[float] | None,
    recording: Recording | None,
) -> int:
    from game.text.jsonl import play_jsonl
    from game.text.player import ScriptError, play_interactive, play_scripted
    from game.text.terminal import open_terminal

    _leave_on_hangup()
    if args.jsonl:
        # A machine protocol: UTF-8 both ways whatever the locale, bad bytes never a crash.
        _reconfigure(sys.stdin, encoding="utf-8", errors="replace")
        _reconfigure(sys.stdout, encoding="utf-8")
        return play_jsonl(setup, sys.stdin, sys.stdout, recording=recording)
    _reconfigure(sys.stdout, errors="replace")  # a terminal that can't show a letter gets '?'
    if args.choices is not None:
        try:
            return play_scripted(
                setup,
                choices,
                think=think,
                as_json=args.json,
                out=sys.stdout,
                warn=sys.stderr,
                recording=recording,
            )
        except ScriptError as error:
            raise UsageError(str(error)) from error
    watch = None
    if args.watch:
        from game.analysis.live import ScenarioWatch

        watch = ScenarioWatch(args.scenario, setup.scenario.content_hash)
    with open_terminal(sys.stdin, sys.stdout) as terminal:
        return play_interactive(setup, terminal, recording=recording, watch=watch)


def _leave_on_hangup() -> None:
    """A closed terminal or a `kill` leaves the call like Ctrl-C does: the player's cleanup
    runs (a recorded attempt is kept as abandoned, the terminal's mode is restored)."""
    import signal

    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, leave)


def _reconfigure(stream: object, **options: str) -> None:
    """Change a standard stream's encoding or error handling, when it is a real one."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(**options)
