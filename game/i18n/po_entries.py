"""Reading a PO file's entries for the checks and tables, quickly.

Every `--lang` command and every game start asks whether a language is complete, which
reads every PO file of that language; Babel's reader builds a full catalog (locations,
notes, comments) that a check never looks at, and takes most of the time. This reader
takes only what a check reads (msgctxt, msgid, msgstr, the fuzzy flag, the msgid's line),
with Babel's own rules for strings (`unescape`), headers (a `Catalog` reads the plural
count) and line numbers. It reads the well-formed files the game and translators' tools
write; anything else (an unknown keyword, a duplicate entry, a charset other than UTF-8,
a conflict marker) is handed to Babel's reader, so an odd file gives Babel's answer or
Babel's error. tests/i18n/test_po_entries.py holds it to Babel's answer, entry for entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import unescape


@dataclass(frozen=True, slots=True)
class PoEntry:
    """One entry of a PO file as the checks and tables read it: immutable, so one parse of
    a file's bytes serves every check of it (Babel's `Message` is mutable)."""

    id: str | tuple[str, ...]
    string: str | tuple[str, ...] | None
    context: str | None
    fuzzy: bool
    lineno: int


def entry_of(message: Message) -> PoEntry:
    ident = message.id
    string = message.string
    return PoEntry(
        tuple(ident) if isinstance(ident, (list, tuple)) else ident,
        tuple(string) if isinstance(string, (list, tuple)) else string,
        message.context,
        message.fuzzy,
        int(message.lineno or 0),
    )


class _Unusual(Exception):
    """Something this reader leaves to Babel's."""


class _Reader:
    """Babel's `PoFileParser` state machine, for the parts a check reads."""

    def __init__(self, locale: str) -> None:
        self.header = Catalog(locale=locale)  # what the header says (plural count, charset)
        self.entries: list[PoEntry] = []
        self.keys: set[object] = set()
        self.offset = 0
        self._reset()

    def _reset(self) -> None:
        self.messages: list[list[str]] = []
        self.translations: list[tuple[int, list[str]]] = []
        self.fuzzy = False
        self.context: list[str] | None = None
        self.obsolete = False
        self.part: list[str] | None = None  # where a continuation line goes

    def finish(self) -> None:
        if not self.messages:  # nothing to finish (a msgctxt waits for its msgid)
            return
        if not self.translations or len(self.messages) > 2:
            raise _Unusual("a msgid without a msgstr, or two plurals")
        context = None if self.context is None else _text(self.context)
        if len(self.messages) == 2:
            ident: str | tuple[str, ...] = (_text(self.messages[0]), _text(self.messages[1]))
            count = self.header.num_plurals
            forms = [""] * count
            indexes = [index for index, _ in self.translations]
            if len(set(indexes)) != len(indexes) or max(indexes) >= count:
                raise _Unusual("plural forms repeated or beyond the header's count")
            for index, parts in self.translations:
                forms[index] = _text(parts)
            string: str | tuple[str, ...] = tuple(forms)
            key: object = ident[0]
        else:
            ident = _text(self.messages[0])
            string = _text(self.translations[0][1])
            key = ident
        if self.obsolete:
            self._reset()
            return
        if context is not None:
            key = (key, context)
        if key in self.keys or (isinstance(ident, tuple) and not ident[0]):
            raise _Unusual("a repeated entry")
        self.keys.add(key)
        if ident == "":
            self.header[""] = Message("", string, flags=("fuzzy",) if self.fuzzy else ())
            if self.header.charset.lower() not in ("utf-8", "utf8"):
                raise _Unusual("a charset other than UTF-8")
        else:
            self.entries.append(PoEntry(ident, string, context, self.fuzzy, self.offset + 1))
        self._reset()

    def keyword(self, lineno: int, line: str, obsolete: bool) -> None:
        keyword, _, arg = line.partition(" ")
        if keyword in ("msgid", "msgctxt"):
            self.finish()
        self.obsolete = obsolete
        if keyword == "msgid":
            self.offset = lineno
        if keyword in ("msgid", "msgid_plural"):
            self.part = [arg.strip()]
            self.messages.append(self.part)
        elif keyword == "msgctxt":
            self.part = self.context = [arg.strip()]
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            if not self.messages:
                raise _Unusual("a msgstr without a msgid")
            _, bracket, index = keyword.partition("[")
            if bracket and not (index[:-1].isdigit() and index.endswith("]")):
                raise _Unusual("a msgstr index that is not a number")
            self.part = [arg.strip()]
            self.translations.append((int(index[:-1]) if bracket else 0, self.part))
        else:
            raise _Unusual("an unknown keyword")

    def read(self, data: bytes) -> tuple[PoEntry, ...]:
        for lineno, raw in enumerate(data.split(b"\n")):
            line = raw.strip().decode("utf-8")
            if not line:
                continue
            if line[0] == "#":
                if line[1:2] == "~":
                    rest = line[2:].lstrip()
                    if rest[:1] == '"':
                        self.continuation(rest)
                    elif rest:
                        self.keyword(lineno, rest, obsolete=True)
                    continue
                if line[1:2] == "-":
                    raise _Unusual("a conflict marker")
                self.finish()
                if line[:2] == "#,":
                    flags = {flag.strip() for flag in line[2:].lstrip().split(",")}
                    self.fuzzy = self.fuzzy or "fuzzy" in flags
                continue
            if line[0] == '"':
                self.continuation(line)
            else:
                self.keyword(lineno, line, obsolete=False)
        self.finish()
        return tuple(self.entries)

    def continuation(self, line: str) -> None:
        if self.part is None:
            raise _Unusual("a string outside an entry")
        self.part.append(line)


def _text(parts: list[str]) -> str:
    return "".join(unescape(part) for part in parts)


def read_entries(data: bytes, locale: str) -> tuple[PoEntry, ...] | None:
    """The entries of a PO file's bytes (header and obsolete entries left out), in file
    order; None where the file is one to leave to Babel's reader."""
    try:
        return _Reader(locale).read(data)
    except (_Unusual, UnicodeDecodeError, ValueError):
        return None
