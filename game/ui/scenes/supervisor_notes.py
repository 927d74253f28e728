"""The desk: change or delete the coaching notes this supervisor wrote on one call.

Pick a note on the left; it opens in the box on the right. "Save the changes" rewrites it
(stamped as edited, and new to the trainee again, so they are told of it when they next
sign in); "Delete the note" asks once more, then removes it from the records for good.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.records.api import NOTE_MAX, AccessRefused, RecordNotFound
from game.ui import chrome
from game.ui.intents import Act, Intent
from game.ui.scene import Scene
from game.ui.scenes.notes import note_heading
from game.ui.scenes.supervisor import Desk, NoteField
from game.ui.widgets import Button, Menu, ScrollView, text_input

if TYPE_CHECKING:
    from game.records.api import Attempt, Note
    from game.ui.window import App

FIELD = "field"
SAVE = "save"
DELETE = "delete"
BACK = "back"
LIST_W = 430


def first_line(text: str, limit: int = 60) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


class NotesEditScene(Scene):
    name = "supervisor-notes"

    def __init__(self, app: App, desk: Desk, attempt: Attempt, notes: tuple[Note, ...]) -> None:
        super().__init__(app)
        self.desk = desk
        self.attempt = attempt
        self.notes = notes
        self.chosen: Note | None = notes[0] if notes else None
        self.field = NoteField(app.tr._("The note…"), NOTE_MAX)
        self.field.text = self.chosen.text if self.chosen else ""
        self.confirming = False  # Delete pressed once: the next press deletes
        self.message = ""
        self.view = ScrollView()
        self.menu = Menu()

    def enter(self) -> None:
        text_input(True)
        self.sync()  # laid out once, here or by App.push after enter
        self.menu.focus(FIELD)

    def exit(self) -> None:
        text_input(False)

    # ---- layout -------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        width = 1280 - 2 * chrome.MARGIN
        trainee = self.attempt.trainee_name
        self._header = chrome.header(
            app,
            self.app.tr._("Supervisor's desk · notes for {trainee}", trainee=trainee),
            self.app.tr._("Edit or delete your notes"),
            width,
        )
        self._hints = chrome.hints(
            app,
            [
                ("Tab", self.app.tr._("Next")),
                ("Enter", self.app.tr._("Choose / new line")),
                ("Esc", self.app.tr._("Back")),
            ],
            width,
        )
        top = chrome.TOP + self._header.get_height() + 28
        bottom = chrome.footer_y(app, self._hints) - 16
        self.view.rect = pygame.Rect(chrome.MARGIN, top, LIST_W, bottom - top)
        self.view.line = fonts.line_height("body")
        buttons: list[Button] = []
        y = 0
        for note in self.notes:
            button = Button(
                f"note:{note.id}",
                first_line(note.text) or self.app.tr._("(empty)"),
                "choice",
                detail=note_heading(note, tr=self.app.tr),
                view=self.view,
            )
            y = button.place(fonts, 4, y + 4, LIST_W - 12) + 6
            buttons.append(button)
        self.view.set_content(y + 4)
        right_x = chrome.MARGIN + LIST_W + 32
        right_w = 1280 - chrome.MARGIN - right_x
        self._label_y = top
        save = Button(SAVE, self.app.tr._("Save the changes"), "primary")
        delete = Button(
            DELETE,
            self.app.tr._("Yes, delete it")
            if self.confirming
            else self.app.tr._("Delete the note"),
            "danger",
        )
        back = Button(BACK, self.app.tr._("Back"), "ghost")
        button_w = (right_w - 24) // 3
        button_h = max(b.measure(fonts, button_w) for b in (save, delete, back))
        buttons_y = bottom - button_h
        self._message_y = buttons_y - 2 * fonts.line_height("small") - 14  # two lines
        field_top = top + fonts.line_height("caption") + 8
        self.field.rect = pygame.Rect(right_x, field_top, right_w, self._message_y - 12 - field_top)
        x = right_x
        for button in (save, delete, back):
            button.place(fonts, x, buttons_y, button_w)
            button.rect.height = button_h
            x += button_w + 12
        keys = [b.key for b in buttons]
        order = [*keys, FIELD, SAVE, DELETE, BACK] if self.chosen else [*keys, BACK]
        for button in (save, delete):
            button.enabled = self.chosen is not None
        self.menu.set_buttons([*buttons, save, delete, back], keep=True, order=order)
        self.menu.render(fonts, theme)

    # ---- input --------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        act = intent.act
        focused = self.menu.focused
        if act is Act.BACK:
            self.leave()
            return
        if act is Act.CLICK and self.field.rect.collidepoint(intent.pos):
            self.menu.focus(FIELD)
            return
        if act in (Act.NEXT, Act.PREV):
            self.menu.ring.move(1 if act is Act.NEXT else -1)
            self.app.play("move")
            return
        if focused == FIELD and act in (Act.TEXT, Act.ERASE, Act.CONFIRM, Act.SKIP, Act.PICK):
            self.field.handle(intent)
            self.message = ""
            return
        if act is Act.SCROLL and self.view.handle(intent):
            return
        key = self.navigate(self.menu, intent)
        if key is None:
            return
        if key.startswith("note:"):
            self.choose(int(key.split(":", 1)[1]))
        elif key == SAVE:
            self.save()
        elif key == DELETE:
            self.delete()
        elif key == BACK:
            self.leave()
        if key != DELETE and self.confirming:  # anything else calls the deletion off
            self.confirming = False
            self.layout()

    def choose(self, note_id: int) -> None:
        self.chosen = next(n for n in self.notes if n.id == note_id)
        self.field.text = self.chosen.text
        self.message, self.confirming = "", False
        self.app.play("select")
        self.layout()
        self.menu.focus(FIELD)

    def save(self) -> None:
        if self.chosen is None:
            return
        text = self.field.text.strip()
        if not text:
            self.message = self.app.tr._("A note cannot be empty: to remove it, delete it.")
            self.app.play("back")
            self.menu.focus(FIELD)
            return
        try:
            changed = self.desk.store.edit_note(self.chosen.id, text)
        except (AccessRefused, RecordNotFound, ValueError) as error:
            self.message = self.app.tr._("Not saved: {error}", error=error)
            self.app.play("back")
            return
        self.notes = tuple(changed if n.id == changed.id else n for n in self.notes)
        self.chosen = changed
        self.message = self.app.tr._(
            "Saved. {trainee_name} is told of it on signing in.",
            trainee_name=self.attempt.trainee_name,
        )
        self.app.play("select")
        self.layout()
        self.menu.focus(FIELD)

    def delete(self) -> None:
        if self.chosen is None:
            return
        if not self.confirming:
            self.confirming = True
            self.message = self.app.tr._(
                "Delete this note? {trainee_name} will no longer see it, and it cannot be brought back. Press “Yes, delete it” to go on.",
                trainee_name=self.attempt.trainee_name,
            )
            self.app.play("back")
            self.layout()
            self.menu.focus(DELETE)
            return
        try:
            self.desk.store.delete_note(self.chosen.id)
        except RecordNotFound:  # already gone (another desk): the list below drops it too
            pass
        except AccessRefused as error:
            self.message = self.app.tr._("Not deleted: {error}", error=error)
            self.confirming = False
            self.layout()
            return
        gone = self.chosen.id
        self.notes = tuple(n for n in self.notes if n.id != gone)
        self.confirming = False
        self.app.play("select")
        if not self.notes:
            self.leave()
            return
        self.chosen = self.notes[0]
        self.field.text = self.chosen.text
        self.message = self.app.tr._("Deleted.")
        self.layout()
        self.menu.focus(f"note:{self.chosen.id}")

    def leave(self) -> None:
        self.app.play("back")
        self.app.pop()

    def update(self, dt: float) -> None:
        self.view.update(dt, not self.app.motion)

    # ---- drawing ------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        surface.blit(self._header, (chrome.MARGIN, chrome.TOP))
        if self.chosen is not None:
            label = fonts.fit_line(
                note_heading(self.chosen, tr=self.app.tr), "caption", self.field.rect.width
            )
            surface.blit(
                fonts.render(label, "caption", theme.text_faint),
                (self.field.rect.x, self._label_y),
            )
            self.field.draw(surface, fonts, theme, self.menu.focused == FIELD, app.clock)
        if self.message:
            tone = (
                theme.good
                if self.message.startswith((self.app.tr._("Saved"), self.app.tr._("Deleted")))
                else theme.warn
            )
            fonts.draw_block(
                surface,
                self.message,
                "small",
                tone,
                self.field.rect.x,
                self._message_y,
                self.field.rect.width,
            )
        self.menu.draw(surface, fonts, theme)
        self.view.draw_scrollbar(surface, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))
