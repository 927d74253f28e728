"""The search key: what a supervisor types finds the name, whatever the letters on the keyboard."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.records.names import lookup_key, normal_name, search_key

# The letters of the trainees' languages and of names the desk will meet, both cases.
ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyz"
    "ñ"  # Filipino
    "äöåšž"  # Finnish
    "çğıiöşüâîû"  # Turkish (with the dotted and dotless i)
    "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"  # Vietnamese
    "ßøłæœ"
)
LETTERS = ALPHABETS + ALPHABETS.upper() + "İ"
names = st.text(st.sampled_from(LETTERS + " -'"), min_size=1, max_size=40).filter(str.strip)
MARKS = [chr(c) for c in range(0x0300, 0x0370)] + ["\u1ab0", "\u20d0", "\ufe20"]


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("ngoc tram", "Ngọc Trâm"),
        ("NGOC TRAM", "Ngọc Trâm"),
        ("yilmaz", "Yılmaz"),
        ("YILMAZ", "Ayşe Yılmaz"),
        ("ipek", "İpek Şahin"),
        ("isik", "IŞIK"),
        ("dang van", "Đặng Văn Lâm"),
        ("makinen", "Mäkinen"),
        ("jonsson", "Jönsson"),
        ("pena", "Peña"),
        ("nino", "Santo Niño"),
        ("strauss", "Strauß"),
        ("soren", "Søren"),
        ("lukasz", "Łukasz"),
        ("ngọc trâm", "NGỌC TRÂM"),
    ],
)
def test_what_a_keyboard_types_finds_the_name(typed: str, name: str) -> None:
    assert search_key(typed) in search_key(name)


def test_decomposed_and_composed_names_have_one_key() -> None:
    composed = "Nguyễn Ngọc Trâm"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert search_key(decomposed) == search_key(composed) == "nguyen ngoc tram"


def test_different_letters_stay_different() -> None:
    assert search_key("Ana") != search_key("Ara")
    assert search_key("Lan") != search_key("Lam")


@given(names)
def test_the_key_has_no_case_and_no_marks(name: str) -> None:
    key = search_key(name)
    assert key == key.casefold()
    assert not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", key))
    assert key.isascii()  # every letter of the five languages folds to a plain one


@given(names)
def test_the_key_is_stable(name: str) -> None:
    assert search_key(search_key(name)) == search_key(name)


@given(st.text(min_size=1, max_size=30))
def test_the_key_is_stable_for_any_text(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key
    assert unicodedata.is_normalized("NFC", key)


@given(names)
def test_case_does_not_matter(name: str) -> None:
    assert search_key(name.upper()) == search_key(name) == search_key(name.lower())


@given(names, st.lists(st.tuples(st.integers(0, 40), st.sampled_from(MARKS)), max_size=5))
def test_marks_do_not_matter(name: str, marks: list[tuple[int, str]]) -> None:
    """Accents added anywhere after a letter (as a phone keyboard or a paste might) change
    nothing: the name is found with or without them."""
    marked = name
    for at, mark in sorted(marks, reverse=True):
        at = min(at, len(marked))
        if at and marked[at - 1].isalpha():
            marked = marked[:at] + mark + marked[at:]
    assert search_key(marked) == search_key(name)


@given(names, st.integers(0, 40), st.integers(0, 40))
def test_a_piece_of_a_name_finds_it(name: str, start: int, length: int) -> None:
    piece = name[start : start + length]
    if piece.strip():
        assert search_key(piece).strip() in search_key(name)


@given(names)
def test_the_key_of_a_stored_name_is_the_key_of_what_was_typed(name: str) -> None:
    """The store keys the normal form; a search keys what was typed: they agree."""
    assert search_key(normal_name(name)) == search_key(name)
    assert search_key(lookup_key(name)) == search_key(name)
