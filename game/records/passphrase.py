"""The supervisor passphrase and trainee PINs: salted scrypt hashes, never the secrets.

The passphrase is set by whoever installs the game (`hold-the-line supervisor
set-passphrase`), never by the first person to open the desk. Wrong guesses are counted in
the store with one atomic statement, so every window and process shares one count and one
wait (`check_supervisor`); a window keeping its own count would let two windows reset each
other. The same holds for a trainee's PIN (`check_pin`), counted on the trainee's row.

The stored value carries its own parameters (`scrypt$ln=15,r=8,p=1$salt$hash`), so the cost
can be raised later: a successful check against weaker parameters re-hashes on the spot.
Each hash gets a fresh random salt, so two installs with the same passphrase store different
values. Comparison is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from game.records.api import Store

SETTING_KEY = "supervisor_passphrase"
FAILURES_KEY = "supervisor_passphrase_failures"
FAILED_AT_KEY = "supervisor_passphrase_failed_at"
MIN_LENGTH = 6
PIN_MIN = 4
PIN_MAX = 64
SALT_BYTES = 16
MAX_WAIT = 60.0


class WrongPassphrase(ValueError):
    """The passphrase given does not match the stored one."""


class ProfileClosed(ValueError):
    """The trainee left: their records stay, nobody signs in as them."""


class NoPassphrase(LookupError):
    """No supervisor passphrase is set: the installer sets it with a command."""


@dataclass(frozen=True, slots=True)
class TryResult:
    """The answer to one try: right or not, and how long before another try is taken."""

    ok: bool
    failures: int  # wrong tries in a row, counting this one
    wait: float  # seconds before the next try is even checked (0: now)
    checked: bool = True  # False: refused unchecked, an earlier wrong try's wait still runs


def wait_after(failures: int) -> float:
    """Seconds before the next try after this many wrong ones in a row (1, 2, 4 … 60)."""
    if failures <= 0:
        return 0.0
    return min(MAX_WAIT, 2.0 ** (failures - 1))


@dataclass(frozen=True, slots=True)
class ScryptParams:
    log_n: int = 15  # N = 2**15: 32 MiB with r=8, about 0.1 s on a laptop
    r: int = 8
    p: int = 1
    length: int = 32

    def encode(self) -> str:
        return f"ln={self.log_n},r={self.r},p={self.p}"

    @staticmethod
    def decode(text: str) -> ScryptParams:
        fields = dict(part.split("=", 1) for part in text.split(","))
        return ScryptParams(int(fields["ln"]), int(fields["r"]), int(fields["p"]))


DEFAULT_PARAMS = ScryptParams()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _derive(passphrase: str, salt: bytes, params: ScryptParams, length: int) -> bytes:
    # NFKC: the same phrase typed through different keyboards or input methods matches.
    secret = unicodedata.normalize("NFKC", passphrase).encode("utf-8")
    n = 2**params.log_n
    return hashlib.scrypt(
        secret,
        salt=salt,
        n=n,
        r=params.r,
        p=params.p,
        dklen=length,
        maxmem=256 * n * params.r * params.p + 1024 * 1024,
    )


def hash_passphrase(passphrase: str, params: ScryptParams = DEFAULT_PARAMS) -> str:
    """The storable form: algorithm, parameters, salt and hash, `$`-separated."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _derive(passphrase, salt, params, params.length)
    return f"scrypt${params.encode()}${_b64(salt)}${_b64(digest)}"


def _parse(stored: str) -> tuple[ScryptParams, bytes, bytes]:
    try:
        algorithm, params, salt, digest = stored.split("$")
        if algorithm != "scrypt":
            raise ValueError(f"unknown algorithm {algorithm!r}")
        return ScryptParams.decode(params), _unb64(salt), _unb64(digest)
    except (ValueError, KeyError) as error:
        raise ValueError(f"the stored supervisor passphrase is unreadable: {error}") from error


def check_passphrase(stored: str, candidate: str) -> bool:
    """Does `candidate` match the stored hash? (constant-time comparison)"""
    params, salt, digest = _parse(stored)
    return hmac.compare_digest(_derive(candidate, salt, params, len(digest)), digest)


def needs_rehash(stored: str, params: ScryptParams = DEFAULT_PARAMS) -> bool:
    found, _, digest = _parse(stored)
    return (
        found.log_n < params.log_n
        or found.r < params.r
        or found.p < params.p
        or len(digest) < params.length
    )


def has_passphrase(store: Store) -> bool:
    return store.get_setting(SETTING_KEY) is not None


