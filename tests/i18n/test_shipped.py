"""The shipped text and its translation files: complete ids, playable translations, and fonts
that can draw every language."""

from __future__ import annotations

import io
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from game.engine.catalog import load_catalog
from game.i18n.apply import translated_scenario
from game.i18n.languages import TRANSLATED
from game.i18n.localize import complete_languages, localized, require_complete
from game.i18n.po import TranslationGap, po_path
from game.i18n.project import check_all, shipped_domains, update_all
from game.i18n.units import walk_texts
from game.paths import PROJECT_ROOT, assets_dir, locale_dir
from game.scenario.loader import load_scenario
from tests.text.door import run

LATE = PROJECT_ROOT / "scenarios" / "late-delivery.yaml"


def test_every_text_of_every_level_has_one_unique_stable_id() -> None:
    domains = shipped_domains(load_catalog())
    contexts = Counter(f"{d.name}:{u.key}" for d in domains for u in d.units)
    assert not [c for c, n in contexts.items() if n > 1]
    for domain in (d for d in domains if d.name.startswith("scenarios/")):
        scenario = load_scenario(PROJECT_ROOT / domain.units[0].path)
        texts = [t for _, t, _ in walk_texts(scenario) if t.en.strip()]
        assert len(texts) == len(domain.units)


def test_the_checked_in_po_files_are_current_with_the_english(tmp_path: Path) -> None:
    """Running `i18n update` would change nothing: every English line is in every PO file
    (translated or waiting), so a translator always works on the current text."""
    domains = shipped_domains(load_catalog())
    copy = tmp_path / "locale"
    import shutil

    shutil.copytree(locale_dir(), copy)
    update_all(domains, root=copy)
    for path in sorted(copy.rglob("*.po*")):
        shipped = locale_dir() / path.relative_to(copy)
        assert shipped.read_bytes() == path.read_bytes(), (
            f"run `hold-the-line i18n update`: {shipped}"
        )


def _translate_everything(root: Path, lang: str) -> None:
    """A stand-in translator: every line of every domain, marked so a test can see it."""
    domains = shipped_domains(load_catalog())
    update_all(domains, (lang,), root)
    from babel.messages.pofile import write_po

    for domain in domains:
        path = po_path(root, lang, domain.name)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if isinstance(message.id, (list, tuple)):  # plural forms: one per form
                message.string = tuple(
                    f"«{lang}» {message.id[-1]}" for _ in range(catalog.num_plurals)
                )
            elif message.id:
                message.string = f"«{lang}» {message.id}"
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100)


def test_a_complete_language_is_played_in_that_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = load_catalog()
    root = tmp_path / "locale"
    update_all(shipped_domains(catalog), ("vi",), root)  # every line waiting for its translator
    assert "vi" not in complete_languages(catalog, root)
    with pytest.raises(ValueError, match=r"Vietnamese \(vi\) is not complete yet: \d+ lines"):
        require_complete("vi", catalog, root)
    _translate_everything(root, "vi")
    assert complete_languages(catalog, root) == ("en", "vi")
    scenario = localized(load_scenario(LATE), root)
    opening = scenario.node(scenario.start)
    assert opening.customer.get("vi") == f"«vi» {opening.customer.en}"
    assert all(c.say.get("vi").startswith("«vi» ") for c in opening.choices)
    assert scenario.content_hash == load_scenario(LATE).content_hash
    # the terminal player, end to end, with this locale folder (the command as the console
    # script runs it, in this process)
    monkeypatch.setenv("HOLD_THE_LINE_LOCALE", str(root))
    plan = yaml.safe_load((PROJECT_ROOT / "tests/plans/late-delivery-good.yaml").read_text())
    choices = ",".join(str(n) for n in plan["choices"])
    played = run("text", str(LATE), "--lang", "vi", "--choices", choices, "--json", "--no-timer")
    assert played.returncode in (0, 1), played.stderr
    result = json.loads(played.stdout)
    said = json.dumps(result, ensure_ascii=False)
    assert "«vi» " in said
    assert opening.customer.en not in said  # the English line is not shown beside it
    # the machine door speaks it too
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    door = run("text", str(LATE), "--lang", "vi", "--jsonl", "--seed", "0")
    first = json.loads(door.stdout.splitlines()[0])
    assert first["event"] == "customer" and first["text"].startswith("«vi» "), door.stderr


def test_a_translation_never_changes_the_english_or_the_index() -> None:
    scenario = load_scenario(LATE)
    same = translated_scenario(scenario, {})
    assert same is scenario
    one = translated_scenario(scenario, {"fi": {f"{scenario.id}:title": "Myöhässä"}})
    assert one.title.get("fi") == "Myöhässä" and one.title.en == scenario.title.en
    assert all(one.node(n.id) is n for n in one.nodes)


def _every_shipped_string() -> dict[str, str]:
    """Every English line and every translation in every PO file, by where it comes from."""
    found = {u.context: u.source for d in shipped_domains(load_catalog()) for u in d.units}
    for lang in TRANSLATED:
        for path in (locale_dir() / lang).rglob("*.po"):
            with path.open("rb") as handle:
                for message in read_po(handle, locale=lang):
                    if message.id and message.string:
                        found[f"{lang}:{message.context}"] = str(message.string)
    return found


# What each language needs beyond ASCII (its alphabet's letters, both cases), so the fonts are
# proven fit before a single line is translated.
ALPHABETS = {
    "fil": "ÑñÁáÉéÍíÓóÚú",
    "fi": "ÄäÖöÅåŠšŽž",
    "tr": "ÇçĞğİıÖöŞşÜü",
    "vi": "ĂăÂâĐđÊêÔôƠơƯư"
    "ÀàẢảÃãÁáẠạẰằẲẳẴẵẮắẶặẦầẨẩẪẫẤấẬậÈèẺẻẼẽÉéẸẹỀềỂểỄễẾếỆệÌìỈỉĨĩÍíỊị"
    "ÒòỎỏÕõÓóỌọỒồỔổỖỗỐốỘộỜờỞởỠỡỚớỢợÙùỦủŨũÚúỤụỪừỬửỮữỨứỰựỲỳỶỷỸỹÝýỴỵ",
}


@pytest.mark.parametrize("face", sorted(p.name for p in (assets_dir() / "fonts").glob("*.ttf")))
def test_the_bundled_fonts_draw_every_character_of_every_language(face: str) -> None:
    cmap = TTFont(assets_dir() / "fonts" / face).getBestCmap()
    needed: dict[str, str] = {}
    for where, text in _every_shipped_string().items():
        for char in unicodedata.normalize("NFC", text):
            if not char.isspace():
                needed.setdefault(char, where)
    for lang, letters in ALPHABETS.items():
        for char in letters:
            needed.setdefault(char, f"the {lang} alphabet")
    missing = {
        f"U+{ord(c):04X} {c!r} ({where})" for c, where in needed.items() if ord(c) not in cmap
    }
    assert not missing, sorted(missing)


def test_check_lists_every_missing_line_of_every_language() -> None:
    domains = shipped_domains(load_catalog())
    findings = check_all(domains)
    total = sum(len(d.units) for d in domains)
    for lang in TRANSLATED:
        mine = [f for f in findings if f.lang == lang]
        assert len(mine) <= total
        assert all(f.problem in TranslationGap for f in mine)
        assert all(f.path.startswith(f"locale/{lang}/") and f.line > 0 for f in mine)
