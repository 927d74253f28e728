"""The `ui` domain: marked strings are extracted with their notes, contexts and plurals; a
changed English line goes stale with its old translation kept; the shipped template is
current with the code."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

from game.i18n.interface import interface_units, template_units
from game.i18n.po import TranslationGap, check, forms_table, update, write_template
from game.i18n.runtime import translator_for
from game.paths import locale_dir

SCENE = """
def draw(tr, n, left):
    # i18n: the title of the settings screen
    title = tr._("Settings")
    back = tr._p("button", "Back")
    other = tr._p("menu", "Back")
    count = tr._n("{n} attempt", "{n} attempts", n)
    wait = tr._("Moving on by itself in {left} s", left=left)
    again = tr._("Settings")
    return title, back, other, count, wait, again
"""
TEMPLATE = '<h1>{{ _("Attempts") }}</h1>{# i18n: a column heading #}\n<p>{{ _n("{n} turn", "{n} turns", k) }}</p>\n'


def _toy(root: Path, scene: str = SCENE) -> Path:
    (root / "ui").mkdir(parents=True, exist_ok=True)
    (root / "ui" / "scene.py").write_text(scene, "utf-8")
    (root / "records" / "templates").mkdir(parents=True, exist_ok=True)
    (root / "records" / "templates" / "report.html").write_text(TEMPLATE, "utf-8")
    return root


def test_marked_strings_are_extracted_once_with_notes_contexts_and_plurals(tmp_path: Path) -> None:
    units = interface_units(_toy(tmp_path / "game"))
    by_key = {(u.context, u.source): u for u in units}
    assert set(by_key) == {
        ("", "Settings"), ("button", "Back"), ("menu", "Back"), ("", "{n} attempt"),
        ("", "Moving on by itself in {left} s"), ("", "Attempts"), ("", "{n} turn"),
    }  # fmt: skip
    assert by_key["", "Settings"].notes == ("the title of the settings screen",)
    assert by_key["", "Settings"].line == 4  # its first place
    assert by_key["", "{n} attempt"].plural == "{n} attempts"
    assert by_key["", "Attempts"].notes == ("a column heading",)
    assert by_key["", "{n} turn"].path.endswith("records/templates/report.html")


def _fill(path: Path, lang: str, strings: dict[str, str | tuple[str, ...]]) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in strings:
            message.string = strings[key]
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100)


def test_a_reworded_interface_string_keeps_its_translation_as_stale(tmp_path: Path) -> None:
    units = interface_units(_toy(tmp_path / "game"))
    po = tmp_path / "locale" / "fi" / "ui.po"
    assert update(po, units, "fi", "ui").added == len(units)
    _fill(po, "fi", {"Moving on by itself in {left} s": "Jatketaan itsestään {left} s kuluttua",
                     "{n} attempt": ("{n} yritys", "{n} yritystä")})  # fmt: skip
    assert forms_table(po, "fi")["\x04{n} attempt"] == ("{n} yritys", "{n} yritystä")
    tr = translator_for("fi", tmp_path / "locale")
    assert tr._n("{n} attempt", "{n} attempts", 3) == "3 yritystä"
    assert tr._("Moving on by itself in {left} s", left=4) == "Jatketaan itsestään 4 s kuluttua"
    reworded = SCENE.replace(
        "Moving on by itself in {left} s", "Moving on by itself in {left} seconds"
    )
    changed = interface_units(_toy(tmp_path / "game", reworded))
    assert update(po, changed, "fi", "ui").stale == 1
    text = po.read_text("utf-8")
    assert '#| msgid "Moving on by itself in {left} s"' in text
    stale = [f for f in check(po, changed, "fi", "ui.po") if f.problem is TranslationGap.STALE]
    assert [f.source for f in stale] == ["Moving on by itself in {left} seconds"]
    tr = translator_for("fi", tmp_path / "locale")
    assert (
        tr._("Moving on by itself in {left} seconds", left=4) == "Moving on by itself in 4 seconds"
    )


def test_plural_forms_are_written_per_language_and_checked(tmp_path: Path) -> None:
    units = interface_units(_toy(tmp_path / "game"))
    vi, fil = tmp_path / "vi" / "ui.po", tmp_path / "fil" / "ui.po"
    update(vi, units, "vi", "ui")
    update(fil, units, "fil", "ui")
    assert 'msgstr[0] ""' in vi.read_text("utf-8") and "msgstr[1]" not in vi.read_text("utf-8")
    assert 'msgstr[1] ""' in fil.read_text("utf-8")
    _fill(vi, "vi", {"{n} attempt": ("lượt",)})  # the number was dropped
    found = {f.source: f.problem for f in check(vi, units, "vi", "vi.po")}
    assert found["{n} attempt"] is TranslationGap.PLACEHOLDER
    _fill(vi, "vi", {"{n} attempt": ("{n} lượt",)})
    found = {f.source: f.problem for f in check(vi, units, "vi", "vi.po")}
    assert "{n} attempt" not in found


def test_the_template_reads_back_as_the_units_it_was_written_from(tmp_path: Path) -> None:
    units = interface_units(_toy(tmp_path / "game"))
    pot = tmp_path / "ui.pot"
    write_template(pot, units, "ui")
    back = template_units(pot)
    assert [(u.key, u.plural) for u in back] == [(u.key, u.plural) for u in units]


def test_the_shipped_template_is_the_code_s_marked_strings() -> None:
    shipped = template_units(locale_dir() / "templates" / "ui.pot")
    assert {(u.key, u.plural) for u in shipped} == {(u.key, u.plural) for u in interface_units()}
