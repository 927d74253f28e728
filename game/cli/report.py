"""`hold-the-line report --out FILE`: the HTML report for supervisors."""

from __future__ import annotations

import argparse
from pathlib import Path

from game.cli.dates import parse_since
from game.cli.errors import EXIT_OK
from game.cli.languages import add_language_argument, reader
from game.cli.settings import settings

NAME = "report"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser(NAME, help="an HTML report for supervisors")
    report.add_argument("--db", help="database URL (default: the local SQLite file)")
    report.add_argument("--out", type=Path, required=True)
    report.add_argument("--trainee", help="only this trainee")
    report.add_argument("--since", help="only attempts since this date (YYYY-MM-DD)")
    report.add_argument("--until", help="only attempts before this date (YYYY-MM-DD)")
    report.add_argument("--cohort", help="only the trainees of this cohort (intake group)")
    add_language_argument(
        report, "of the report (default: en; the calls in the language each was played in)"
    )


def run(args: argparse.Namespace) -> int:
    from game.records import report
    from game.records.export import check_output, open_records

    tr, catalog = reader(args.lang, settings(args)[0])  # the supervisor's language
    window = parse_since(args.since)
    end = parse_since(args.until, option="--until")
    check_output(args.out)
    store = open_records(args.db)
    try:
        # a composition root: the running catalog is loaded here and passed in
        report.write_report(
            store,
            args.out,
            catalog=catalog,
            tr=tr,
            lang=None if args.lang is None else tr.lang,
            trainee=args.trainee,
            since=window,
            until=end,
            cohort=args.cohort,
        )
    finally:
        store.close()
    return EXIT_OK
