"""The campaign's names for levels, as every read side shows them.

A record names its level by key (the scenario id); the screens that list records (the
history, the desk, the title screen's notes) show the campaign's title instead, and the
key itself when the level has left the campaign.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from game.i18n.translator import ENGLISH, Translator
from game.scenario.campaign import Campaign, Level


@dataclass(frozen=True, slots=True)
class Titles:
    """Level titles by key, in campaign order."""

    campaign: Campaign | None
    tr: Translator = ENGLISH  # the reader's language: the level's own title in it, if it has one

    def _title(self, level: Level) -> str:
        return level.title if level.scenario is None else level.scenario.title.get(self.tr.lang)

    def title(self, key: str) -> str:
        """ "Refund refused", or the key for a level the campaign no longer has."""
        level = None if self.campaign is None else self.campaign.level(key)
        return key if level is None else self._title(level)

    def numbered(self, key: str) -> str:
        """ "3. Refund refused" (a list heading)."""
        level = None if self.campaign is None else self.campaign.level(key)
        return key if level is None else f"{level.number}. {self._title(level)}"

    def level_name(self, key: str) -> str:
        """ "Level 3 · Refund refused" (a line about one attempt)."""
        level = None if self.campaign is None else self.campaign.level(key)
        if level is None:
            return key
        return self.tr._("Level {number} · {title}", number=level.number, title=self._title(level))

    def order(self, keys: Iterable[str]) -> tuple[str, ...]:
        """Campaign order first, then any key the campaign does not know, alphabetically."""
        wanted = set(keys)
        known = (
            [lvl.key for lvl in self.campaign.levels if lvl.key in wanted]
            if self.campaign is not None
            else []
        )
        return (*known, *sorted(wanted - set(known)))
