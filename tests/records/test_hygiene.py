"""Input the store must refuse or fold: unbounded notes, and names that impersonate others."""

from __future__ import annotations

import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.records.api import DuplicateTrainee
from game.records.names import lookalike_key, lookup_key, normal_name
from game.records.store import NOTE_MAX, SqlStore
from tests.records.play import good_choices, play


def test_a_megabyte_note_is_refused_at_once_in_words(store: SqlStore) -> None:
    ana = store.add_trainee("Ana")
    attempt = play(store, ana.id, good_choices()).attempt_id
    started = time.perf_counter()
    with pytest.raises(ValueError, match=r"1,000,000 characters long.*at most 10,000"):
        store.add_note(attempt, "Sam", "x" * 1_000_000)
    assert time.perf_counter() - started < 1.0  # refused before any work, not after
    assert store.notes_for_trainee(ana.id) == ()
    kept = store.add_note(attempt, "Sam", "y" * NOTE_MAX)  # the limit itself is fine
    assert len(kept.text) == NOTE_MAX


@pytest.mark.parametrize(
    "impostor",
    [
        "An\u200ba Cruz",  # zero-width space
        "Ana\u2060 Cruz",  # word joiner
        "\ufeffAna Cruz",  # byte-order mark
        "Ana\u200d Cruz",  # zero-width joiner
        "\u0410na Cruz",  # Cyrillic capital A
        "An\u0430 Cruz",  # Cyrillic small a
        "\u0391na Cruz",  # Greek capital Alpha
        "Ana\u00a0Cruz",  # no-break space
        "\uff21na Cruz",  # fullwidth A (NFKC folds it)
        "Ana Cru\u200ez",  # left-to-right mark
    ],
)
def test_look_alike_names_are_refused(store: SqlStore, impostor: str) -> None:
    store.add_trainee("Ana Cruz")
    with pytest.raises(DuplicateTrainee, match="look the same"):
        store.add_trainee(impostor)
    assert [t.name for t in store.trainees()] == ["Ana Cruz"]


def test_invisible_characters_never_reach_the_database(store: SqlStore) -> None:
    added = store.add_trainee("\u200bMai\u200c Nguy\u1ec5n\u2066")
    assert added.name == "Mai Nguyễn"
    assert [t.name for t in store.trainees()] == ["Mai Nguyễn"]
    assert store.find_trainee("mai\u200b nguyễn") == added


def test_accents_still_tell_names_apart(store: SqlStore) -> None:
    store.add_trainee("Nguyễn Lan")
    store.add_trainee("Nguyen Lan")  # a different person, and it looks different
    store.add_trainee("Aino Mäki")
    store.add_trainee("Aino Maki")
    assert len(store.trainees()) == 4


def test_decomposed_and_composed_accents_are_one_name(store: SqlStore) -> None:
    store.add_trainee("Zo\u00eb")
    with pytest.raises(DuplicateTrainee):
        store.add_trainee("Zoe\u0308")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_normal_names_are_stable_and_visible(raw: str) -> None:
    try:
        name = normal_name(raw)
    except ValueError:
        return
    assert normal_name(name) == name  # idempotent
    assert name == name.strip() and "  " not in name
    assert not any(unicodedata.category(ch) in ("Cf", "Cc") for ch in name)
    assert lookup_key(name) == lookup_key(raw)
    assert lookalike_key(name) == lookalike_key(name.upper())
