"""Supervisor access: the passphrase check and its wait after wrong tries.

The count of wrong tries and the time of the last one are kept in the store with one atomic
statement (`game.records.passphrase`), so every window and every process shares one wait; a
window keeping its own count would let two windows reset each other. Hosts ask here and
show the answer; none keeps a count of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

from game.records import passphrase
from game.records.api import Store, Trainee
from game.records.passphrase import TryResult, wait_after

__all__ = [
    "LocalThrottle",
    "TryResult",
    "check_supervisor",
    "needs_pin",
    "own_login",
    "shows_private",
    "supervisor_failures",
    "supervisor_wait_left",
    "wait_after",
]


def check_supervisor(
    store: Store, candidate: str, now: Callable[[], float] = time.time
) -> TryResult:
    """One try at the passphrase: refused unchecked while an earlier wrong try's wait runs."""
    return passphrase.check_supervisor(store, candidate, now)


def supervisor_failures(store: Store) -> int:
    """Wrong tries in a row so far, as every window sees them."""
    return passphrase.failures(store)


def supervisor_wait_left(store: Store, now: Callable[[], float] = time.time) -> float:
    """Seconds before the next try is checked (0: now), shared by every window."""
    return passphrase.wait_left(store, now)


class LocalThrottle:
    """Wrong tries counted in this process, for a door that has no store to count them in yet
    (the database login: before it succeeds there is no connection). The same schedule as
    the shared counts (`wait_after`); keyed by what was tried (the room, the login name)."""

    def __init__(self) -> None:
        self._failures: dict[Hashable, tuple[int, float]] = {}

    def wait_left(self, key: Hashable, now: float) -> float:
        count, at = self._failures.get(key, (0, 0.0))
        if count == 0:
            return 0.0
        return max(0.0, wait_after(count) - (now - at))

    def count_failure(self, key: Hashable, now: float) -> float:
        """Count a wrong try; the wait it starts, in seconds."""
        count = self._failures.get(key, (0, 0.0))[0] + 1
        self._failures[key] = (count, now)
        return wait_after(count)

    def clear(self, key: Hashable) -> None:
        self._failures.pop(key, None)


# ---- who must sign in before their own things are shown ----------------------------------------


def needs_pin(store: Store | None, trainee_id: int) -> bool:
    """The trainee set a PIN: nobody plays, or reads their notes, as them without it."""
    return store is not None and passphrase.has_pin(store, trainee_id)


def own_login(store: Store | None, trainee_id: int) -> str | None:
    """The trainee's own database login when the game is connected as someone else (a shared
    PostgreSQL connection): they must sign in as it. None on SQLite or when already them."""
    from game.records import room
    from game.records.store import SqlStore

    if not isinstance(store, SqlStore) or not room.is_postgresql(store):
        return None
    login = store.trainee_login(trainee_id)
    if not login or login == room.session_login(store):
        return None
    return login


def shows_private(store: Store | None, signed_in: Trainee | None, trainee: Trainee) -> bool:
    """May this trainee's own things (unread notes) be shown before anyone signs in?"""
    if signed_in is not None and signed_in.id == trainee.id:
        return True
    return not needs_pin(store, trainee.id) and own_login(store, trainee.id) is None
