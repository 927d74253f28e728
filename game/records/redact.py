"""Secrets out of every message: database and LRS passwords, tokens, SQL and its parameters.

Whatever reaches a screen, a log or an exception message a trainee may read goes through
`redact` (passwords in URLs and connection strings, authorization headers) and, for
database errors, `public_message` (what went wrong in words, without the statement or the
values it carried: a parameter can be a trainee's note or a passphrase hash).
"""

from __future__ import annotations

import re

HIDDEN = "***"

# scheme://user:password@host — the password is everything up to the last @ before the host
_URL_PASSWORD = re.compile(
    r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@'\"]*:)[^\s'\"]*(?=@[^\s@'\"/]*(?:[/\s'\"?]|$))"
)
# scheme://token@host (a bare user part that may be a key) is left: it names, it does not open
_KEY_VALUE = re.compile(
    r"(?P<head>\b(?:password|passwd|pwd|pass|secret|token|api[_-]?key|access[_-]?token)"
    r"\s*[=:]\s*)(?P<quote>['\"]?)[^\s'\",;&]+(?P=quote)",
    re.IGNORECASE,
)
_AUTH_HEADER = re.compile(r"(?P<head>\b(?:Basic|Bearer|Digest)\s+)[A-Za-z0-9+/=._~\-]{6,}")
# SQLAlchemy appends the statement and its parameters to a driver's message
_SQL_TAIL = re.compile(r"\s*\[(?:SQL|parameters|generated in)[:\s].*", re.DOTALL)
_BACKGROUND = re.compile(r"\s*\(Background on this error at:[^)]*\)", re.DOTALL)


def redact(text: str, *secrets: str | None) -> str:
    """`text` with every password, key or token replaced by ***, and any `secrets` given
    (a password exactly as typed) wherever they appear."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    text = _URL_PASSWORD.sub(lambda m: m.group("head") + HIDDEN, text)
    text = _KEY_VALUE.sub(lambda m: m.group("head") + HIDDEN, text)
    return _AUTH_HEADER.sub(lambda m: m.group("head") + HIDDEN, text)


def redact_url(url: str) -> str:
    """A database or LRS URL fit to show: the password (if any) is ***."""
    return redact(url)


def public_message(error: BaseException) -> str:
    """One line a trainee may see: the kind of problem and the driver's words, no SQL.

    For SQLAlchemy errors the driver's own message is used (without the statement, the
    parameters or the link SQLAlchemy adds); everything is redacted.
    """
    original = getattr(error, "orig", None)
    source = original if isinstance(original, BaseException) else error
    message = _BACKGROUND.sub("", _SQL_TAIL.sub("", str(source)))
    first = next((line.strip() for line in message.splitlines() if line.strip()), "")
    kind = type(source).__name__
    return redact(f"{kind}: {first}" if first else kind)
