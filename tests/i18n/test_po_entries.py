"""The quick PO reader gives Babel's answer, entry for entry: on every shipped file, on any
catalog Babel writes, and (by handing the file to Babel) on files out of the ordinary."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, write_po
from hypothesis import given, settings
from hypothesis import strategies as st

from game.i18n.languages import LANGUAGES, TRANSLATED, language
from game.i18n.po import snapshot
from game.i18n.po_entries import PoEntry, entry_of, read_entries
from game.paths import locale_dir


def _babel(data: bytes, locale: str) -> tuple[PoEntry, ...]:
    catalog = read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    return tuple(entry_of(m) for m in catalog if m.id)


def _files(root: Path, lang: str) -> list[Path]:
    return sorted((root / lang).rglob("*.po"))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_shipped_po_file_reads_as_babel_reads_it(lang: str) -> None:
    files = _files(locale_dir(), lang)
    assert files
    for path in files:
        data = path.read_bytes()
        babel = language(lang).babel
        assert read_entries(data, babel) == _babel(data, babel), path


def test_the_templates_read_as_babel_reads_them() -> None:
    for path in sorted((locale_dir() / "templates").rglob("*.pot")):
        data = path.read_bytes()
        assert read_entries(data, "en") == _babel(data, "en"), path


TEXT = st.text(st.characters(codec="utf-8"), max_size=40)  # any text a file can hold


@st.composite
def _catalogs(draw: st.DrawFn) -> tuple[bytes, str]:
    lang = draw(st.sampled_from([lang.babel for lang in LANGUAGES]))
    catalog = Catalog(locale=lang, fuzzy=draw(st.booleans()))
    count = catalog.num_plurals
    seen = set()
    for _ in range(draw(st.integers(0, 6))):
        context = draw(st.none() | TEXT)
        singular = draw(TEXT.filter(bool))
        if (singular, context) in seen:
            continue
        seen.add((singular, context))
        plural = draw(st.booleans())
        ident: str | tuple[str, str] = (singular, draw(TEXT)) if plural else singular
        string: str | tuple[str, ...] = (
            tuple(draw(TEXT) for _ in range(count)) if plural else draw(TEXT)
        )
        message = Message(
            ident,
            string,
            locations=[("game/x.py", draw(st.integers(1, 999)))],
            flags=("fuzzy",) if draw(st.booleans()) else (),
            auto_comments=[draw(TEXT)],
            context=context,
            previous_id=draw(st.just(()) | TEXT.map(lambda t: [t])),
        )
        if draw(st.booleans()):
            catalog.obsolete[(ident, context)] = message  # type: ignore[index]
        else:
            catalog[ident] = message
    handle = io.BytesIO()
    write_po(handle, catalog, width=draw(st.sampled_from([76, 100])), include_previous=True)
    return handle.getvalue(), lang


@settings(max_examples=60, deadline=None)
@given(_catalogs())
def test_any_catalog_babel_writes_reads_as_babel_reads_it(written: tuple[bytes, str]) -> None:
    data, lang = written
    try:
        expected = _babel(data, lang)
    except PoFileError:  # Babel cannot read back what it wrote: nor can we, then
        assert read_entries(data, lang) is None
        return
    # the same entries, or (a file with an entry twice, which Babel merges) Babel's reader
    assert read_entries(data, lang) in (expected, None)


HEADER = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
ODD = {
    "a conflict marker": HEADER + b'#-#-#-#-# one #-#-#-#-#\nmsgid "a"\nmsgstr "b"\n',
    "an unknown keyword": HEADER + b'msgid "a"\nmsgstring "b"\n',
    "a repeated entry": HEADER + b'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
    "a missing msgstr": HEADER + b'msgid "a"\n\nmsgid "b"\nmsgstr "c"\n',
    "another charset": b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=latin-1\\n"\n'
    b'\nmsgid "a"\nmsgstr "caf\xe9"\n',
    "a plural form too many": HEADER + b'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\n'
    b'msgstr[1] "bs"\nmsgstr[2] "bss"\n',
}


@pytest.mark.parametrize("what", sorted(ODD))
def test_a_file_out_of_the_ordinary_gets_babel_s_answer(what: str, tmp_path: Path) -> None:
    data = ODD[what]
    assert read_entries(data, "fi") is None
    path = tmp_path / "odd.po"
    path.write_bytes(data)
    try:
        expected = _babel(data, "fi")
    except PoFileError as error:
        with pytest.raises(PoFileError, match=str(error).split(" on ")[0]):
            snapshot(path, "fi")
        return
    found = snapshot(path, "fi")
    assert found is not None and found.entries == expected
