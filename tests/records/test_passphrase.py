"""The supervisor passphrase: stored as a salted scrypt hash, never as itself."""

from __future__ import annotations

import base64

import pytest

from game.records.passphrase import (
    DEFAULT_PARAMS,
    SETTING_KEY,
    ScryptParams,
    WrongPassphrase,
    check_passphrase,
    has_passphrase,
    hash_passphrase,
    needs_rehash,
    set_passphrase,
    verify_passphrase,
)
from game.records.store import SqlStore, open_store

PHRASE = "Calm seas, kind words"


def test_set_on_first_use_and_verified(store: SqlStore) -> None:
    assert not has_passphrase(store)
    assert not verify_passphrase(store, PHRASE)  # nothing set: nothing opens
    set_passphrase(store, PHRASE)
    assert has_passphrase(store)
    assert verify_passphrase(store, PHRASE)
    assert not verify_passphrase(store, PHRASE.lower())
    assert not verify_passphrase(store, "")


def test_the_stored_value_is_not_the_passphrase(store: SqlStore) -> None:
    set_passphrase(store, PHRASE)
    stored = store.get_setting(SETTING_KEY)
    assert stored is not None
    assert PHRASE not in stored
    assert PHRASE.encode().hex() not in stored
    assert base64.b64encode(PHRASE.encode()).decode().rstrip("=") not in stored
    algorithm, params, salt, digest = stored.split("$")
    assert algorithm == "scrypt"
    assert ScryptParams.decode(params) == DEFAULT_PARAMS  # the cost is kept with the hash
    assert len(base64.b64decode(salt + "==")) == 16
    assert len(base64.b64decode(digest + "==")) == DEFAULT_PARAMS.length


def test_two_installs_hash_the_same_passphrase_differently(
    store_url: str, tmp_path: object
) -> None:
    with open_store(store_url) as one:
        set_passphrase(one, PHRASE)
        first = one.get_setting(SETTING_KEY)
    other_url = f"sqlite:///{tmp_path}/other-install.db"
    with open_store(other_url) as two:
        set_passphrase(two, PHRASE)
        second = two.get_setting(SETTING_KEY)
        assert verify_passphrase(two, PHRASE)
    assert first is not None
    assert second is not None
    assert first != second
    assert first.split("$")[2] != second.split("$")[2]  # different salts


def test_changing_needs_the_old_passphrase(store: SqlStore) -> None:
    set_passphrase(store, PHRASE)
    with pytest.raises(WrongPassphrase):
        set_passphrase(store, "a new phrase")
    with pytest.raises(WrongPassphrase):
        set_passphrase(store, "a new phrase", old="not it at all")
    assert verify_passphrase(store, PHRASE)
    set_passphrase(store, "a new phrase", old=PHRASE)
    assert verify_passphrase(store, "a new phrase")
    assert not verify_passphrase(store, PHRASE)


def test_short_passphrases_are_refused(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="at least"):
        set_passphrase(store, "  abc  ")
    assert not has_passphrase(store)


def test_the_same_phrase_typed_differently_still_matches() -> None:
    composed = hash_passphrase("café au lait", ScryptParams(log_n=10))
    assert check_passphrase(composed, "cafe\u0301 au lait")  # e + combining accent


def test_weaker_stored_parameters_are_upgraded_on_success(store: SqlStore) -> None:
    weak = hash_passphrase(PHRASE, ScryptParams(log_n=10, r=8, p=1))
    store.set_setting(SETTING_KEY, weak)
    assert needs_rehash(weak)
    assert not verify_passphrase(store, "wrong one")
    assert store.get_setting(SETTING_KEY) == weak  # a failed try changes nothing
    assert verify_passphrase(store, PHRASE)
    upgraded = store.get_setting(SETTING_KEY)
    assert upgraded is not None
    assert upgraded != weak
    assert not needs_rehash(upgraded)
    assert verify_passphrase(store, PHRASE)


def test_an_unreadable_stored_value_is_an_error_not_a_match() -> None:
    with pytest.raises(ValueError, match="unreadable"):
        check_passphrase("plain-text-password", "plain-text-password")
    with pytest.raises(ValueError, match="unreadable"):
        check_passphrase("md5$x$y$z", "x")
