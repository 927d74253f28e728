"""The debrief: how the call went and why, turn by turn.

The header gives the outcome, the score, the grade and pass or fail against the level's
pass mark. Below, one scrolling page: the anger curve with every turn marked good or bad,
the competency bars, the Listen → Recap → Apologise → Resolve steps, and every turn with its
effects and the guide principle each one cites (title and rule from the catalog). Framed,
as the guides ask, as a chance to win the customer back and learn (G-CALM-4, G-CLOSE-5).
"""

from __future__ import annotations

__all__ = ["LEGEND", "DebriefScene", "headline", "turn_heading"]

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

import pygame

from game.engine.bands import band_for
from game.engine.catalog import Catalog
from game.engine.scoring import Debrief
from game.i18n import formats
from game.training import is_hard, next_unlocked
from game.ui import chrome
from game.ui.draw import aa_circle, panel
from game.ui.intents import WHEEL, Act, Intent
from game.ui.navigator import Route
from game.ui.scene import Scene
from game.ui.scenes.debrief_cards import (
    CHART_H,
    CHART_MIN,
    GAP,
    LEFT_W,
    LEGEND,
    DebriefCards,
    headline,
    turn_heading,
)
from game.ui.widgets import Button, Menu, ScrollView

if TYPE_CHECKING:
    from game.records.api import Note
    from game.scenario.campaign import Level
    from game.ui.window import App

CUE_GAP = 4  # between a cut left column and its "More below" chip


