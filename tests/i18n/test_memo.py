"""What the i18n layer remembers is forgotten when its input changes: every memo is keyed on
content (a file's bytes) or on an immutable value it holds, hands out immutable results, and
is bounded. Each test edits an input in place and asks again: the answer is the new one."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from game.engine.catalog import load_catalog
from game.i18n.interface import interface_units, template_units
from game.i18n.localize import complete_languages, localized
from game.i18n.memo import IdentityMemo, Memo
from game.i18n.po import TranslationGap, check, forms_table, table, update, write_template
from game.i18n.project import Domain, scenario_domain, tables_for, update_all
from game.i18n.pseudo import write_pseudo_locale
from game.i18n.runtime import UI_DOMAIN, translator_for
from game.i18n.units import Unit
from game.paths import PROJECT_ROOT, locale_dir
from game.scenario.loader import load_scenario

UNITS = (
    Unit("demo:title", "The Late Delivery", "scenarios/demo.yaml", 0, ("The level's title.",)),
    Unit("demo:nodes[a].customer", "Where is my {item}?", "scenarios/demo.yaml", 7, ()),
)
LATE = PROJECT_ROOT / "scenarios" / "late-delivery.yaml"


def _translate(path: Path, context: str, text: str) -> None:
    """Fill one msgstr in place, as a translator's tool would (see tests/i18n/test_po.py)."""
    lines = path.read_text("utf-8").splitlines()
    at = lines.index(f'msgctxt "{context}"')
    end = next(i for i in range(at, len(lines)) if lines[i].startswith("msgstr"))
    lines[end] = f'msgstr "{text}"'
    path.write_text("\n".join(lines) + "\n", "utf-8")


def test_a_memo_is_bounded_and_forgets_the_least_recently_used() -> None:
    made: list[str] = []
    memo: Memo[str, str] = Memo(2)

    def ask(key: str) -> str:
        def make() -> str:
            made.append(key)
            return key.upper()

        return memo.get(key, make)

    assert [ask(k) for k in ("a", "b", "a", "c", "a", "b")] == ["A", "B", "A", "C", "A", "B"]
    assert made == ["a", "b", "c", "b"]  # "b" was the least recently used when "c" came
    assert len(memo) == 2


def test_an_identity_memo_tells_equal_values_apart_and_holds_what_it_keys_on() -> None:
    memo: IdentityMemo[str, list[int]] = IdentityMemo(4)
    first, second = tuple([1, 2]), tuple([1, 2])
    assert first == second and first is not second
    made = memo.get(first, "x", lambda: [1])
    assert memo.get(first, "x", lambda: [2]) is made
    assert memo.get(second, "x", lambda: [3]) == [3]  # equal, but another value
    assert memo.get(first, "y", lambda: [4]) == [4]  # another key of the same value


def test_check_and_table_read_a_po_file_again_when_it_is_edited(tmp_path: Path) -> None:
    path = tmp_path / "tr" / "demo.po"
    update(path, UNITS, "tr", "demo")
    assert {f.problem for f in check(path, UNITS, "tr", "x.po")} == {TranslationGap.MISSING}
    _translate(path, "demo:title", "Geciken Teslimat")
    assert table(path, "tr") == {"demo:title": "Geciken Teslimat"}
    assert [f.context for f in check(path, UNITS, "tr", "x.po")] == ["demo:nodes[a].customer"]
    # at once and of the same size: a file's time and size alone might not tell them apart
    _translate(path, "demo:title", "Geciken Teslimaz")
    assert table(path, "tr") == {"demo:title": "Geciken Teslimaz"}
    path.unlink()
    assert table(path, "tr") == {}
    assert {f.problem for f in check(path, UNITS, "tr", "x.po")} == {TranslationGap.MISSING}


def test_a_table_handed_out_cannot_be_changed(tmp_path: Path) -> None:
    path = tmp_path / "fi" / "demo.po"
    update(path, UNITS, "fi", "demo")
    _translate(path, "demo:title", "Myöhästynyt toimitus")
    shown = table(path, "fi")
    with pytest.raises(TypeError):
        shown["demo:title"] = "changed"  # type: ignore[index]
    assert table(path, "fi") == {"demo:title": "Myöhästynyt toimitus"}


def test_update_starts_from_the_file_as_it_is_now(tmp_path: Path) -> None:
    path = tmp_path / "vi" / "demo.po"
    assert update(path, UNITS, "vi", "demo").added == 2
    blank = path.read_bytes()
    _translate(path, "demo:title", "Giao hàng trễ")
    assert update(path, UNITS, "vi", "demo").added == 0  # the same units as before
    assert table(path, "vi") == {"demo:title": "Giao hàng trễ"}  # the translation was kept
    path.write_bytes(blank)  # back to the first content: the first answer, from the memo
    assert update(path, UNITS, "vi", "demo").added == 0
    assert path.read_bytes() == blank
    changed = (dataclasses.replace(UNITS[0], source="The Very Late Delivery"), UNITS[1])
    update(path, changed, "vi", "demo")
    assert 'msgid "The Very Late Delivery"' in path.read_text("utf-8")


