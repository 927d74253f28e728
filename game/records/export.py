"""Attempts out of the store: CSV for spreadsheets, xAPI for learning-record stores.

Also the few things the HTML report shares with the exports: which scenario an attempt
refers to (titles from the campaign), reading `--since`, and opening the store.

CSV files are written UTF-8 with a byte-order mark: without it Excel reads a CSV as the
local ANSI code page and garbles names like "Nguyễn" or "Şükrü", while LibreOffice,
Google Sheets, pandas (`utf-8-sig`) and Python's csv module all take the BOM in their
stride. Standard output gets no BOM: it is for pipes into other tools.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import uuid
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, TextIO, cast

from game.engine.scoring import verdict_for
from game.engine.session import Turn
from game.records.api import Attempt, AttemptDetail, Note
from game.scenario.model import Scenario, Text

if TYPE_CHECKING:
    from game.records.api import Store
    from game.records.lrs import LrsClient, Statement
    from game.records.xapi import XapiSettings

EXIT_OK = 0
EXIT_FAILED = 1
PASSWORD_ENV = "HOLD_THE_LINE_LRS_PASSWORD"  # kinder than a password on the command line
USER_ENV = "HOLD_THE_LINE_LRS_USER"
# What a spreadsheet may take for the start of a formula (OWASP's list, plus the full-width
# forms that some locales of Excel also accept).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


# ---- what the records refer to -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScenarioRef:
    """A scenario as the campaign knows it now; `scenario` is None if it no longer loads."""

    id: str
    title: Text
    summary: Text
    level: int | None
    pass_score: int | None
    scenario: Scenario | None


@dataclass(frozen=True, slots=True)
class Library:
    campaign_title: str | None
    scenarios: MappingProxyType[str, ScenarioRef]  # in campaign order

    def ref(self, scenario_id: str) -> ScenarioRef:
        found = self.scenarios.get(scenario_id)
        if found is not None:
            return found
        name = scenario_id.replace("-", " ").capitalize()
        return ScenarioRef(scenario_id, Text(name), Text(""), None, None, None)

    def title(self, scenario_id: str, lang: str = "en") -> str:
        return self.ref(scenario_id).title.get(lang)

    def order(self, scenario_ids: Iterable[str]) -> tuple[str, ...]:
        """Campaign order first, then anything else alphabetically."""
        known = [sid for sid in self.scenarios if sid in set(scenario_ids)]
        extra = sorted(set(scenario_ids) - set(self.scenarios))
        return (*known, *extra)


def load_library(campaign: Path | None = None) -> Library:
    """Titles and summaries from the campaign; a broken campaign only costs the titles."""
    from game.paths import default_campaign
    from game.scenario.campaign import load_campaign
    from game.scenario.problems import ScenarioError

    try:
        loaded = load_campaign(campaign or default_campaign())
    except (ScenarioError, OSError):
        return Library(None, MappingProxyType({}))
    refs: dict[str, ScenarioRef] = {}
    for level in loaded.levels:
        scenario = level.scenario
        refs[level.key] = ScenarioRef(
            id=level.key,
            title=scenario.title if scenario else Text(level.title),
            summary=scenario.summary if scenario else Text(""),
            level=level.number,
            pass_score=level.pass_score,
            scenario=scenario,
        )
    return Library(loaded.title, MappingProxyType(refs))


# ---- reading the store ----------------------------------------------------------------------


def parse_since(text: str | None, *, option: str = "--since") -> datetime | None:
    """`--since YYYY-MM-DD` (or a full ISO time): midnight UTC of that day (also `--until`)."""
    from game.cli import UsageError

    if not text:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} must be a date like 2026-11-01, not {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def open_records(db: str | None) -> Store:
    """The records for reading only (see game.records.readonly): never created or changed."""
    from game.records.readonly import open_readonly

    return open_readonly(db)


def check_output(out: Path) -> Path:
    """Fail before any work if `out` cannot be written; returns its folder."""
    from game.records.failures import OutputUnwritable

    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise OutputUnwritable(
            f"cannot write {out}: the folder {folder} does not exist (report and export never "
            "create folders; make it first or choose another --out)"
        )
    if out.is_dir():
        raise OutputUnwritable(f"cannot write {out}: it is a folder; give a file name with --out")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputUnwritable(
            f"cannot write {out}: no permission to write in {folder}; choose another --out"
        )
    return folder


@contextmanager
def output_file(out: Path, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text file written beside `out` and moved onto it once complete.

    No folder is ever created, and a failure half-way leaves any earlier `out` as it was.
    """
    from game.records.failures import OutputUnwritable

    folder = check_output(out)
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115  (closed below, then renamed)
            "w", encoding=encoding, newline="", dir=folder, prefix=f".{out.name}.",
            suffix=".part", delete=False,
        )  # fmt: skip
    except OSError as error:
        raise OutputUnwritable(f"cannot write {out}: {error.strerror or error}") from None
    done = False
    try:
        with handle:
            yield cast(TextIO, handle)
        os.replace(handle.name, out)
        done = True
    except OSError as error:
        raise OutputUnwritable(f"cannot write {out}: {error.strerror or error}") from None
    finally:
        if not done:
            with suppress(OSError):
                os.unlink(handle.name)


