"""The supervisor passphrase: asked every time, changeable from the desk, never set here.

Whoever installs the game sets it (`hold-the-line supervisor set-passphrase`); until then
the gate says so and opens nothing, so the first person to reach the desk cannot claim it.
Only a salted scrypt hash is stored (`game.records.passphrase`). Checking it takes a tenth
of a second or so, so it runs on a worker thread and the window keeps drawing. Every wrong
passphrase makes the next try wait longer (1, 2, 4 … 60 seconds); the count and the time of
the last failure are kept in the database with an atomic update, so every window and every
restart shares one wait (`game.training.access.check_supervisor`). On a PostgreSQL room a trainee's
login may not read the passphrase at all: the gate says the desk needs a supervisor login.
"""

from __future__ import annotations

import threading
import time
from enum import StrEnum
from typing import TYPE_CHECKING

import pygame

from game.records import passphrase
from game.training import (
    check_supervisor,
    supervisor_failures,
    supervisor_wait_left,
)
from game.ui import chrome
from game.ui.draw import icon_lock, panel
from game.ui.intents import Act, Intent
from game.ui.navigator import Route
from game.ui.scene import Scene
from game.ui.scenes.background_check import BackgroundCheck
from game.ui.scenes.supervisor import DEFAULT_AUTHOR, Desk
from game.ui.secret_form import Entry, SecretForm
from game.ui.widgets import Button, Menu, SecretField, TextField, text_input

if TYPE_CHECKING:
    from game.ui.window import App

SET_COMMAND = "hold-the-line supervisor set-passphrase"
wall_clock = time.time  # the shared wait is in real time (tests follow the app's clock)


class GateMode(StrEnum):
    """What the gate is for, decided when it opens."""

    CHECK = "check"  # the passphrase opens the desk
    CHANGE = "change"  # from the desk: the current passphrase, then a new one twice
    UNSET = "unset"  # none set yet: the installer's command is named
    REFUSED = "refused"  # this database login is not a supervisor's


