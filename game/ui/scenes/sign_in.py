"""Sign-in: a trainee with a PIN types it before anything of theirs is shown.

Profiles given a PIN by the room's administrator (`hold-the-line room add-trainee`, `room
reset`) ask for it whenever they are picked, from the profile list or "Continue" on the
title; nothing of theirs (levels, history, unread notes) is read before. The PIN is checked
against its salted scrypt hash on a worker thread (it is slow on purpose), and every wrong
PIN makes the next try wait longer; the count is kept on the trainee's row, so leaving and
coming back, or another window, does not reset it. Profiles without a PIN go straight in.

On a PostgreSQL room the real sign-in is the trainee's own database login (the server shows
a login nothing of anyone else's); a PIN there is an extra lock on a shared computer. When the
game's URL gives no usable password (nothing in ~/.pgpass or PGPASSWORD, or a wrong one), or
a profile picked on a shared connection has a login of its own, `LoginScene` asks for the login
name and password and connects as that login — on a worker thread, as the first connect does
behind the title, so the window keeps drawing. A refused login is said in words; wrong tries
wait longer each time (the PIN's schedule: on the trainee's row when there is a connection to
keep it, otherwise in this process). The password is kept only in the field and the URL handed
to the driver: it is never drawn (dots), logged or put in a message.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pygame

import game.training as training
from game.i18n.translator import N_
from game.records import passphrase
from game.training import LocalThrottle
from game.ui import chrome
from game.ui.draw import icon_lock, panel
from game.ui.intents import Act, Intent
from game.ui.scene import Scene
from game.ui.scenes.background_check import BackgroundCheck
from game.ui.scenes.supervisor import SecretField
from game.ui.widgets import Button, Menu, TextField, text_input

if TYPE_CHECKING:
    from game.records.api import Store, Trainee
    from game.ui.window import App

FIELD = "pin"
wall_clock = time.time  # the shared wait is in real time (tests follow the app's clock)
_cleared: dict[int, int] = {}  # id(app) → the trainee who just signed in there (used once)


def needs_pin(app: App, trainee: Trainee) -> bool:
    return training.needs_pin(app.world().store, trainee.id)


def own_login(app: App, trainee: Trainee) -> str | None:
    return training.own_login(app.world().store, trainee.id)


def shows_private(app: App, trainee: Trainee) -> bool:
    """May this trainee's own things (unread notes) be shown before anyone signs in?"""
    return training.shows_private(app.world().store, app.trainee, trainee)


def sign_in_first(app: App, trainee: Trainee, then: Callable[[Trainee], None]) -> bool:
    """Push the sign-in for a trainee with a PIN, or with a database login of their own that
    the game is not connected as, and return True (`then(trainee)` runs once they are in);
    False when there is nothing to ask and the caller carries on."""
    if _cleared.pop(id(app), None) == trainee.id:
        return False
    login = own_login(app, trainee)
    if login is not None:

        def signed_in() -> None:
            _cleared[id(app)] = trainee.id  # the password was asked: no PIN on top
            then(trainee)

        app.push(LoginScene(app, signed_in, login=login, trainee=trainee))
        return True
    if not needs_pin(app, trainee):
        return False
    app.push(SignInScene(app, trainee, then))
    return True


