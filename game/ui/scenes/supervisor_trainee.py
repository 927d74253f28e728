"""A trainee's page on the desk: every attempt, competency averages, weakest principles.

The left column says where to coach (the competencies averaged over every finished call,
and the guide principles this trainee broke on the most turns, with the rule itself); the
right lists every attempt, newest first, and a finished one opens with its transcript,
anger curve and turn-by-turn feedback.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pygame

from game.i18n.translator import ENGLISH, N_, Translator
from game.records.api import Attempt, AttemptStatus, PrincipleTally, Trainee
from game.training import Drill, trainee_drills
from game.ui import chrome
from game.ui.draw import panel
from game.ui.intents import Act, Intent
from game.ui.scene import Scene
from game.ui.scenes.supervisor import Desk, when
from game.ui.widgets import Button, Menu, ScoreBars, ScrollView
from game.ui.words import due_words

if TYPE_CHECKING:
    from game.ui.window import App

LEFT_W = 470
GAP = 24
WEAKEST = 5
MANAGE = "manage"


RATINGS = (N_("good"), N_("partial"), N_("bad"))  # how an attempt ended, shown as "{rating} ending"


def attempt_text(desk: Desk, attempt: Attempt, tr: Translator = ENGLISH) -> tuple[str, str]:
    """(label, detail) of one attempt: level, date, score, grade, outcome, passed."""
    level = desk.level_name(attempt.scenario_id)
    stamp = when(attempt.started_at, tr.lang)
    turns = tr._n("{n} turn", "{n} turns", attempt.turn_count)
    if attempt.status is AttemptStatus.COMPLETED:
        verdict = tr._("Passed") if attempt.passed else tr._("Not passed")
        ending = desk.catalog.endings.get(attempt.outcome or "")
        outcome = ending.label if ending is not None else (attempt.outcome or "")
        # i18n: {rating} is good, partial or bad
        rating = tr._("{rating} ending", rating=tr._(attempt.rating)) if attempt.rating else ""
        label = tr._("{level} — {score} · grade {grade} · {verdict}", level=level,
                     score=attempt.score, grade=attempt.grade, verdict=verdict)  # fmt: skip
        if attempt.exam:
            label = tr._("{label} · exam", label=label)
        detail = " · ".join(p for p in (stamp, outcome, rating, turns) if p)
    elif attempt.status is AttemptStatus.ABANDONED:
        label = tr._("{level} — left before the end · not scored", level=level)
        detail = f"{stamp} · {turns}"
    else:
        label = tr._("{level} — in progress", level=level)
        detail = f"{stamp} · {turns}"
    return label, detail


class TraineeScene(Scene):
    name = "supervisor-trainee"

    def __init__(self, app: App, desk: Desk, trainee: Trainee) -> None:
        super().__init__(app)
        self.desk = desk
        self.trainee = trainee
        self.attempts: tuple[Attempt, ...] = ()
        self.note_count: dict[int, int] = {}  # attempt id → coaching notes on it
        self.gone = False  # the profile was deleted from this page
        self.averages: dict[str, float | None] = {}
        self.weakest: tuple[PrincipleTally, ...] = ()
        self.drills: tuple[Drill, ...] = ()  # levels due in a drill (game/training/practice.py)
        self.passed = 0
        self.stuck: tuple[str, ...] = ()
        self.cohort: str | None = None  # the intake group (Tab moves them between groups)
        self.cohorts: tuple[str, ...] = ()
        self.view = ScrollView()
        self.side = ScrollView()
        self.menu = Menu()
        self._content: pygame.Surface | None = None
        self._side: pygame.Surface | None = None

    def load(self) -> None:
        store, tid = self.desk.store, self.trainee.id
        self.attempts = tuple(
            sorted(store.attempts(trainee_id=tid), key=lambda a: (a.started_at, a.id), reverse=True)
        )
        self.note_count = {}
        for note in store.notes_for_trainee(tid):
            self.note_count[note.attempt_id] = self.note_count.get(note.attempt_id, 0) + 1
        self.averages = dict(store.competency_averages(tid))
        self.weakest = store.weakest_principles(tid, WEAKEST)
        self.cohort = store.trainee_cohorts().get(tid)
        self.cohorts = tuple(name for name, _ in store.cohorts())
        bests = store.level_bests(tid)
        self.passed = sum(1 for b in bests.values() if b.passed)
        from game.records.api import STUCK_AFTER_FAILS

        self.stuck = tuple(
            sid for sid, b in bests.items() if not b.passed and b.failed >= STUCK_AFTER_FAILS
        )

    def _load_drills(self) -> None:
        """The trainee's drill, off the frame (it explores each level once)."""
        desk, tid = self.desk, self.trainee.id
        self.app.later(
            lambda: trainee_drills(desk.store, desk.campaign, desk.catalog, tid), self._drills_ready
        )

    def _drills_ready(self, drills: tuple[Drill, ...]) -> None:
        self.drills = drills
        if self.app.top is self:
            self.layout()

    def enter(self) -> None:
        self.load()
        self._load_drills()
        self.sync()  # laid out once, here or by App.push after enter
        if self.menu.ring.keys:
            self.menu.focus(self.menu.ring.keys[0])

    def resume(self) -> None:
        if self.gone:  # the profile was deleted: back to the overview
            self.app.pop()
            return
        self.load()
        self.layout()

    # ---- layout -------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        width = 1280 - 2 * chrome.MARGIN
        self._header = chrome.header(
            app, self.app.tr._("Supervisor's desk · trainee"), self.trainee.name, width
        )
        levels = len(self.desk.campaign.levels)
        count = len(self.attempts)
        parts = [
            self.app.tr._n("{n} attempt", "{n} attempts", count),
            self.app.tr._("{passed} of {levels} levels passed", passed=self.passed, levels=levels),
            self.app.tr._("last active {when}", when=when(self.trainee.last_active, self.app.lang))
            if self.trainee.last_active
            else self.app.tr._("not played yet"),
            self.app.tr._("cohort {cohort}", cohort=self.cohort)
            if self.cohort
            else self.app.tr._("in no cohort"),
        ]
        if self.drills:
            now = datetime.now(UTC)
            parts.append(self.app.tr._("practice {levels}", levels=", ".join(
                f"{self.desk.level_name(d.scenario_id)} {due_words(d, now, self.app.tr)}"
                for d in self.drills
            )))  # fmt: skip
        self._sub = " · ".join(parts)
        if self.stuck:
            names = ", ".join(self.desk.level_name(s) for s in self.stuck)
            self._stuck = self.app.tr._(
                "⚠ Stuck: {names} (failed several times, not passed yet)", names=names
            )
        else:
            self._stuck = ""
        top = chrome.TOP + self._header.get_height() + 8
        self._sub_y = top
        top += fonts.block_height(self._sub, "body", width)
        self._stuck_y = top + 2
        if self._stuck:
            top += fonts.block_height(self._stuck, "small_bold", width) + 4
        top += 16
        self._hints = chrome.hints(
            app,
            [
                ("↑↓", self.app.tr._("Move")),
                ("Enter", self.app.tr._("Open the attempt")),
                ("Tab", self.app.tr._("Cohort")),
                ("Esc", self.app.tr._("Back")),
            ],
            width,
        )
        bottom = chrome.footer_y(app, self._hints) - 16
        # under the left column: rename or delete the profile
        manage = Button(MANAGE, self.app.tr._("Rename or delete…"), "secondary")
        manage_h = manage.measure(fonts, LEFT_W)
        manage.place(fonts, chrome.MARGIN, bottom - manage_h, LEFT_W)
        # the left column: competencies and weakest principles, scrollable if tall
        self.side.rect = pygame.Rect(chrome.MARGIN, top, LEFT_W, bottom - top - manage_h - 12)
        self.side.line = fonts.line_height("body")
        self._side = self._paint_side(LEFT_W)
        self.side.set_content(self._side.get_height())
        # the right column: every attempt
        right_x = chrome.MARGIN + LEFT_W + GAP
        right_w = width - LEFT_W - GAP
        self._list_card = pygame.Rect(right_x, top, right_w, bottom - top)
        cap_h = fonts.line_height("caption") + 14
        self.view.rect = pygame.Rect(
            right_x + 16, top + 16 + cap_h, right_w - 46, bottom - top - 32 - cap_h
        )
        self.view.line = fonts.line_height("body")
        buttons: list[Button] = []
        y = 0
        for attempt in self.attempts:
            label, detail = attempt_text(self.desk, attempt, self.app.tr)
            notes = self.note_count.get(attempt.id, 0)
            if notes:  # the calls already coached show it
                detail += self.app.tr._n(" · ✉ {n} note", " · ✉ {n} notes", notes)
            done = attempt.status is AttemptStatus.COMPLETED
            badge = (
                "!" if attempt.scenario_id in self.stuck and done and not attempt.passed else None
            )
            button = Button(
                f"attempt:{attempt.id}",
                label,
                "choice" if done else "ghost",
                detail=detail,
                badge=badge,
                view=self.view,
                enabled=done,
            )
            y = button.place(fonts, 4, y + 4, self.view.rect.width - 8) + 6
            buttons.append(button)
        if not self.attempts:
            y = fonts.block_height(self.app.tr._("No calls yet."), "body", self.view.rect.width)
        self.view.set_content(y + 4)
        order = [*(b.key for b in buttons if b.enabled), MANAGE]
        self.menu.set_buttons([*buttons, manage], keep=True, order=order)
        self.menu.render(fonts, theme)

    def _paint_side(self, width: int) -> pygame.Surface:
        fonts, theme, catalog = self.app.fonts, self.app.theme, self.desk.catalog
        inner = width - 40
        finished = sum(1 for a in self.attempts if a.status is AttemptStatus.COMPLETED)
        comp_title = self.app.tr._n(
            "COMPETENCIES · AVERAGE OF {n} FINISHED CALL",
            "COMPETENCIES · AVERAGE OF {n} FINISHED CALLS",
            finished,
        )
        comp_h = 20 + fonts.block_height(comp_title, "caption", inner) + 12
        bars = ScoreBars(fonts, list(catalog.competencies.values()), inner)
        comp_h += bars.height + 12
        blocks: list[tuple[str, str]] = []  # (id · title, "N turns")
        for tally in self.weakest:
            principle = catalog.principles.get(tally.principle)
            title = principle.title if principle is not None else tally.principle
            times = self.app.tr._n("{n} turn", "{n} turns", tally.broken)
            blocks.append((f"{tally.principle} · {title}", times))
        count_w = fonts.width(self.app.tr._n("{n} turn", "{n} turns", 999), "small_bold") + 12
        weak_title = self.app.tr._("PRINCIPLES BROKEN MOST OFTEN · ON HOW MANY TURNS")
        weak_h = 20 + fonts.block_height(weak_title, "caption", inner) + 12
        if not blocks:
            weak_h += fonts.block_height(self._no_breaks(), "small", inner) + 4
        for head, _ in blocks:
            weak_h += fonts.block_height(head, "small_bold", inner - count_w) + 10
        weak_h += 10
        side = pygame.Surface((width, comp_h + GAP + weak_h), pygame.SRCALPHA)
        # competencies, as the debrief draws them
        panel(side, pygame.Rect(0, 0, width, comp_h), theme, shadow=False)
        y = fonts.draw_block(side, comp_title, "caption", theme.text_faint, 20, 20, inner) + 12
        rows = [(label, self.averages.get(cid)) for cid, label in catalog.competencies.items()]
        bars.draw(side, theme, rows, 20, y)
        # weakest principles
        top = comp_h + GAP
        panel(side, pygame.Rect(0, top, width, weak_h), theme, shadow=False)
        y = (
            fonts.draw_block(side, weak_title, "caption", theme.text_faint, 20, top + 20, inner)
            + 12
        )
        if not blocks:
            fonts.draw_block(side, self._no_breaks(), "small", theme.text_dim, 20, y, inner)
        for head, times in blocks:
            bottom = fonts.draw_block(side, head, "small_bold", theme.text, 20, y, inner - count_w)
            count = fonts.render(times, "small_bold", theme.bad)
            side.blit(count, count.get_rect(topright=(width - 20, y)))
            y = bottom + 10
        return side

    def _no_breaks(self) -> str:
        if not self.attempts:
            return self.app.tr._("Nothing yet: no calls played.")
        return self.app.tr._("No turn of theirs has gone against a guide principle so far.")

    # ---- input --------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        if intent.act is Act.BACK:
            self.app.play("back")
            self.app.pop()
            return
        if intent.act is Act.NEXT:
            self.next_cohort()
            return
        if intent.act is Act.SCROLL and self.side.contains(pygame.mouse.get_pos()):
            self.side.handle(intent)
            return
        if self.view.handle(intent):
            return
        key = self.navigate(self.menu, intent)
        if key == MANAGE:
            self.manage()
        elif key is not None and key.startswith("attempt:"):
            self.open(int(key.split(":", 1)[1]))

    def manage(self) -> None:
        from game.ui.scenes.profile_manage import ProfileManageScene

        def changed(trainee: Trainee | None) -> None:
            if trainee is None:  # erased: its page goes too, under the confirmation
                self.gone = True
            else:
                self.trainee = trainee

        self.app.play("select")
        self.app.push(
            ProfileManageScene(
                self.app, self.desk.store, self.trainee, on_change=changed, supervisor=True
            )
        )

    def next_cohort(self) -> None:
        """Move the trainee to the next cohort there is, then to none (new cohorts are made
        with `hold-the-line cohort set`)."""
        choices: tuple[str | None, ...] = (*self.cohorts, None)
        at = choices.index(self.cohort) if self.cohort in choices else len(choices) - 1
        self.cohort = self.desk.store.set_cohort(self.trainee.id, choices[(at + 1) % len(choices)])
        self.app.play("move")
        self.layout()

    def open(self, attempt_id: int) -> None:
        from game.ui.scenes.supervisor_attempt import open_attempt

        open_attempt(self.app, self.desk, attempt_id)

    def update(self, dt: float) -> None:
        self.view.update(dt, not self.app.motion)
        self.side.update(dt, not self.app.motion)

    # ---- drawing ------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        width = 1280 - 2 * chrome.MARGIN
        surface.blit(app.backdrop, (0, 0))
        surface.blit(self._header, (chrome.MARGIN, chrome.TOP))
        fonts.draw_block(
            surface, self._sub, "body", theme.text_dim, chrome.MARGIN, self._sub_y, width
        )
        if self._stuck:
            fonts.draw_block(
                surface, self._stuck, "small_bold", theme.bad, chrome.MARGIN, self._stuck_y, width
            )
        if self._side is not None:
            self.side.blit(surface, self._side)
            self.side.draw_scrollbar(surface, theme)
        panel(surface, self._list_card, theme)
        cap = fonts.render(
            self.app.tr._("EVERY ATTEMPT · NEWEST FIRST"), "caption", theme.text_faint
        )
        surface.blit(cap, (self._list_card.x + 20, self._list_card.y + 18))
        if not self.attempts:
            fonts.draw_block(surface, self.app.tr._("No calls yet."), "body", theme.text_dim,
                             self.view.rect.x + 4, self.view.rect.y, self.view.rect.width)  # fmt: skip
        self.menu.draw(surface, fonts, theme)
        self.view.draw_scrollbar(surface, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))