class PassphraseScene(BackgroundCheck[passphrase.TryResult], Scene):
    """The passphrase gate, in one of the `GateMode`s."""

    name = "supervisor-gate"

    def __init__(self, app: App, desk: Desk | None = None) -> None:
        super().__init__(app)
        world = app.world()
        assert world.store is not None and world.campaign is not None
        self.store = world.store
        self.desk = desk
        self.mode = GateMode.CHANGE if desk is not None else self._mode()
        self.fields: dict[str, TextField] = {}
        if self.mode is GateMode.CHECK:
            self.fields["phrase"] = SecretField(app.tr._("Passphrase"), 200)
        if self.mode is GateMode.CHANGE:
            self.fields["old"] = SecretField(app.tr._("Current passphrase"), 200)
        if self.mode is GateMode.CHANGE:
            self.fields["new"] = SecretField(
                app.tr._("At least {MIN_LENGTH} characters", MIN_LENGTH=passphrase.MIN_LENGTH), 200
            )
            self.fields["again"] = SecretField(app.tr._("The same again"), 200)
        if self.mode is GateMode.CHECK:
            self.fields["author"] = TextField(app.tr._(DEFAULT_AUTHOR), 100)
        self.labels = {
            "phrase": app.tr._("SUPERVISOR PASSPHRASE"),
            "old": app.tr._("CURRENT PASSPHRASE"),
            "new": app.tr._("NEW PASSPHRASE"),
            "again": app.tr._("NEW PASSPHRASE AGAIN"),
            "author": app.tr._("YOUR NAME, TO SIGN COACHING NOTES (OPTIONAL)"),
        }
        self.form = SecretForm(
            [Entry(key, isinstance(field, SecretField)) for key, field in self.fields.items()],
            busy=app.tr._("Checking…"),
            retry=app.tr._("{error} Try again in {seconds_left} s."),
        )
        self.menu = Menu()
        self.failures = 0
        self.wait = 0.0  # seconds left before another try
        if self.mode is GateMode.CHECK:
            self.failures = supervisor_failures(self.store)
            self.wait = supervisor_wait_left(self.store, wall_clock)
        self._result: tuple[passphrase.TryResult, str] | None = None  # set by the worker
        self._worker: threading.Thread | None = None

    def _mode(self) -> GateMode:
        from game.records.api import AccessRefused

        try:
            return GateMode.CHECK if passphrase.has_passphrase(self.store) else GateMode.UNSET
        except AccessRefused:
            return GateMode.REFUSED

    # ---- life cycle ---------------------------------------------------------------------------

    def enter(self) -> None:
        self.sync()  # laid out once, here or by App.push after enter
        self.menu.focus(next(iter(self.fields), "go"))
        text_input(True)

    def exit(self) -> None:
        if self._worker is not None:
            self._worker.join(timeout=10)
        if self.desk is None:
            text_input(False)

    # ---- layout -------------------------------------------------------------------------------

    def _texts(self) -> tuple[str, str, str, str]:
        """(caption, title, explanation, primary button)."""
        if self.mode is GateMode.UNSET:
            return (
                self.app.tr._("Supervisor's desk"),
                self.app.tr._("The desk is not set up yet"),
                self.app.tr._(
                    "The desk shows every trainee's records, so it is locked with a supervisor passphrase, and none has been set. Whoever installed the game sets it, on this computer, with the command `{SET_COMMAND}` (see the supervisors' guide). The desk opens once it is set.",
                    SET_COMMAND=SET_COMMAND,
                ),
                self.app.tr._("Check again"),
            )
        if self.mode is GateMode.REFUSED:
            return (
                self.app.tr._("Supervisor's desk"),
                self.app.tr._("Supervisors only"),
                self.app.tr._(
                    "This game is signed in to the training room with a trainee's database login,"
                    " and the room does not let a trainee's login see other people's records."
                    " Supervisors open the desk with their own supervisor login."
                ),
                self.app.tr._("Back"),
            )
        if self.mode is GateMode.CHANGE:
            return (
                self.app.tr._("Supervisor's desk · passphrase"),
                self.app.tr._("Change the passphrase"),
                self.app.tr._(
                    "Type the current passphrase, then the new one twice. Everyone who opens the"
                    " desk on this database will need the new one."
                ),
                self.app.tr._("Change the passphrase"),
            )
        return (
            self.app.tr._("Supervisor's desk"),
            self.app.tr._("Supervisors only"),
            self.app.tr._(
                "Trainees' records and coaching notes are behind the supervisor passphrase."
            ),
            self.app.tr._("Open the desk"),
        )

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        caption, title, self._help, primary = self._texts()
        wide = fonts.scale >= 1.5  # large text: explanation left, fields right, to fit
        card_w = 1280 - 2 * chrome.MARGIN if wide else 640
        x = (1280 - card_w) // 2
        inner = (card_w - 96) // 2 if wide else card_w - 64
        self._header = chrome.header(app, caption, title, inner - 60)
        self._hints = chrome.hints(
            app,
            [
                ("Tab", self.app.tr._("Next")),
                ("Enter", self.app.tr._("Continue")),
                ("Esc", self.app.tr._("Back")),
            ],
            1280 - 2 * chrome.MARGIN,
        )
        y = chrome.TOP + 8
        self._header_y = y
        y += max(self._header.get_height(), 48) + 14
        self._help_y = y
        y += fonts.block_height(self._help, "body", inner) + 18
        self._help_x = x + 32
        left_bottom = y
        if wide:
            x += inner + 32
            y = chrome.TOP + 8
        self._label_ys: dict[str, int] = {}
        for key, field in self.fields.items():
            self._label_ys[key] = y
            y += fonts.block_height(self.labels[key], "caption", inner) + 6
            field.rect = pygame.Rect(x + 32, y, inner, field.height(fonts))
            y = field.rect.bottom + 14
        self._status_y = y
        y += fonts.block_height(self._status() or " ", "small_bold", inner) + 12
        go = Button("go", primary, "primary")
        y = go.place(fonts, x + 32, y, inner) + 10
        back = Button(
            "back",
            self.app.tr._("Back to the desk") if self.desk else self.app.tr._("Back"),
            "ghost",
        )
        y = back.place(fonts, x + 32, y, inner) + 28
        y = max(y, left_bottom)
        self.card = pygame.Rect((1280 - card_w) // 2, chrome.TOP - 12, card_w, y - chrome.TOP + 12)
        self._card_x, self._inner = x + 32, inner
        keep = self.menu.focused is not None
        self.menu.set_buttons([go, back], keep=keep, order=[*self.fields, "go", "back"])
        self.menu.render(fonts, theme)

    def _status(self) -> str:
        return self.form.status()

    # ---- input --------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        focused = self.menu.focused
        field = self.fields.get(focused or "")
        if intent.act is Act.BACK:
            self.leave()
            return
        if intent.act is Act.CLICK:
            for key, candidate in self.fields.items():
                if candidate.rect.collidepoint(intent.pos):
                    self.menu.focus(key)
                    return
        if field is not None:
            if field.handle(intent):
                return
            if intent.act in (Act.SKIP, Act.PICK):
                return  # a space or digit typed into the field arrives as text too
            if intent.act is Act.CONFIRM:
                after = self.form.after_enter(focused or "", self.fields)
                if after is not None:
                    self.menu.focus(after)
                else:
                    self.submit()
                return
        pressed = self.navigate(self.menu, intent)
        if pressed == "go":
            self.submit()
        elif pressed == "back":
            self.leave()

    def leave(self) -> None:
        if self.checking:
            return  # let the check finish first; it only takes a moment
        self.app.play("back")
        self.app.pop()

    def submit(self) -> None:
        """Check what was typed, on a worker thread (scrypt is deliberately slow)."""
        if not self.form.may_submit():
            self.app.play("back")
            return
        self.form.error = self.form.message = ""
        if self.mode is GateMode.REFUSED:
            self.leave()
            return
        if self.mode is GateMode.UNSET:
            if self._mode() is GateMode.CHECK:
                self.app.replace(PassphraseScene(self.app))
            else:
                self._refuse_quietly(self.app.tr._("Still no passphrase: run the command first."))
            return
        if self.mode is GateMode.CHANGE:
            new, again = self.fields["new"].text, self.fields["again"].text
            if len(new.strip()) < passphrase.MIN_LENGTH:
                self._refuse(
                    "new",
                    self.app.tr._(
                        "The passphrase needs at least {MIN_LENGTH} characters.",
                        MIN_LENGTH=passphrase.MIN_LENGTH,
                    ),
                )
                return
            if new != again:
                self._refuse(
                    "again",
                    self.app.tr._("The two new passphrases are not the same. Type it again."),
                    clear=("again",),
                )
                return
        elif not self.fields["phrase"].text:
            self._refuse("phrase", self.app.tr._("Type the passphrase first."))
            return
        self.checking = True
        self._result = None
        typed = {key: field.text for key, field in self.fields.items()}
        store, mode = self.store, self.mode

        def work() -> None:
            from game.records.redact import public_message

            try:
                if mode is GateMode.CHANGE:
                    verdict = check_supervisor(store, typed["old"], wall_clock)
                    if verdict.ok:
                        passphrase.set_passphrase(store, typed["new"], old=typed["old"])
                    self._result = (verdict, "")
                else:
                    self._result = (
                        check_supervisor(store, typed["phrase"], wall_clock),
                        "",
                    )
            except Exception as error:  # shown on the card, not raised into the loop
                self._result = (passphrase.TryResult(False, 0, 0.0), public_message(error))

        self._worker = threading.Thread(target=work, name="passphrase", daemon=True)
        self._worker.start()
        self.layout()

    def _refuse(self, key: str, why: str, clear: tuple[str, ...] = ()) -> None:
        self.form.refuse(why, self.fields, clear)
        self.app.play("back")
        self.layout()
        self.menu.focus(key)

    def _refuse_quietly(self, why: str) -> None:
        self.error = why
        self.app.play("back")
        self.layout()

    def _finish(self, verdict: passphrase.TryResult, problem: str) -> None:
        self.checking = False
        self._worker = None
        if problem:
            self._refuse(
                next(iter(self.fields)),
                self.app.tr._("The passphrase could not be checked: {problem}", problem=problem),
            )
            return
        if not verdict.ok:
            self.failures = verdict.failures
            self.wait = verdict.wait
            secret = "old" if self.mode is GateMode.CHANGE else "phrase"
            if verdict.checked:
                self._refuse(
                    secret, self.app.tr._("That passphrase is not right."), clear=(secret,)
                )
            else:  # another window's wrong try started a wait: this one was not checked
                self._refuse(
                    secret, self.app.tr._("Too many wrong tries on this database."), clear=(secret,)
                )
            return
        self.failures = 0
        self.app.play("select")
        if self.mode is GateMode.CHANGE:
            self.form.forget(self.fields)
            self.app.pop()
            return
        world = self.app.world()
        assert world.campaign is not None
        author = " ".join(self.fields["author"].text.split()) or self.app.tr._(DEFAULT_AUTHOR)
        desk = Desk(self.store, world.campaign, world.catalog, author, self.app.tr)
        self.app.replace(self.app.open(Route.DESK_OVERVIEW, desk))

    # ---- per frame ----------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        panel(surface, self.card, theme)
        x, inner = self._help_x, self._inner
        lock = pygame.Rect(x + inner - 44, self._header_y + 6, 44, 44)
        pygame.draw.rect(surface, theme.accent_soft, lock, border_radius=12)
        icon_lock(surface, lock.inflate(-16, -14), theme.accent)
        surface.blit(self._header, (x, self._header_y))
        fonts.draw_block(surface, self._help, "body", theme.text_dim, x, self._help_y, inner)
        x = self._card_x
        focused = self.menu.focused
        for key, field in self.fields.items():
            fonts.draw_block(
                surface,
                self.labels[key],
                "caption",
                theme.text_faint,
                x,
                self._label_ys[key],
                inner,
            )
            field.draw(surface, fonts, theme, key == focused, app.clock)
        status = self._status()
        if status:
            tone = theme.bad if self.error else theme.text_dim
            fonts.draw_block(surface, status, "small_bold", tone, x, self._status_y, inner)
        self.menu.draw(surface, fonts, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))
