"""The trainee's coaching notes: every note their supervisor wrote, for good.

Shown after signing in when there are new notes (never on the shared title screen, where
whoever sits down next would read them), and from History at any time. "Mark as read" only
stops a note counting as new; the note stays here, in History and on its call's debrief.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import pygame

from game.i18n import formats
from game.i18n.translator import ENGLISH, N_, Translator
from game.ui import chrome
from game.ui.draw import panel
from game.ui.intents import Act, Intent
from game.ui.scene import Scene
from game.ui.widgets import Button, Menu, ScrollView

if TYPE_CHECKING:
    from game.records.api import Note, Store, Trainee
    from game.ui.window import App

DONE = "done"


def note_heading(note: Note, about: str | None = None, tr: Translator = ENGLISH) -> str:
    """'Supervisor Kim · 02 Nov 2026 · about The Late Delivery · edited 03 Nov'."""
    parts = [note.author, formats.day(note.created_at, tr.lang)]
    if about:
        # i18n: {level} is a level's title
        parts.append(tr._("about {level}", level=about))
    if note.edited_at is not None:
        edited = formats.day(note.edited_at, tr.lang)
        parts.append(tr._("edited {date}", date=edited))
    return " · ".join(parts)


def tell_of_new_notes(app: App) -> None:
    """Just after the trainee signed in: their new notes, if any, over the levels."""
    store, trainee = app.world().store, app.trainee
    if store is None or trainee is None:
        return
    if store.notes_for_trainee(trainee.id, unread_only=True):
        app.push(NotesScene(app))


class NotesScene(Scene):
    name = "notes"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        world = app.world()
        assert world.store is not None and app.trainee is not None
        self.store: Store = world.store
        self.trainee: Trainee = app.trainee
        self.titles = (
            {lvl.key: lvl.title for lvl in world.campaign.levels} if world.campaign else {}
        )
        self.notes: tuple[Note, ...] = ()
        self.about: dict[int, str] = {}  # attempt id → its level's title
        self.view = ScrollView()
        self.menu = Menu()
        self._content: pygame.Surface | None = None

    def load(self) -> None:
        notes = self.store.notes_for_trainee(self.trainee.id)
        self.notes = tuple(sorted(notes, key=lambda n: (n.created_at, n.id), reverse=True))
        if self.notes:
            for attempt in self.store.attempts(trainee_id=self.trainee.id):
                self.about[attempt.id] = self.titles.get(attempt.scenario_id, attempt.scenario_id)

    @property
    def unread(self) -> tuple[Note, ...]:
        return tuple(n for n in self.notes if n.read_at is None)

    def enter(self) -> None:
        self.load()
        self.sync()  # laid out once, here or by App.push after enter
        first = next((f"read:{n.id}" for n in self.notes if n.read_at is None), DONE)
        self.menu.focus(first)

    # ---- layout -------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        width = 1280 - 2 * chrome.MARGIN
        new = len(self.unread)
        title = (
            self.app.tr._n(
                "{n} new note from your supervisor", "{n} new notes from your supervisor", new
            )
            if new
            else self.app.tr._("Notes from your supervisor")
        )
        self._header = chrome.header(
            app, self.app.tr._("Coaching notes · {name}", name=self.trainee.name), title, width
        )
        self._hints = chrome.hints(
            app,
            [
                ("↑↓", self.app.tr._("Move")),
                ("Enter", self.app.tr._("Choose")),
                ("Esc", self.app.tr._("Back")),
            ],
            width,
        )
        top = chrome.TOP + self._header.get_height() + 24
        done = Button(DONE, self.app.tr._("Continue"), "primary")
        foot = chrome.footer_y(app, self._hints)
        done_y = foot - 14 - done.measure(fonts, 260)
        done.place(fonts, 1280 - chrome.MARGIN - 260, done_y, 260)
        self.view.rect = pygame.Rect(chrome.MARGIN, top, width - 14, done_y - 16 - top)
        self.view.line = fonts.line_height("body")
        inner = self.view.rect.width - 40
        buttons: list[Button] = []
        cards: list[tuple[pygame.Rect, Note, bool]] = []
        y = 0
        for note in self.notes:
            fresh = note.read_at is None
            card_top = y
            y += 16 + self._note_height(note, inner)
            if fresh:
                button = Button(
                    f"read:{note.id}", self.app.tr._("Mark as read"), "secondary", view=self.view
                )
                y = (
                    button.place(
                        fonts, 20, y, min(fonts.width("Mark as read", "body_bold") + 80, inner)
                    )
                    + 12
                )
                buttons.append(button)
            cards.append(
                (pygame.Rect(0, card_top, self.view.rect.width, y - card_top), note, fresh)
            )
            y += 14
        if not self.notes:
            y = fonts.block_height(self.app.tr._(EMPTY), "body", inner) + 8
        content = pygame.Surface((self.view.rect.width, max(1, y)), pygame.SRCALPHA)
        for rect, note, fresh in cards:
            fill = theme.panel if fresh else theme.panel_sunken
            panel(content, rect, theme, fill, radius=12, shadow=False,
                  border=theme.accent if fresh else None)  # fmt: skip
            self._paint_note(content, note, fresh, 20, rect.y + 14, inner)
        if not self.notes:
            fonts.draw_block(content, self.app.tr._(EMPTY), "body", theme.text_dim, 0, 0, inner)
        self._content = content
        self.view.set_content(content.get_height())
        keep = self.menu.focused is not None
        self.menu.set_buttons([*buttons, done], keep=keep)
        self.menu.render(fonts, theme)

    def _lines(self, note: Note, fresh: bool) -> tuple[str, str]:
        head = note_heading(note, self.about.get(note.attempt_id), self.app.tr)
        return (self.app.tr._("NEW · ") + head if fresh else head), note.text

    def _note_height(self, note: Note, width: int) -> int:
        fonts = self.app.fonts
        head, body = self._lines(note, note.read_at is None)
        return (
            fonts.block_height(head, "small_bold", width)
            + 6
            + fonts.block_height(body, "body", width)
            + 12
        )

    def _paint_note(
        self, surface: pygame.Surface, note: Note, fresh: bool, x: int, y: int, width: int
    ) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        head, body = self._lines(note, fresh)
        y = fonts.draw_block(surface, head, "small_bold", theme.accent, x, y, width)
        fonts.draw_block(surface, body, "body", theme.text, x, y + 6, width)

    # ---- input --------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        if intent.act is Act.BACK:
            self.leave()
            return
        if intent.act is Act.SCROLL and self.view.handle(intent):
            return
        key = self.navigate(self.menu, intent)
        if key == DONE:
            self.leave()
        elif key is not None and key.startswith("read:"):
            self.mark_read(int(key.split(":", 1)[1]))

    def mark_read(self, note_id: int) -> None:
        """The note stays; focus goes to the next new note, or to Continue (never away)."""
        from game.records.api import AccessRefused, RecordNotFound

        with contextlib.suppress(AccessRefused, RecordNotFound):  # gone: the reload shows it
            self.store.mark_note_read(note_id)
        self.app.play("select")
        before = [n.id for n in self.notes]
        self.load()
        self.layout()
        new = [n for n in self.notes if n.read_at is None]
        at = before.index(note_id) if note_id in before else -1
        after = [n for n in new if n.id in before and before.index(n.id) > at]
        target = (after or new)[:1]
        self.menu.focus(f"read:{target[0].id}" if target else DONE)

    def leave(self) -> None:
        self.app.play("back")
        self.app.pop()

    def update(self, dt: float) -> None:
        self.view.update(dt, not self.app.motion)

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        surface.blit(self._header, (chrome.MARGIN, chrome.TOP))
        if self._content is not None:
            self.view.blit(surface, self._content)
            self.view.draw_scrollbar(surface, theme)
        self.menu.draw(surface, fonts, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))


EMPTY = N_("No notes yet. When your supervisor writes about one of your calls, it appears here.")