class SignInScene(BackgroundCheck["passphrase.Verdict | None"], Scene):
    name = "sign-in"

    def __init__(self, app: App, trainee: Trainee, then: Callable[[Trainee], None]) -> None:
        super().__init__(app)
        self.trainee = trainee
        self.then = then
        self.field = SecretField(app.tr._("PIN or password"), passphrase.PIN_MAX)
        self.menu = Menu()
        self.error = ""
        store = app.world().store
        assert store is not None
        self.store = store
        self.failures = store.trainee_pin(trainee.id)[1]
        self.wait = passphrase.pin_wait_left(store, trainee.id, wall_clock)
        self.checking = False
        self._result: tuple[passphrase.Verdict | None, str] | None = None
        self._worker: threading.Thread | None = None

    # ---- life cycle ---------------------------------------------------------------------------

    def enter(self) -> None:
        self.layout()
        self.menu.focus(FIELD)
        text_input(True)

    def exit(self) -> None:
        if self._worker is not None:
            self._worker.join(timeout=10)

    # ---- layout -------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        card_w = 640
        x = (1280 - card_w) // 2
        inner = card_w - 64
        self._header = chrome.header(app, self.app.tr._("Sign in"), self.trainee.name, inner - 60)
        self._help = self.app.tr._(
            "Type the PIN or password your trainer gave {name}. Your scores, history and your supervisor's notes open after it.",
            name=self.trainee.name,
        )
        self._hints = chrome.hints(
            app,
            [("Enter", self.app.tr._("Sign in")), ("Esc", self.app.tr._("Back"))],
            1280 - 2 * chrome.MARGIN,
        )
        y = chrome.TOP + 8
        self._header_y = y
        y += max(self._header.get_height(), 48) + 14
        self._help_y = y
        y += fonts.block_height(self._help, "body", inner) + 18
        self._label_y = y
        y += fonts.line_height("caption") + 6
        self.field.rect = pygame.Rect(x + 32, y, inner, self.field.height(fonts))
        y = self.field.rect.bottom + 14
        self._status_y = y
        y += fonts.block_height(self._status() or " ", "small_bold", inner) + 12
        go = Button("go", self.app.tr._("Sign in"), "primary")
        y = go.place(fonts, x + 32, y, inner) + 10
        back = Button("back", self.app.tr._("Back"), "ghost")
        y = back.place(fonts, x + 32, y, inner) + 28
        self.card = pygame.Rect(x, chrome.TOP - 12, card_w, y - chrome.TOP + 12)
        self._x, self._inner = x + 32, inner
        keep = self.menu.focused is not None
        self.menu.set_buttons([go, back], keep=keep, order=[FIELD, "go", "back"])
        self.menu.render(fonts, theme)

    def _status(self) -> str:
        if self.checking:
            return self.app.tr._("Checking…")
        if self.wait > 0:
            return self.app.tr._(
                "{error} Try again in {seconds_left} s.",
                error=self.error,
                seconds_left=self.seconds_left,
            ).strip()
        return self.error

    # ---- input --------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        if intent.act is Act.BACK:
            self.leave()
            return
        if intent.act is Act.CLICK and self.field.rect.collidepoint(intent.pos):
            self.menu.focus(FIELD)
            return
        if self.menu.focused == FIELD:
            if self.field.handle(intent):
                return
            if intent.act in (Act.SKIP, Act.PICK):
                return  # a space or digit typed into the field arrives as text too
            if intent.act is Act.CONFIRM:
                self.submit()
                return
        pressed = self.navigate(self.menu, intent)
        if pressed == "go":
            self.submit()
        elif pressed == "back":
            self.leave()

    def leave(self) -> None:
        if self.checking:
            return
        self.app.play("back")
        self.app.pop()

    def submit(self) -> None:
        if self.checking or self.wait > 0:
            self.app.play("back")
            return
        if not self.field.text:
            self._refuse(self.app.tr._("Type the PIN first."))
            return
        self.checking = True
        self._result = None
        store, trainee_id, typed = self.store, self.trainee.id, self.field.text

        def work() -> None:
            from game.records.redact import public_message

            try:
                self._result = (passphrase.check_pin(store, trainee_id, typed, wall_clock), "")
            except passphrase.ProfileClosed as closed:
                self._result = (None, f"{closed}.")
            except Exception as error:  # shown on the card, not raised into the loop
                self._result = (
                    None,
                    self.app.tr._(
                        "The PIN could not be checked: {public_message}",
                        public_message=public_message(error),
                    ),
                )

        self._worker = threading.Thread(target=work, name="sign-in", daemon=True)
        self._worker.start()
        self.layout()

    def _refuse(self, why: str) -> None:
        self.error = why
        self.field.text = ""
        self.app.play("back")
        self.layout()
        self.menu.focus(FIELD)

    def _finish(self, verdict: passphrase.Verdict | None, problem: str) -> None:
        self.checking = False
        self._worker = None
        if verdict is None:
            self._refuse(problem)
            return
        if not verdict.ok:
            self.failures = verdict.failures
            self.wait = verdict.wait
            self._refuse(
                self.app.tr._("That PIN is not right.")
                if verdict.checked
                else self.app.tr._("Too many wrong PINs for this profile.")
            )
            return
        self.app.play("select")
        _cleared[id(self.app)] = self.trainee.id
        self.app.pop()
        self.then(self.trainee)

    # ---- per frame ----------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        panel(surface, self.card, theme)
        x, inner = self._x, self._inner
        lock = pygame.Rect(x + inner - 44, self._header_y + 6, 44, 44)
        pygame.draw.rect(surface, theme.accent_soft, lock, border_radius=12)
        icon_lock(surface, lock.inflate(-16, -14), theme.accent)
        surface.blit(self._header, (x, self._header_y))
        fonts.draw_block(surface, self._help, "body", theme.text_dim, x, self._help_y, inner)
        fonts.draw_block(
            surface, self.app.tr._("PIN"), "caption", theme.text_faint, x, self._label_y, inner
        )
        self.field.draw(surface, fonts, theme, self.menu.focused == FIELD, app.clock)
        status = self._status()
        if status:
            tone = theme.bad if self.error else theme.text_dim
            fonts.draw_block(surface, status, "small_bold", tone, x, self._status_y, inner)
        self.menu.draw(surface, fonts, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))