def find_trainee_id(store: Store, name: str | None) -> int | None:
    from game.cli import UsageError

    if name is None:
        return None
    trainee = store.find_trainee(name)
    if trainee is None:
        known = ", ".join(t.name for t in store.trainees()[:10]) or "none yet"
        raise UsageError(f"no trainee called {name!r} (trainees: {known})")
    return trainee.id


def details(
    store: Store,
    *,
    trainee_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    with_turns: bool = True,
) -> Generator[AttemptDetail, None, None]:
    """Every attempt with its turns and notes, oldest first, read in chunks (a stream).

    Close it (`contextlib.closing`) when not reading to the end: it holds a read transaction.
    """
    from game.records.bulk import iter_details
    from game.records.store import SqlStore

    assert isinstance(store, SqlStore), "bulk reads need the SQL store"
    return iter_details(
        store, trainee_id=trainee_id, since=since, until=until, with_turns=with_turns
    )


# ---- CSV -------------------------------------------------------------------------------------

ATTEMPT_COLUMNS = (
    "attempt_id", "trainee_id", "trainee", "level", "scenario_id", "scenario",
    "status", "started_utc", "ended_utc", "duration_s", "outcome", "rating",
    "score", "grade", "pass_score", "passed", "final_anger", "turns",
    "anger_trace", "timer", "lang", "notes",
)  # fmt: skip
TURN_COLUMNS = (
    "attempt_id", "trainee_id", "trainee", "level", "scenario_id", "attempt_started_utc",
    "turn", "node", "choice", "said", "techniques", "anger_before", "anger_after",
    "anger_delta", "quality", "verdict", "silence_s", "response_s", "principles", "feedback",
)  # fmt: skip

Cell = str | int | float | None


def safe_cell(value: Cell) -> str | int | float:
    """Neutralise text a spreadsheet would run as a formula (CSV injection): prefix a quote.

    Numbers we produced ourselves stay numbers (a -5 anger change is not a formula).
    """
    kind = value.__class__
    if kind is str:  # the common case first: a row is mostly text
        text: str = value  # type: ignore[assignment]
        if text[:1] in _FORMULA_FIRST or (
            text[:1] == " " and text.lstrip(" ")[:1] in _FORMULA_FIRST
        ):
            return "'" + text
        return text
    if value is None:
        return ""
    if kind is bool:
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    return safe_cell(str(value))  # a str subclass


_FORMULA_FIRST = frozenset(FORMULA_STARTS)
assert all(len(start) == 1 for start in FORMULA_STARTS)


def csv_time(moment: datetime | None) -> str:
    """ISO 8601 in UTC, e.g. 2026-11-22T09:30:00Z: unambiguous across a training room."""
    if moment is None:
        return ""
    if moment.tzinfo is not UTC:
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        moment = aware.astimezone(UTC)
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


class AttemptWithTrace(Protocol):
    """What an attempt row needs: an AttemptDetail, or the lighter bulk AttemptLine."""

    @property
    def attempt(self) -> Attempt: ...
    @property
    def anger_trace(self) -> tuple[int, ...]: ...
    @property
    def notes(self) -> tuple[Note, ...]: ...


def attempt_rows(items: Iterable[AttemptWithTrace], library: Library) -> Iterator[tuple[Cell, ...]]:
    for detail in items:
        a = detail.attempt
        duration = a.duration_seconds
        yield (
            a.id, a.trainee_id, a.trainee_name, a.level, a.scenario_id,
            library.title(a.scenario_id), a.status.value, csv_time(a.started_at),
            csv_time(a.ended_at), None if duration is None else round(duration, 1),
            a.outcome, a.rating, a.score, a.grade, a.pass_score, _yes_no(a.passed),
            a.final_anger, a.turn_count, " ".join(map(str, detail.anger_trace)),
            a.timer, a.lang, "\n".join(f"{n.author}: {n.text}" for n in detail.notes),
        )  # fmt: skip


def turn_rows(items: Iterable[AttemptDetail]) -> Iterator[tuple[Cell, ...]]:
    for detail in items:
        a = detail.attempt
        for index, t in enumerate(detail.turns):
            response = detail.response_times[index] if index < len(detail.response_times) else None
            principles = sorted({e.principle for e in t.effects if e.principle})
            yield (
                a.id, a.trainee_id, a.trainee_name, a.level, a.scenario_id,
                csv_time(a.started_at), t.number, t.node, t.choice, t.say.get(a.lang),
                "; ".join(t.techniques), t.anger_before, t.anger_after, t.delta,
                round(t.quality, 3), verdict_for(t.quality), round(t.silence, 1),
                None if response is None else round(response, 2), "; ".join(principles),
                _feedback(t, a.lang),
            )  # fmt: skip


