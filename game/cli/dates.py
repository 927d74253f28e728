"""Reading `--since` and `--until` (a date, or a full ISO time)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from game.cli.errors import UsageError


def parse_since(text: str | None, *, option: str = "--since") -> datetime | None:
    """`--since YYYY-MM-DD` (or a full ISO time): midnight UTC of that day (also `--until`)."""
    if not text:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} must be a date like 2026-11-01, not {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
