"""The `hold-the-line` command: the game and every tool around it.

Each subcommand imports what it needs when it runs, so `validate` never loads pygame and
the game starts without loading the report templates.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from game import __version__
from game.records.failures import CommandFailure, redact

if TYPE_CHECKING:
    from game.text.call import CallSetup, Recording

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class UsageError(Exception):
    """Bad input from the command line: a clear message and exit 2."""


def _repo_scenarios() -> Path:
    from game.paths import default_campaign

    return default_campaign()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hold-the-line",
        description="Hold the Line: de-escalation training for customer-service hires.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="open the game window (the default)")
    _play_args(play)

    text = sub.add_parser(
        "text",
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
    text.add_argument(
        "--lang", default="en", help="language of the scenario text (en, fil, fi, tr, vi)"
    )
    text.add_argument("--pass-score", type=int, help="pass mark (default: the campaign's, else 70)")
    text.add_argument("--seed", type=int, help="seed for the order choices are shown in")
    text.add_argument("--trainee", help="record the call for this trainee (as the game does)")
    text.add_argument(
        "--create-trainee",
        action="store_true",
        help="with --trainee: create the profile if there is none by that name",
    )
    text.add_argument("--db", help="with --trainee: database URL (default: the local SQLite file)")

    validate = sub.add_parser("validate", help="check scenario and campaign files")
    validate.add_argument("paths", nargs="+", type=Path)

    lint = sub.add_parser("lint", help="pedagogy and graph warnings for scenario authors")
    lint.add_argument("paths", nargs="+", type=Path)
    lint.add_argument("--json", action="store_true")

    analyze = sub.add_parser("analyze", help="every path and a Monte Carlo of random play")
    analyze.add_argument("scenario", type=Path)
    analyze.add_argument("--runs", type=_positive_int, default=10_000)
    analyze.add_argument("--json", action="store_true")
    analyze.add_argument("--seed", type=int, default=1)

    graph = sub.add_parser("graph", help="the scenario as a graph")
    graph.add_argument("scenario", type=Path)
    graph.add_argument("--format", choices=("dot", "mermaid"), default="mermaid")

    report = sub.add_parser("report", help="an HTML report for supervisors")
    report.add_argument("--db", help="database URL (default: the local SQLite file)")
    report.add_argument("--out", type=Path, required=True)
    report.add_argument("--trainee", help="only this trainee")
    report.add_argument("--since", help="only attempts since this date (YYYY-MM-DD)")
    report.add_argument("--until", help="only attempts before this date (YYYY-MM-DD)")

    export = sub.add_parser("export", help="attempts as CSV or xAPI statements")
    export.add_argument("--db", help="database URL (default: the local SQLite file)")
    export.add_argument("--format", choices=("csv", "xapi"), required=True)
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    export.add_argument("--turns", action="store_true", help="CSV: one row per turn")
    export.add_argument("--lrs", help="xAPI: send to this Learning Record Store endpoint")
    export.add_argument("--lrs-user", help="LRS key (or HOLD_THE_LINE_LRS_USER)")
    export.add_argument(
        "--lrs-password",
        help="LRS secret; visible to other users in the process list: prefer "
        "HOLD_THE_LINE_LRS_PASSWORD or --lrs-credentials",
    )
    export.add_argument(
        "--lrs-credentials", type=Path, metavar="FILE", help="a file with one line KEY:SECRET"
    )
    export.add_argument(
        "--lrs-allow-http",
        action="store_true",
        help="allow sending credentials over plain http:// (loopback addresses need no flag)",
    )
    export.add_argument(
        "--homepage", default="https://hold-the-line.example", help="xAPI account home page"
    )

    schema = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    schema.add_argument(
        "--campaign", action="store_true", help="the campaign file's schema instead"
    )

    curriculum = sub.add_parser("curriculum", help="levels × principles taught, as Markdown")
    curriculum.add_argument("--campaign", type=Path)
    curriculum.add_argument("--out", type=Path)

    plan = sub.add_parser("plan", help="replay transcript plans and check what they expect")
    plan.add_argument("plans", nargs="+", type=Path, metavar="PLAN")
    plan.add_argument(
        "--scenario", type=Path, help="play every plan against this scenario file instead"
    )

    new = sub.add_parser("new", help="write a small, valid, commented starter level and plans")
    new.add_argument("id", help="the new scenario's id, e.g. cracked-teapot")
    new.add_argument("--dir", type=Path, default=Path("."), help="folder to write into")

    from game.records.room_cli import add_parsers as room_parsers

    room_parsers(sub)
    from game.i18n.command import add_parser as i18n_parser

    i18n_parser(sub)
    return parser


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (else a usage error, exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _play_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--campaign", type=Path, help="campaign file (default: the bundled one)")
    parser.add_argument("--db", help="database URL (default: the local SQLite file)")
    parser.add_argument("--fullscreen", action="store_true")
    parser.add_argument("--lang", default="en")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list or (
        args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list = ["play", *args_list]
    args = parser.parse_args(args_list)
    try:
        return _dispatch(args)
    except UsageError as error:
        print(f"hold-the-line: {redact(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except CommandFailure as error:  # expected: named in words, with its own exit status
        print(f"hold-the-line: {redact(str(error))}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print("\nhold-the-line: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # the last line of defence: never a raw traceback
        from game.records.redact import public_message

        log = _write_crash_log()
        print(f"hold-the-line: internal error: {public_message(error)}", file=sys.stderr)
        if log is not None:
            print(f"hold-the-line: details were written to {log}", file=sys.stderr)
        return EXIT_INTERNAL


def _write_crash_log() -> Path | None:
    try:
        from game.paths import log_dir
        from game.records.private import make_private_dir, open_private
        from game.records.redact import redact

        path = log_dir() / "cli-error.log"
        make_private_dir(path.parent)
        with open_private(path) as handle:
            handle.write(redact(traceback.format_exc()) + "\n")
        return path
    except OSError:
        return None


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command or "play"
    if command == "play":
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # before pygame is imported
        from game.ui.app import run_game

        return run_game(
            campaign=args.campaign, db=args.db, fullscreen=args.fullscreen, lang=args.lang
        )
    if command == "text":
        return _text(args)
    if command == "i18n":
        from game.i18n.command import run as i18n

        try:
            return i18n(args)
        except ValueError as error:
            raise UsageError(str(error)) from None
    if command == "validate":
        return _validate(args.paths)
    if command == "schema":
        from game.scenario.schema import campaign_schema, dump, scenario_schema

        sys.stdout.write(dump(campaign_schema() if args.campaign else scenario_schema()))
        return EXIT_OK
    if command == "lint":
        from game.analysis.lint import lint_command

        return lint_command(args.paths, as_json=args.json)
    if command == "analyze":
        from game.analysis.report import analyze_command

        return analyze_command(args.scenario, runs=args.runs, as_json=args.json, seed=args.seed)
    if command == "graph":
        from game.analysis.graph import graph_command

        return graph_command(args.scenario, args.format)
    if command == "curriculum":
        from game.analysis.curriculum import curriculum_command

        return curriculum_command(args.campaign or _repo_scenarios(), args.out)
    if command == "plan":
        from game.analysis.plans import plan_command

        return plan_command(args.plans, args.scenario)
    if command == "new":
        from game.analysis.starter import new_command

        return new_command(args.id, args.dir)
    if command in ("room", "supervisor"):
        from game.records.room_cli import run

        return run(args)
    if command == "report":
        from game.records.report import report_command

        return report_command(
            db=args.db, out=args.out, trainee=args.trainee, since=args.since, until=args.until
        )
    if command == "export":
        from game.records.export import export_command

        return export_command(args)
    raise UsageError(f"unknown command {command!r}")  # pragma: no cover - argparse guards


def _validate(paths: list[Path]) -> int:
    from game.scenario.validate import validate

    report = validate(paths)
    for problem in report.problems:
        print(problem)
    count = len(report.problems)
    summary = f"{report.files} file{'s' if report.files != 1 else ''} checked"
    summary += ", all valid" if not count else f", {count} problem{'s' if count != 1 else ''}"
    print(summary, file=sys.stderr)
    return EXIT_PROBLEMS if count else EXIT_OK


def _text(args: argparse.Namespace) -> int:
    import secrets

    from game.engine.catalog import load_catalog
    from game.engine.session import TimerMode
    from game.scenario.campaign import find_campaign_for, play_settings_for
    from game.scenario.loader import load_scenario
    from game.scenario.model import LANGUAGES
    from game.scenario.problems import ScenarioError
    from game.text.call import CallSetup, RecordingError, open_recording
    from game.text.player import ScriptError, parse_choices, parse_think
    from game.text.safe import clean

    if args.lang not in LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(LANGUAGES)}")
    from game.i18n.localize import localized, require_complete

    try:
        require_complete(args.lang, load_catalog())
    except ValueError as error:
        raise UsageError(str(error)) from None
    scripted = args.choices is not None
    if args.json and not scripted:
        raise UsageError("--json needs --choices (scripted play)")
    if args.think is not None and not scripted:
        raise UsageError("--think needs --choices (scripted play); with --jsonl send 'N SECONDS'")
    if args.jsonl and (scripted or args.json):
        raise UsageError("--jsonl plays from standard input: leave out --choices and --json")
    if (args.db is not None or args.create_trainee) and args.trainee is None:
        raise UsageError("--db and --create-trainee need --trainee NAME (whose call to record)")
    if args.pass_score is not None and not 0 <= args.pass_score <= 100:
        raise UsageError(f"--pass-score must be from 0 to 100, not {args.pass_score}")
    try:
        choices = parse_choices(args.choices) if scripted else []
        think = parse_think(args.think, len(choices)) if args.think is not None else None
    except ScriptError as error:
        raise UsageError(str(error)) from error
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        for problem in error.problems:
            print(clean(str(problem)), file=sys.stderr)
        print(f"hold-the-line: {clean(str(args.scenario))} cannot be played", file=sys.stderr)
        return EXIT_USAGE
    scenario = localized(scenario)
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
        lang=args.lang,
        timer=timer,
        seed=seed,
        catalog=load_catalog(),  # a composition root: the catalog is loaded here, passed in
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
    with open_terminal(sys.stdin, sys.stdout) as terminal:
        return play_interactive(setup, terminal, recording=recording)


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


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
