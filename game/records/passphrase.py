"""The supervisor passphrase: a salted scrypt hash in the store's settings, never the phrase.

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
import unicodedata
from dataclasses import dataclass

from game.records.api import Store

SETTING_KEY = "supervisor_passphrase"
MIN_LENGTH = 6
SALT_BYTES = 16


class WrongPassphrase(ValueError):
    """The passphrase given does not match the stored one."""


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


def set_passphrase(store: Store, new: str, *, old: str | None = None) -> None:
    """Set the passphrase on first use; changing it needs the current one."""
    if len(new.strip()) < MIN_LENGTH:
        raise ValueError(f"the passphrase needs at least {MIN_LENGTH} characters")
    stored = store.get_setting(SETTING_KEY)
    if stored is not None and (old is None or not check_passphrase(stored, old)):
        raise WrongPassphrase("the current passphrase is needed to change it, and it is wrong")
    store.set_setting(SETTING_KEY, hash_passphrase(new))


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
