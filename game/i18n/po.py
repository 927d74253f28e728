"""PO files: writing templates, updating translations (marking stale ones), and checking.

Babel reads and writes the files and knows each language's plural rules; the rule for a
changed English line is ours: the old translation is kept, flagged fuzzy, with the old
English as `#| msgid`, so a translator sees exactly what changed and nothing is lost.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, TypeVar

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from game.i18n.languages import language
from game.i18n.memo import Memo, digest, read
from game.i18n.po_entries import PoEntry, entry_of, read_entries
from game.i18n.unit import Unit
from game.scenario.model import nfc

PROJECT = "Hold the Line"
# `{name}`, with a conversion and a format spec if any (`{anger:+d}`, `{label:<24}`)
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")


class TranslationGap(StrEnum):
    """What a language's PO file lacks for one string (a `Finding`'s kind)."""

    MISSING = "missing"  # no translation
    STALE = "stale"  # the English changed since it was translated
    PLACEHOLDER = "placeholder"  # a {name} of the English is missing or added


@dataclass(frozen=True, slots=True)
class Finding:
    lang: str
    path: str  # the PO file
    line: int
    problem: TranslationGap
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


class _Keyed(Protocol):
    """What `_by_key` reads of an entry: Babel's `Message` or our `PoEntry`."""

    @property
    def id(self) -> str | tuple[str, ...] | list[str]: ...
    @property
    def context(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A PO file's content (by its SHA-256) and its entries, in file order."""

    digest: str
    entries: tuple[PoEntry, ...]


# (the plural rules' locale, the file's SHA-256) -> its entries
_ENTRIES: Memo[tuple[str, str], tuple[PoEntry, ...]] = Memo(256)
# (the locale, the file's SHA-256) -> `table` / `forms_table` of it
_TABLES: Memo[tuple[str, str], Mapping[str, str]] = Memo(256)
_FORMS: Memo[tuple[str, str], Mapping[str, tuple[str, ...]]] = Memo(64)


def _parse(data: bytes, lang: str) -> Catalog:
    return read_po(io.BytesIO(data), locale=language(lang).babel, abort_invalid=True)


def snapshot(path: Path, lang: str) -> Snapshot | None:
    """The file's entries (None when there is no file), parsed once per content."""
    data = read(path)
    if data is None:
        return None
    key = digest(data)
    babel = language(lang).babel
    return Snapshot(key, _ENTRIES.get((babel, key), lambda: _entries(data, lang)))


def _entries(data: bytes, lang: str) -> tuple[PoEntry, ...]:
    found = read_entries(data, language(lang).babel)
    if found is None:  # a file out of the ordinary: Babel's reader, and its errors
        found = tuple(entry_of(m) for m in _parse(data, lang) if m.id)
    return found


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


def _add(catalog: Catalog, unit: Unit, string: str | tuple[str, ...] = "", *,
         fuzzy: bool = False, previous: str | list[str] | None = None) -> None:  # fmt: skip
    catalog.add(
        unit.msgid,
        string,
        locations=[(unit.path, unit.line)] if unit.line else [(unit.path, None)],  # type: ignore[list-item]
        auto_comments=list(unit.notes),
        flags=("fuzzy",) if fuzzy else (),
        context=unit.context or None,
        previous_id=previous if previous is not None else (),
    )


def _render(catalog: Catalog) -> bytes:
    handle = io.BytesIO()
    write_po(handle, catalog, width=100, include_previous=True, sort_output=False)
    return handle.getvalue()


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` unless the file holds it already (an unchanged file keeps its time)."""
    if read(path) == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# (domain, units) -> the template's bytes
_TEMPLATES: Memo[tuple[str, tuple[Unit, ...]], bytes] = Memo(64)
# (lang, domain, units, the old file's SHA-256 or "") -> the updated file's bytes and counts
_UPDATES: Memo[tuple[str, str, tuple[Unit, ...], str], tuple[bytes, UpdateResult]] = Memo(128)


def write_template(path: Path, units: Sequence[Unit], domain: str) -> None:
    """The POT file a translator starts a new language from."""

    def render() -> bytes:
        catalog = _new_catalog(None, domain)
        for unit in units:
            _add(catalog, unit)
        return _render(catalog)

    write_bytes(path, _TEMPLATES.get((domain, tuple(units)), render))


M = TypeVar("M", bound=_Keyed)


def _singular(message: _Keyed) -> str:
    return str(message.id[0]) if isinstance(message.id, (list, tuple)) else str(message.id)


def _by_key(catalog: Iterable[M] | None, by_english: bool) -> dict[str, M]:
    """The entries by what a unit finds them by (`Unit.key`): the stable id in `msgctxt`, or
    for interface strings msgctxt + the English (gettext's own key)."""
    if catalog is None:
        return {}
    found = {}
    for message in catalog:
        if not message.id:
            continue
        if by_english:
            found[f"{message.context or ''}\x04{_singular(message)}"] = message
        elif message.context:
            found[str(message.context)] = message
    return found


def _by_english(units: Sequence[Unit]) -> bool:
    return any(unit.by_english for unit in units)


def _translation(message: Message | PoEntry | None, unit: Unit) -> str | tuple[str, ...]:
    """The message's translation if it is of the unit's shape (plural or not); else empty."""
    if message is None:
        return ""
    string = message.string
    if isinstance(string, (list, tuple)):
        forms = tuple(str(form or "") for form in string)
        return forms if unit.plural and any(forms) else ""
    return "" if unit.plural else str(string or "")


def _done(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def _closest(unit: Unit, left: dict[str, Message]) -> str | None:
    """For an interface string whose English changed: the old entry most like it (same
    msgctxt, at least 60 % alike), as msgmerge finds one, so its translation goes stale
    instead of being lost."""
    candidates = {
        _singular(m): key
        for key, m in left.items()
        if str(m.context or "") == unit.context and _translation(m, unit)
    }
    close = difflib.get_close_matches(unit.source, list(candidates), n=1, cutoff=0.6)
    return candidates[close[0]] if close else None


def update(path: Path, units: Sequence[Unit], lang: str, domain: str) -> UpdateResult:
    """Bring one language's PO file in line with the English units.

    Unchanged lines keep their translation; a line whose English changed keeps it too, but
    marked fuzzy with the previous English; lines that no longer exist are kept as obsolete
    entries (`#~`), so a translation is never lost by an edit that is later undone.
    """
    data = read(path)
    key = (lang, domain, tuple(units), "" if data is None else digest(data))
    updated, result = _UPDATES.get(key, lambda: _updated(data, units, lang, domain))
    write_bytes(path, updated)
    return result


def _updated(
    data: bytes | None, units: Sequence[Unit], lang: str, domain: str
) -> tuple[bytes, UpdateResult]:
    """`update` as a function of the old file's bytes: the new bytes and the counts."""
    old = None if data is None else _parse(data, lang)
    known = _by_key(old, _by_english(units))
    found = {unit.key: known.pop(unit.key) for unit in units if unit.key in known}
    for unit in units:
        if unit.by_english and unit.key not in found:
            close = _closest(unit, known)
            if close is not None:
                found[unit.key] = known.pop(close)
    catalog = _new_catalog(lang, domain)
    added = stale = 0
    for unit in units:
        before = found.get(unit.key)
        if before is None:
            _add(catalog, unit)
            added += 1
            continue
        string = _translation(before, unit)
        if before.id == unit.msgid or (isinstance(before.id, (list, tuple))
                                       and tuple(before.id) == unit.msgid):  # fmt: skip
            _add(catalog, unit, string, fuzzy=before.fuzzy,
                 previous=_previous(before) if before.fuzzy else None)  # fmt: skip
        elif string:
            _add(catalog, unit, string, fuzzy=True, previous=_previous_of(before))
            stale += 1
        else:
            _add(catalog, unit)
    for message in [*known.values(), *(old.obsolete.values() if old is not None else ())]:
        if message.string and any(message.string):
            catalog.obsolete[(message.id, message.context)] = message
    return _render(catalog), UpdateResult(added, stale, len(known))


def _previous_of(message: Message) -> str | list[str]:
    """The English an entry was translated from, as `#| msgid` (and `#| msgid_plural`)."""
    if isinstance(message.id, (list, tuple)):
        return [str(part) for part in message.id]
    return str(message.id)


def _previous(message: Message) -> str | list[str] | None:
    previous: object = message.previous_id  # Babel keeps a list (msgid, then msgid_plural)
    if isinstance(previous, (list, tuple)):
        parts = [str(part) for part in previous]
        return (parts[0] if len(parts) == 1 else parts) if parts else None
    return str(previous) if previous else None


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _placeholders_kept(string: str | tuple[str, ...], unit: Unit) -> bool:
    """Every form names the English's placeholders (a plural form those of either English
    form: a language may say "one" where English says "{n}")."""
    if isinstance(string, tuple):
        allowed = [placeholders(unit.source), placeholders(unit.plural)]
        return all(placeholders(form) in allowed for form in string)
    return placeholders(string) == placeholders(unit.source)


def _current(message: Message | PoEntry, unit: Unit) -> bool:
    same = (
        tuple(message.id) == unit.msgid
        if isinstance(message.id, (list, tuple))
        else (message.id == unit.msgid)
    )
    return same and not message.fuzzy


def check(path: Path, units: Sequence[Unit], lang: str, shown: str) -> list[Finding]:
    """What is missing or stale in one language's PO file; `shown` is how to name the file."""
    found = snapshot(path, lang)
    known = _by_key(None if found is None else found.entries, _by_english(units))
    findings = []
    for unit in units:
        message = known.get(unit.key)
        line = int(message.lineno) if message is not None and message.lineno else 0
        string = _translation(message, unit)
        if not _done(string):
            problem = TranslationGap.MISSING
        elif message is not None and not _current(message, unit):
            problem = TranslationGap.STALE
        elif not _placeholders_kept(string, unit):
            problem = TranslationGap.PLACEHOLDER
        else:
            continue
        findings.append(
            Finding(lang, shown, line, problem, unit.context or unit.source, unit.source)
        )
    return findings


def forms_table(path: Path, lang: str) -> Mapping[str, tuple[str, ...]]:
    """Interface strings: `Unit.key` (msgctxt + English) -> the translated forms (NFC), for
    the lines translated, not stale and keeping their placeholders. The English is part of
    the key, so a line whose English changed in the code is not found: it shows the English."""
    return snapshot_forms(snapshot(path, lang), lang)


def snapshot_forms(found: Snapshot | None, lang: str) -> Mapping[str, tuple[str, ...]]:
    """`forms_table` of a file already read (made once per content)."""
    if found is None:
        return MappingProxyType({})
    entries = found.entries
    return _FORMS.get((language(lang).babel, found.digest), lambda: _forms(entries))


def _forms(entries: Iterable[PoEntry]) -> Mapping[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for key, message in _by_key(entries, by_english=True).items():
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        unit = Unit(str(message.context or ""), str(ids[0]), "", 0,
                    plural=str(ids[1]) if len(ids) > 1 else "", by_english=True)  # fmt: skip
        string = _translation(message, unit)
        if message.fuzzy or not _done(string) or not _placeholders_kept(string, unit):
            continue
        forms = string if isinstance(string, tuple) else (string,)
        found[key] = tuple(nfc(form) for form in forms)
    return MappingProxyType(found)


def table(path: Path, lang: str, units: Iterable[Unit] | None = None) -> Mapping[str, str]:
    """Stable id -> translation, for the lines that are translated and current (NFC).

    A stale translation is not shown: the player sees the current English instead of a line
    that may say something else. With `units`, a line whose English changed since the PO was
    updated counts as stale too.
    """
    found = snapshot(path, lang)
    if units is not None:
        entries = () if found is None else found.entries
        return _table(entries, {u.context: u.source for u in units})
    return snapshot_table(found, lang)


def snapshot_table(found: Snapshot | None, lang: str) -> Mapping[str, str]:
    """`table` (without units) of a file already read (made once per content)."""
    if found is None:
        return MappingProxyType({})
    entries = found.entries
    return _TABLES.get((language(lang).babel, found.digest), lambda: _table(entries, None))


def _table(entries: Iterable[PoEntry], current: Mapping[str, str] | None) -> Mapping[str, str]:
    found: dict[str, str] = {}
    for context, message in _by_key(entries, by_english=False).items():
        string = str(message.string or "")
        if not string or message.fuzzy:
            continue
        if current is not None and current.get(context) != message.id:
            continue
        found[context] = nfc(string)
    return MappingProxyType(found)
