"""Trainee profiles: pick who is training, or create a new profile by typing a name.

The list is paged: it reads one screenful of trainees from the store (most recently active
first), so a room with a thousand trainees opens as fast as one with ten. Typing a name
narrows the list to the profiles that match it; ↑↓ run on across pages, PgUp/PgDn turn them.
→ on a profile renames or deletes it (after its PIN, if it has one).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pygame

from game.i18n import formats
from game.i18n.translator import ENGLISH, Translator
from game.ui import chrome
from game.ui.draw import panel
from game.ui.intents import Act, Intent
from game.ui.navigator import Route
from game.ui.scene import Scene
from game.ui.widgets import Button, Menu, ScrollView, TextField, text_input

if TYPE_CHECKING:
    from game.records.api import OverviewRow, Trainee
    from game.ui.window import App

FIELD = "field"
NAME_MAX = 40
SORT = "activity"  # the store's overview order: most recently active first


def initials(name: str) -> str:
    """Up to two initials for a trainee's badge: "Ana Reyes" → "AR"."""
    words = [w for w in name.split() if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def since(when: datetime, now: datetime | None = None, tr: Translator = ENGLISH) -> str:
    """'today', 'yesterday', '3 days ago', or a date for anything older than a month."""
    now = now or datetime.now(UTC)
    days = (now.astimezone().date() - when.astimezone().date()).days
    if days <= 0:
        return tr._("today")
    if days == 1:
        return tr._("yesterday")
    if days < 31:
        return tr._n("{n} day ago", "{n} days ago", days)
    return formats.day(when, tr.lang)


def ago(when: datetime | None, now: datetime | None = None, tr: Translator = ENGLISH) -> str:
    """'Active today', 'Active 3 days ago', …, or 'Not played yet'."""
    if when is None:
        return tr._("Not played yet")
    # i18n: {since} is "today", "yesterday", "3 days ago" or a date
    return tr._("Active {since}", since=since(when, now, tr))


class ProfileScene(Scene):
    name = "profile"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.field = TextField(app.tr._("Type your name"), NAME_MAX)
        self.menu = Menu()
        self.view = ScrollView()
        self.rows: tuple[OverviewRow, ...] = ()  # the trainees on this page
        self.offset = 0  # the page's first row, in the whole (filtered) list
        self.total = 0  # how many trainees match the typed name
        self.page_size = 1
        self._row_h = 1
        self._query: tuple[str, int, int] | None = None
        self._empty_text = ""
        self._title_style, self._help_style = "h2", "body"
        self._count_text = ""

    def enter(self) -> None:
        self.sync()  # laid out once, here or by App.push after enter
        self.menu.focus(FIELD if not self.rows else self.menu.ring.keys[0])
        text_input(True)

    def exit(self) -> None:
        text_input(False)

    def _load(self) -> None:
        """Read the current page (only when the page, its size or the filter changed)."""
        search = " ".join(self.field.text.split())
        query = (search, self.offset, self.page_size)
        if query == self._query:
            return
        store = self.app.world().store
        assert store is not None
        rows, total = store.overview_page(SORT, True, self.offset, self.page_size, search or None)
        if not rows and self.offset > 0:  # the filter shrank the list under this page
            self.offset = max(0, (total - 1) // self.page_size * self.page_size)
            rows, total = store.overview_page(
                SORT, True, self.offset, self.page_size, search or None
            )
        self._query = (search, self.offset, self.page_size)
        self.rows, self.total = rows, total

    def turn_page(self, step: int, focus: str = "first") -> bool:
        """Show the page before (−1) or after (+1); False when there is none."""
        offset = self.offset + step * self.page_size
        if offset < 0 or offset >= self.total:
            return False
        self.offset = offset
        self.layout()
        keys = [b.key for b in self.menu.buttons if b.key.startswith("trainee:")]
        if keys:
            self.menu.focus(keys[0] if focus == "first" else keys[-1])
        self.app.play("move")
        return True

    # ---- layout -------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        left_w = 620
        self._header = chrome.header(
            app, self.app.tr._("Trainee profiles"), self.app.tr._("Who's training today?"), left_w
        )
        top = chrome.TOP + self._header.get_height() + 28
        self._hints = chrome.hints(
            app,
            [
                ("↑↓", self.app.tr._("Move")),
                ("Enter", self.app.tr._("Choose")),
                ("→", self.app.tr._("Rename or delete")),
                ("Tab", self.app.tr._("Next")),
                ("Esc", self.app.tr._("Back")),
            ],
            1280 - 2 * chrome.MARGIN,
        )
        bottom = chrome.footer_y(app, self._hints) - 20
        count_h = fonts.line_height("small") + 10
        self.view.rect = pygame.Rect(chrome.MARGIN, top, left_w, bottom - top - count_h)
        self.view.line = fonts.line_height("body")
        sample = Button(
            "sample",
            self.app.tr._("Sample Name"),
            "choice",
            badge="SN",
            detail=self.app.tr._("Active today · 1"),
        )
        self._row_h = sample.measure(fonts, left_w - 24) + 12
        self.page_size = max(1, self.view.rect.height // self._row_h)
        self.offset = self.offset // self.page_size * self.page_size
        self._load()
        buttons: list[Button] = []
        y = top
        for row in self.rows:
            passed = sum(1 for best in row.levels.values() if best.passed)
            detail = self.app.tr._n(
                "{ago} · {n} level passed", "{ago} · {n} levels passed", passed,
                ago=ago(row.last_activity, tr=self.app.tr),
            )  # fmt: skip
            button = Button(
                f"trainee:{row.trainee.id}",
                row.trainee.name,
                "choice",
                badge=initials(row.trainee.name),
                detail=detail,
            )
            bottom_y = button.place(fonts, chrome.MARGIN + 6, y + 6, left_w - 24) + 6
            if bottom_y > self.view.rect.bottom and buttons:
                break  # a long name took two lines: the rest go to the next page
            y = bottom_y
            buttons.append(button)
        searched = " ".join(self.field.text.split())
        if self.rows:
            last = self.offset + len(buttons)
            self._count_text = (
                self.app.tr._(
                    "{value}–{last} of {total}", value=self.offset + 1, last=last, total=self.total
                )
                + (self.app.tr._(" matching “{searched}”", searched=searched) if searched else "")
                + (self.app.tr._(" · PgUp/PgDn for more") if self.total > len(buttons) else "")
            )
        else:
            self._count_text = ""
        if self.rows:
            self._empty_text = ""
        elif searched:
            self._empty_text = self.app.tr._(
                "No profile called “{searched}” yet: create it on the right.", searched=searched
            )
        else:
            self._empty_text = self.app.tr._("No profiles yet. Create the first one on the right.")

        # the new-trainee card
        card_x = chrome.MARGIN + left_w + 48
        card_w = 1280 - chrome.MARGIN - card_x
        inner = card_w - 56
        self._card_title = self.app.tr._("New trainee")
        self._card_help = self.app.tr._(
            "Your scores, your history and your supervisor's notes are kept under this name."
        )
        create = Button("create", self.app.tr._("Create profile"), "primary")
        back = Button("back", self.app.tr._("Back"), "ghost")
        # large text or a long translation: the help goes smaller, so the card and its
        # button stay on the page (nothing is dropped)
        back_h = back.measure(fonts, 160)
        # ... then the card rises beside the header (which is only the list's width), then
        # "Back" goes beside "Create profile"
        high = chrome.TOP + 4
        steps = (("h2", "body", False, top), ("h2", "small", False, top),
                 ("body_bold", "small", False, high), ("body_bold", "small", True, high))  # fmt: skip
        card_top = top
        for self._title_style, self._help_style, beside, card_top in steps:
            y = card_top + 28
            y += fonts.block_height(self._card_title, self._title_style, inner) + 8
            self._help_y = y
            y += fonts.block_height(self._card_help, self._help_style, inner) + 20
            self._label_y = y
            y += fonts.line_height("small_bold") + 8
            self.field.rect = pygame.Rect(card_x + 28, y, inner, self.field.height(fonts))
            y = self.field.rect.bottom + 8
            self._error_y = y
            # room for an error line is kept (so the card does not jump), unless room is short
            reserve = " " if self._title_style == "h2" else ""
            shown = self.field.error or reserve
            error_h = fonts.block_height(shown, "small", inner) if shown else 0
            y += error_h + 12
            create_w = inner - 176 if beside else inner
            y = create.place(fonts, card_x + 28, y, create_w) + 28
            if (y <= bottom) if beside else (y + 24 + back_h <= bottom):
                break
        self.card = pygame.Rect(card_x, card_top, card_w, y - card_top)
        if beside:
            back.place(fonts, create.rect.right + 16, create.rect.y, 160)
            back.rect.height = create.rect.height = max(create.rect.height, back.rect.height)
        else:
            back.place(fonts, card_x, self.card.bottom + 24, 160)
        self._card_inner = inner
        order = [b.key for b in buttons] + [FIELD, "create", "back"]
        self.menu.set_buttons([*buttons, create, back], order=order)
        create.render(fonts, theme)  # the rows are painted as they are first drawn
        back.render(fonts, theme)

    # ---- input --------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        focused = self.menu.focused
        if focused == FIELD and self.field.handle(intent):
            self.offset = 0  # a new filter starts at its first page
            self.layout()
            return
        if intent.act is Act.BACK:
            self.app.play("back")
            self.app.pop()
            return
        if intent.act is Act.SCROLL:
            self.turn_page(1 if intent.number > 0 else -1)
            return
        rows = [b.key for b in self.menu.buttons if b.key.startswith("trainee:")]
        if rows and focused == rows[0] and intent.act is Act.UP and self.turn_page(-1, "last"):
            return
        if rows and focused == rows[-1] and intent.act is Act.DOWN and self.turn_page(1):
            return
        if intent.act is Act.CLICK and self.field.rect.collidepoint(intent.pos):
            self.menu.focus(FIELD)
            return
        if intent.act is Act.RIGHT and focused is not None and focused.startswith("trainee:"):
            trainee_id = int(focused.split(":", 1)[1])
            self.manage(next(r.trainee for r in self.rows if r.trainee.id == trainee_id))
            return
        if focused == FIELD and intent.act is Act.SKIP:
            return  # a space typed into the name, not a button press
        if focused == FIELD and intent.act is Act.CONFIRM:
            self.create()
            return
        key = self.navigate(self.menu, intent)
        if key is None:
            return
        if key == "create":
            self.create()
        elif key == "back":
            self.app.play("back")
            self.app.pop()
        elif key.startswith("trainee:"):
            trainee_id = int(key.split(":", 1)[1])
            row = next(r for r in self.rows if r.trainee.id == trainee_id)
            self.choose(row.trainee)

    def create(self) -> None:
        from game.records.api import DuplicateTrainee

        name = " ".join(self.field.text.split())
        if not name:
            self.field.error = self.app.tr._("Type a name first.")
        else:
            store = self.app.world().store
            assert store is not None
            try:
                trainee = store.add_trainee(name)
            except DuplicateTrainee:
                self.field.error = self.app.tr._(
                    "There is already a profile called {name}: pick it from the list.", name=name
                )
            except ValueError as error:
                self.field.error = str(error)
            else:
                self.app.play("select")
                self.choose(trainee)
                return
        self.app.play("back")
        self.layout()
        self.menu.focus(FIELD)

    def manage(self, trainee: Trainee) -> None:
        """Rename or delete a profile: only its owner, so after its PIN if it has one."""
        from game.ui.scenes.profile_manage import ProfileManageScene
        from game.ui.scenes.sign_in import sign_in_first

        if sign_in_first(self.app, trainee, self.manage):
            return
        store = self.app.world().store
        assert store is not None
        self.app.play("select")
        self.app.push(ProfileManageScene(self.app, store, trainee))

    def resume(self) -> None:
        """Back from renaming or deleting: the list as it is now."""
        self._query = None
        self.layout()
        text_input(True)

    def choose(self, trainee: Trainee) -> None:
        from game.ui.scenes.sign_in import sign_in_first

        if sign_in_first(self.app, trainee, self.choose):
            return  # a PIN first; its scene calls choose again once signed in
        self.app.play("select")
        self.app.select_trainee(trainee)
        from game.ui.scenes.notes import tell_of_new_notes

        self.app.replace(self.app.open(Route.LEVELS))
        tell_of_new_notes(self.app)  # signed in now: their new notes, on their own screen

    def update(self, dt: float) -> None:
        self.view.update(dt, not self.app.motion)

    # ---- drawing ------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        surface.blit(self._header, (chrome.MARGIN, chrome.TOP))
        if self._empty_text:
            fonts.draw_block(
                surface,
                self._empty_text,
                "body",
                theme.text_dim,
                self.view.rect.x,
                self.view.rect.y + 8,
                self.view.rect.width,
            )
        if self._count_text:
            surface.blit(
                fonts.render(self._count_text, "small", theme.text_faint),
                (self.view.rect.x + 6, self.view.rect.bottom + 8),
            )
        panel(surface, self.card, theme)
        x, inner = self.card.x + 28, self._card_inner
        fonts.draw_block(
            surface, self._card_title, self._title_style, theme.text, x, self.card.y + 28, inner
        )
        fonts.draw_block(
            surface, self._card_help, self._help_style, theme.text_dim, x, self._help_y, inner
        )
        surface.blit(
            fonts.render(self.app.tr._("YOUR NAME"), "caption", theme.text_faint),
            (x, self._label_y + 2),
        )
        self.field.draw(surface, fonts, theme, self.menu.focused == FIELD, app.clock)
        if self.field.error:
            fonts.draw_block(surface, self.field.error, "small", theme.bad, x, self._error_y, inner)
        self.menu.draw(surface, fonts, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))
