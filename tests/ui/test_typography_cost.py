"""Fitting and wrapping text costs O(n log n) in its length, counted rather than timed.

A 10,000-character title froze the call screen for 2 s (`fit_line` dropped one character at
a time and measured the rest each time). The real font measures here; a thin wrapper counts
how many characters it was asked to measure, which is what the time is proportional to.
"""

from __future__ import annotations

import itertools
import math

import pygame
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.paths import assets_dir
from game.ui.typography import HYPHEN, Typography


class CountingFont:
    """The real font, counting the characters it measures."""

    def __init__(self, font: pygame.font.Font) -> None:
        self.font = font
        self.measured = 0

    def size(self, text: str) -> tuple[int, int]:
        self.measured += len(text)
        return self.font.size(text)

    def get_linesize(self) -> int:
        return self.font.get_linesize()


@pytest.fixture(scope="module")
def fonts() -> Typography:
    pygame.font.init()
    return Typography(assets_dir() / "fonts", 100)


def counting(fonts: Typography, style: str) -> CountingFont:
    counter = CountingFont(fonts.font(style))
    fonts._fonts[style] = counter  # type: ignore[assignment]
    return counter


@pytest.fixture(autouse=True)
def real_fonts_after(fonts: Typography) -> None:
    fonts._fonts.clear()
    fonts._wraps.clear()


def reference_fit_line(fonts: Typography, text: str, style: str, width: int) -> str:
    """The first edition's fit_line (quadratic, but obviously right), for short texts."""
    font = fonts.font(style)
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


@pytest.mark.parametrize("length", [10_000, 1_000_000])
def test_fitting_a_huge_title_measures_little_more_than_what_fits(
    fonts: Typography, length: int
) -> None:
    title = ("A title that goes on " * (length // 21 + 1))[:length]
    counter = counting(fonts, "caption")
    shown = fonts.fit_line(title, "caption", 700)
    assert shown.endswith("…") and 20 < len(shown) < 400
    assert fonts.font("caption").size(shown)[0] <= 700
    # What fits is ~100 characters; each probe is at most twice that, ~2·log2(100) probes.
    assert counter.measured <= 40 * len(shown) * math.log2(len(shown))


def test_wrapping_one_huge_word_is_n_log_n(fonts: Typography) -> None:
    word = "x" * 200_000
    counter = counting(fonts, "body")
    lines = fonts.wrap(word, "body", 300)
    assert "".join(lines) == word
    assert all(fonts.font("body").size(line)[0] <= 300 for line in lines)
    # The first edition measured the rest of the word for every piece: ~n²/(2·piece) ≈ 10⁹.
    assert counter.measured <= 50 * len(word) * math.log2(len(word) / len(lines[0]) + 2)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from("abc XYZ.ąşğüöäđờ—iIW0"),
        max_size=120,
    ),
    width=st.integers(0, 400),
    style=st.sampled_from(["caption", "body", "h1"]),
)
def test_fit_line_gives_what_the_first_edition_gave(
    fonts: Typography, text: str, width: int, style: str
) -> None:
    assert fonts.fit_line(text, style, width) == reference_fit_line(fonts, text, style, width)


@settings(max_examples=100, deadline=None)
@given(
    word=st.text(alphabet=st.sampled_from("mWiı.ệ"), min_size=1, max_size=300),
    width=st.integers(1, 200),
)
def test_a_long_word_splits_into_lines_that_fit_and_lose_nothing(
    fonts: Typography, word: str, width: int
) -> None:
    lines = fonts.wrap(word, "body", width)
    assert "".join(line.removesuffix(HYPHEN) for line in lines) == word
    font = fonts.font("body")
    for line in lines:
        assert font.size(line)[0] <= width or len(line) == 1
    for line, following in itertools.pairwise(lines):
        if line.endswith(HYPHEN):  # broken between syllables, in the second half of the line
            assert font.size(line)[0] <= width and len(line) >= 3
        else:  # each holds all that fits
            assert font.size(line + following[0])[0] > width
