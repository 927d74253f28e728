"""`hold-the-line cohort …`: put trainees in an intake group, list the groups, and require
exam mode at levels.

A cohort is what the report, the exports and the desk filter by (`--cohort`). Moving a
trainee moves their counts in the choice map with them, in one transaction. `cohort exam
LEVEL…` requires exam mode at those levels for every trainee on the database (`--off` stops
requiring it; `cohort exams` lists them); the training layer enforces it, and on a
PostgreSQL room only a supervisor's login may change it.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from game.cli.errors import EXIT_OK, EXIT_REFUSED

if TYPE_CHECKING:
    from game.records.api import Store

NAME = "cohort"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cohort = sub.add_parser(NAME, help="intake groups: put trainees in one, list them")
    actions = cohort.add_subparsers(dest="cohort_command", metavar="ACTION", required=True)
    db_help = "database URL (default: the local SQLite file)"
    put = actions.add_parser("set", help="put trainees in a cohort ('' takes them out)")
    put.add_argument("cohort", help="the cohort's name, e.g. 'November intake'")
    put.add_argument("names", nargs="+", metavar="TRAINEE")
    put.add_argument("--db", help=db_help)
    listing = actions.add_parser("list", help="every cohort and who is in it")
    listing.add_argument("--db", help=db_help)
    exam = actions.add_parser(
        "exam",
        help="require exam mode at levels: no feedback until the debrief (--off: stop)",
    )
    exam.add_argument("levels", nargs="+", metavar="LEVEL", help="level ids, e.g. late-delivery")
    exam.add_argument("--off", action="store_true", help="stop requiring exam mode there")
    exam.add_argument("--by", default="supervisor", help="who requires it (shown on the desk)")
    exam.add_argument("--db", help=db_help)
    exams = actions.add_parser("exams", help="the levels where exam mode is required")
    exams.add_argument("--db", help=db_help)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run a `cohort` command; expected failures are words and exit 1."""
    out = out or sys.stdout
    from sqlalchemy.exc import SQLAlchemyError

    from game.records.analytics import CohortError
    from game.records.api import AccessRefused
    from game.records.redact import public_message
    from game.records.store import open_store

    try:
        with open_store(args.db) as store:
            if args.cohort_command == "list":
                members: dict[str, list[str]] = {}
                cohorts = store.trainee_cohorts()
                for person in store.trainees():
                    if person.id in cohorts:
                        members.setdefault(cohorts[person.id], []).append(person.name)
                if not members:
                    print("No cohorts yet: `hold-the-line cohort set NAME TRAINEE…`", file=out)
                for name, count in store.cohorts():
                    print(f"{name} ({count}): {', '.join(sorted(members.get(name, [])))}", file=out)
                return EXIT_OK
            if args.cohort_command == "exams":
                rules = store.exam_rules()
                if not rules:
                    print("No level requires exam mode: `hold-the-line cohort exam LEVEL…`",
                          file=out)  # fmt: skip
                for rule in rules.values():
                    print(f"{rule.scenario_id}: required by {rule.required_by} since"
                          f" {rule.required_at.date().isoformat()}", file=out)  # fmt: skip
                return EXIT_OK
            if args.cohort_command == "exam":
                return _require_exams(store, args, out)
            found = []
            for name in args.names:
                trainee = store.find_trainee(name)
                if trainee is None:
                    raise CohortError(f"there is no trainee called {name!r}: nobody was moved")
                found.append(trainee)
            for trainee in found:
                stored = store.set_cohort(trainee.id, args.cohort)
                where = f"in cohort {stored!r}" if stored else "in no cohort"
                print(f"{trainee.name} is now {where}", file=out)
            return EXIT_OK
    except (CohortError, AccessRefused, ValueError) as error:
        print(f"hold-the-line: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except SQLAlchemyError as error:
        print(f"hold-the-line: the database refused: {public_message(error)}", file=sys.stderr)
        return EXIT_REFUSED


def _require_exams(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    """Require (or stop requiring) exam mode at levels of the campaign; an unknown level id
    changes nothing and says which ids there are."""
    from game.records.export import load_library

    known = load_library().scenarios
    unknown = [level for level in args.levels if known and level not in known]
    if unknown:
        raise ValueError(
            f"no level {', '.join(map(repr, unknown))} in the campaign: nothing was changed"
            f" (levels: {', '.join(known)})"
        )
    for level in args.levels:
        store.require_exam(level, not args.off, args.by)
        print(f"{level}: exam mode {'optional' if args.off else 'required'}", file=out)
    return EXIT_OK
