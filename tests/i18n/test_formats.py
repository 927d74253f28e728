"""Dates, times and numbers in each language's own way, from CLDR through Babel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from babel.numbers import parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from game.i18n.formats import babel_locale, clock, day, number, when
from game.i18n.languages import LANGUAGES

CODES = [lang.code for lang in LANGUAGES]
MOMENT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("en", "Mar 2, 2026, 09:30"),
        ("fil", "Mar 2, 2026, 09:30"),
        ("fi", "2.3.2026 9.30"),
        ("tr", "2 Mar 2026 09:30"),
        ("vi", "9:30 2 thg 3, 2026"),
    ],
)
def test_a_moment_as_each_language_writes_it(lang: str, shown: str) -> None:
    assert when(MOMENT, lang, UTC) == shown


def test_moments_are_shown_in_the_zone_asked_for() -> None:
    manila = timezone(timedelta(hours=8))
    assert clock(MOMENT, "fil", manila) == "17:30"
    assert day(datetime(2026, 3, 2, 20, 0, tzinfo=UTC), "vi", manila) == "3 thg 3, 2026"


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("en", "12,345.7"), ("fil", "12,345.7"), ("fi", "12\xa0345,7"), ("tr", "12.345,7"),
     ("vi", "12.345,7")],
)  # fmt: skip
def test_numbers_group_and_point_as_each_language_does(lang: str, shown: str) -> None:
    assert number(12345.678, lang, 1) == shown


@given(st.sampled_from(CODES), st.integers(-(10**9), 10**9), st.integers(0, 2))
def test_a_shown_number_reads_back_in_its_language(lang: str, hundredths: int, digits: int
                                                   ) -> None:  # fmt: skip
    value = Decimal(hundredths) / 100
    shown = number(value, lang, digits)
    back = parse_decimal(shown, locale=babel_locale(lang))
    assert back == round(value, digits)


@given(st.sampled_from(CODES), st.datetimes(min_value=datetime(1990, 1, 1),
                                            max_value=datetime(2100, 1, 1)))  # fmt: skip
def test_a_moment_holds_its_date_and_its_time(lang: str, naive: datetime) -> None:
    moment = naive.replace(tzinfo=UTC)
    shown = when(moment, lang, UTC)
    assert day(moment, lang, UTC) in shown and clock(moment, lang, UTC) in shown
    assert str(moment.year) in shown


def test_an_unknown_language_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        when(MOMENT, "xx")
