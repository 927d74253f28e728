"""Rename or delete one trainee profile (from the profile screen, or the supervisor's desk).

Renaming follows the rules of a new profile (a taken or look-alike name is refused, with
the reason). Deleting says first, in numbers, what it erases — "erases 12 attempts
(84 turns) and 3 coaching notes" — and happens only on a second, explicit press.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.i18n.translator import ENGLISH, Translator
from game.records.api import AccessRefused, DuplicateTrainee, Footprint, RecordNotFound
from game.ui import chrome
from game.ui.draw import panel
from game.ui.intents import Act, Intent
from game.ui.scene import Scene
from game.ui.widgets import Button, Menu, TextField, text_input

if TYPE_CHECKING:
    from game.records.api import Store, Trainee
    from game.ui.window import App

FIELD = "name"
RENAME = "rename"
DELETE = "delete"
ERASE = "erase"  # the second press: really delete
BACK = "back"
NAME_MAX = 40


def erase_warning(name: str, footprint: Footprint, tr: Translator = ENGLISH) -> str:
    """What deleting the profile erases, in numbers, said before it is done."""
    return tr._(
        "Deleting {name} erases {attempts} ({turns}) and {notes}. This cannot be undone.",
        name=name,
        # i18n: part of "Deleting {name} erases {attempts} ({turns}) and {notes}."
        attempts=tr._n("{n} attempt", "{n} attempts", footprint.attempts),
        turns=tr._n("{n} turn", "{n} turns", footprint.turns),
        notes=tr._n("{n} coaching note", "{n} coaching notes", footprint.notes),
    )


class ProfileManageScene(Scene):
    name = "profile-manage"

    def __init__(
        self,
        app: App,
        store: Store,
        trainee: Trainee,
        *,
        on_change: Callable[[Trainee | None], None] | None = None,
        supervisor: bool = False,
    ) -> None:
        super().__init__(app)
        self.store = store
        self.trainee = trainee
        self.on_change = on_change  # called with the renamed trainee, or None once deleted
        self.supervisor = supervisor
        self.field = TextField(app.tr._("New name"), NAME_MAX)
        self.field.text = trainee.name
        self.menu = Menu()
        self.footprint: Footprint | None = None  # read when deletion is asked for
        self.message = ""
        self.message_good = False

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
        where = (
            self.app.tr._("Supervisor's desk")
            if self.supervisor
            else self.app.tr._("Trainee profiles")
        )
        caption = fonts.fit_line(f"{where} · {self.trainee.name}", "caption", width - 220)
        back = Button(
            BACK, self.app.tr._("Back"), "ghost"
        )  # top right: the card below may grow (large text)
        back_w = 180
        back.place(fonts, 1280 - chrome.MARGIN - back_w, chrome.TOP, back_w)
        # the name is in the caption and the field: a long one never pushes the card down
        self._header = chrome.header(
            app, caption, self.app.tr._("Rename or delete"), width - back_w - 24
        )
        self._hints = chrome.hints(
            app,
            [
                ("Tab", self.app.tr._("Next")),
                ("Enter", self.app.tr._("Choose")),
                ("Esc", self.app.tr._("Back")),
            ],
            width,
        )
        card_w = min(760, width) if fonts.scale < 1.5 else width
        x = chrome.MARGIN
        inner = card_w - 56
        y = chrome.TOP + max(self._header.get_height(), back.rect.height) + 20
        self.card = pygame.Rect(x, y, card_w, 0)
        y += 20
        self._label_y = y
        y += fonts.line_height("caption") + 8
        self.field.rect = pygame.Rect(x + 28, y, inner, self.field.height(fonts))
        y = self.field.rect.bottom + 8
        self._message_y = y
        if self.message:
            y += fonts.block_height(self.message, "small", inner) + 8
        rename = Button(RENAME, self.app.tr._("Rename"), "primary")
        y = rename.place(fonts, x + 28, y + 4, 240) + 18
        self._danger_y = y
        y += fonts.line_height("caption") + 8
        if self.footprint is not None:
            self._warning = erase_warning(self.trainee.name, self.footprint, self.app.tr)
            self._warning_y = y
            y += fonts.block_height(self._warning, "body", inner) + 12
            erase = Button(ERASE, self.app.tr._("Yes, erase it all"), "danger")
            cancel = Button(DELETE, self.app.tr._("Keep the profile"), "secondary")
            half = (inner - 12) // 2
            erase.place(fonts, x + 28, y, half)
            bottom = cancel.place(fonts, x + 40 + half, y, half)
            y = max(bottom, erase.rect.bottom) + 20
            buttons = [rename, erase, cancel]
        else:
            self._warning = ""
            delete = Button(DELETE, self.app.tr._("Delete this profile…"), "danger")
            y = delete.place(fonts, x + 28, y, 300) + 20
            buttons = [rename, delete]
        self.card.height = y - self.card.y
        buttons.append(back)
        order = [FIELD, *(b.key for b in buttons)]
        self.menu.set_buttons(buttons, keep=True, order=order)
        self.menu.render(fonts, theme)
        self._inner = inner

    # ---- input --------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        focused = self.menu.focused
        if focused == FIELD and self.field.handle(intent):
            return
        if intent.act is Act.BACK:
            self.leave()
            return
        if intent.act is Act.CLICK and self.field.rect.collidepoint(intent.pos):
            self.menu.focus(FIELD)
            return
        if focused == FIELD and intent.act is Act.SKIP:
            return  # a space typed into the name
        if focused == FIELD and intent.act is Act.CONFIRM:
            self.rename()
            return
        key = self.navigate(self.menu, intent)
        if key == RENAME:
            self.rename()
        elif key == DELETE:
            self.ask_delete()
        elif key == ERASE:
            self.erase()
        elif key == BACK:
            self.leave()

    def _say(self, message: str, good: bool = False) -> None:
        self.message, self.message_good = message, good
        self.app.play("select" if good else "back")
        self.layout()

    def rename(self) -> None:
        name = " ".join(self.field.text.split())
        if not name:
            self._say(self.app.tr._("Type the new name first."))
            self.menu.focus(FIELD)
            return
        if name == self.trainee.name:
            self._say(self.app.tr._("That is already the name."))
            return
        try:
            renamed = self.store.rename_trainee(self.trainee.id, name)
        except DuplicateTrainee:
            self._say(
                self.app.tr._(
                    "There is already a profile called {name}: choose another name.", name=name
                )
            )
            self.menu.focus(FIELD)
            return
        except (AccessRefused, RecordNotFound, ValueError) as error:
            self._say(self.app.tr._("Not renamed: {error}", error=error))
            return
        old = self.trainee.name
        self.trainee = renamed
        self.field.text = renamed.name
        app = self.app
        if app.trainee is not None and app.trainee.id == renamed.id:
            app.trainee = renamed
        if app.settings.last_trainee == old:
            app.apply_settings(app.settings.with_(last_trainee=renamed.name))
        if self.on_change is not None:
            self.on_change(renamed)
        self._say(
            self.app.tr._("Renamed: {old} is now {name}.", old=old, name=renamed.name), good=True
        )

    def ask_delete(self) -> None:
        if self.footprint is not None:  # "Keep the profile": called off
            self.footprint = None
            self._say(self.app.tr._("Kept. Nothing was erased."), good=True)
            self.menu.focus(DELETE)
            return
        try:
            self.footprint = self.store.trainee_footprint(self.trainee.id)
        except (AccessRefused, RecordNotFound) as error:
            self._say(self.app.tr._("Cannot delete: {error}", error=error))
            return
        self.message = ""
        self.app.play("back")
        self.layout()
        self.menu.focus(DELETE)  # the safe choice first: Enter again keeps the profile

    def erase(self) -> None:
        try:
            self.store.delete_trainee(self.trainee.id)
        except RecordNotFound:
            pass  # already gone (another window): the result is the same
        except AccessRefused as error:
            self.footprint = None
            self._say(self.app.tr._("Not deleted: {error}", error=error))
            return
        app = self.app
        if app.trainee is not None and app.trainee.id == self.trainee.id:
            app.trainee = None
        if app.settings.last_trainee == self.trainee.name:
            app.apply_settings(app.settings.with_(last_trainee=None), save=True)
        if self.on_change is not None:
            self.on_change(None)
        app.play("select")
        app.pop()

    def leave(self) -> None:
        self.app.play("back")
        self.app.pop()

    # ---- drawing ------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        surface.blit(self._header, (chrome.MARGIN, chrome.TOP))
        panel(surface, self.card, theme)
        x, inner = self.card.x + 28, self._inner
        surface.blit(
            fonts.render(self.app.tr._("NAME"), "caption", theme.text_faint), (x, self._label_y)
        )
        self.field.draw(surface, fonts, theme, self.menu.focused == FIELD, app.clock)
        if self.message:
            tone = theme.good if self.message_good else theme.bad
            fonts.draw_block(surface, self.message, "small", tone, x, self._message_y, inner)
        surface.blit(
            fonts.render(self.app.tr._("DELETE THE PROFILE"), "caption", theme.text_faint),
            (x, self._danger_y),
        )
        if self._warning:
            fonts.draw_block(surface, self._warning, "body", theme.bad, x, self._warning_y, inner)
        self.menu.draw(surface, fonts, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))
