"""Names as people see them: one normal form, and a look-alike key that catches impostors.

Two profiles whose names render the same on screen ("Ana" and "An\u200ba", or a Latin "Ana"
and one spelt with a Cyrillic "А") would let one trainee pass for another in the desk. A
name is stored in NFKC with invisible characters removed; its `lookalike_key` folds case and
the Cyrillic and Greek letters that are drawn like Latin ones, so a second name with the same
key is refused. Accents are kept: "Nguyễn" and "Nguyen" are different names and look it.

Finding a name is looser than telling two apart: a supervisor types "ngoc tram" on a
keyboard without Vietnamese letters and expects "Ngọc Trâm". `search_key` folds case and
diacritics too, and the letters with a stroke or a dot that no decomposition takes apart
(Turkish ı and İ, Vietnamese đ, Danish ø, Polish ł, German ß); it is stored beside the name
so the search runs in the database.
"""

from __future__ import annotations

import unicodedata

NAME_MAX = 100

# Letters drawn like a Latin letter in the fonts the game uses (lower case; keys are casefolded).
_CONFUSABLE = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "с": "c", "е": "e", "ё": "ë", "һ": "h", "і": "i", "ї": "ï",
        "ј": "j", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "ѕ": "s", "т": "t",
        "у": "y", "х": "x", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ζ": "z", "μ": "u",
        # Latin letters that read as others
        "ı": "i", "ɩ": "i", "ℓ": "l",
    }
)  # fmt: skip


def _invisible(ch: str) -> bool:
    """Format characters (zero-width space/joiners, bidi controls, BOM), variation selectors
    and other default-ignorable code points: they change the bytes, not what is drawn."""
    code = ord(ch)
    return (
        unicodedata.category(ch) == "Cf"
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or code in (0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x180B, 0x180C, 0x180D, 0x180E)
    )


def normal_name(name: str, what: str = "the name") -> str:
    """The stored form: NFKC, invisible characters removed, runs of white space as one space.

    Raises ValueError (with `what` in the message) if nothing visible is left, if it is too
    long, or if it holds control characters.
    """
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if not _invisible(ch))
    clean = " ".join(text.split())
    if not clean:
        raise ValueError(f"{what} is empty")
    if len(clean) > NAME_MAX:
        raise ValueError(f"{what} is longer than {NAME_MAX} characters")
    if any(unicodedata.category(ch) == "Cc" for ch in clean):
        raise ValueError(f"{what} contains control characters")
    return clean


def lookup_key(name: str) -> str:
    """The case-insensitive key names are stored and found under (NFKC, casefolded)."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if not _invisible(ch))
    return unicodedata.normalize("NFKC", " ".join(text.split()).casefold())


# Letters that carry their mark inside (no NFD decomposition), as a keyboard without them
# types them. Lower case: applied after casefolding (which already makes ß "ss", İ "i̇").
_BARE_LETTER = str.maketrans(
    {
        "ı": "i", "đ": "d", "ø": "o", "ł": "l", "ħ": "h", "ŧ": "t", "ð": "d", "ƒ": "f",
        "ɨ": "i", "ƚ": "l", "ɍ": "r", "ɏ": "y", "ƶ": "z", "ǥ": "g", "ʉ": "u",
        "æ": "ae", "œ": "oe", "þ": "th", "ŋ": "n", "ĸ": "k",
    }
)  # fmt: skip


def search_key(name: str) -> str:
    """The key a name is searched by: case, diacritics and marked letters folded.

    "Ngọc Trâm" -> "ngoc tram", "Yılmaz" and "YILMAZ" -> "yilmaz", "İpek" -> "ipek",
    "Đặng" -> "dang", "Mäkinen" -> "makinen", "Peña" -> "pena". A search term goes through
    the same function, so a match is a substring of one key in another.
    """
    text = " ".join(_unmarked(unicodedata.normalize("NFKC", name)).split())
    for _ in range(4):  # more passes settle the rare letters that casefolding re-exposes
        folded = _unmarked(_unmarked(text).casefold()).translate(_BARE_LETTER)
        folded = " ".join(unicodedata.normalize("NFC", folded).split())
        if folded == text:
            break
        text = folded
    return text


def _unmarked(text: str) -> str:
    """Compatibility-decomposed, without combining marks or invisible characters. Marks go
    before casefolding as well as after: one of them (U+0345) casefolds to a letter."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKD", text)
        if not unicodedata.combining(ch) and not _invisible(ch)
    )


def lookalike_key(name: str) -> str:
    """Equal for names that would look the same in the desk: case, look-alike letters,
    and combining marks that compose to the same letter all folded."""
    folded = lookup_key(name).translate(_CONFUSABLE)
    return unicodedata.normalize("NFC", folded)
