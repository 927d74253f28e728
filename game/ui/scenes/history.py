"""The trainee's own history: every attempt per level, with score, grade and date.

A finished attempt opens its debrief again, rebuilt from the records, with the coaching
notes written on it; "Coaching notes" at the top opens every note, read or not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.i18n import formats
from game.i18n.translator import ENGLISH, Translator
from game.records.api import AttemptStatus
from game.training import AttemptReview, Titles, review_attempt
from game.ui import chrome
from game.ui.draw import panel
from game.ui.intents import Act, Intent
from game.ui.navigator import Route
from game.ui.scene import Scene
from game.ui.widgets import Button, Menu, ScrollView

PROGRESS_W = 400  # the progress card beside the list
MAX_BARS = 40  # the most recent scored calls in its chart
NOTES = "notes"

if TYPE_CHECKING:
    from game.records.api import Attempt
    from game.ui.window import App


def attempt_label(attempt: Attempt, tr: Translator = ENGLISH) -> tuple[str, str]:
    """(label, detail) for one attempt row."""
    when = formats.when(attempt.started_at, tr.lang)
    turns = attempt.turn_count
    if attempt.status is AttemptStatus.COMPLETED:
        verdict = tr._("Passed") if attempt.passed else tr._("Not passed")
        label = tr._("{score} · grade {grade} · {verdict}", score=attempt.score,
                     grade=attempt.grade, verdict=verdict)  # fmt: skip
        detail = tr._n("{when} · {n} turn · open the debrief",
                       "{when} · {n} turns · open the debrief", turns, when=when)  # fmt: skip
    elif attempt.status is AttemptStatus.ABANDONED:
        label = tr._("Left before the end")
        detail = tr._n("{when} · {n} turn · not scored", "{when} · {n} turns · not scored",
                       turns, when=when)  # fmt: skip
    else:
        label = tr._("In progress")
        detail = when
    if attempt.exam:
        label += " · exam"
    return label, detail


class HistoryScene(Scene):
    name = "history"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        world = app.world()
        assert world.store is not None and world.campaign is not None and app.trainee is not None
        self.store = world.store
        self.campaign = world.campaign
        self.trainee = app.trainee
        self.view = ScrollView()
        self.menu = Menu()
        self.attempts: tuple[Attempt, ...] = ()
        self.note_count: dict[int, int] = {}  # attempt id → coaching notes on it
        self.unread = 0
        self._content: pygame.Surface | None = None
        self._progress: pygame.Surface | None = None
        self._card = pygame.Rect(0, 0, 0, 0)

    def load(self) -> None:
        self.attempts = self.store.attempts(trainee_id=self.trainee.id)
        notes = self.store.notes_for_trainee(self.trainee.id)
        self.note_count = {}
        for note in notes:
            self.note_count[note.attempt_id] = self.note_count.get(note.attempt_id, 0) + 1
        self.unread = sum(1 for n in notes if n.read_at is None)

    def resume(self) -> None:
        self.load()
        self.layout()

    def enter(self) -> None:
        self.load()
        self.sync()  # laid out once, here or by App.push after enter
        if self.menu.ring.keys:
            self.menu.focus(self.menu.ring.keys[0])

    def groups(self) -> list[tuple[str, list[Attempt]]]:
        """Attempts per level in campaign order, newest first within a level."""
        titles = Titles(self.campaign, self.app.tr)
        by_level: dict[str, list[Attempt]] = {}
        for attempt in self.attempts:
            by_level.setdefault(attempt.scenario_id, []).append(attempt)
        return [
            (titles.numbered(k), sorted(by_level[k], key=lambda a: a.started_at, reverse=True))
            for k in titles.order(by_level)
        ]

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        width = 1280 - 2 * chrome.MARGIN
        self._header = chrome.header(
            app,
            self.app.tr._("History · {name}", name=self.trainee.name),
            self.app.tr._("Your calls so far"),
            width,
        )
        top = chrome.TOP + self._header.get_height() + 24
        self._hints = chrome.hints(
            app,
            [
                ("↑↓", self.app.tr._("Move")),
                ("Enter", self.app.tr._("Open the debrief")),
                ("Esc", self.app.tr._("Back")),
            ],
            width,
        )
        bottom = chrome.footer_y(app, self._hints) - 16
        card_w = PROGRESS_W if fonts.scale < 1.5 else 0  # large text: the list takes it all
        self._card = pygame.Rect(1280 - chrome.MARGIN - card_w, top, card_w, bottom - top)
        width -= card_w + (24 if card_w else 0)
        self.view.rect = pygame.Rect(chrome.MARGIN, top, width - 14, bottom - top)
        self._progress = self._paint_progress() if card_w else None
        self.view.line = fonts.line_height("body")
        heads: list[tuple[int, str]] = []
        buttons: list[Button] = []
        y = 0
        notes = sum(self.note_count.values())
        if notes:  # every note the supervisor wrote, for good
            new = self.app.tr._(" · {unread} new", unread=self.unread) if self.unread else ""
            button = Button(
                NOTES,
                self.app.tr._("Coaching notes ({notes}{new})", notes=notes, new=new),
                "secondary",
                detail=self.app.tr._("Everything your supervisor wrote about your calls"),
                view=self.view,
            )
            y = button.place(fonts, 6, y + 4, width - 40) + 22
            buttons.append(button)
        groups = self.groups()
        for title, attempts in groups:
            heads.append((y, title))
            y += fonts.block_height(title, "h3", width - 40) + 10
            for attempt in attempts:
                label, detail = attempt_label(attempt, self.app.tr)
                count = self.note_count.get(attempt.id, 0)
                if count:
                    detail += self.app.tr._n(
                        " · ✉ {n} coaching note", " · ✉ {n} coaching notes", count
                    )
                done = attempt.status is AttemptStatus.COMPLETED
                button = Button(
                    f"attempt:{attempt.id}",
                    label,
                    "choice" if done else "ghost",
                    detail=detail,
                    view=self.view,
                    enabled=done,
                )
                y = button.place(fonts, 6, y + 4, width - 40) + 6
                buttons.append(button)
            y += 22
        if not groups:
            heads.append(
                (
                    0,
                    self.app.tr._(
                        "No calls yet. Your attempts will appear here after your first call."
                    ),
                )
            )
            y = 60
        content = pygame.Surface((width - 14, max(1, y)), pygame.SRCALPHA)
        for hy, title in heads:
            fonts.draw_block(
                content,
                title,
                "h3" if groups else "body",
                theme.text if groups else theme.text_dim,
                6,
                hy,
                width - 40,
            )
        self._content = content
        self.view.set_content(y)
        self.menu.set_buttons(buttons)
        self.menu.render(fonts, theme)

    def _paint_progress(self) -> pygame.Surface:
        """The card beside the list: how many calls, how many levels passed, and every
        scored call as a bar against its pass mark, oldest first."""
        fonts, theme = self.app.fonts, self.app.theme
        card = self._card
        image = pygame.Surface(card.size, pygame.SRCALPHA)
        panel(image, pygame.Rect(0, 0, *card.size), theme, shadow=False)
        done = sorted(
            (
                a
                for a in self.attempts
                if a.status is AttemptStatus.COMPLETED and a.score is not None
            ),
            key=lambda a: a.started_at,
        )
        passed = {a.scenario_id for a in done if a.passed}
        levels = sum(1 for lvl in self.campaign.levels if lvl.playable)
        inner = card.width - 48
        y = 24
        y = (
            fonts.draw_block(
                image, self.app.tr._("YOUR PROGRESS"), "caption", theme.text_faint, 24, y, inner
            )
            + 8
        )
        lines = [
            (self.app.tr._("{n_passed} of {levels} levels passed", n_passed=len(passed), levels=levels), "h3", theme.text),
            (self.app.tr._n("{n} scored call", "{n} scored calls", len(done))
             + (self.app.tr._(" · best {max}", max=max(a.score or 0 for a in done)) if done else ""), "body", theme.text_dim),
        ]  # fmt: skip
        for text, style, color in lines:
            y = fonts.draw_block(image, text, style, color, 24, y, inner) + 4
        chart = pygame.Rect(24, y + 20, inner, max(40, card.height - y - 20 - 64))
        pygame.draw.rect(image, theme.panel_sunken, chart, border_radius=8)
        shown = done[-MAX_BARS:]
        if shown:
            step = chart.width / len(shown)
            bar_w = max(3, min(28, round(step * 0.6)))
            for i, attempt in enumerate(shown):
                x = round(chart.x + step * i + (step - bar_w) / 2)
                h = round((chart.height - 16) * (attempt.score or 0) / 100)
                tone = theme.good if attempt.passed else theme.warn
                bar = pygame.Rect(x, chart.bottom - 8 - h, bar_w, h)
                pygame.draw.rect(image, tone, bar, border_radius=3)
                mark_y = chart.bottom - 8 - round((chart.height - 16) * attempt.pass_score / 100)
                pygame.draw.line(image, theme.text, (x - 3, mark_y), (x + bar_w + 2, mark_y), 2)
        else:
            fonts.draw_block(image, self.app.tr._("Your scores will show here."), "small", theme.text_faint,
                             chart.x + 12, chart.y + 12, chart.width - 24)  # fmt: skip
        key = self.app.tr._(
            "Each bar is a call, oldest first; the line across it is the pass mark."
        )
        fonts.draw_block(image, key, "small", theme.text_faint, 24, chart.bottom + 10, inner)
        return image

    def handle(self, intent: Intent) -> None:
        if intent.act is Act.BACK:
            self.app.play("back")
            self.app.pop()
            return
        if self.view.handle(intent):
            return
        key = self.navigate(self.menu, intent)
        if key == NOTES:
            from game.ui.scenes.notes import NotesScene

            self.app.play("select")
            self.app.push(NotesScene(self.app))
        elif key is not None and key.startswith("attempt:"):
            self.open(int(key.split(":", 1)[1]))

    def open(self, attempt_id: int) -> None:
        """Read and replay the attempt off the frame (`App.later`), then show its debrief."""
        if self.app.busy:
            return
        catalog, campaign, store = self.app.world().catalog, self.campaign, self.store
        self.app.later(lambda: review_attempt(store, campaign, catalog, attempt_id), self._show)

    def _show(self, review: AttemptReview | None) -> None:
        if review is None:
            return
        if review.level is None:
            self.app.push(
                self.app.open(
                    Route.ERROR,
                    self.app.tr._("This level is not in the campaign any more"),
                    self.app.tr._(
                        "The call is still in your records, but its level can't be loaded to show the debrief."
                    ),
                    (review.detail.attempt.scenario_id,),
                )
            )
            return
        if review.report is None:
            return
        self.app.play("select")
        self.app.push(
            self.app.open(
                Route.DEBRIEF,
                review.level,
                review.report,
                review_of=review.detail.attempt.started_at,
                note=review.note,
                coaching=review.detail.notes,
                exam=review.detail.attempt.exam,
            )
        )

    def update(self, dt: float) -> None:
        self.view.update(dt, not self.app.motion)

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        surface.blit(self._header, (chrome.MARGIN, chrome.TOP))
        if self._progress is not None:
            surface.blit(self._progress, self._card)
        if self._content is not None:
            self.view.blit(surface, self._content)
            self.view.draw_scrollbar(surface, theme)
        self.menu.draw(surface, fonts, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))
