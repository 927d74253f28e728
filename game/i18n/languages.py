"""The languages the game speaks, with the names their speakers use for them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # the code used everywhere: --lang, PO folders, xAPI language maps
    english: str
    native: str  # how the language names itself, for the language picker
    babel: str  # the CLDR locale Babel uses for plural rules and dates


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English", "en"),
    Language("fil", "Filipino", "Filipino", "fil"),
    Language("fi", "Finnish", "suomi", "fi"),
    Language("tr", "Turkish", "Türkçe", "tr"),
    Language("vi", "Vietnamese", "Tiếng Việt", "vi"),
)
SOURCE = "en"  # the language scenarios and the catalog are written in
TRANSLATED: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES if lang.code != SOURCE)


def language(code: str) -> Language:
    """The language with this code; ValueError naming the known codes otherwise."""
    for lang in LANGUAGES:
        if lang.code == code:
            return lang
    known = ", ".join(lang.code for lang in LANGUAGES)
    raise ValueError(f"unknown language {code!r}: the game speaks {known}")
