"""One attempt on the desk: the debrief the trainee saw, the whole conversation, a coaching note.

The debrief and the conversation are restored by the one replay of a recorded attempt
(`game.records.replayed.replay_recorded`), and drawn by the debrief scene's own cards (anger curve,
competencies, steps, points, turn by turn); this scene adds the conversation as it was
spoken, the notes on the call, and a box for a new note, saved with `Store.add_note`
under the name the supervisor gave at the gate. "Edit notes" opens the ones this supervisor
wrote to change or delete them. The trainee is told of a new note when they next sign in,
and finds it for good in History and on this call's debrief.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.engine.scoring import Debrief
from game.engine.session import Speaker
from game.records.api import NOTE_MAX, AttemptDetail, Note
from game.training import AttemptReview, review_attempt
from game.ui import chrome
from game.ui.intents import Act, Intent
from game.ui.navigator import Route
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.supervisor import Desk, NoteField, conversation, when
from game.ui.transcript import PAD_X as BUBBLE_PAD_X
from game.ui.transcript import PAD_Y as BUBBLE_PAD_Y
from game.ui.widgets import Button, text_input

if TYPE_CHECKING:
    from game.scenario.campaign import Level
    from game.ui.window import App

NOTE = "note"
NOTE_LINES = 3  # lines of the note box on screen
EDIT = "edit"


def open_attempt(app: App, desk: Desk, attempt_id: int) -> None:
    """Push the attempt's page, or the error scene if its level cannot be loaded.

    Reading the attempt and replaying it (once: the debrief and the conversation) runs off
    the frame (`App.later`); the page appears a frame or two after the key press."""
    if app.busy:
        return
    store, campaign, catalog = desk.store, desk.campaign, desk.catalog
    app.later(
        lambda: review_attempt(store, campaign, catalog, attempt_id, desk.tr.lang),
        lambda review: _show_attempt(app, desk, review),
    )


def _show_attempt(app: App, desk: Desk, review: AttemptReview | None) -> None:
    if review is None:
        return
    if review.level is None:
        app.push(
            app.open(
                Route.ERROR,
                app.tr._("This level is not in the campaign any more"),
                app.tr._(
                    "The call is still in the records, but its level can't be loaded to show it."
                ),
                (review.detail.attempt.scenario_id,),
            )
        )
        return
    if review.report is None:
        return
    app.play("select")
    app.push(
        AttemptScene(
            app, desk, review.level, review.report, review.detail, review.note, review.lines
        )
    )


class AttemptScene(DebriefScene):
    name = "supervisor-attempt"
    supervisor = True
    note_ring = True

    def __init__(
        self,
        app: App,
        desk: Desk,
        level: Level,
        report: Debrief,
        detail: AttemptDetail,
        changed: str | None,
        lines: tuple[tuple[Speaker, str], ...] | None = None,
    ) -> None:
        super().__init__(
            app,
            level,
            report,
            review_of=detail.attempt.started_at,
            note=changed,
            coaching=detail.notes,
        )
        assert level.scenario is not None
        self.desk = desk
        self.detail = detail
        self.lines = (
            lines
            if lines is not None
            else conversation(level.scenario, detail, desk.catalog, desk.tr.lang)
        )
        self.field = NoteField(app.tr._("Write a coaching note…"), NOTE_MAX)
        self.saved = ""  # the confirmation after saving, or a warning
        self.saved_good = False  # which of the two: its colour (the words are translated)
        self.warned = False  # Esc once with an unsaved note: warn, twice: leave

    # ---- life cycle ---------------------------------------------------------------------------

    def enter(self) -> None:
        text_input(True)
        self.sync()  # laid out once, here or by App.push after enter
        self.menu.focus(NOTE)

    # ---- layout: the debrief's, with the conversation and the note box ------------------------

    def layout(self) -> None:
        super().layout()  # header, score card, the page (through _build_page below)
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        width = 1280 - 2 * chrome.MARGIN
        # the header names the trainee; the page moves down if that made it taller
        level, played = self.level, when(self.detail.attempt.started_at, app.lang)
        caption = self.app.tr._(
            "{trainee_name} · level {number} · {title} · played {played}",
            trainee_name=self.detail.attempt.trainee_name,
            number=level.number,
            title=self.desk.titles.title(level.key),
            played=played,
        )
        head_w = width - self._score_w - 24
        caption = fonts.fit_line(caption, "caption", head_w)  # one line, as laid out
        self._header = chrome.header(app, caption, self._headline(), head_w)
        self._hints = chrome.hints(
            app,
            [("Tab", self.app.tr._("Note / buttons")), (self.app.tr._("PgUp PgDn"), self.app.tr._("Read")), ("Enter", self.app.tr._("New line / choose")),
             ("Esc", self.app.tr._("Back"))],
            width,
        )  # fmt: skip
        foot = chrome.footer_y(app, self._hints)
        save = Button("save", self.app.tr._("Save the note"), "primary")
        back = Button("back", self.app.tr._("Back"), "ghost")
        buttons = [save, back]
        own = len(self.own_notes)
        if own:  # the notes this supervisor wrote here can be changed or deleted
            buttons.insert(
                1, Button(EDIT, self.app.tr._("Edit my notes ({own})", own=own), "secondary")
            )
        button_w = max(230, max(fonts.width(b.label, "body_bold") + 60 for b in buttons))
        lines = NOTE_LINES if fonts.scale < 1.5 else NOTE_LINES - 1
        text_h = fonts.line_height("body") * lines + 2 * 11 + 4
        stacked = sum(b.measure(fonts, button_w) + 10 for b in buttons) - 10
        widths = [max(230, fonts.width(b.label, "body_bold") + 60) for b in buttons]
        row_w = sum(widths) + 10 * (len(buttons) - 1)
        row_h = max(b.measure(fonts, w) for b, w in zip(buttons, widths, strict=True))
        if row_w <= width and text_h + 10 + row_h < max(text_h, stacked):
            # large text: buttons stacked beside the box would make it taller than its lines
            # (and the debrief above too short to read), so they sit in a row under it
            top = foot - 14 - row_h - 10 - text_h
            self.field.rect = pygame.Rect(chrome.MARGIN, top, width, text_h)
            x = chrome.MARGIN + width - row_w
            for button, own_w in zip(buttons, widths, strict=True):
                button.place(fonts, x, self.field.rect.bottom + 10, own_w)
                x += own_w + 10
        else:
            box_h = max(text_h, stacked)
            top = foot - 14 - box_h
            self.field.rect = pygame.Rect(chrome.MARGIN, top, width - button_w - 16, box_h)
            bx = self.field.rect.right + 16
            y = top
            for button in buttons:
                y = button.place(fonts, bx, y, button_w) + 10
        # the caption over the note wraps (a long name or translation is never cut short)
        # (a message sharing the line fits on one; alone, it wraps in the caption's room)
        shown = self.saved if self.saved and not self._shares_line() else self._note_label()
        lines = len(fonts.wrap(shown, "caption", self._label_room()))
        self._label_y = top - fonts.line_height("caption") * lines - 8
        order = [NOTE, *(b.key for b in buttons)]
        self.menu.set_buttons(buttons, keep=False, order=order)
        self.menu.render(fonts, theme)
        if self.menu.focused not in order:
            self.menu.focus(NOTE)
        top = self.view.rect.y
        if fonts.scale >= 1.5:  # large text: the page needs the summary line's room
            self._sub = ""
            top = chrome.TOP + max(self._header.get_height(), self._score_rect.height) + 18
        self.place_panes(top, self._label_y - 14)

    def _note_label(self) -> str:
        return self.app.tr._(
            "COACHING NOTE FOR {upper} · SIGNED {upper2}",
            upper=self.detail.attempt.trainee_name,
            upper2=self.desk.author,
        )

    def _label_room(self) -> int:
        """The width of the caption over the note: left of the counter, half of it when a
        message shares the line."""
        fonts = self.app.fonts
        counter_w = fonts.width(f"{NOTE_MAX} / {NOTE_MAX}", "caption")
        room = self.field.rect.right - counter_w - 24 - chrome.MARGIN
        return room // 2 if self._shares_line() else room

    def _shares_line(self) -> bool:
        """A message ('Saved…', 'not saved…') sits right of the caption when each fits on one
        line in half the room; otherwise it has the caption's place to itself until the next
        key (large text, long names and translations), and the debrief keeps its height."""
        if not self.saved:
            return False
        fonts = self.app.fonts
        counter_w = fonts.width(f"{NOTE_MAX} / {NOTE_MAX}", "caption")
        half = (self.field.rect.right - counter_w - 24 - chrome.MARGIN) // 2
        return (
            fonts.width(self._note_label(), "caption") <= half
            and fonts.width(self.saved, "caption") <= half - 24
        )

    @property
    def own_notes(self) -> tuple[Note, ...]:
        """The notes on this call signed with this visit's name: theirs to edit or delete."""
        return tuple(n for n in self.coaching if n.author == self.desk.author)

    def _note_heading(self, note: Note) -> str:
        # i18n: a coaching note the trainee has read
        read = self.app.tr._("read") if note.read_at is not None else self.app.tr._("not read yet")
        return f"{super()._note_heading(note)} · {read}"

    def right_cards(self) -> list[DebriefScene.Card]:
        """The turns as the trainee saw them, then the whole conversation: one column to read."""
        return [self._turns_card, self._conversation_card]

    def _conversation_card(self, page: pygame.Surface | None, y: int, width: int) -> int:
        """Every line of the call, as bubbles: the customer on the left, the trainee right."""
        fonts, theme = self.app.fonts, self.app.theme
        inner = width - 40
        bubble_w = round(inner * 0.86)
        cap_h = fonts.line_height("caption")
        step = fonts.line_height("small")
        scenario = self.level.scenario
        who = (
            scenario.customer.name.get(self.app.lang)
            if scenario is not None
            else self.app.tr._("Customer")
        )
        placed: list[tuple[Speaker, tuple[str, ...], int]] = []
        h = 20 + cap_h + 14
        for speaker, text in self.lines:
            wrapped = fonts.wrap(text, "small", bubble_w - 2 * BUBBLE_PAD_X)
            placed.append((speaker, wrapped, h))
            h += cap_h + 4 + len(wrapped) * step + 2 * BUBBLE_PAD_Y + 10
        height = h + 10
        if page is None:
            return height
        self._card(page, y, 0, width, height)
        page.blit(
            fonts.render(self.app.tr._("THE CONVERSATION"), "caption", theme.text_faint),
            (20, y + 20),
        )
        trainee = self.detail.attempt.trainee_name
        for speaker, wrapped, top in placed:
            text_w = max((fonts.width(line, "small") for line in wrapped), default=0)
            w = min(bubble_w, text_w + 2 * BUBBLE_PAD_X)
            x = 20 + inner - w if speaker is Speaker.AGENT else 20
            caption = trainee if speaker is Speaker.AGENT else who
            cap = fonts.render(caption, "caption", theme.text_dim)
            cx = x + w - cap.get_width() if speaker is Speaker.AGENT else x
            page.blit(cap, (cx, y + top))
            box = pygame.Rect(x, y + top + cap_h + 4, w, len(wrapped) * step + 2 * BUBBLE_PAD_Y)
            fill = theme.agent_bubble if speaker is Speaker.AGENT else theme.customer_bubble
            ink = theme.agent_text if speaker is Speaker.AGENT else theme.customer_text
            pygame.draw.rect(page, fill, box, border_radius=14)
            if theme.high_contrast:
                pygame.draw.rect(
                    page, theme.border, box, width=theme.border_width, border_radius=14
                )
            ty = box.y + BUBBLE_PAD_Y
            for line in wrapped:
                page.blit(fonts.render(line, "small", ink), (box.x + BUBBLE_PAD_X, ty))
                ty += step
        return height

    # ---- input --------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        act = intent.act
        focused = self.menu.focused
        if act is Act.BACK:
            if self.field.text.strip() and not self.warned:
                self.warned = True
                self.saved = self.app.tr._("The note is not saved: Esc again leaves without it.")
                self.saved_good = False
                self.app.play("back")
                self.layout()  # the caption's line may now wrap
                return
            self.activate("back")
            return
        if act is Act.CLICK and self.field.rect.collidepoint(intent.pos):
            self.menu.focus(NOTE)
            return
        if act in (Act.NEXT, Act.PREV):
            self.menu.ring.move(1 if act is Act.NEXT else -1)
            self.app.play("move")
            return
        if focused == NOTE and act in (Act.TEXT, Act.ERASE, Act.CONFIRM, Act.SKIP, Act.PICK):
            self.field.handle(intent)
            cleared, self.saved, self.warned = bool(self.saved), "", False
            if cleared:  # the caption takes its line back: its height may change
                self.layout()
            return
        if self.scroll(intent):
            return
        key = self.navigate(self.menu, intent)
        if key is not None:
            self.activate(key)

    def activate(self, key: str) -> None:
        if key == "save":
            self.save()
        elif key == "back":
            self.app.play("back")
            self.app.pop()
        elif key == NOTE:
            self.menu.focus(NOTE)
        elif key == EDIT:
            from game.ui.scenes.supervisor_notes import NotesEditScene

            self.app.play("select")
            self.app.push(NotesEditScene(self.app, self.desk, self.detail.attempt, self.own_notes))

    def resume(self) -> None:
        """Back from editing: the notes as they are now."""
        text_input(True)
        attempt = self.detail.attempt
        notes = self.desk.store.notes_for_trainee(attempt.trainee_id)
        self.coaching = tuple(n for n in notes if n.attempt_id == attempt.id)
        self.layout()
        self.finish_building()

    def save(self) -> None:
        text = self.field.text.strip()
        if not text:
            self.saved = self.app.tr._("Write the note first.")
            self.saved_good = False
            self.app.play("back")
            self.layout()
            self.menu.focus(NOTE)
            return
        note = self.desk.store.add_note(self.detail.attempt.id, self.desk.author, text)
        self.coaching = (*self.coaching, note)
        self.field.text = ""
        self.warned = False
        trainee = self.detail.attempt.trainee_name
        self.saved = self.app.tr._("Saved. {trainee} is told of it on signing in.", trainee=trainee)
        self.saved_good = True
        self.app.play("select")
        self.layout()
        self.menu.focus(NOTE)

    def exit(self) -> None:
        text_input(False)

    # ---- drawing ------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        near = len(self.field.text) >= NOTE_MAX * 0.9
        image = fonts.render(
            self.field.counter, "caption", theme.warn if near else theme.text_faint
        )
        counter = image.get_rect(topright=(self.field.rect.right, self._label_y))
        surface.blit(image, counter)
        room = self._label_room()
        tone = theme.good if self.saved_good else theme.warn
        if not self.saved or self._shares_line():
            fonts.draw_block(surface, self._note_label(), "caption", theme.text_faint,
                             chrome.MARGIN, self._label_y, room)  # fmt: skip
        if self.saved and self._shares_line():
            fonts.draw_block(surface, self.saved, "caption", tone, counter.x - 24 - (room - 24),
                             self._label_y, room - 24, align="right")  # fmt: skip
        elif self.saved:  # the message in the caption's place, until the next key
            fonts.draw_block(surface, self.saved, "caption", tone, chrome.MARGIN, self._label_y,
                             room)  # fmt: skip
        self.field.draw(surface, fonts, theme, self.menu.focused == NOTE, app.clock)
