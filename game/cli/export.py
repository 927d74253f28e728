"""`hold-the-line export --format csv|xapi`: attempts as CSV, or xAPI statements (to a file,
standard output, or a Learning Record Store)."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from game.cli.dates import parse_since
from game.cli.errors import EXIT_OK, UsageError
from game.cli.languages import add_language_argument, checked_language
from game.cli.settings import settings

NAME = "export"
PASSWORD_ENV = "HOLD_THE_LINE_LRS_PASSWORD"  # kinder than a password on the command line
USER_ENV = "HOLD_THE_LINE_LRS_USER"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = sub.add_parser(NAME, help="attempts as CSV or xAPI statements")
    export.add_argument("--db", help="database URL (default: the local SQLite file)")
    export.add_argument(
        "--format",
        choices=("csv", "xapi", "choices"),
        required=True,
        help="choices: the cohort's choice map as CSV, a row per reply per decision point",
    )
    export.add_argument("--cohort", help="only the trainees of this cohort (intake group)")
    export.add_argument("--level", action="append", help="choices: this level (repeatable)")
    export.add_argument("--since", help="choices: attempts started on or after (YYYY-MM-DD)")
    export.add_argument("--until", help="choices: attempts started before (YYYY-MM-DD)")
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    export.add_argument("--turns", action="store_true", help="CSV: one row per turn")
    add_language_argument(
        export, "of the CSV's text columns (default: the one each call was played in)"
    )
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


@dataclass(frozen=True, slots=True)
class LrsCredentials:
    user: str | None
    password: str | None


def lrs_credentials(args: argparse.Namespace) -> LrsCredentials:
    """From --lrs-credentials FILE, else the environment, else the options (warned about).

    The URL's own user part (`https://KEY:SECRET@host/`) is taken by the client itself.
    """
    user, password = args.lrs_user, args.lrs_password
    if args.lrs_password is not None:
        print(
            "export: warning: a password given with --lrs-password is visible to other users "
            f"of this machine (ps); prefer {PASSWORD_ENV} or --lrs-credentials FILE",
            file=sys.stderr,
        )
    if args.lrs_credentials is not None:
        try:
            line = args.lrs_credentials.read_text(encoding="utf-8").strip().splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(
                f"cannot read the LRS credentials file {args.lrs_credentials}: {error}"
            ) from None
        if not line or ":" not in line[0]:
            raise UsageError(
                f"{args.lrs_credentials} must hold one line KEY:SECRET (the LRS user and password)"
            )
        user, _, password = line[0].partition(":")
    user = user if user is not None else os.environ.get(USER_ENV)
    password = password if password is not None else os.environ.get(PASSWORD_ENV)
    return LrsCredentials(user or None, password)


def run(args: argparse.Namespace) -> int:
    from game.records.export import (
        check_output,
        details,
        export_csv,
        load_library,
        open_records,
        send_xapi,
        write_xapi,
        xapi_settings,
    )
    from game.records.store import SqlStore
    from game.records.xapi import LrsAddressError, LrsClient

    if args.format != "xapi" and args.lrs:
        raise UsageError("--lrs sends xAPI statements: use it with --format xapi")
    if args.format != "choices" and (args.level or args.since or args.until):
        raise UsageError("--level, --since and --until are for --format choices")
    if args.format == "xapi" and args.turns:
        raise UsageError("--turns is for CSV; xAPI always has one `selected` statement a turn")
    client = None
    if args.lrs:
        credentials = lrs_credentials(args)
        if (credentials.user is None) != (credentials.password is None):
            raise UsageError(
                f"give both the LRS user and password (--lrs-user with {PASSWORD_ENV}, or "
                "--lrs-credentials FILE); both --lrs-user and --lrs-password also work"
            )
        try:
            client = LrsClient(
                args.lrs,
                user=credentials.user,
                password=credentials.password,
                allow_http_credentials=args.lrs_allow_http,
            )
        except LrsAddressError as error:
            raise UsageError(str(error)) from None

    if args.lang is not None and args.format != "csv":
        raise UsageError("--lang is for CSV (xAPI statements carry every language)")
    lang = checked_language(args.lang, settings(args)[0])
    if args.out is not None:
        check_output(args.out)
    library = load_library()
    store = open_records(args.db)
    from game.records.analytics_view import cohort_members, export_choice_map, in_cohort

    try:
        if args.format == "choices":
            export_choice_map(
                store,
                library,
                settings(args)[0],
                cohort=args.cohort,
                levels=args.level,
                since=parse_since(args.since),
                until=parse_since(args.until, option="--until"),
                out=args.out,
            )
            return EXIT_OK
        members = cohort_members(store, args.cohort)
        if args.format == "csv" and args.turns:
            with closing(details(store)) as items:
                export_csv(in_cohort(items, members), library, args.out, turns=True, lang=lang)
            return EXIT_OK
        if args.format == "csv":
            from game.records.bulk import iter_lines

            assert isinstance(store, SqlStore)
            with closing(iter_lines(store)) as lines:
                export_csv(in_cohort(lines, members), library, args.out, turns=False, lang=lang)
            return EXIT_OK
        xapi = xapi_settings(store, library, args.homepage)
        if args.out is not None or client is None:
            with closing(details(store)) as items:
                write_xapi(in_cohort(items, members), xapi, args.out)
        if client is not None:
            with closing(details(store)) as items:
                send_xapi(in_cohort(items, members), xapi, client)
        return EXIT_OK
    finally:
        store.close()