def set_passphrase(
    store: Store, new: str, *, old: str | None = None, replace: bool = False
) -> None:
    """Set the passphrase; changing it needs the current one unless `replace` (the
    installer's command, run by whoever may write the database anyway)."""
    if len(new.strip()) < MIN_LENGTH:
        raise ValueError(f"the passphrase needs at least {MIN_LENGTH} characters")
    stored = store.get_setting(SETTING_KEY)
    if stored is not None and not replace and (old is None or not check_passphrase(stored, old)):
        raise WrongPassphrase("the current passphrase is needed to change it, and it is wrong")
    store.set_setting(SETTING_KEY, hash_passphrase(new))
    store.set_setting(FAILURES_KEY, "0")


def failures(store: Store) -> int:
    """Wrong supervisor passphrases in a row, as the store counts them."""
    raw = store.get_setting(FAILURES_KEY)
    try:
        return max(0, int(raw or 0))
    except ValueError:
        return 0


def wait_left(store: Store, now: Callable[[], float] = time.time) -> float:
    """Seconds before the desk takes another passphrase (shared by every window)."""
    count = failures(store)
    try:
        failed_at = float(store.get_setting(FAILED_AT_KEY) or 0)
    except ValueError:
        failed_at = 0.0
    return max(0.0, min(wait_after(count), failed_at + wait_after(count) - now()))


def check_supervisor(
    store: Store, candidate: str, now: Callable[[], float] = time.time
) -> TryResult:
    """One try at the desk's passphrase, throttled through the store.

    While the wait after earlier wrong tries runs, the candidate is not even checked.
    Raises NoPassphrase if none is set.
    """
    stored = store.get_setting(SETTING_KEY)
    if stored is None:
        raise NoPassphrase("no supervisor passphrase is set")
    left = wait_left(store, now)
    if left > 0:
        return TryResult(False, failures(store), left, checked=False)
    if verify_passphrase(store, candidate):
        if failures(store):
            store.set_setting(FAILURES_KEY, "0")
        return TryResult(True, 0, 0.0)
    count = store.increment_setting(FAILURES_KEY)
    store.set_setting(FAILED_AT_KEY, repr(now()))
    return TryResult(False, count, wait_after(count))


# ---- trainee PINs ------------------------------------------------------------------------------


def check_pin_format(pin: str) -> str:
    """A PIN or password as typed: at least PIN_MIN characters, at most PIN_MAX."""
    clean = pin.strip()
    if len(clean) < PIN_MIN:
        raise ValueError(f"a PIN needs at least {PIN_MIN} characters")
    if len(clean) > PIN_MAX:
        raise ValueError(f"a PIN can have at most {PIN_MAX} characters")
    return clean


def set_pin(store: Store, trainee_id: int, pin: str | None) -> None:
    """Give a trainee a PIN (None removes it); clears the count of wrong tries."""
    store.set_trainee_pin(
        trainee_id, None if pin is None else hash_passphrase(check_pin_format(pin))
    )


def has_pin(store: Store, trainee_id: int) -> bool:
    return store.trainee_pin(trainee_id)[0] is not None


def pin_wait_left(store: Store, trainee_id: int, now: Callable[[], float] = time.time) -> float:
    """Seconds before this trainee's PIN is checked again (shared by every window)."""
    _, count, failed_at = store.trainee_pin(trainee_id)
    return _left(count, failed_at.timestamp() if failed_at else 0.0, now())


def _left(count: int, failed_at: float, now: float) -> float:
    return max(0.0, min(wait_after(count), failed_at + wait_after(count) - now))


def check_pin(
    store: Store, trainee_id: int, candidate: str, now: Callable[[], float] = time.time
) -> TryResult:
    """One sign-in try; wrong tries are counted on the trainee's row, with the time of the
    last, and while the wait after them runs a try is not even checked.

    A trainee without a PIN is always let in (the room has not given them one)."""
    stored, count, failed_at = store.trainee_pin(trainee_id)
    if stored is None:
        return TryResult(True, 0, 0.0)
    left = _left(count, failed_at.timestamp() if failed_at else 0.0, now())
    if left > 0:
        return TryResult(False, count, left, checked=False)
    if stored.startswith("!"):  # closed by the administrator (room remove): nothing matches
        raise ProfileClosed("this profile was closed by the training room's administrator")
    if check_passphrase(stored, candidate.strip()):
        if count:
            store.clear_pin_failures(trainee_id)
        return TryResult(True, 0, 0.0)
    count = store.count_pin_failure(trainee_id, datetime.fromtimestamp(now(), UTC))
    return TryResult(False, count, wait_after(count))


def verify_passphrase(store: Store, candidate: str) -> bool:
    """True if it matches; False if it does not or none is set. Upgrades weak hashes."""
    stored = store.get_setting(SETTING_KEY)
    if stored is None:
        return False
    if not check_passphrase(stored, candidate):
        return False
    if needs_rehash(stored):
        store.set_setting(SETTING_KEY, hash_passphrase(candidate))
    return True