# ---- PostgreSQL: signing in with the trainee's own database login ----------------------------

LOGIN_FIELD = "login"
PASSWORD_FIELD = "password"
PASSWORD_MAX = 200
REFUSED = N_(
    "That login name or password is not right. Type them exactly as your trainer gave them"
    " (capital letters count)."
)
# Wrong passwords per (database URL without a login, login) when there is no connection to
# keep the count on the trainee's row: (failures, wall-clock time of the last one).
_login_failures = LocalThrottle()


def open_as(url: str) -> Store:
    """Open the records as the login in `url` (the worker thread's job; tests may wrap it)."""
    from game.records.store import open_store

    store = open_store(url)
    try:
        store.abandon_stale()
    except Exception:
        store.close()
        raise
    return store


class LoginScene(BackgroundCheck["Store | None"], Scene):
    """Login name and password for a PostgreSQL room; connects as that login, off the window's
    thread, and hands the new connection to the app (`App.use_store`) before `then()`."""

    name = "sign-in-login"

    def __init__(
        self,
        app: App,
        then: Callable[[], None],
        *,
        login: str = "",
        trainee: Trainee | None = None,
    ) -> None:
        super().__init__(app)
        from game.records.store import url_login, url_with_login

        self.then = then
        self.trainee = trainee
        self.base_url = app.config.db or ""
        self._room_key = url_with_login(self.base_url, "", "")  # the room, whoever signs in
        self.login = TextField(app.tr._("Login name"), 63)
        self.login.text = login or url_login(self.base_url)
        self.password = SecretField(app.tr._("Password"), PASSWORD_MAX)
        self.menu = Menu()
        self.error = ""
        self.checking = False
        self._result: tuple[Store | None, str] | None = None
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()
        self._gone = False  # left (Back is refused while connecting; quitting is not)
        self.wait = self._wait_left(self.login.text)

    # ---- the wait after wrong passwords (the PIN's schedule) -----------------------------------

    def _shared_store(self) -> Store | None:
        """A connection that may keep the count on the trainee's row, if there is one."""
        store = self.app.world().store
        return store if self.trainee is not None and store is not None else None

    def _wait_left(self, login: str) -> float:
        store = self._shared_store()
        if store is not None and self.trainee is not None:
            return passphrase.pin_wait_left(store, self.trainee.id, wall_clock)
        return _login_failures.wait_left((self._room_key, login), wall_clock())

    def _count_failure(self, login: str) -> None:
        store = self._shared_store()
        if store is not None and self.trainee is not None:
            try:
                store.count_pin_failure(self.trainee.id, datetime.fromtimestamp(wall_clock(), UTC))
                self.wait = passphrase.pin_wait_left(store, self.trainee.id, wall_clock)
                return
            except Exception as error:  # counted here instead; the wait still applies
                from game.ui.errors import log_exception

                log_exception(error, "counting a refused sign-in")
        self.wait = _login_failures.count_failure((self._room_key, login), wall_clock())

    def _clear_failures(self, login: str) -> None:
        _login_failures.clear((self._room_key, login))
        shared = self._shared_store()
        if shared is not None and self.trainee is not None:
            try:  # on the connection that counted them, before it is replaced
                shared.clear_pin_failures(self.trainee.id)
            except Exception as error:  # the count stays; signing in does not depend on it
                from game.ui.errors import log_exception

                log_exception(error, "clearing refused sign-ins")

    # ---- life cycle ---------------------------------------------------------------------------

    def enter(self) -> None:
        self.layout()
        self.menu.focus(PASSWORD_FIELD if self.login.text else LOGIN_FIELD)
        text_input(True)

    def exit(self) -> None:
        # Never wait for a connection in flight (quitting always works): a connection that
        # arrives after the scene is gone is closed by its worker.
        self.password.text = ""
        with self._lock:
            self._gone = True
            late = self._result if self.checking else None
            self._result = None
        if late is not None and late[0] is not None:
            late[0].close()

    # ---- layout -------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        card_w = 640
        x = (1280 - card_w) // 2
        inner = card_w - 64
        who = self.trainee.name if self.trainee is not None else self.app.tr._("Training records")
        self._header = chrome.header(app, self.app.tr._("Sign in"), who, inner - 60)
        self._help = self.app.tr._(
            "Type the login name and password your trainer gave you. Your scores, history and"
            " your supervisor's notes open after it."
        )
        self._hints = chrome.hints(
            app, [("Tab", self.app.tr._("Next")), ("Enter", self.app.tr._("Sign in")), ("Esc", self.app.tr._("Back"))],
            1280 - 2 * chrome.MARGIN,
        )  # fmt: skip
        y = chrome.TOP + 8
        self._header_y = y
        y += max(self._header.get_height(), 48) + 14
        self._help_y = y
        y += fonts.block_height(self._help, "body", inner) + 18
        self._labels: list[tuple[str, int]] = []
        for label, field in (
            (self.app.tr._("Login name"), self.login),
            (self.app.tr._("Password"), self.password),
        ):
            self._labels.append((label, y))
            y += fonts.line_height("caption") + 6
            field.rect = pygame.Rect(x + 32, y, inner, field.height(fonts))
            y = field.rect.bottom + 12
        self._status_y = y
        y += fonts.block_height(self._status() or " ", "small_bold", inner) + 12
        go = Button("go", self.app.tr._("Sign in"), "primary")
        y = go.place(fonts, x + 32, y, inner) + 10
        back = Button("back", self.app.tr._("Back"), "ghost")
        y = back.place(fonts, x + 32, y, inner) + 28
        self.card = pygame.Rect(x, chrome.TOP - 12, card_w, y - chrome.TOP + 12)
        self._x, self._inner = x + 32, inner
        keep = self.menu.focused is not None
        order = [LOGIN_FIELD, PASSWORD_FIELD, "go", "back"]
        self.menu.set_buttons([go, back], keep=keep, order=order)
        self.menu.render(fonts, theme)

    def _status(self) -> str:
        if self.checking:
            return self.app.tr._("Connecting…")
        if self.wait > 0:
            return self.app.tr._(
                "{error} Try again in {seconds_left} s.",
                error=self.error,
                seconds_left=self.seconds_left,
            ).strip()
        return self.error

    # ---- input --------------------------------------------------------------------------------

    def _field(self) -> TextField | None:
        return {LOGIN_FIELD: self.login, PASSWORD_FIELD: self.password}.get(self.menu.focused or "")

    def handle(self, intent: Intent) -> None:
        if intent.act is Act.BACK:
            self.leave()
            return
        if intent.act is Act.CLICK:
            for key, box in ((LOGIN_FIELD, self.login), (PASSWORD_FIELD, self.password)):
                if box.rect.collidepoint(intent.pos):
                    self.menu.focus(key)
                    return
        field = self._field()
        if field is not None:
            if field.handle(intent):
                return
            if intent.act in (Act.SKIP, Act.PICK):
                return  # a space or digit typed into the field arrives as text too
            if intent.act is Act.CONFIRM:
                if field is self.login:
                    self.menu.focus(PASSWORD_FIELD)
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
            return
        self.app.play("back")
        self.app.pop()

    def submit(self) -> None:
        if self.checking or self.wait > 0:
            self.app.play("back")
            return
        login = self.login.text.strip()
        if not login:
            self._refuse(self.app.tr._("Type your login name first."), LOGIN_FIELD)
            return
        if not self.password.text:
            self._refuse(self.app.tr._("Type your password first."), PASSWORD_FIELD)
            return
        self.wait = self._wait_left(login)
        if self.wait > 0:
            self._refuse(self.app.tr._("Wait a moment before the next try."), PASSWORD_FIELD)
            return
        from game.records.store import url_with_login

        url = url_with_login(self.base_url, login, self.password.text)
        self.checking = True
        self._result = None
        self._login = login

        def work() -> None:
            from game.records.redact import public_message
            from game.records.store import login_refused

            result: tuple[Store | None, str]
            try:
                result = (open_as(url), "")
            except Exception as error:  # said on the card, never raised into the loop
                if login_refused(error):
                    result = (None, REFUSED)
                else:
                    why = public_message(error)
                    result = (
                        None,
                        self.app.tr._("The training records could not be opened: {why}", why=why),
                    )
            with self._lock:
                if not self._gone:
                    self._result = result
                    return
            if result[0] is not None:
                result[0].close()

        self._worker = threading.Thread(target=work, name="sign-in-login", daemon=True)
        self._worker.start()
        self.layout()

    def _refuse(self, why: str, focus: str) -> None:
        self.error = why
        self.password.text = ""
        self.app.play("back")
        self.layout()
        self.menu.focus(focus)

    def _finish(self, store: Store | None, problem: str) -> None:
        self.checking = False
        self._worker = None
        login = self._login
        if store is None:
            if problem == REFUSED:
                self._count_failure(login)
            self._refuse(self.app.tr._(REFUSED) if problem == REFUSED else problem, PASSWORD_FIELD)
            return
        self.password.text = ""
        self._clear_failures(login)
        self.app.use_store(store)
        self.app.play("select")
        self.app.pop()
        self.then()

    # ---- per frame ----------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        panel(surface, self.card, theme)
        x, inner = self._x, self._inner
        lock = pygame.Rect(x + inner - 44, self._header_y + 6, 44, 44)
        pygame.draw.rect(surface, theme.accent_soft, lock, border_radius=12)
        icon_lock(surface, lock.inflate(-16, -14), theme.accent)
        surface.blit(self._header, (x, self._header_y))
        fonts.draw_block(surface, self._help, "body", theme.text_dim, x, self._help_y, inner)
        for label, y in self._labels:
            fonts.draw_block(surface, label, "caption", theme.text_faint, x, y, inner)
        self.login.draw(surface, fonts, theme, self.menu.focused == LOGIN_FIELD, app.clock)
        self.password.draw(surface, fonts, theme, self.menu.focused == PASSWORD_FIELD, app.clock)
        status = self._status()
        if status:
            tone = theme.bad if self.error else theme.text_dim
            fonts.draw_block(surface, status, "small_bold", tone, x, self._status_y, inner)
        self.menu.draw(surface, fonts, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))
