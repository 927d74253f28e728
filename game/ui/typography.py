"""Fonts, word wrapping and a cache of rendered text.

Text is the most expensive thing the game draws, and most of it never changes between
frames, so every rendered line is cached by (text, style, colour). The fonts ship in
`assets/fonts/` (DejaVu, wide Unicode coverage) so Vietnamese or Turkish scenario text
renders the same on every machine. The text-size setting scales every style; headings
scale less than body text so a 200 % screen still has room for what matters.
"""

from __future__ import annotations

import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pygame

from game.ui.theme import Color

FACES = MappingProxyType(
    {
        "regular": "DejaVuSans.ttf",
        "bold": "DejaVuSans-Bold.ttf",
        "italic": "DejaVuSans-Oblique.ttf",
    }
)


@dataclass(frozen=True, slots=True)
class Style:
    face: str
    size: int  # pixels at 100 %
    scaling: float  # how much of the text-size setting applies (1 = all of it)


STYLES: MappingProxyType[str, Style] = MappingProxyType(
    {
        "display": Style("bold", 56, 0.35),
        "h1": Style("bold", 34, 0.6),
        "h2": Style("bold", 25, 0.8),
        "h3": Style("bold", 20, 1.0),
        "body": Style("regular", 18, 1.0),
        "body_bold": Style("bold", 18, 1.0),
        "quote": Style("italic", 18, 1.0),
        "small": Style("regular", 15, 1.0),
        "small_bold": Style("bold", 15, 1.0),
        "caption": Style("bold", 12, 1.0),
        "number": Style("bold", 46, 0.4),
        "badge": Style("bold", 16, 0.6),
    }
)
CACHE_LIMIT = 3000


