"""The campaign's names for levels, as every read side shows them.

A record names its level by key (the scenario id); the screens that list records (the
history, the desk, the title screen's notes) show the campaign's title instead, and the
key itself when the level has left the campaign.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from game.scenario.campaign import Campaign


@dataclass(frozen=True, slots=True)
class Titles:
    """Level titles by key, in campaign order."""

    campaign: Campaign | None

    def title(self, key: str) -> str:
        """ "Refund refused", or the key for a level the campaign no longer has."""
        level = None if self.campaign is None else self.campaign.level(key)
        return key if level is None else level.title

    def numbered(self, key: str) -> str:
        """ "3. Refund refused" (a list heading)."""
        level = None if self.campaign is None else self.campaign.level(key)
        return key if level is None else f"{level.number}. {level.title}"

    def level_name(self, key: str) -> str:
        """ "Level 3 · Refund refused" (a line about one attempt)."""
        level = None if self.campaign is None else self.campaign.level(key)
        return key if level is None else f"Level {level.number} · {level.title}"

    def order(self, keys: Iterable[str]) -> tuple[str, ...]:
        """Campaign order first, then any key the campaign does not know, alphabetically."""
        wanted = set(keys)
        known = (
            [lvl.key for lvl in self.campaign.levels if lvl.key in wanted]
            if self.campaign is not None
            else []
        )
        return (*known, *sorted(wanted - set(known)))
