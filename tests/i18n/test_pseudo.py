"""The pseudo-locale: complete in every domain, longer, accented, placeholders intact; and
what a translator built from it gives the catalog."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from game.engine.catalog import load_catalog
from game.i18n.localize import complete_languages, require_complete
from game.i18n.po import check, placeholders, po_path
from game.i18n.project import shipped_domains
from game.i18n.pseudo import GROWTH, pseudo
from game.i18n.runtime import localized_catalog, translator_for
from game.i18n.units import catalog_units
from tests.i18n.conftest import PSEUDO_LANG

ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


@given(st.text(min_size=1, max_size=80).filter(lambda t: t.strip()))
def test_pseudo_text_is_longer_accented_and_keeps_placeholders(text: str) -> None:
    shown = pseudo(text + " {name}")
    assert len(shown) >= len(text + " {name}") * (1 + GROWTH) - 3
    assert placeholders(shown) == placeholders(text + " {name}")
    without = re.sub(r"\{[A-Za-z_][A-Za-z0-9_]*\}|<[^>]*>|&[a-z]+;", "", shown)
    assert not ENGLISH_WORD.search(without)


def test_the_pseudo_locale_is_complete_in_every_domain(pseudo_locale: Path) -> None:
    catalog = load_catalog()
    domains = shipped_domains(catalog)
    assert {d.name for d in domains} >= {"catalog", "ui"}
    for domain in domains:
        path = po_path(pseudo_locale, PSEUDO_LANG, domain.name)
        assert check(path, domain.units, PSEUDO_LANG, domain.name) == [], domain.name
    assert PSEUDO_LANG in complete_languages(catalog, pseudo_locale)
    assert require_complete(PSEUDO_LANG, catalog, pseudo_locale) == PSEUDO_LANG


def test_every_interface_string_and_catalog_line_is_translated_at_runtime(
    pseudo_locale: Path,
) -> None:
    catalog = load_catalog()
    tr = translator_for(PSEUDO_LANG, pseudo_locale)
    ui = next(d for d in shipped_domains(catalog) if d.name == "ui")
    for unit in ui.units:
        if unit.plural:
            shown = tr._np(unit.context, unit.source, unit.plural, 2, n=2)
            assert shown == pseudo(unit.plural).replace("{n}", "2"), unit
        else:
            assert tr._p(unit.context, unit.source) == pseudo(unit.source), unit
    localized = localized_catalog(catalog, tr)
    english = {u.context: u.source for u in catalog_units(catalog)}
    for unit in catalog_units(localized):  # the catalog's every line, under its own id
        if unit.context.startswith(("builtin:", "nudge:")):
            continue  # the engine's own lines, not the catalog's: see test_builtin_lines
        assert unit.source == pseudo(english[unit.context]), unit.context
    assert localized.content_hash == catalog.content_hash
    assert (localized.case_table == catalog.case_table).all()
