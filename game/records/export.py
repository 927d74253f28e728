"""Attempts out of the store: CSV for spreadsheets, xAPI for learning-record stores.

Also the few things the HTML report shares with the exports: which scenario an attempt
refers to (titles from the campaign), finding a trainee by name, and opening the store.
The `export` command itself (its options, credentials and exit statuses) is
`game/cli/export.py`.

CSV files are written UTF-8 with a byte-order mark: without it Excel reads a CSV as the
local ANSI code page and garbles names like "Nguyễn" or "Şükrü", while LibreOffice,
Google Sheets, pandas (`utf-8-sig`) and Python's csv module all take the BOM in their
stride. Standard output gets no BOM: it is for pipes into other tools.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
import threading
import uuid
from collections import OrderedDict
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
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
    from game.scenario.campaign import Campaign

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


def load_library(campaign: Path | None = None, locale: Path | None = None) -> Library:
    """Titles and summaries from the campaign, with every current translation the locale
    folder (`locale`, else the game's) has of them; a broken campaign only costs the titles.

    Kept while none of the files it was made from changes (see `_library_files`): every
    report and export asks for it, and translating thirteen scenarios costs far more than
    looking at the files. A Library is immutable, so callers share one."""
    from game.paths import default_campaign, locale_dir
    from game.scenario.campaign import load_campaign
    from game.scenario.problems import ScenarioError

    path = Path(campaign or default_campaign())
    folder = Path(os.path.abspath(locale or locale_dir()))
    key = (os.path.abspath(path), str(folder))
    with _LIBRARIES_LOCK:
        kept = _LIBRARIES.get(key)
        if kept is not None:
            _LIBRARIES.move_to_end(key)
    if kept is not None and _file_stamps(kept[0]) == kept[1]:
        return kept[2]
    try:
        files = _library_files(load_campaign(path), folder)
    except (ScenarioError, OSError):
        return _read_library(path, locale)[0]  # broken: not kept (cheap, and may be mended)
    stamps = _file_stamps(files)  # before reading: a change from here on is seen next time
    library, read = _read_library(path, locale)
    if read == files:  # else the campaign changed in between: not kept
        with _LIBRARIES_LOCK:
            _LIBRARIES[key] = (files, stamps, library)
            _LIBRARIES.move_to_end(key)
            while len(_LIBRARIES) > _LIBRARIES_LIMIT:
                _LIBRARIES.popitem(last=False)
    return library


_Stamp = tuple[int, int, int, int]

_LIBRARIES_LIMIT = 8  # (campaign, locale folder) pairs: the game's, and a few in tests
_LIBRARIES_LOCK = threading.Lock()
_LIBRARIES: OrderedDict[
    tuple[str, str], tuple[tuple[str, ...], tuple[_Stamp | None, ...], Library]
] = OrderedDict()


def _file_stamps(files: Sequence[str]) -> tuple[_Stamp | None, ...]:
    """(mtime_ns, size, inode, ctime_ns) of each file, None where there is none: a file
    rewritten, replaced, added or removed changes its stamp."""
    stamps: list[_Stamp | None] = []
    for name in files:
        try:
            found = os.stat(name)
        except OSError:
            stamps.append(None)
        else:
            stamps.append((found.st_mtime_ns, found.st_size, found.st_ino, found.st_ctime_ns))
    return tuple(stamps)


def _library_files(campaign: Campaign, locale: Path) -> tuple[str, ...]:
    """Every file a library is made from: the campaign, its levels' scenario files, and the
    PO file each translated language has, or would have, for each scenario. While the
    campaign file is unchanged it names the same levels, and while those are unchanged their
    scenario ids, hence PO files, are the same: so the stamps of these files tell a library
    that is out of date."""
    from game.i18n.languages import TRANSLATED
    from game.i18n.po import po_path

    files = [
        os.path.abspath(campaign.path),
        *(os.path.abspath(lvl.file) for lvl in campaign.levels),
    ]
    for level in campaign.levels:
        if level.scenario is not None:
            domain = f"scenarios/{level.scenario.id}"
            files.extend(os.path.abspath(po_path(locale, lang, domain)) for lang in TRANSLATED)
    return tuple(files)


def _read_library(campaign: Path, locale: Path | None) -> tuple[Library, tuple[str, ...]]:
    """The library, and the files it was made from (none if the campaign is broken)."""
    from game.i18n.localize import localized_campaign
    from game.paths import locale_dir
    from game.scenario.campaign import load_campaign
    from game.scenario.problems import ScenarioError

    try:
        read = load_campaign(campaign)
    except (ScenarioError, OSError):
        return Library(None, MappingProxyType({})), ()
    files = _library_files(read, Path(os.path.abspath(locale or locale_dir())))
    loaded = localized_campaign(read, locale)
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
    return Library(loaded.title, MappingProxyType(refs)), files


# ---- reading the store ----------------------------------------------------------------------


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
    """The trainee's id by name (None: everyone); an unknown or ambiguous name is refused in
    words. The name as stored comes first; otherwise case and diacritics are ignored
    ("ngoc tram" finds "Ngọc Trâm", "yilmaz" finds "Yılmaz"), if that picks out one trainee.
    """
    from game.records.failures import InvalidRequest
    from game.records.names import search_key

    if name is None:
        return None
    trainee = store.find_trainee(name)
    if trainee is not None:
        return trainee.id
    found = store.search_trainees(name, limit=11)
    whole = [t for t in found if search_key(t.name) == search_key(name)]
    if len(whole) == 1 or len(found) == 1:
        return (whole or found)[0].id
    if found:
        shown = ", ".join(repr(t.name) for t in (whole or found)[:10])
        raise InvalidRequest(
            f"{name!r} matches more than one trainee ({shown}): give the whole name as spelt"
        )
    known = ", ".join(t.name for t in store.trainees()[:10]) or "none yet"
    raise InvalidRequest(f"no trainee called {name!r} (trainees: {known})")


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
    "anger_trace", "timer", "lang", "notes", "exam",
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


def attempt_rows(
    items: Iterable[AttemptWithTrace], library: Library, lang: str | None = None
) -> Iterator[tuple[Cell, ...]]:
    """`lang`: the language of the text columns (`export --lang`); None: each attempt's own."""
    for detail in items:
        a = detail.attempt
        duration = a.duration_seconds
        yield (
            a.id, a.trainee_id, a.trainee_name, a.level, a.scenario_id,
            library.title(a.scenario_id, lang or a.lang), a.status.value, csv_time(a.started_at),
            csv_time(a.ended_at), None if duration is None else round(duration, 1),
            a.outcome, a.rating, a.score, a.grade, a.pass_score, _yes_no(a.passed),
            a.final_anger, a.turn_count, " ".join(map(str, detail.anger_trace)),
            a.timer, a.lang, "\n".join(f"{n.author}: {n.text}" for n in detail.notes),
            _yes_no(a.exam),
        )  # fmt: skip


def turn_rows(
    items: Iterable[AttemptDetail], lang: str | None = None
) -> Iterator[tuple[Cell, ...]]:
    for detail in items:
        a = detail.attempt
        shown = lang or a.lang
        for index, t in enumerate(detail.turns):
            response = detail.response_times[index] if index < len(detail.response_times) else None
            principles = sorted({e.principle for e in t.effects if e.principle})
            yield (
                a.id, a.trainee_id, a.trainee_name, a.level, a.scenario_id,
                csv_time(a.started_at), t.number, t.node, t.choice, t.say.get(shown),
                "; ".join(t.techniques), t.anger_before, t.anger_after, t.delta,
                round(t.quality, 3), verdict_for(t.quality), round(t.silence, 1),
                None if response is None else round(response, 2), "; ".join(principles),
                _feedback(t, shown),
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


def xapi_settings(
    store: Store, library: Library, homepage: str, locale: Path | None = None
) -> XapiSettings:
    """What the statements need besides the attempts; language maps from the PO files in
    `locale` (else the game's): every language that has a translation of a string."""
    from game.i18n.languages import TRANSLATED
    from game.i18n.runtime import translator_for
    from game.records.xapi import (
        CAMPAIGN_DESCRIPTION,
        ActivityInfo,
        XapiSettings,
        campaign_iri,
        interface_map,
        scenario_iri,
    )

    translators = tuple(translator_for(lang, locale) for lang in TRANSLATED)
    campaign = None
    if library.campaign_title:
        described = interface_map(translators, "", CAMPAIGN_DESCRIPTION)
        campaign = ActivityInfo(
            campaign_iri(library.campaign_title),
            Text(library.campaign_title),
            Text(CAMPAIGN_DESCRIPTION, tuple((k, v) for k, v in described.items() if k != "en")),
        )
    scenarios = {
        sid: ActivityInfo(scenario_iri(sid), ref.title, ref.summary, ref.scenario)
        for sid, ref in library.scenarios.items()
    }
    return XapiSettings(
        homepage, namespace_for(store), campaign, MappingProxyType(scenarios), translators
    )


# ---- writing and sending (the `export` command in game/cli/export.py drives these) ----------


def export_csv(
    items: Iterable[Any],
    library: Library,
    out: Path | None,
    *,
    turns: bool,
    lang: str | None = None,
) -> int:
    """Write attempt (or turn) rows to `out` or standard output; the number of rows. The
    text columns are in `lang` (`export --lang`), else in the language each call was played in."""
    header, rows = (
        (TURN_COLUMNS, turn_rows(items, lang))
        if turns
        else (ATTEMPT_COLUMNS, attempt_rows(items, library, lang))
    )
    if out is None:
        count = write_csv(header, rows, sys.stdout)
    else:
        with output_file(out, encoding="utf-8-sig") as handle:
            count = write_csv(header, rows, handle)
    kind = "turn" if turns else "attempt"
    where = f" to {out}" if out else ""
    print(f"export: {count} {kind} row{'s' if count != 1 else ''}{where}", file=sys.stderr)
    return count


def _statements(items: Iterable[AttemptDetail], settings: XapiSettings) -> Iterator[Statement]:
    from game.records.xapi import statements_for

    for detail in items:
        yield from statements_for(detail, settings)


def write_xapi(items: Iterable[AttemptDetail], settings: XapiSettings, out: Path | None) -> None:
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


def send_xapi(items: Iterable[AttemptDetail], settings: XapiSettings, client: LrsClient) -> None:
    from game.records.failures import LrsFailed
    from game.records.xapi import LrsError

    try:
        report = client.send(_statements(items, settings))
    except LrsError as error:
        raise LrsFailed(str(error)) from None
    print(f"export: {report.line()}", file=sys.stderr)
