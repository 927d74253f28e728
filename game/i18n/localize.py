"""Hosts ask here for scenarios in the player's language, and which languages are complete."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path

from game.engine.catalog import Catalog
from game.i18n.apply import translated_scenario
from game.i18n.languages import LANGUAGES, SOURCE, TRANSLATED, language
from game.i18n.memo import Memo
from game.i18n.po import Finding
from game.i18n.project import check_all, shipped_domains, tables_for
from game.scenario.campaign import Campaign
from game.scenario.model import Scenario

# (the scenario's id(), each language with its table's id()) -> the values those ids are
# of (held, so no id is reused while the entry lives) and the translated scenario
_LOCALIZED: Memo[
    tuple[int, tuple[tuple[str, int], ...]],
    tuple[Scenario, tuple[Mapping[str, str], ...], Scenario],
] = Memo(64)


def localized(scenario: Scenario, root: Path | None = None) -> Scenario:
    """The scenario with every current translation the locale folder has for it (made once
    per scenario and content of its PO files: the tables are made once per content)."""
    tables = tables_for(f"scenarios/{scenario.id}", root=root)
    key = (id(scenario), tuple((lang, id(table)) for lang, table in tables.items()))
    held, held_tables, result = _LOCALIZED.get(
        key, lambda: (scenario, tuple(tables.values()), translated_scenario(scenario, tables))
    )
    assert held is scenario and all(
        a is b for a, b in zip(held_tables, tables.values(), strict=True)
    )  # the entry holds what its ids name, so they cannot have been reused
    return result


def localized_campaign(campaign: Campaign, root: Path | None = None) -> Campaign:
    levels = tuple(
        level
        if level.scenario is None
        else dataclasses.replace(level, scenario=localized(level.scenario, root))
        for level in campaign.levels
    )
    return dataclasses.replace(campaign, levels=levels)


def missing_by_language(
    catalog: Catalog, langs: Sequence[str] = TRANSLATED, root: Path | None = None
) -> dict[str, list[Finding]]:
    findings = check_all(shipped_domains(catalog, extract=False, root=root), langs, root)
    return {lang: [f for f in findings if f.lang == lang] for lang in langs}


def complete_languages(catalog: Catalog, root: Path | None = None) -> tuple[str, ...]:
    """English, and every language with nothing missing or stale in the shipped game."""
    gaps = missing_by_language(catalog, root=root)
    return (SOURCE, *(lang for lang in TRANSLATED if not gaps[lang]))


def require_complete(lang: str, catalog: Catalog, root: Path | None = None) -> str:
    """`lang` if the game can be played in it; ValueError saying why not and what to do."""
    known = language(lang)  # ValueError for a code the game does not know
    if lang == SOURCE:
        return lang
    gaps = missing_by_language(catalog, (lang,), root)[lang]
    if gaps:
        playable = complete_languages(catalog, root)
        complete = ", ".join(
            f"{lang.code} ({lang.native})" for lang in LANGUAGES if lang.code in playable
        )
        raise ValueError(
            f"{known.english} ({lang}) is not complete yet: {len(gaps)} lines are missing or"
            f" stale (`hold-the-line i18n check --lang {lang}` lists them). Complete: {complete}"
        )
    return lang
