"""`Translator`: what one reader reads, in one language, as a small immutable value.

Hosts (the command line, the window's composition root, the report and the desk) build one
with `game.i18n.runtime.translator_for(lang)` and hand it down; nothing reads a global. The
engine never sees it: it is given text already chosen (a scenario's `Text`, a catalog with
translated labels).

Marking a string (Babel extracts these calls into the `ui` domain, `locale/<lang>/ui.po`):

    tr._("Settings")                                   # a plain string
    tr._("Moving on by itself in {left} s", left=left)  # {placeholders}, never f-strings or %
    tr._p("button", "Back")                            # msgctxt: the English alone is ambiguous
    tr._n("{n} attempt", "{n} attempts", count)        # plural forms by the language's rules
    tr._np("desk", "{n} trainee", "{n} trainees", count)
    N_("Volume")                                        # a constant: marked here, translated
                                                        # later with tr._(VOLUME)

A `# i18n: …` comment on the line above becomes the translator's note (`{# i18n: … #}` in a
template).
Jinja2 templates call the same names: `{{ _("Attempts") }}`, `{{ _n("{n} turn", "{n} turns", k) }}`.
A missing, stale or broken translation shows the English.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

# Babel keyword specs for the marker calls above (see `babel.messages.extract`).
KEYWORDS: Mapping[str, object] = MappingProxyType(
    {"_": None, "_p": ((1, "c"), 2), "_n": (1, 2), "_np": ((1, "c"), 2, 3), "N_": None}
)
COMMENT_TAGS = ("i18n:",)
SEPARATOR = "\x04"  # between msgctxt and msgid in a key, as gettext's own MO files do
ENGLISH_PLURALS = "(n != 1)"
CAMPAIGN_CONTEXT = "campaign"  # the shipped campaign's name: `tr._p(CAMPAIGN_CONTEXT, title)`


def N_(message: str) -> str:  # noqa: N802 - the gettext convention translators' tools know
    """Mark a constant for extraction; it is translated where it is shown, with `tr._`."""
    return message


def ui_key(context: str, message: str) -> str:
    return f"{context}{SEPARATOR}{message}"


@cache
def _plural_rule(expression: str) -> Callable[[int], int]:
    return _gettext.c2py(expression)


def _format(text: str, values: Mapping[str, object]) -> str | None:
    """`text` with its {placeholders} filled; None when it names one that is not given or is
    not well formed (a broken translation shows the English instead of crashing)."""
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return None


@dataclass(frozen=True, slots=True)
class Translator:
    """One language's interface strings and catalog text. `Translator()` is English."""

    lang: str = "en"
    # msgctxt SEPARATOR msgid (msgctxt may be empty) -> the translated forms, one per plural form
    ui: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # catalog stable id (`technique:listen:label`) -> translation, current ones only
    catalog: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    plural_expression: str = ENGLISH_PLURALS  # the PO header's `plural=`, from Babel's CLDR data

    # the markers ------------------------------------------------------------------------
    def _(self, message: str, /, **values: object) -> str:
        return self._lookup("", message, None, None, values)

    def _p(self, context: str, message: str, /, **values: object) -> str:
        return self._lookup(context, message, None, None, values)

    def _n(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        return self._lookup("", singular, plural, n, values)

    def _np(self, context: str, singular: str, plural: str, n: int, /, **values: object) -> str:
        return self._lookup(context, singular, plural, n, values)

    # catalog text -----------------------------------------------------------------------
    def text(self, stable_id: str, english: str) -> str:
        """A catalog line (`technique:listen:label`) in this language, else its English."""
        return self.catalog.get(stable_id) or english

    def _lookup(
        self,
        context: str,
        singular: str,
        plural: str | None,
        n: int | None,
        values: Mapping[str, object],
    ) -> str:
        if n is not None:
            values = {"n": n, **values}
        english = singular if n is None or n == 1 or plural is None else plural
        forms = self.ui.get(ui_key(context, singular))
        if forms:
            index = 0 if n is None else _plural_rule(self.plural_expression)(n)
            if 0 <= index < len(forms) and forms[index]:
                shown = _format(forms[index], values)
                if shown is not None:
                    return shown
        return _format(english, values) or english


ENGLISH = Translator()  # the source language: every string as written
