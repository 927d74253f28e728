"""Plural forms by each language's own rules, from Babel (CLDR): the PO files' headers, the
running game's choice of form, and the forms translators are asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel import Locale
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from game.i18n.interface import interface_units
from game.i18n.languages import TRANSLATED, language
from game.i18n.po import po_path
from game.i18n.project import Domain, update_all
from game.i18n.runtime import UI_DOMAIN, translator_for
from game.i18n.translator import _plural_rule
from game.paths import locale_dir

# a count shown in the desk, with its forms as a translator would write them
TURNS = ("{n} turn", "{n} turns")
FORMS = {
    "fil": ("{n} tira", "{n} na tira"),  # two forms, but not split at 1: 4, 6, 9 endings differ
    "fi": ("{n} vuoro", "{n} vuoroa"),
    "tr": ("{n} tur", "{n} tur"),  # Turkish counts take the singular noun; still two forms
    "vi": ("{n} lượt",),  # Vietnamese nouns do not change with number: one form
}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_po_file_has_babel_s_plural_rule(lang: str) -> None:
    expected = get_plural(language(lang).babel)
    for path in sorted((locale_dir() / lang).rglob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language(lang).babel)
        assert catalog.num_plurals == expected.num_plurals, path
        assert catalog.plural_expr == expected.plural_expr, path


@pytest.mark.parametrize("lang", ["fil", "fi", "tr"])
def test_the_gettext_rule_agrees_with_cldr(lang: str) -> None:
    """Form 0 exactly where CLDR says "one" (for whole numbers, which is what a count is)."""
    rule = _plural_rule(get_plural(language(lang).babel).plural_expr)
    cldr = Locale.parse(language(lang).babel).plural_form
    for n in range(0, 2000):
        assert (rule(n) == 0) == (cldr(n) == "one"), (lang, n)


def test_filipino_is_not_english() -> None:
    """Filipino's "one" covers 1, 2, 3 and most numbers; 4, 6 and 9 endings take the other
    form. An English-style n != 1 rule would be wrong for most counts."""
    rule = _plural_rule(get_plural("fil").plural_expr)
    assert [rule(n) for n in (1, 2, 3, 4, 5, 6, 9, 10, 14, 21)] == [0, 0, 0, 1, 0, 1, 1, 0, 1, 0]


def _locale_with_turns(root: Path) -> Path:
    interface = Domain(UI_DOMAIN, interface_units())
    update_all([interface], root=root)
    for lang, forms in FORMS.items():
        path = po_path(root, lang, UI_DOMAIN)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language(lang).babel)
        message = catalog.get(TURNS, context=None)
        assert message is not None, "the desk's turn count is a marked plural"
        assert len(forms) == catalog.num_plurals  # translators are asked for Babel's count
        message.string = forms
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100)
    return root


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("fil", {1: "1 tira", 4: "4 na tira", 5: "5 tira", 16: "16 na tira", 20: "20 tira"}),
        ("fi", {0: "0 vuoroa", 1: "1 vuoro", 2: "2 vuoroa", 21: "21 vuoroa"}),
        ("tr", {1: "1 tur", 3: "3 tur"}),
        ("vi", {1: "1 lượt", 7: "7 lượt"}),
    ],
)
def test_the_game_picks_the_form_by_the_language_s_rule(
    tmp_path: Path, lang: str, counts: dict[int, str]
) -> None:
    root = _locale_with_turns(tmp_path / "locale")
    tr = translator_for(lang, root)
    for n, shown in counts.items():
        assert tr._n(*TURNS, n) == shown
