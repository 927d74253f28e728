"""What a running game reads in the reader's language: a `Translator` (interface strings and
catalog text) and the catalog with its labels translated.

Light on purpose (Babel and the PO files, no engine, no scenarios): the window builds a
translator for its title screen before anything heavy has loaded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from babel.messages.plurals import get_plural

from game.i18n.languages import SOURCE, language
from game.i18n.memo import Memo
from game.i18n.po import po_path, snapshot, snapshot_forms, snapshot_table
from game.i18n.translator import Translator
from game.paths import locale_dir

if TYPE_CHECKING:
    from game.engine.catalog import Case, Catalog, Technique

UI_DOMAIN = "ui"
CATALOG_DOMAIN = "catalog"
_V = TypeVar("_V")
# The catalog domain's ids for the engine's own words (see `Catalog.said`).
ENGINE_WORDS = ("builtin:", "nudge:", "effect:", "fact:", "band:")


# (language, the ui and catalog files' SHA-256, "" for none) -> the translator
_TRANSLATORS: Memo[tuple[str, str, str], Translator] = Memo(16)


def translator_for(lang: str, root: Path | None = None) -> Translator:
    """What a reader of `lang` reads: the interface strings and catalog text that are
    translated and current; anything else shows the English. ValueError for an unknown code.

    It does not ask whether the language is complete: hosts check that where a language is
    chosen (`game.i18n.localize.require_complete`); a profile's language that has since
    fallen behind still plays, its new lines in English."""
    language(lang)
    if lang == SOURCE:
        return Translator()
    base = (root or locale_dir()).resolve()
    ui = snapshot(po_path(base, lang, UI_DOMAIN), lang)
    catalog = snapshot(po_path(base, lang, CATALOG_DOMAIN), lang)

    def make() -> Translator:
        return Translator(
            lang=lang,
            ui=snapshot_forms(ui, lang),
            catalog=snapshot_table(catalog, lang),
            plural_expression=str(get_plural(language(lang).babel).plural_expr),
        )

    key = (lang, ui.digest if ui else "", catalog.digest if catalog else "")
    return _TRANSLATORS.get(key, make)


def localized_catalog(catalog: Catalog, tr: Translator) -> Catalog:
    """The catalog with its reader-facing text in `tr`'s language (under the ids
    `game.i18n.units.catalog_units` gives them). Numbers, ids and the content hash are
    unchanged, so a call scores the same in every language."""
    if not tr.catalog:
        return catalog
    text = tr.text

    def cases(t: Technique) -> tuple[Case, ...]:
        return tuple(
            dataclasses.replace(
                c,
                short=text(f"technique:{t.id}:{c.name}:short", c.short),
                reason=text(f"technique:{t.id}:{c.name}:reason", c.reason),
            )
            for c in t.cases
        )

    def each(
        mapping: Mapping[str, _V], change: Callable[[str, _V], _V]
    ) -> MappingProxyType[str, _V]:
        return MappingProxyType({key: change(key, value) for key, value in mapping.items()})

    replace = dataclasses.replace
    return replace(
        catalog,
        principles=each(catalog.principles, lambda k, p: replace(
            p, title=text(f"principle:{k}:title", p.title), rule=text(f"principle:{k}:rule", p.rule)
        )),
        sections=each(catalog.sections, lambda k, s: text(f"section:{k}", s)),
        techniques=each(catalog.techniques, lambda k, t: replace(
            t, label=text(f"technique:{k}:label", t.label), cases=cases(t)
        )),
        personas=each(catalog.personas, lambda k, p: replace(
            p, label=text(f"persona:{k}:label", p.label),
            handling=text(f"persona:{k}:handling", p.handling),
        )),
        channels=each(catalog.channels, lambda k, c: replace(
            c, label=text(f"channel:{k}:label", c.label)
        )),
        endings=each(catalog.endings, lambda k, e: replace(
            e, label=text(f"ending:{k}:label", e.label)
        )),
        tags=each(catalog.tags, lambda k, m: text(f"tag:{k}", m)),
        competencies=each(catalog.competencies, lambda k, c: text(f"competency:{k}", c)),
        steps=each(catalog.steps, lambda k, s: text(f"step:{k}", s)),
        words=MappingProxyType(
            {k: v for k, v in tr.catalog.items() if k.startswith(ENGINE_WORDS)}
        ),
    )  # fmt: skip
