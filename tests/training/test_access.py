"""Supervisor access: one wait after wrong passphrases, shared by every window."""

from __future__ import annotations

from pathlib import Path

from game.records.passphrase import set_passphrase, set_pin
from game.records.store import open_store
from game.training import (
    LocalThrottle,
    check_supervisor,
    needs_pin,
    own_login,
    shows_private,
    supervisor_failures,
    supervisor_wait_left,
    wait_after,
)

PHRASE = "correct horse battery"


def test_two_windows_share_one_wait(tmp_path: Path) -> None:
    """A wrong try in one window makes the other wait too: neither resets the other."""
    url = f"sqlite:///{tmp_path / 'records.db'}"
    first, second = open_store(url), open_store(url)
    try:
        set_passphrase(first, PHRASE)
        clock = [1000.0]

        def now() -> float:
            return clock[0]

        wrong = check_supervisor(first, "nope", now)
        assert not wrong.ok and wrong.failures == 1 and wrong.wait == wait_after(1)
        assert supervisor_failures(second) == 1
        assert supervisor_wait_left(second, now) == wait_after(1)
        refused = check_supervisor(second, PHRASE, now)  # the right one, too early
        assert not refused.ok and not refused.checked
        clock[0] += wait_after(1)
        again = check_supervisor(second, "still wrong", now)
        assert again.failures == 2 and supervisor_wait_left(first, now) == wait_after(2)
        clock[0] += wait_after(2)
        assert check_supervisor(first, PHRASE, now).ok
        assert supervisor_failures(second) == 0 and supervisor_wait_left(second, now) == 0
    finally:
        first.close()
        second.close()


def test_the_local_throttle_follows_the_shared_schedule() -> None:
    throttle = LocalThrottle()
    assert throttle.wait_left("ana", 0.0) == 0.0
    assert throttle.count_failure("ana", 10.0) == wait_after(1)
    assert throttle.wait_left("ana", 10.0) == wait_after(1)
    assert throttle.wait_left("ben", 10.0) == 0.0  # one login's tries never slow another
    assert throttle.count_failure("ana", 11.0) == wait_after(2)
    assert throttle.wait_left("ana", 11.0 + wait_after(2)) == 0.0
    throttle.clear("ana")
    assert throttle.wait_left("ana", 11.0) == 0.0
    assert throttle.count_failure("ana", 12.0) == wait_after(1)  # counting starts again


def test_a_trainee_with_a_pin_is_private_until_signed_in(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'records.db'}")
    try:
        ana, ben = store.add_trainee("Ana"), store.add_trainee("Ben")
        set_pin(store, ana.id, "2468")
        assert needs_pin(store, ana.id) and not needs_pin(store, ben.id)
        assert own_login(store, ana.id) is None  # SQLite: no database logins
        assert not shows_private(store, None, ana)  # nobody signed in: her notes stay hidden
        assert not shows_private(store, ben, ana)  # nor to another trainee
        assert shows_private(store, ana, ana)  # she signed in
        assert shows_private(store, None, ben)  # no PIN: nothing to protect
        assert not needs_pin(None, ana.id) and shows_private(None, None, ana)  # no records
    finally:
        store.close()
