"""`hold-the-line room …` and `hold-the-line supervisor …`: the administrator's commands.

Secrets are never taken from the command line (other users can read it in the process
list, and it lands in shell history): new passwords and PINs are made up and printed once,
or read from standard input with `--secret-stdin`; database passwords come from PGPASSWORD
or a ~/.pgpass file, as libpq reads them.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TextIO

from game.cli.errors import EXIT_OK, EXIT_REFUSED

NAMES = ("room", "supervisor")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    room = sub.add_parser("room", help="set up a training room: logins, PINs, who sees what")
    actions = room.add_subparsers(dest="room_command", metavar="ACTION", required=True)
    db_help = "database URL (default: the local SQLite file); no password in it: use ~/.pgpass"

    init = actions.add_parser("init", help="PostgreSQL: groups, rights, row-level security")
    init.add_argument("--db", required=True, help=db_help)

    add = actions.add_parser("add-trainee", help="enrol trainees (a login, or a PIN on SQLite)")
    add.add_argument("names", nargs="+", metavar="NAME")
    add.add_argument("--db", help=db_help)
    add.add_argument(
        "--login", help="the database login (one trainee only; default: from the name)"
    )
    add.add_argument(
        "--secret-stdin", action="store_true", help="read the password or PIN from standard input"
    )

    sup = actions.add_parser("add-supervisor", help="PostgreSQL: a supervisor's own login")
    sup.add_argument("login")
    sup.add_argument("--db", required=True, help=db_help)
    sup.add_argument("--secret-stdin", action="store_true")

    reset = actions.add_parser("reset", help="a new password (PostgreSQL) or PIN (SQLite)")
    reset.add_argument("name")
    reset.add_argument("--db", help=db_help)
    reset.add_argument("--secret-stdin", action="store_true")

    remove = actions.add_parser("remove", help="a leaver: no more sign-in; records are kept")
    remove.add_argument("name")
    remove.add_argument("--db", help=db_help)

    supervisor = sub.add_parser("supervisor", help="the supervisor passphrase (installer)")
    what = supervisor.add_subparsers(dest="supervisor_command", metavar="ACTION", required=True)
    setp = what.add_parser("set-passphrase", help="set or change the desk's passphrase")
    setp.add_argument("--db", help=db_help)
    setp.add_argument(
        "--stdin",
        action="store_true",
        help="read the new passphrase (one line) from standard input",
    )
    setp.add_argument(
        "--replace",
        action="store_true",
        help="replace a forgotten passphrase without the current one (needs write access to the database)",
    )


def _read_secret(
    stdin: bool, prompt: str, ask: Callable[[str], str] = getpass.getpass
) -> str | None:
    if stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        return line or None
    return None if prompt == "" else ask(prompt)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run a `room` or `supervisor` command; expected failures are words and exit 1 or 2."""
    out = out or sys.stdout
    from sqlalchemy.exc import SQLAlchemyError

    from game.records.redact import public_message
    from game.records.room import RoomError

    try:
        if args.command == "supervisor":
            return _set_passphrase(args, out)
        return _room(args, out)
    except (RoomError, ValueError) as error:
        print(f"hold-the-line: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except SQLAlchemyError as error:
        print(f"hold-the-line: the database refused: {public_message(error)}", file=sys.stderr)
        return EXIT_REFUSED


def _room(args: argparse.Namespace, out: TextIO) -> int:
    from game.records import room
    from game.records.store import open_store

    action = args.room_command
    with open_store(args.db) as store:
        if action == "init":
            groups = room.init_room(store)
            print(
                f"The room is set up. Supervisors' logins go in {groups.supervisors},"
                f" trainees' in {groups.trainees}. Enrol people with `hold-the-line room"
                " add-trainee` and `room add-supervisor`.",
                file=out,
            )
            return EXIT_OK
        secret = _read_secret(getattr(args, "secret_stdin", False), "")
        if action == "add-trainee":
            if args.login and len(args.names) > 1:
                raise ValueError("--login names one trainee's login: enrol them one by one")
            for name in args.names:
                done = room.add_trainee(store, name, secret=secret, login=args.login)
                _tell(out, done, "added")
            return EXIT_OK
        if action == "add-supervisor":
            _tell(out, room.add_supervisor(store, args.login, secret=secret), "added")
            return EXIT_OK
        if action == "reset":
            _tell(out, room.reset(store, args.name, secret=secret), "reset")
            return EXIT_OK
        if action == "remove":
            gone = room.remove(store, args.name)
            print(f"{gone.name} can no longer sign in; their records are kept.", file=out)
            return EXIT_OK
    raise ValueError(f"unknown room action {action!r}")  # pragma: no cover - argparse guards


def _tell(out: TextIO, done: object, verb: str) -> None:
    from game.records.room import Enrolled

    assert isinstance(done, Enrolled)
    who = done.trainee.name if done.trainee is not None else done.login
    parts = [f"{who}: {verb}"]
    if done.login is not None:
        parts.append(f"login {done.login}")
    if done.secret is not None:
        kind = "password" if done.login is not None else "PIN"
        parts.append(f"{kind} {done.secret} (shown once: hand it over privately)")
    print(", ".join(parts), file=out)


def _set_passphrase(args: argparse.Namespace, out: TextIO) -> int:
    from game.records import passphrase
    from game.records.store import open_store

    with open_store(args.db) as store:
        old: str | None = None
        if passphrase.has_passphrase(store) and not args.replace:
            old = _read_secret(args.stdin, "Current supervisor passphrase: ")
        new = _read_secret(args.stdin, "New supervisor passphrase: ")
        again = new if args.stdin else _read_secret(False, "The same again: ")
        if not new:
            raise ValueError("no passphrase was given")
        if new != again:
            raise ValueError("the two passphrases are not the same; nothing was changed")
        passphrase.set_passphrase(store, new, old=old, replace=args.replace)
    print("The supervisor passphrase is set. Share it with supervisors only.", file=out)
    return EXIT_OK
