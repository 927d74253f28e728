"""Dates, times and numbers as a reader of the chosen language writes them, by Babel (CLDR).

A Finn reads "2.3.2026 9.30", a Turk "2 Mar 2026 09:30", a Vietnamese reader
"9:30 2 thg 3, 2026"; hand-written `strftime` patterns get all but one of them wrong. The
desk, the report, History and the debrief format every date, time and count they show here.
Moments are shown in the machine's local time zone unless one is given.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal

from game.i18n.languages import SOURCE, language


@cache
def babel_locale(lang: str) -> Locale:
    """The CLDR locale of a game language (ValueError for a code the game does not know)."""
    return Locale.parse(language(lang).babel)


def _local(moment: datetime, zone: tzinfo | None) -> datetime:
    return moment.astimezone(zone)  # None: the machine's zone (a naive moment is local)


def day(moment: datetime, lang: str = SOURCE, zone: tzinfo | None = None) -> str:
    """The date, month abbreviated: "Mar 2, 2026", "2.3.2026", "2 Mar 2026", "2 thg 3, 2026"."""
    return format_skeleton("yMMMd", _local(moment, zone), locale=babel_locale(lang))


def clock(moment: datetime, lang: str = SOURCE, zone: tzinfo | None = None) -> str:
    """The time of day, 24-hour as the trainees' countries write it: "09:30", "9.30"."""
    return format_skeleton("Hm", _local(moment, zone), locale=babel_locale(lang))


def when(moment: datetime, lang: str = SOURCE, zone: tzinfo | None = None) -> str:
    """Date and time joined the locale's way: "Mar 2, 2026, 09:30", "9:30 2 thg 3, 2026"."""
    locale = babel_locale(lang)
    pattern = str(locale.datetime_formats["medium"])  # e.g. "{1}, {0}": {1} date, {0} time
    return pattern.replace("{1}", day(moment, lang, zone)).replace("{0}", clock(moment, lang, zone))


def number(value: float | Decimal, lang: str = SOURCE, digits: int = 0) -> str:
    """A number with the locale's grouping and decimal sign: "12,345", "12 345", "12.345"."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=babel_locale(lang))
