"""Putting translations into a loaded scenario, so every host reads them through `Text.get`."""

from __future__ import annotations

from collections.abc import Mapping

from game.i18n.units import map_texts
from game.scenario.model import Scenario, Text


def translated_scenario(scenario: Scenario, tables: Mapping[str, Mapping[str, str]]) -> Scenario:
    """`scenario` with the translations in `tables` (language -> stable id -> text) added to
    its texts; English and the content hash are unchanged (the hash names the English the
    attempt was played against; the translations never change a verdict)."""

    def add(path: str, text: Text) -> Text:
        context = f"{scenario.id}:{path}"
        found = dict(text.translations)
        for lang, table in tables.items():
            translated = table.get(context)
            if translated:
                found[lang] = translated
        if found == dict(text.translations):
            return text
        return Text(text.en, tuple(sorted(found.items())))

    result: Scenario = map_texts(scenario, add)
    return result