def _feedback(turn: Turn, lang: str) -> str:
    """The author's words if any, else each effect's reason with its principle and change."""
    if turn.feedback is not None:
        return turn.feedback.get(lang)
    return " ".join(
        f"{e.reason} ({e.principle + ', ' if e.principle else ''}{e.anger:+d})"
        for e in turn.effects
    )


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    safe = safe_cell
    for row in rows:
        writer.writerow([safe(v) for v in row])
        count += 1
    return count


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> tuple[str, int]:
    buffer = io.StringIO()
    count = write_csv(header, rows, buffer)
    return buffer.getvalue(), count


# ---- xAPI glue -------------------------------------------------------------------------------


def namespace_for(store: Store) -> uuid.UUID:
    """This database's statement-id namespace, made when the store was created (read only)."""
    from game.records.failures import RecordsUnavailable
    from game.records.xapi import NAMESPACE_SETTING

    kept = store.get_setting(NAMESPACE_SETTING)
    try:
        return uuid.UUID(kept or "")
    except ValueError:
        raise RecordsUnavailable(
            "this database has no valid xAPI statement-id namespace yet (it is made when "
            "this version of the game opens the database): open it once with the game "
            "(hold-the-line play --db …), then export again"
        ) from None


def xapi_settings(store: Store, library: Library, homepage: str) -> XapiSettings:
    from game.records.xapi import ActivityInfo, XapiSettings, campaign_iri, scenario_iri

    campaign = None
    if library.campaign_title:
        campaign = ActivityInfo(
            campaign_iri(library.campaign_title),
            Text(library.campaign_title),
            Text("The Hold the Line onboarding levels, in order."),
        )
    scenarios = {
        sid: ActivityInfo(scenario_iri(sid), ref.title, ref.summary, ref.scenario)
        for sid, ref in library.scenarios.items()
    }
    return XapiSettings(homepage, namespace_for(store), campaign, MappingProxyType(scenarios))


# ---- the command ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LrsCredentials:
    user: str | None
    password: str | None


def lrs_credentials(args: argparse.Namespace) -> LrsCredentials:
    """From --lrs-credentials FILE, else the environment, else the options (warned about).

    The URL's own user part (`https://KEY:SECRET@host/`) is taken by the client itself.
    """
    from game.cli import UsageError

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


def export_command(args: argparse.Namespace) -> int:
    from game.cli import UsageError
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

    if args.out is not None:
        check_output(args.out)
    library = load_library()
    store = open_records(args.db)
    from game.records.analytics_view import cohort_members, export_choice_map, in_cohort

    try:
        if args.format == "choices":
            return export_choice_map(store, args, library)
        members = cohort_members(store, args.cohort)
        if args.format == "csv" and args.turns:
            with closing(details(store)) as items:
                return _export_csv(in_cohort(items, members), library, args.out, turns=True)
        if args.format == "csv":
            from game.records.bulk import iter_lines

            assert isinstance(store, SqlStore)
            with closing(iter_lines(store)) as lines:
                return _export_csv(in_cohort(lines, members), library, args.out, turns=False)
        settings = xapi_settings(store, library, args.homepage)
        if args.out is not None or client is None:
            with closing(details(store)) as items:
                _write_xapi(in_cohort(items, members), settings, args.out)
        if client is not None:
            with closing(details(store)) as items:
                _send_xapi(in_cohort(items, members), settings, client)
        return EXIT_OK
    finally:
        store.close()


def _export_csv(items: Iterable[Any], library: Library, out: Path | None, *, turns: bool) -> int:
    header, rows = (
        (TURN_COLUMNS, turn_rows(items))
        if turns
        else (ATTEMPT_COLUMNS, attempt_rows(items, library))
    )
    if out is None:
        count = write_csv(header, rows, sys.stdout)
    else:
        with output_file(out, encoding="utf-8-sig") as handle:
            count = write_csv(header, rows, handle)
    kind = "turn" if turns else "attempt"
    where = f" to {out}" if out else ""
    print(f"export: {count} {kind} row{'s' if count != 1 else ''}{where}", file=sys.stderr)
    return EXIT_OK


def _statements(items: Iterable[AttemptDetail], settings: XapiSettings) -> Iterator[Statement]:
    from game.records.xapi import statements_for

    for detail in items:
        yield from statements_for(detail, settings)


def _write_xapi(items: Iterable[AttemptDetail], settings: XapiSettings, out: Path | None) -> None:
    from game.records.xapi import json_array_chunks

    counted = 0

    def counting() -> Iterator[Statement]:
        nonlocal counted
        for statement in _statements(items, settings):
            counted += 1
            yield statement

    if out is None:
        sys.stdout.writelines(json_array_chunks(counting()))
        print(f"export: {counted} xAPI statements", file=sys.stderr)
    else:
        with output_file(out) as handle:
            handle.writelines(json_array_chunks(counting()))
        print(f"export: {counted} xAPI statements to {out}", file=sys.stderr)


def _send_xapi(items: Iterable[AttemptDetail], settings: XapiSettings, client: LrsClient) -> None:
    from game.records.failures import LrsFailed
    from game.records.xapi import LrsError

    try:
        report = client.send(_statements(items, settings))
    except LrsError as error:
        raise LrsFailed(str(error)) from None
    print(f"export: {report.line()}", file=sys.stderr)
