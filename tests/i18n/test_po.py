"""The PO workflow: translations survive updates, a changed English line goes stale, checks locate."""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.i18n.po import TranslationGap, check, table, update
from game.i18n.units import Unit

UNITS = (
    Unit("demo:title", "The Late Delivery", "scenarios/demo.yaml", 0, ("The level's title.",)),
    Unit("demo:nodes[a].customer", "Where is my {item}?", "scenarios/demo.yaml", 7, ("Angry.",)),
    Unit("demo:nodes[a].choices[1].say", "I'm sorry.", "scenarios/demo.yaml", 9, ()),
)


def _translate(path: Path, context: str, text: str) -> None:
    """Fill one msgstr the way a translator's tool would (the entry's msgstr line)."""
    lines = path.read_text("utf-8").splitlines()
    at = lines.index(f'msgctxt "{context}"')
    end = next(i for i in range(at, len(lines)) if lines[i].startswith("msgstr"))
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    lines[end] = f'msgstr "{escaped}"'
    path.write_text("\n".join(lines) + "\n", "utf-8")


def test_a_new_file_lists_every_line_as_missing_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "vi" / "demo.po"
    result = update(path, UNITS, "vi", "demo")
    assert (result.added, result.stale, result.obsolete) == (3, 0, 0)
    found = check(path, UNITS, "vi", "locale/vi/demo.po")
    assert [f.problem for f in found] == [TranslationGap.MISSING] * 3
    text = path.read_text("utf-8").splitlines()
    for finding in found:  # each finding points at its own entry (the msgid, under its id)
        assert text[finding.line - 1].startswith("msgid ")
        assert text[finding.line - 2] == f'msgctxt "{finding.context}"'
    assert str(found[1]).startswith("locale/vi/demo.po:")
    assert "#. Angry." in text and "#: scenarios/demo.yaml:7" in text


def test_a_changed_english_line_keeps_its_translation_but_is_stale(tmp_path: Path) -> None:
    path = tmp_path / "tr" / "demo.po"
    update(path, UNITS, "tr", "demo")
    _translate(path, "demo:nodes[a].choices[1].say", "Özür dilerim.")
    assert table(path, "tr") == {"demo:nodes[a].choices[1].say": "Özür dilerim."}
    changed = tuple(
        dataclasses.replace(u, source="I'm so sorry.") if u.context.endswith("say") else u
        for u in UNITS
    )
    assert update(path, changed, "tr", "demo").stale == 1
    stale = [f for f in check(path, changed, "tr", "x.po") if f.problem is TranslationGap.STALE]
    assert [f.context for f in stale] == ["demo:nodes[a].choices[1].say"]
    text = path.read_text("utf-8")
    assert '#| msgid "I\'m sorry."' in text and 'msgstr "Özür dilerim."' in text
    assert table(path, "tr") == {}  # a stale line is not shown: the current English is
    # putting the English back makes it current again, and nothing was lost on the way
    update(path, UNITS, "tr", "demo")
    _translate(path, "demo:title", "Geciken Teslimat")
    assert table(path, "tr")["demo:title"] == "Geciken Teslimat"


def test_a_removed_line_is_kept_as_obsolete_and_updates_are_stable(tmp_path: Path) -> None:
    path = tmp_path / "fi" / "demo.po"
    update(path, UNITS, "fi", "demo")
    _translate(path, "demo:title", "Myöhästynyt toimitus")
    assert update(path, UNITS[1:], "fi", "demo").obsolete == 1
    assert '#~ msgid "The Late Delivery"' in path.read_text("utf-8")
    before = path.read_bytes()
    update(path, UNITS[1:], "fi", "demo")
    assert path.read_bytes() == before  # unchanged content gives an unchanged file


def test_placeholders_must_survive_translation(tmp_path: Path) -> None:
    path = tmp_path / "fil" / "demo.po"
    update(path, UNITS, "fil", "demo")
    _translate(path, "demo:nodes[a].customer", "Nasaan na ang order ko?")
    found = {f.context: f.problem for f in check(path, UNITS, "fil", "x.po")}
    assert found["demo:nodes[a].customer"] is TranslationGap.PLACEHOLDER


@settings(max_examples=40, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60))
def test_any_translation_comes_back_exactly_in_nfc(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("po") / "vi" / "demo.po"
    update(path, UNITS[:1], "vi", "demo")
    _translate(path, "demo:title", text)
    assert table(path, "vi") == {"demo:title": unicodedata.normalize("NFC", text)}