class DebriefScene(DebriefCards, Scene):
    name = "debrief"
    supervisor = False  # trainee screens speak in principle names; supervisors see codes too

    def __init__(
        self,
        app: App,
        level: Level,
        report: Debrief,
        *,
        review_of: datetime | None = None,
        note: str | None = None,
        coaching: tuple[Note, ...] = (),
        exam: bool = False,
        asked: bool = False,
    ) -> None:
        super().__init__(app)
        world = app.world()
        self.level = level
        self.exam = exam  # the call was an exam: everything it hid is shown here
        self.asked_exam = asked  # "Try again" asks for an exam again
        self.report = report
        self.review_of = review_of
        self.caption = ""  # the header's caption, as laid out
        self.note = note
        self.coaching = coaching  # the supervisor's notes on this call, kept for good
        self.catalog: Catalog = world.catalog
        self.view = ScrollView()  # the turn by turn column: ↑↓, PgUp/PgDn, the wheel
        self.side = ScrollView()  # the left column (chart first); scrolls only if it must
        self.pane = "turns"  # which column the keys scroll (Tab switches when both can)
        self.menu = Menu(horizontal=True)
        self.age = 0.0
        self.hard = is_hard(report) and review_of is None
        self.next_index = self._next_level() if review_of is None else None
        self._page: pygame.Surface | None = None
        self._side_page: pygame.Surface | None = None
        self.cue_rect: pygame.Rect | None = None  # where the "More below" chip was last drawn
        self._building: Iterator[None] = iter(())
        self._chart_h = CHART_H
        self.summary: dict[str, str] = {}
        self._score_w = 360
        self._sub = self._summary_line = ""

    def _next_level(self) -> int | None:
        world = self.app.world()
        assert world.campaign is not None
        levels = world.campaign.levels
        if world.store is None or self.app.trainee is None:
            return None
        bests = world.store.level_bests(self.app.trainee.id)
        return next_unlocked(levels, levels.index(self.level), bests)

    # ---- texts ----------------------------------------------------------------------------------

    # ---- layout ---------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        report = self.report
        width = 1280 - 2 * chrome.MARGIN
        title = self.level.scenario.title.get(app.lang) if self.level.scenario else self.level.title
        if self.review_of is not None:
            played = formats.when(self.review_of, app.lang)
            caption = (
                self.app.tr._(
                    "Exam review · level {number} · {title} · played {strftime}",
                    number=self.level.number,
                    title=title,
                    strftime=played,
                )
                if self.exam  # the call showed no grading: here is all of it
                else self.app.tr._(
                    "Review · level {number} · {title} · played {strftime}",
                    number=self.level.number,
                    title=title,
                    strftime=played,
                )
            )
        elif self.exam:
            caption = self.app.tr._(
                "Exam debrief · level {number} · {title}", number=self.level.number, title=title
            )
        else:
            caption = self.app.tr._(
                "Debrief · level {number} · {title}", number=self.level.number, title=title
            )
        self.caption = caption
        score_w = 360
        self._header = chrome.header(app, caption, self._headline(), width - score_w - 24)
        passed = self.app.tr._("Passed") if report.passed else self.app.tr._("Not passed")
        self.summary = {
            "score": str(report.score),
            "grade": report.grade,
            "passed": passed,
            "pass_mark": self.app.tr._("pass mark {pass_score}", pass_score=report.pass_score),
            "outcome": self._headline(),
        }
        band = band_for(report.final_anger).name
        band = self.app.tr.text(f"band:{band}", band)
        first = dict(report.first_step_turn)
        reached = all(first.get(step) is not None for step in report.required_steps)
        steps = " → ".join(self.catalog.steps[step] for step in report.required_steps)
        if not report.in_order:
            order = self.app.tr._("You jumped ahead of {steps}; see the marked turns.", steps=steps)
        elif reached:
            order = self.app.tr._("You followed {steps} in order.", steps=steps)
        else:
            order = self.app.tr._("You kept to {steps} as far as the call went.", steps=steps)
        # the band's name as translated, never re-cased (Turkish İ/ı): it opens a phrase
        self._sub = self.app.tr._(
            "Where the customer ended: {band} ({final_anger}). {order}",
            band=band,
            final_anger=report.final_anger,
            order=order,
        )
        self._summary_line = self._sub
        if fonts.scale >= 1.5:  # large text: the summary goes to the top of the turns column
            self._sub = ""
        header_h = self._header.get_height() + 8
        if self._sub:
            header_h += fonts.block_height(self._sub, "body", width - score_w - 24)
        self._score_w = score_w
        _, score_h, _ = self._score_layout()
        self._score_rect = pygame.Rect(1280 - chrome.MARGIN - score_w, chrome.TOP, score_w, score_h)
        top = chrome.TOP + max(header_h, score_h) + 18

        # buttons along the bottom
        buttons: list[Button] = []
        if self.review_of is None:
            if self.hard:
                buttons.append(Button("breather", self.app.tr._("Take a breather"), "primary"))
            if self.next_index is not None:
                buttons.append(
                    Button(
                        "next",
                        self.app.tr._("Next level"),
                        "secondary" if self.hard else "primary" if report.passed else "secondary",
                    )
                )
            buttons.append(
                Button(
                    "retry",
                    self.app.tr._("Try again"),
                    "primary"
                    if not (self.hard or (report.passed and self.next_index is not None))
                    else "secondary",
                )
            )
            buttons.append(Button("back", self.app.tr._("Back to the levels"), "ghost"))
        else:
            buttons.append(Button("back", self.app.tr._("Back"), "primary"))
        self._hints = chrome.hints(
            app,
            [
                ("↑↓", self.app.tr._("Read")),
                ("←→", self.app.tr._("Buttons")),
                ("Enter", self.app.tr._("Choose")),
                ("Esc", self.app.tr._("Back")),
            ],
            width,
        )
        foot = chrome.footer_y(app, self._hints)
        bw = [max(170, fonts.width(b.label, "body_bold") + 60) for b in buttons]
        total = sum(bw) + 12 * (len(bw) - 1)
        if total > width - 40:
            scale = (width - 40 - 12 * (len(bw) - 1)) / sum(bw)
            bw = [int(w * scale) for w in bw]
        bh = max(b.measure(fonts, w) for b, w in zip(buttons, bw, strict=True))
        y_buttons = foot - 14 - bh
        x = 1280 - chrome.MARGIN - sum(bw) - 12 * (len(bw) - 1)
        for button, w in zip(buttons, bw, strict=True):
            button.place(fonts, x, y_buttons, w)
            button.rect.height = bh
            x += w + 12
        keep = self.menu.focused is not None
        self.menu.set_buttons(buttons, keep=keep)
        if not keep:
            self.menu.focus(buttons[0].key)
        self.menu.render(fonts, theme)

        self.place_panes(top, y_buttons - 16)
        if self.side.scrollable:  # say how the keys reach the rest of the left column
            keys = [
                ("↑↓", self.app.tr._("Read")),
                ("Tab", self.app.tr._("Other column")),
                ("←→", self.app.tr._("Buttons")),
                ("Enter", self.app.tr._("Choose")),
            ]
            self._hints = chrome.hints(app, [*keys, ("Esc", self.app.tr._("Back"))], width)

    Card = Callable[[pygame.Surface | None, int, int], int]

    def left_cards(self) -> list[Card]:
        """The left column, most important first: it stays put while the turns scroll."""
        return [
            self._curve_card,
            self._notes_card,
            self._competency_card,
            self._steps_card,
            self._points_card,
        ]

    def right_cards(self) -> list[Card]:
        """The right column, which scrolls inside its own pane."""
        return [self._turns_card]

    def place_panes(self, top: int, bottom: int) -> None:
        """Two columns, each scrolling on its own: the chart never leaves with the turns."""
        width = 1280 - 2 * chrome.MARGIN
        height = max(40, bottom - top)
        self.side.rect = pygame.Rect(chrome.MARGIN, top, LEFT_W, height)
        right_x = chrome.MARGIN + LEFT_W + GAP
        self.view.rect = pygame.Rect(right_x, top, width - LEFT_W - GAP - 14, height)
        self.view.line = self.side.line = self.app.fonts.line_height("body")
        self._build_page(width)

    @staticmethod
    def _stack(cards: list[Card], width: int) -> tuple[list[tuple[Card, int]], int]:
        used = [(card, h) for card in cards if (h := card(None, 0, width)) > 0]
        return used, sum(h for _, h in used) + GAP * max(0, len(used) - 1)

    def _paint_stack(self, used: list[tuple[Card, int]], total: int, width: int) -> pygame.Surface:
        page = pygame.Surface((width, max(1, total)), pygame.SRCALPHA)
        y = 0
        for card, h in used:
            card(page, y, width)
            y += h + GAP
        return page

    def _build_page(self, width: int) -> None:
        right_w = self.view.rect.width
        self._turns_x = 0
        # the chart gives up height before anything on the left has to scroll
        self._chart_h = CHART_H
        left, left_h = self._stack(self.left_cards(), LEFT_W)
        spare = self.side.rect.height - left_h
        if spare < 0:
            self._chart_h = max(CHART_MIN, CHART_H + spare)
            left, left_h = self._stack(self.left_cards(), LEFT_W)
        self.side.set_content(left_h)
        if self.side.scrollable:  # the "More below" chip gets a strip of its own, under the column
            self.side.rect.height -= self._cue_height()
            self.side.set_content(left_h)
        right, right_h = self._stack(self.right_cards(), right_w)
        self.view.set_content(right_h + 8)
        if not self.side.scrollable:
            self.pane = "turns"
        self._building = self._paint_columns(left, left_h, right, right_h, right_w)

    def _paint_columns(
        self,
        left: list[tuple[Card, int]],
        left_h: int,
        right: list[tuple[Card, int]],
        right_h: int,
        right_w: int,
    ) -> Iterator[None]:
        """Paint the two columns on the update steps after the layout, one per step: no
        frame pays for the whole page (the header and the score show at once)."""
        yield  # the frame that laid out has had its share
        self._side_page = self._paint_stack(left, left_h, LEFT_W)
        yield
        self._page = self._paint_stack(right, right_h + 8, right_w)

    def finish_building(self) -> None:
        """Paint whatever is still waiting (scripted use: tests, screenshots)."""
        for _ in self._building:
            pass

    def _note_heading(self, note: Note) -> str:
        """Who wrote it and when (the desk adds whether the trainee has read it)."""
        from game.ui.scenes.notes import note_heading

        return note_heading(note, tr=self.app.tr)

    def _notes_card(self, page: pygame.Surface | None, y: int, width: int) -> int:
        """The supervisor's coaching notes on this call (none: no card)."""
        if not self.coaching:
            return 0
        fonts, theme = self.app.fonts, self.app.theme
        inner = width - 40
        blocks = [(self._note_heading(note), note.text) for note in self.coaching]
        height = 20 + fonts.line_height("caption") + 12
        for head, body in blocks:
            height += fonts.block_height(head, "small_bold", inner) + 4
            height += fonts.block_height(body, "small", inner) + 14
        height += 6
        if page is None:
            return height
        self._card(page, y, 0, width, height)
        title = self.app.tr._("COACHING NOTES ON THIS CALL")
        page.blit(fonts.render(title, "caption", theme.text_faint), (20, y + 20))
        yy = y + 20 + fonts.line_height("caption") + 12
        for head, body in blocks:
            yy = fonts.draw_block(page, head, "small_bold", theme.accent, 20, yy, inner) + 4
            yy = fonts.draw_block(page, body, "small", theme.text, 20, yy, inner) + 14
        return height

    # ---- input ----------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        act = intent.act
        if act is Act.BACK:
            self.activate("back")
            return
        if self.scroll(intent):
            return
        key = self.navigate(self.menu, intent)
        if key is not None:
            self.activate(key)

    def scroll(self, intent: Intent) -> bool:
        """The wheel scrolls the column under the pointer; keys scroll the chosen column."""
        if intent.act is Act.SCROLL and intent.text == WHEEL:
            view = self.side if self.side.contains(intent.pos) else self.view
            return view.handle(intent)
        if intent.act in (Act.NEXT, Act.PREV) and self.side.scrollable and not self.note_ring:
            self.pane = "side" if self.pane == "turns" else "turns"
            self.app.play("move")
            return True
        view = self.side if self.pane == "side" else self.view
        return view.handle(intent, arrows=True)

    note_ring = False  # True where Tab already moves between fields (the supervisor's note)

    def activate(self, key: str) -> None:
        app = self.app
        if key == "back":
            app.play("back")
            app.pop()
        elif key == "retry":
            app.play("select")
            app.replace(app.open(Route.CALL, self.level, exam=self.asked_exam))
        elif key == "next" and self.next_index is not None:
            app.play("select")
            campaign = app.world().campaign
            assert campaign is not None
            levels = campaign.levels
            next_level = levels[self.next_index]
            if self.hard:
                app.replace(
                    app.open(
                        Route.BREATHER,
                        then=lambda: app.replace(app.open(Route.CALL, next_level)),
                    )
                )
            else:
                app.replace(app.open(Route.CALL, next_level))
        elif key == "breather":
            app.play("select")
            app.push(app.open(Route.BREATHER, then=app.pop))

    def update(self, dt: float) -> None:
        next(self._building, None)
        self.age += dt
        self.view.update(dt, not self.app.motion)
        self.side.update(dt, not self.app.motion)

    # ---- drawing --------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        surface.blit(self._header, (chrome.MARGIN, chrome.TOP))
        width = 1280 - 2 * chrome.MARGIN - self._score_rect.width - 24
        fonts.draw_block(
            surface,
            self._sub,
            "body",
            theme.text_dim,
            chrome.MARGIN,
            chrome.TOP + self._header.get_height() + 8,
            width,
        )
        self._draw_score(surface)
        if self._side_page is not None:
            self.side.blit(surface, self._side_page)
            self._draw_more_cue(surface)
        if self._page is not None:
            self.view.blit(surface, self._page)
            self.view.draw_scrollbar(surface, theme)
        self.menu.draw(surface, fonts, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))

    def _draw_more_cue(self, surface: pygame.Surface) -> None:
        """A cut left column says so: a fade, a scrollbar and a chip naming the key."""
        side, fonts, theme = self.side, self.app.fonts, self.app.theme
        self.cue_rect = None
        if not side.scrollable:
            return
        side.draw_scrollbar(surface, theme)
        if side.offset >= side.max_offset - 1:
            return
        label = (
            self.app.tr._("More below · Tab, then ↓")
            if self.pane == "turns" and not self.note_ring
            else self.app.tr._("More below ↓")
        )
        image = fonts.render(label, "caption", theme.accent_text)
        chip = image.get_rect().inflate(20, 10)
        chip.midtop = (
            side.rect.centerx,
            side.rect.bottom + CUE_GAP,
        )  # below the column, never on it
        pygame.draw.rect(surface, theme.accent, chip, border_radius=chip.height // 2)
        surface.blit(image, image.get_rect(center=chip.center))
        self.cue_rect = chip

    def _cue_height(self) -> int:
        """The strip under a cut left column that holds its "More below" chip."""
        return self.app.fonts.line_height("caption") + 10 + 2 * CUE_GAP

    def _score_layout(self) -> tuple[int, int, bool]:
        """(grade circle radius, card height, pass mark on its own line)."""
        fonts = self.app.fonts
        r = max(34, fonts.line_height("h1") // 2 + 8)
        number_h = fonts.line_height("number")
        pill_w = fonts.width(self.summary["passed"], "small_bold") + 22
        mark_w = fonts.width(self.summary["pass_mark"], "small")
        own_line = 22 + pill_w + 10 + mark_w + 22 > self._score_w
        pill_h = fonts.line_height("small_bold") + 8
        height = 14 + max(number_h, 2 * r + 2) + 8 + pill_h + 16
        if own_line:
            height += fonts.line_height("small") + 4
        return r, height, own_line

    def _draw_score(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        report = self.report
        box = self._score_rect
        r, _, own_line = self._score_layout()
        panel(surface, box, theme, theme.panel)
        t = min(1.0, self.age / 0.9) if app.motion else 1.0
        eased = 1 - (1 - t) ** 3
        number = fonts.render(str(round(report.score * eased)), "number", theme.text)
        surface.blit(number, (box.x + 22, box.y + 14))
        out_of = fonts.render("/ 100", "small", theme.text_faint)
        bottom = box.y + 14 + number.get_height() - 8
        surface.blit(out_of, out_of.get_rect(bottomleft=(box.x + 28 + number.get_width(), bottom)))
        # the grade, in a circle
        centre = (box.right - 20 - r, box.y + 14 + r)
        aa_circle(surface, theme.good if report.passed else theme.bad, centre, r)
        grade = fonts.render(report.grade, "h1", theme.accent_text)
        surface.blit(grade, grade.get_rect(center=centre))
        # pass or fail against the pass mark
        tone = theme.good if report.passed else theme.bad
        verdict = fonts.render(self.summary["passed"], "small_bold", tone)
        mark = fonts.render(self.summary["pass_mark"], "small", theme.text_dim)
        y = box.y + 14 + max(fonts.line_height("number"), 2 * r + 2) + 8
        pill = pygame.Rect(box.x + 22, y, verdict.get_width() + 22, verdict.get_height() + 8)
        soft = theme.good_soft if report.passed else theme.bad_soft
        pygame.draw.rect(surface, soft, pill, border_radius=pill.height // 2)
        surface.blit(verdict, verdict.get_rect(center=pill.center))
        if own_line:
            surface.blit(mark, (box.x + 22, pill.bottom + 4))
        else:
            surface.blit(mark, (pill.right + 10, pill.centery - mark.get_height() // 2))
