"""PO files: writing templates, updating translations (marking stale ones), and checking.

Babel reads and writes the files and knows each language's plural rules; the rule for a
changed English line is ours: the old translation is kept, flagged fuzzy, with the old
English as `#| msgid`, so a translator sees exactly what changed and nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from game.i18n.languages import language
from game.i18n.units import Unit
from game.scenario.model import nfc

PROJECT = "Hold the Line"
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


class Problem(StrEnum):
    MISSING = "missing"  # no translation
    STALE = "stale"  # the English changed since it was translated
    PLACEHOLDER = "placeholder"  # a {name} of the English is missing or added


@dataclass(frozen=True, slots=True)
class Finding:
    lang: str
    path: str  # the PO file
    line: int
    problem: Problem
    context: str
    source: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.lang}: {self.problem.value}: {self.context}"


@dataclass(frozen=True, slots=True)
class UpdateResult:
    added: int
    stale: int
    obsolete: int


def po_path(root: Path, lang: str, domain: str) -> Path:
    return root / lang / f"{domain}.po"


def _read(path: Path, lang: str) -> Catalog | None:
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=language(lang).babel, abort_invalid=True)


def _new_catalog(lang: str | None, domain: str) -> Catalog:
    catalog = Catalog(
        locale=None if lang is None else Locale.parse(language(lang).babel),
        domain=domain,
        project=PROJECT,
        version="2",
        copyright_holder=PROJECT,
        creation_date=datetime(2026, 1, 1, tzinfo=UTC),  # fixed: files change only with content
        revision_date=datetime(2026, 1, 1, tzinfo=UTC),
        fuzzy=False,
    )
    return catalog


def _add(catalog: Catalog, unit: Unit, string: str = "", *, fuzzy: bool = False,
         previous: str | None = None) -> None:  # fmt: skip
    catalog.add(
        unit.source,
        string,
        locations=[(unit.path, unit.line)] if unit.line else [(unit.path, None)],  # type: ignore[list-item]
        auto_comments=list(unit.notes),
        flags=("fuzzy",) if fuzzy else (),
        context=unit.context,
        previous_id=previous if previous is not None else (),
    )


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, include_previous=True, sort_output=False)


def write_template(path: Path, units: Sequence[Unit], domain: str) -> None:
    """The POT file a translator starts a new language from."""
    catalog = _new_catalog(None, domain)
    for unit in units:
        _add(catalog, unit)
    _write(path, catalog)


def _by_context(catalog: Catalog | None) -> dict[str, Message]:
    if catalog is None:
        return {}
    found = {}
    for message in catalog:
        if message.id and message.context:
            found[str(message.context)] = message
    return found


def update(path: Path, units: Sequence[Unit], lang: str, domain: str) -> UpdateResult:
    """Bring one language's PO file in line with the English units.

    Unchanged lines keep their translation; a line whose English changed keeps it too, but
    marked fuzzy with the previous English; lines that no longer exist are kept as obsolete
    entries (`#~`), so a translation is never lost by an edit that is later undone.
    """
    old = _read(path, lang)
    known = _by_context(old)
    catalog = _new_catalog(lang, domain)
    added = stale = 0
    for unit in units:
        before = known.pop(unit.context, None)
        if before is None:
            _add(catalog, unit)
            added += 1
            continue
        string = str(before.string or "")
        if before.id == unit.source:
            _add(catalog, unit, string, fuzzy=before.fuzzy,
                 previous=_previous(before) if before.fuzzy else None)  # fmt: skip
        elif string:
            _add(catalog, unit, string, fuzzy=True, previous=str(before.id))
            stale += 1
        else:
            _add(catalog, unit)
    for message in [*known.values(), *(old.obsolete.values() if old is not None else ())]:
        if message.string:
            catalog.obsolete[(message.id, message.context)] = message
    _write(path, catalog)
    return UpdateResult(added, stale, len(known))


def _previous(message: Message) -> str | None:
    previous: object = message.previous_id  # Babel keeps a list (one entry per plural form)
    if isinstance(previous, (list, tuple)):
        return str(previous[0]) if previous else None
    return str(previous) if previous else None


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def check(path: Path, units: Sequence[Unit], lang: str, shown: str) -> list[Finding]:
    """What is missing or stale in one language's PO file; `shown` is how to name the file."""
    catalog = _read(path, lang)
    known = _by_context(catalog)
    findings = []
    for unit in units:
        message = known.get(unit.context)
        line = int(message.lineno) if message is not None and message.lineno else 0
        string = "" if message is None else str(message.string or "")
        if not string:
            problem = Problem.MISSING
        elif message is not None and (message.fuzzy or message.id != unit.source):
            problem = Problem.STALE
        elif placeholders(string) != placeholders(unit.source):
            problem = Problem.PLACEHOLDER
        else:
            continue
        findings.append(Finding(lang, shown, line, problem, unit.context, unit.source))
    return findings


def table(path: Path, lang: str, units: Iterable[Unit] | None = None) -> Mapping[str, str]:
    """Stable id -> translation, for the lines that are translated and current (NFC).

    A stale translation is not shown: the player sees the current English instead of a line
    that may say something else. With `units`, a line whose English changed since the PO was
    updated counts as stale too.
    """
    catalog = _read(path, lang)
    current = None if units is None else {u.context: u.source for u in units}
    found: dict[str, str] = {}
    for context, message in _by_context(catalog).items():
        string = str(message.string or "")
        if not string or message.fuzzy:
            continue
        if current is not None and current.get(context) != message.id:
            continue
        found[context] = nfc(string)
    return found
