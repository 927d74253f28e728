"""Translations: what the player and supervisors read, in English, Filipino, Finnish, Turkish
and Vietnamese.

Translators work in gettext PO files (Poedit, Weblate) under `locale/<lang>/`, one per
domain: `catalog.po` (principles, techniques, competencies) and `scenarios/<id>.po` (one
per level). Every line has a stable id (the PO `msgctxt`), the English as `msgid`, and a
note of context for the translator. When the English of a line changes, `i18n update`
keeps the old translation but marks it stale (fuzzy, with the previous English), and
`i18n check` lists what is missing or stale with `path:line`.
"""

__all__ = [
    "apply",
    "formats",
    "interface",
    "languages",
    "localize",
    "memo",
    "po",
    "po_entries",
    "project",
    "pseudo",
    "runtime",
    "translator",
    "unit",
    "units",
]
