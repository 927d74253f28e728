"""`--lang` for `play`, `text`, `report` and `export`: one argument, one check.

A language can be chosen once it is complete (`game.i18n.localize.require_complete`, the
one rule); otherwise the command stops with how many lines are missing and what to do.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from game.cli.errors import UsageError

if TYPE_CHECKING:
    from game.engine.catalog import Catalog
    from game.i18n.translator import Translator


def add_language_argument(parser: argparse.ArgumentParser, what: str) -> None:
    from game.i18n.languages import LANGUAGES

    codes = ", ".join(lang.code for lang in LANGUAGES)
    parser.add_argument(
        "--lang",
        metavar="CODE",
        help=f"the language {what} ({codes}; a language is offered once it is complete)",
    )


def checked_language(lang: str | None, catalog: Catalog) -> str | None:
    """`--lang` if given and complete (None if not given); UsageError saying why not."""
    if lang is None:
        return None
    from game.i18n.localize import require_complete

    try:
        return require_complete(lang, catalog)
    except ValueError as error:
        raise UsageError(str(error)) from None


def reader(lang: str | None, catalog: Catalog) -> tuple[Translator, Catalog]:
    """The translator for a checked `--lang` (English when not given), and the catalog
    with its labels in that language."""
    from game.i18n.runtime import localized_catalog, translator_for

    tr = translator_for(checked_language(lang, catalog) or "en")
    return tr, localized_catalog(catalog, tr)
