"""The pseudo-locale: complete in every domain, longer, accented, placeholders intact; and
what a translator built from it gives the catalog."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from game.engine.catalog import load_catalog
from game.engine.session import TimerMode
from game.i18n.apply import translated_scenario
from game.i18n.localize import complete_languages, require_complete
from game.i18n.po import PLACEHOLDER, check, placeholders, po_path
from game.i18n.project import shipped_domains, tables_for
from game.i18n.pseudo import GROWTH, pseudo
from game.i18n.runtime import ENGINE_WORDS, localized_catalog, translator_for
from game.i18n.units import catalog_units
from game.scenario.loader import load_scenario
from game.text.call import CallSetup
from game.text.player import play_scripted
from tests.conftest import ROOT
from tests.i18n.conftest import PSEUDO_LANG

ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


@given(st.text(min_size=1, max_size=80).filter(lambda t: t.strip()))
def test_pseudo_text_is_longer_accented_and_keeps_placeholders(text: str) -> None:
    shown = pseudo(text + " {name}")
    assert len(shown) >= len(text + " {name}") * (1 + GROWTH) - 3
    assert placeholders(shown) == placeholders(text + " {name}")
    without = re.sub(rf"{PLACEHOLDER.pattern}|<[^>]*>|&[a-z]+;", "", shown)
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
        names = {p.strip("{}").split(":")[0].split("!")[0] for p in placeholders(unit.source)}
        names |= {p.strip("{}").split(":")[0].split("!")[0] for p in placeholders(unit.plural)}
        values = {name: 2 for name in names if name != "n"}
        if unit.plural:
            shown = tr._np(unit.context, unit.source, unit.plural, 2, **values)
            assert shown == pseudo(unit.plural).format(n=2, **values), unit
        else:
            shown = tr._p(unit.context, unit.source, **values)
            assert shown == (
                pseudo(unit.source).format(**values) if values else pseudo(unit.source)
            ), unit
    localized = localized_catalog(catalog, tr)
    english = {u.context: u.source for u in catalog_units(catalog)}
    for unit in catalog_units(localized):  # the catalog's every line, under its own id
        if unit.context.startswith(ENGINE_WORDS):
            assert localized.said(unit.context, "") == pseudo(unit.source), unit.context
            continue  # the engine's own words: carried by the catalog, said by the engine
        assert unit.source == pseudo(english[unit.context]), unit.context
    assert localized.content_hash == catalog.content_hash
    assert (localized.case_table == catalog.case_table).all()


# What may stay ASCII in a complete language: principle codes (G-LISTEN-3), the grade letter.
CODE = re.compile(r"\bG-[A-Z]+-\d+\b")


def english_left(text: str) -> list[str]:
    """Runs of English words left in what a reader sees (a pseudo-translated line has no
    ASCII letters outside its placeholders)."""
    return [w for w in ENGLISH_WORD.findall(CODE.sub("", text)) if len(w) > 1]


def _plans() -> dict[str, list[int]]:
    """One scripted path through every shipped level that has a plan (the first by name)."""
    found: dict[str, list[int]] = {}
    for path in sorted((ROOT / "tests" / "plans").glob("*.yaml")):
        plan = yaml.safe_load(path.read_text("utf-8"))
        found.setdefault(str(plan["scenario"]), [int(n) for n in plan["choices"]])
    return found


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_text_over_a_complete_language_leaves_no_english_sentence(
    pseudo_locale: Path, as_json: bool
) -> None:
    """`text --lang` in a complete language: every line the player reads, on every level
    with a plan, is translated (the customer, the replies, the feedback, the catalog's
    reasons, the engine's own lines, the transcript and the debrief)."""
    catalog = load_catalog()
    tr = translator_for(PSEUDO_LANG, pseudo_locale)
    shown = localized_catalog(catalog, tr)
    left: dict[str, list[str]] = {}
    for name, choices in _plans().items():
        scenario = translated_scenario(
            load_scenario(ROOT / "scenarios" / name),
            tables_for(f"scenarios/{name.removesuffix('.yaml')}", (PSEUDO_LANG,), pseudo_locale),
        )
        setup = CallSetup(scenario, None, None, 70, PSEUDO_LANG, TimerMode.OFF, 0, shown, tr)
        out, warn = io.StringIO(), io.StringIO()
        play_scripted(setup, choices, think=None, as_json=as_json, out=out, warn=warn)
        said = out.getvalue()
        if as_json:  # the values a reader sees, not the keys and ids a program reads
            data = json.loads(said)
            read = [t[k] for t in data["turns"] for k in ("say", "feedback") if t[k]]
            read += [e["reason"] for t in data["turns"] for e in t["effects"]]
            read += [e["reason"] for e in data["closing_effects"]]
            said = "\n".join(read)
        words = english_left(said)
        if words:
            left[name] = sorted(set(words))
    assert not left, left