class Typography:
    """All text drawing goes through here; one instance per text-size setting."""

    def __init__(self, fonts_dir: Path, scale_percent: int) -> None:
        self.scale = scale_percent / 100
        self._fonts_dir = fonts_dir
        self._fonts: dict[str, pygame.font.Font] = {}
        self._lines: OrderedDict[tuple[str, str, Color], pygame.Surface] = OrderedDict()
        self._wraps: OrderedDict[tuple[str, str, int], tuple[str, ...]] = OrderedDict()

    def px(self, style: str) -> int:
        spec = STYLES[style]
        return round(spec.size * (1 + (self.scale - 1) * spec.scaling))

    def font(self, style: str) -> pygame.font.Font:
        font = self._fonts.get(style)
        if font is None:
            spec = STYLES[style]
            font = pygame.font.Font(self._fonts_dir / FACES[spec.face], self.px(style))
            self._fonts[style] = font
        return font

    def line_height(self, style: str) -> int:
        return self.font(style).get_linesize()

    def width(self, text: str, style: str) -> int:
        return self.font(style).size(text)[0] if text else 0

    def render(self, text: str, style: str, color: Color) -> pygame.Surface:
        """One line of text, antialiased, with a transparent background."""
        key = (text, style, color)
        surface = self._lines.get(key)
        if surface is not None:
            self._lines.move_to_end(key)
            return surface
        if text:
            surface = self.font(style).render(text, True, color)
        else:
            surface = pygame.Surface((1, self.line_height(style)), pygame.SRCALPHA)
        self._lines[key] = surface
        if len(self._lines) > CACHE_LIMIT:
            self._lines.popitem(last=False)
        return surface

    def wrap(self, text: str, style: str, width: int) -> tuple[str, ...]:
        """Break text into lines no wider than `width`; words longer than a line are split."""
        key = (text, style, width)
        cached = self._wraps.get(key)
        if cached is not None:
            return cached
        font = self.font(style)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            words = paragraph.split()  # soft hyphens stay inside words until a break
            if not words:
                lines.append("")
                continue
            line = ""
            for word in words:
                candidate = f"{line} {word}" if line else word
                if font.size(candidate.replace(SOFT_HYPHEN, ""))[0] <= width:
                    line = candidate
                    continue
                if line:
                    lines.append(line.replace(SOFT_HYPHEN, ""))
                line = _split_long_word(font, word, width, lines)
            lines.append(line.replace(SOFT_HYPHEN, ""))
        result = tuple(lines)
        self._wraps[key] = result
        if len(self._wraps) > CACHE_LIMIT:
            self._wraps.popitem(last=False)
        return result

    def block_height(self, text: str, style: str, width: int) -> int:
        return len(self.wrap(text, style, width)) * self.line_height(style)

    def draw_block(
        self,
        surface: pygame.Surface,
        text: str,
        style: str,
        color: Color,
        x: int,
        y: int,
        width: int,
        align: str = "left",
    ) -> int:
        """Draw wrapped text; returns the y just below it."""
        step = self.line_height(style)
        for line in self.wrap(text, style, width):
            image = self.render(line, style, color)
            if align == "center":
                surface.blit(image, (x + (width - image.get_width()) // 2, y))
            elif align == "right":
                surface.blit(image, (x + width - image.get_width(), y))
            else:
                surface.blit(image, (x, y))
            y += step
        return y

    def fit_line(self, text: str, style: str, width: int) -> str:
        """The text, shortened with an ellipsis if one line cannot hold it.

        Measures O(log n) prefixes no longer than about twice what fits, so a 1 MB title
        costs what a 100-character one does (it used to drop one character at a time).
        """
        font = self.font(style)
        if _longest_fitting(lambda n: font.size(text[:n])[0] <= width, len(text)) == len(text):
            return text
        keep = _longest_fitting(lambda n: font.size(text[:n] + "…")[0] <= width, len(text))
        return text[:keep].rstrip() + "…"


def _longest_fitting(fits: Callable[[int], bool], length: int) -> int:
    """The largest n in 0..length with fits(n), for a test that holds up to some n and no further.

    Galloping from the short end, then bisecting: about 2·log2(answer) calls, none of them on
    a prefix much longer than twice the answer, whatever `length` is.
    """
    low, probe = 0, 16  # fits(0) holds: the empty prefix
    while probe < length:
        if not fits(probe):
            high = probe - 1
            break
        low, probe = probe, probe * 2
    else:
        if fits(length):
            return length
        high = length - 1
    while low < high:
        mid = (low + high + 1) // 2
        if fits(mid):
            low = mid
        else:
            high = mid - 1
    return low


SOFT_HYPHEN = "\u00ad"  # a translator's hint: break a long compound here if it must break
HYPHEN = "\u2010"  # drawn at the end of a line where a word was broken between syllables
_VOWELS = frozenset("aeiouyıơư")  # after decomposition: "ä" is a vowel, "ş" is not


def _vowel(ch: str) -> bool:
    return unicodedata.normalize("NFD", ch)[:1] in _VOWELS


def _syllable_breaks(word: str) -> list[int]:
    """Where a word may be broken with a hyphen, best last: after a soft hyphen (the
    translator's choice), else before a consonant that starts a syllable (a consonant
    followed by a vowel, with letters on both sides), the rule Finnish, Turkish and Filipino
    hyphenation share: "asiakas|palvelu|keskuksen" breaks as a-si-a-kas-pal-ve-lu-kes-kuk-sen.
    At least two letters stay on each side."""
    soft = [i for i, ch in enumerate(word) if ch == SOFT_HYPHEN and 0 < i < len(word) - 1]
    if soft:
        return soft
    if word.isupper() or any(ch.isdigit() for ch in word):  # a code, an acronym: no syllables
        return []
    lowered = word.lower()
    found = []
    for i in range(2, len(word) - 1):
        here, after, before = lowered[i], lowered[i + 1], lowered[i - 1]
        if (
            here.isalpha()
            and not _vowel(here)
            and _vowel(after)
            and before.isalpha()
            and lowered[i - 2].isalpha()
        ):
            found.append(i)
    return found


def _split_long_word(font: pygame.font.Font, word: str, width: int, lines: list[str]) -> str:
    """Append full-width pieces of `word` to `lines`; return the last piece, which fits.

    A piece ends after a hyphen or slash in the word, or at a syllable break (with a hyphen
    drawn, see `_syllable_breaks`), when one falls in the second half of what fits; otherwise
    (a reference number, a long URL) at the last character that fits. Soft hyphens are never
    drawn except as that hyphen. Each piece is measured from an offset (no copy of the rest
    of the word per piece), so a word of n characters costs O(n log n), not O(n²).
    """
    start = 0
    while True:
        rest = len(word) - start

        def fits(n: int, start: int = start) -> bool:
            return font.size(word[start : start + n].replace(SOFT_HYPHEN, ""))[0] <= width

        cut = _longest_fitting(fits, rest)
        if cut >= rest or rest <= 1:
            return word[start:].replace(SOFT_HYPHEN, "")
        cut = max(cut, 1)  # a glyph wider than the line still gets a line of its own
        piece, end = _nicer_break(font, word, start, cut, width)
        lines.append(piece)
        start = end


def _nicer_break(
    font: pygame.font.Font, word: str, start: int, cut: int, width: int
) -> tuple[str, int]:
    """The line to draw and where the rest starts, for a piece of `word` that fits up to
    `cut` characters from `start`."""
    chunk = word[start : start + cut]
    for mark in ("-", "/", "\u2013", "\u2014", HYPHEN):
        at = chunk.rfind(mark)
        if at + 1 >= max(2, cut // 2):
            return chunk[: at + 1].replace(SOFT_HYPHEN, ""), start + at + 1
    rest = word[start : start + cut + 2]  # the piece and the letters just after it
    for at in reversed(_syllable_breaks(rest)):
        least = 1 if rest[at] == SOFT_HYPHEN else max(2, cut // 2)
        if least <= at < cut:
            line = word[start : start + at].replace(SOFT_HYPHEN, "") + HYPHEN
            if font.size(line)[0] <= width:
                skip = 1 if word[start + at] == SOFT_HYPHEN else 0
                return line, start + at + skip
    return chunk.replace(SOFT_HYPHEN, ""), start + cut