def test_a_template_follows_its_units(tmp_path: Path) -> None:
    path = tmp_path / "templates" / "demo.pot"
    write_template(path, UNITS, "demo")
    write_template(path, UNITS[:1], "demo")
    assert "Where is my" not in path.read_text("utf-8")
    path.write_text("edited by hand\n", "utf-8")
    write_template(path, UNITS[:1], "demo")  # the memo's bytes are written over the edit
    assert "The Late Delivery" in path.read_text("utf-8")


def test_interface_strings_are_extracted_again_from_an_edited_source(tmp_path: Path) -> None:
    root = tmp_path / "game"
    (root / "ui").mkdir(parents=True)
    scene = root / "ui" / "scene.py"
    scene.write_text('def draw(tr):\n    return tr._("Settings")\n', "utf-8")
    assert [u.source for u in interface_units(root)] == ["Settings"]
    scene.write_text('def draw(tr):\n    return tr._("Settingz")\n', "utf-8")
    assert [u.source for u in interface_units(root)] == ["Settingz"]
    (root / "ui" / "more.py").write_text('def more(tr):\n    return tr._("Back")\n', "utf-8")
    assert [(u.source, Path(u.path).name) for u in interface_units(root)] == [
        ("Back", "more.py"), ("Settingz", "scene.py"),
    ]  # fmt: skip


def test_the_template_s_units_follow_the_template(tmp_path: Path) -> None:
    path = tmp_path / "ui.pot"
    ui = (Unit("", "Settings", "game/ui/a.py", 3, (), by_english=True),)
    write_template(path, ui, UI_DOMAIN)
    assert [u.source for u in template_units(path)] == ["Settings"]
    write_template(path, (*ui, Unit("", "Back", "game/ui/a.py", 4, (), by_english=True)), "ui")
    assert [u.source for u in template_units(path)] == ["Settings", "Back"]


def test_the_translator_reads_an_edited_ui_file_again(tmp_path: Path) -> None:
    root = tmp_path / "locale"
    ui = (Unit("", "Settings", "game/ui/a.py", 3, (), by_english=True),)
    path = root / "fi" / f"{UI_DOMAIN}.po"
    update(path, ui, "fi", UI_DOMAIN)
    assert translator_for("fi", root)._("Settings") == "Settings"
    blank = 'msgid "Settings"\nmsgstr ""'
    text = path.read_text("utf-8").replace(blank, 'msgid "Settings"\nmsgstr "Asetukset"')
    path.write_text(text, "utf-8")
    assert forms_table(path, "fi") == {"\x04Settings": ("Asetukset",)}
    assert translator_for("fi", root)._("Settings") == "Asetukset"
    path.write_text(text.replace("Asetukset", "Asetuksia"), "utf-8")
    assert translator_for("fi", root)._("Settings") == "Asetuksia"


def test_a_level_s_translation_is_shown_once_its_po_file_has_it(tmp_path: Path) -> None:
    root = tmp_path / "locale"
    scenario = load_scenario(LATE)
    domain = scenario_domain(scenario, LATE)
    assert scenario_domain(scenario, LATE) is domain  # one value, its units made once
    update_all((domain,), ("fi",), root)
    assert localized(scenario, root).title.get("fi") == scenario.title.en  # not translated yet
    path = root / "fi" / f"{domain.name}.po"
    _translate(path, f"{scenario.id}:title", "Myöhässä")
    assert tables_for(domain.name, ("fi",), root)["fi"][f"{scenario.id}:title"] == "Myöhässä"
    assert localized(scenario, root).title.get("fi") == "Myöhässä"
    _translate(path, f"{scenario.id}:title", "Myöhästyi")
    assert localized(scenario, root).title.get("fi") == "Myöhästyi"


def test_a_language_stops_being_complete_when_a_line_is_emptied(tmp_path: Path) -> None:
    catalog = load_catalog()
    root = tmp_path / "locale"
    shutil.copytree(locale_dir(), root)  # every shipped language is complete
    assert "fi" in complete_languages(catalog, root)
    scenario = load_scenario(LATE)
    path = root / "fi" / f"scenarios/{scenario.id}.po"
    translated = table(path, "fi")[f"{scenario.id}:title"]
    _translate(path, f"{scenario.id}:title", "")
    assert "fi" not in complete_languages(catalog, root)
    _translate(path, f"{scenario.id}:title", translated)
    assert "fi" in complete_languages(catalog, root)


def test_a_pseudo_locale_follows_its_units(tmp_path: Path) -> None:
    first = write_pseudo_locale(tmp_path / "one", (Domain("demo", UNITS),), "fi")
    second = write_pseudo_locale(tmp_path / "two", (Domain("demo", UNITS[:1]),), "fi")
    assert "Where is my" in (first / "fi" / "demo.po").read_text("utf-8")
    assert "Where is my" not in (second / "fi" / "demo.po").read_text("utf-8")
    again = write_pseudo_locale(tmp_path / "three", (Domain("demo", UNITS),), "fi")
    assert (again / "fi" / "demo.po").read_bytes() == (first / "fi" / "demo.po").read_bytes()
