"""What the supervisor's desk scenes share: the session, text areas, the rebuilt conversation.

The desk is reached only through the passphrase gate (`supervisor_gate`), which creates the
`Desk` the other desk scenes are handed; a trainee's own scenes never see one, so nothing a
trainee can reach lists another trainee's records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pygame

from game.engine.catalog import Catalog
from game.engine.session import Speaker
from game.i18n import formats
from game.i18n.translator import ENGLISH, N_, Translator
from game.records.api import NOTE_MAX, AttemptDetail, Store
from game.records.replayed import replay_recorded
from game.scenario.campaign import Campaign
from game.scenario.model import Scenario
from game.training import Titles, spoken_lines
from game.ui.draw import focus_ring, panel
from game.ui.intents import Act, Intent
from game.ui.theme import Theme
from game.ui.typography import Typography
from game.ui.widgets import PAD_X, PAD_Y

DEFAULT_AUTHOR = N_("Supervisor")


@dataclass
class Desk:
    """One visit to the desk: opened by the passphrase, closed by leaving it."""

    store: Store
    campaign: Campaign
    catalog: Catalog
    author: str = DEFAULT_AUTHOR  # who signs the coaching notes written in this visit
    tr: Translator = ENGLISH  # the supervisor's language (the desk follows their choice)
    titles: Titles = field(init=False)

    def __post_init__(self) -> None:
        self.titles = Titles(self.campaign, self.tr)

    def level_name(self, scenario_id: str) -> str:
        return self.titles.level_name(scenario_id)


def when(moment: datetime | None, lang: str = "en") -> str:
    """A moment as the desk's reader writes dates and times (Babel: "2.3.2026 9.30" in fi)."""
    return "—" if moment is None else formats.when(moment, lang)


# ---- fields -----------------------------------------------------------------------------------


class NoteField:
    """A multi-line text area with a visible character limit; Enter starts a new line."""

    def __init__(self, placeholder: str, max_length: int = NOTE_MAX) -> None:
        self.text = ""
        self.placeholder = placeholder
        self.max_length = max_length
        self.rect = pygame.Rect(0, 0, 0, 0)

    def handle(self, intent: Intent) -> bool:
        if intent.act is Act.TEXT:
            room = self.max_length - len(self.text)
            if room > 0:
                self.text += intent.text[:room]
            return True
        if intent.act is Act.CONFIRM:
            if len(self.text) < self.max_length:
                self.text += "\n"
            return True
        if intent.act is Act.ERASE:
            self.text = self.text[:-1]
            return True
        return intent.act in (Act.SKIP, Act.PICK)  # their characters arrive as TEXT

    @property
    def counter(self) -> str:
        return f"{len(self.text)} / {self.max_length}"

    def draw(
        self,
        surface: pygame.Surface,
        fonts: Typography,
        theme: Theme,
        focused: bool,
        clock: float,
    ) -> None:
        panel(surface, self.rect, theme, theme.panel_sunken, radius=10, shadow=False,
              border=theme.accent if focused else theme.border)  # fmt: skip
        inner = self.rect.inflate(-2 * PAD_X, -2 * PAD_Y)
        step = fonts.line_height("body")
        lines = list(fonts.wrap(self.text, "body", inner.width - 4)) if self.text else []
        visible = max(1, inner.height // step)
        shown = lines[-visible:]  # keep the end in view while typing
        clip = surface.get_clip()
        surface.set_clip(inner.clip(clip))
        if not self.text:
            surface.blit(fonts.render(self.placeholder, "body", theme.text_faint), inner.topleft)
            caret = (inner.x, inner.y)
        else:
            y = inner.y
            for line in shown:
                surface.blit(fonts.render(line, "body", theme.text), (inner.x, y))
                y += step
            last = shown[-1] if shown else ""
            caret = (inner.x + fonts.width(last, "body") + 1, y - step)
        if focused and int(clock * 2) % 2 == 0:
            pygame.draw.rect(surface, theme.accent, pygame.Rect(*caret, 2, step - 4))
        surface.set_clip(clip)
        if focused:
            focus_ring(surface, self.rect, theme, 10)


# ---- the conversation, rebuilt --------------------------------------------------------------


lines_of = spoken_lines


def conversation(
    scenario: Scenario, detail: AttemptDetail, catalog: Catalog, lang: str | None = None
) -> tuple[tuple[Speaker, str], ...]:
    """The recorded call's lines, from the one replay of a recorded attempt
    (`game.records.replayed.replay_recorded`), in `lang` (the supervisor's), else in the
    language it was played in."""
    return lines_of(replay_recorded(detail, scenario, catalog, lang))
