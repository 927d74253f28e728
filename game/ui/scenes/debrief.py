"""The debrief: how the call went and why, turn by turn.

The header gives the outcome, the score, the grade and pass or fail against the level's
pass mark. Below, one scrolling page: the anger curve with every turn marked good or bad,
the competency bars, the Listen → Recap → Apologise → Resolve steps, and every turn with its
effects and the guide principle each one cites (title and rule from the catalog). Framed,
as the guides ask, as a chance to win the customer back and learn (G-CALM-4, G-CLOSE-5).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING

import pygame

from game.engine.bands import BANDS, band_for
from game.engine.catalog import Catalog
from game.engine.progress import following, unlocked
from game.engine.scoring import Debrief, TurnReview
from game.engine.session import FACT_LABELS
from game.scenario.model import Rating
from game.ui import chrome
from game.ui.draw import aa_circle, icon_check, icon_cross, panel, thick_polyline
from game.ui.intents import WHEEL, Act, Intent
from game.ui.scene import Scene
from game.ui.theme import Color, blend
from game.ui.widgets import Button, Menu, ScoreBars, ScrollView
from game.ui.words import name_principles

if TYPE_CHECKING:
    from game.records.api import Note
    from game.scenario.campaign import Level
    from game.ui.app import App

CHART_H = 170  # the anger chart's height when the left column has room for it
CHART_MIN = 96
MARK_R = 11  # a verdict marker's radius on the chart
HARD_ANGER = 50  # a call that ends with the customer this angry (or badly) was a hard one
LEFT_W = 470
GAP = 24
CUE_GAP = 4  # between a cut left column and its "More below" chip
LEGEND = (
    ("good", "followed the guides"),
    ("fair", "partly"),
    ("poor", "weakly"),
    ("bad", "broke a guide"),
)
VERDICT_WORD = MappingProxyType(
    {"good": "Good", "fair": "Fair", "poor": "Poor", "bad": "Broke a guide"}
)


def is_hard(report: Debrief) -> bool:
    """After a hard call the game offers a breather before the next one (G-CLOSE-4)."""
    return report.rating is Rating.BAD or report.final_anger >= HARD_ANGER


def headline(catalog: Catalog, report: Debrief) -> str:
    """How the call ended, in words that agree with the pass or fail beside them."""
    ending = catalog.endings[report.outcome].label
    ended = {"good": "ended well", "partial": "ended partly well", "bad": "ended badly"}[
        report.rating.value
    ]
    if report.passed or report.rating is Rating.BAD:
        return f"{ending}: the call {ended}"
    return f"{ending}: the call {ended}, but the score is under the pass mark"


def turn_heading(catalog: Catalog, review: TurnReview, *, codes: bool) -> str:
    """What happened on a turn, named for what the reply did.

    Trainees read technique and principle names ("Broke a guide: Make excuses, against
    Apologise without excuses"); supervisors also get the code ("Make excuses — broke
    G-APOLOGY-1"). A good or fair turn names the step it served."""
    turn = review.turn
    verdict = VERDICT_WORD[review.verdict]
    done = ", ".join(
        catalog.techniques[t].label for t in turn.techniques if t in catalog.techniques
    )
    head = f"Turn {turn.number} · {verdict}"
    if review.verdict in ("good", "fair"):
        what = done or ", ".join(catalog.steps.get(s, s) for s in review.steps)
        return f"{head}: {what}" if what else head
    broken = [e.principle for e in turn.effects if e.principle and e.anger > 0]
    if not broken or review.verdict != "bad":
        return f"{head}: {done}" if done else head
    pid = broken[0]
    if codes:  # "Turn 2 · Make excuses — broke G-APOLOGY-1"
        return f"Turn {turn.number} · {done or 'The reply'} — broke {pid}"
    principle = catalog.principles.get(pid)
    name = principle.title if principle is not None else ""
    return f"{head}: {done}" + (f" — against “{name}”" if name else "")


class DebriefScene(Scene):
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
    ) -> None:
        super().__init__(app)
        world = app.world()
        self.level = level
        self.report = report
        self.review_of = review_of
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
        index = levels.index(self.level)
        later = following(levels, index)
        if later is None or world.store is None or self.app.trainee is None:
            return None
        bests = world.store.level_bests(self.app.trainee.id)
        opened = unlocked(levels, {k for k, b in bests.items() if b.passed})
        return later if opened.get(levels[later].key, False) else None

    # ---- texts ----------------------------------------------------------------------------------

    def _headline(self) -> str:
        return headline(self.catalog, self.report)

    def _principle(self, pid: str | None) -> str:
        """A cited principle: its name and rule (supervisors also see its code)."""
        if pid is None or pid not in self.catalog.principles:
            return ""
        principle = self.catalog.principles[pid]
        code = f"{pid} · " if self.supervisor else ""
        return f"{code}{principle.title}: {principle.rule}"

    def _words(self, text: str) -> str:
        """Scenario text as this reader should see it: codes for supervisors only."""
        return text if self.supervisor else name_principles(text, self.catalog.principles)

    # ---- layout ---------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        report = self.report
        width = 1280 - 2 * chrome.MARGIN
        title = self.level.scenario.title.get(app.lang) if self.level.scenario else self.level.title
        if self.review_of is not None:
            caption = f"Review · level {self.level.number} · {title} · played {self.review_of.astimezone().strftime('%d %b %Y, %H:%M')}"
        else:
            caption = f"Debrief · level {self.level.number} · {title}"
        score_w = 360
        self._header = chrome.header(app, caption, self._headline(), width - score_w - 24)
        passed = "Passed" if report.passed else "Not passed"
        self.summary = {
            "score": str(report.score),
            "grade": report.grade,
            "passed": passed,
            "pass_mark": f"pass mark {report.pass_score}",
            "outcome": self._headline(),
        }
        band = band_for(report.final_anger).name
        first = dict(report.first_step_turn)
        reached = all(first.get(step) is not None for step in report.required_steps)
        steps = " → ".join(self.catalog.steps[step] for step in report.required_steps)
        if not report.in_order:
            order = f"You jumped ahead of {steps}; see the marked turns."
        elif reached:
            order = f"You followed {steps} in order."
        else:
            order = f"You kept to {steps} as far as the call went."
        self._sub = f"The customer ended {band.lower()} ({report.final_anger}). {order}"
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
                buttons.append(Button("breather", "Take a breather", "primary"))
            if self.next_index is not None:
                buttons.append(
                    Button(
                        "next",
                        "Next level",
                        "secondary" if self.hard else "primary" if report.passed else "secondary",
                    )
                )
            buttons.append(
                Button(
                    "retry",
                    "Try again",
                    "primary"
                    if not (self.hard or (report.passed and self.next_index is not None))
                    else "secondary",
                )
            )
            buttons.append(Button("back", "Back to the levels", "ghost"))
        else:
            buttons.append(Button("back", "Back", "primary"))
        self._hints = chrome.hints(
            app, [("↑↓", "Read"), ("←→", "Buttons"), ("Enter", "Choose"), ("Esc", "Back")], width
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
            keys = [("↑↓", "Read"), ("Tab", "Other column"), ("←→", "Buttons"), ("Enter", "Choose")]
            self._hints = chrome.hints(app, [*keys, ("Esc", "Back")], width)

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

    # Each card function measures when `page` is None and paints otherwise; returns its height.

    def _note_heading(self, note: Note) -> str:
        """Who wrote it and when (the desk adds whether the trainee has read it)."""
        from game.ui.scenes.notes import note_heading

        return note_heading(note)

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
        title = "COACHING NOTES ON THIS CALL"
        page.blit(fonts.render(title, "caption", theme.text_faint), (20, y + 20))
        yy = y + 20 + fonts.line_height("caption") + 12
        for head, body in blocks:
            yy = fonts.draw_block(page, head, "small_bold", theme.accent, 20, yy, inner) + 4
            yy = fonts.draw_block(page, body, "small", theme.text, 20, yy, inner) + 14
        return height

    def _card(self, page: pygame.Surface | None, y: int, x: int, width: int, height: int) -> None:
        if page is not None:
            panel(page, pygame.Rect(x, y, width, height), self.app.theme, shadow=False)

    def _curve_card(self, page: pygame.Surface | None, y: int, width: int) -> int:
        fonts, theme = self.app.fonts, self.app.theme
        title_h = fonts.line_height("caption") + 10
        legend = self._legend(width - 40)
        legend_h = legend[-1][2] + legend[-1][3] if legend else 0
        chart_h = self._chart_h
        height = 20 + title_h + chart_h + 26 + legend_h + 18
        if page is None:
            return height
        self._card(page, y, 0, width, height)
        page.blit(fonts.render("ANGER OVER THE CALL", "caption", theme.text_faint), (20, y + 20))
        label_w = max(fonts.width(b.name, "caption") for b in BANDS) + 10
        chart = pygame.Rect(20 + label_w, y + 20 + title_h, width - 40 - label_w, chart_h)
        for band in BANDS:
            top = chart.bottom - round(chart.height * min(100, band.high + 1) / 100)
            bottom = chart.bottom - round(chart.height * band.low / 100)
            pygame.draw.rect(
                page,
                blend(theme.panel, theme.band(band.name), 0.14),
                pygame.Rect(chart.x, top, chart.width, bottom - top),
            )
            if bottom - top >= fonts.line_height("caption") or band in (BANDS[0], BANDS[-1]):
                name = fonts.render(band.name, "caption", theme.text_faint)
                page.blit(name, name.get_rect(midright=(chart.x - 6, (top + bottom) // 2)))
        trace = self.report.anger_trace
        steps = max(1, len(trace) - 1)
        inset = MARK_R + 4  # markers stay inside the chart, clear of the turn numbers
        span = chart.height - 2 * inset
        points = [
            (
                chart.x + inset + (chart.width - 2 * inset) * i / steps,
                chart.bottom - inset - span * v / 100,
            )
            for i, v in enumerate(trace)
        ]
        if len(points) >= 2:
            thick_polyline(page, theme.text, points, 3)
        aa_circle(page, theme.text, points[0], 5)
        for review in self.report.turns:
            index = review.turn.number
            if index >= len(points):
                continue
            px, py = points[index]
            self._verdict_mark(page, review.verdict, (px, py), MARK_R)
            number = fonts.render(str(index), "caption", theme.text_faint)
            page.blit(number, number.get_rect(midtop=(px, chart.bottom + 6)))
        if len(trace) > len(self.report.turns) + 1:
            aa_circle(page, theme.bad, points[-1], 6)
        for verdict, x, dy, h, label in legend:
            mid = chart.bottom + 26 + dy + h // 2
            self._verdict_mark(page, verdict, (20 + x + 9, mid), 9)
            image = fonts.render(label, "small", theme.text_dim)
            page.blit(image, image.get_rect(midleft=(20 + x + 24, mid)))
        return height

    def _legend(self, width: int) -> list[tuple[str, int, int, int, str]]:
        """The chart's key, drawn with the very marks it explains: (verdict, x, y, h, label)."""
        fonts = self.app.fonts
        h = max(fonts.line_height("small"), 20)
        items: list[tuple[str, int, int, int, str]] = []
        x = y = 0
        for verdict, label in LEGEND:
            w = 24 + fonts.width(label, "small")
            if x and x + w > width:
                x, y = 0, y + h + 6
            items.append((verdict, x, y, h, label))
            x += w + 18
        return items

    def _verdict_mark(
        self, page: pygame.Surface, verdict: str, at: tuple[float, float], r: int
    ) -> None:
        theme = self.app.theme
        color = theme.verdict(verdict)
        aa_circle(page, theme.panel, at, r + 3)
        aa_circle(page, color, at, r)
        box = pygame.Rect(0, 0, r * 2 - 4, r * 2 - 4)
        box.center = (round(at[0]), round(at[1]))
        if verdict == "good":
            icon_check(page, box, theme.accent_text)
        elif verdict == "fair":
            pygame.draw.line(
                page, theme.accent_text, (box.x + 3, box.centery), (box.right - 3, box.centery), 3
            )
        elif verdict == "poor":  # a wave: partly, but weakly
            wave = [
                (box.x + 2 + (box.width - 4) * k / 8, box.centery - 3 * math.sin(k * math.pi / 4))
                for k in range(9)
            ]
            thick_polyline(page, theme.accent_text, wave, 2)
        else:
            icon_cross(page, box.inflate(-2, -2), theme.accent_text)

    def _competency_card(self, page: pygame.Surface | None, y: int, width: int) -> int:
        fonts, theme = self.app.fonts, self.app.theme
        rows = [(comp.label, comp.score) for comp in self.report.competencies]
        bars = ScoreBars(fonts, [label for label, _ in rows], width - 40)
        height = 20 + fonts.line_height("caption") + 12 + bars.height + 12
        if page is None:
            return height
        self._card(page, y, 0, width, height)
        page.blit(fonts.render("COMPETENCIES", "caption", theme.text_faint), (20, y + 20))
        bars.draw(page, theme, rows, 20, y + 20 + fonts.line_height("caption") + 12)
        return height

    def _steps_card(self, page: pygame.Surface | None, y: int, width: int) -> int:
        fonts, theme = self.app.fonts, self.app.theme
        steps = [
            (self.catalog.steps.get(step, step), turn) for step, turn in self.report.first_step_turn
        ]
        lines = [f"{name}: turn {turn}" if turn else f"{name}: not done" for name, turn in steps]
        text = "   →   ".join(lines)
        framing = "Customers want to hear, in this order, that you listened, understood, are sorry and will put it right."
        if self.supervisor:
            framing = framing[:-1] + " (G-LISTEN-5, G-RECAP-1, G-APOLOGY-1, G-RESOLVE-1)."
        inner = width - 40
        height = (
            20
            + fonts.line_height("caption")
            + 10
            + fonts.block_height(text, "small_bold", inner)
            + 10
            + fonts.block_height(framing, "small", inner)
            + 20
        )
        if page is None:
            return height
        self._card(page, y, 0, width, height)
        page.blit(
            fonts.render("LISTEN → RECAP → APOLOGISE → RESOLVE", "caption", theme.text_faint),
            (20, y + 20),
        )
        yy = fonts.draw_block(
            page,
            text,
            "small_bold",
            theme.text,
            20,
            y + 20 + fonts.line_height("caption") + 10,
            inner,
        )
        fonts.draw_block(page, framing, "small", theme.text_dim, 20, yy + 10, inner)
        return height

    def _points_card(self, page: pygame.Surface | None, y: int, width: int) -> int:
        fonts, theme = self.app.fonts, self.app.theme
        r = self.report
        rows = [
            ("How well each turn followed the guides", f"{r.practice_points:.0f} / 60"),
            ("How the call ended", f"{r.outcome_points:.0f} / 25"),
            ("How calm the customer was at the end", f"{r.calm_points:.0f} / 15"),
        ]
        if r.order_points < 0:
            rows.append(
                (
                    "of which: jumped ahead of Listen → Recap → Apologise → Resolve",
                    f"{r.order_points:.0f}",
                )
            )
        if r.pace_points < 0:
            rows.append(("Pace: silence past the time to read", f"{r.pace_points:.0f}"))
        inner = width - 40
        value_w = fonts.width("60 / 60", "small_bold") + 10
        heights = [
            max(
                fonts.block_height(label, "small", inner - value_w), fonts.line_height("small_bold")
            )
            + 8
            for label, _ in rows
        ]
        height = 20 + fonts.line_height("caption") + 12 + sum(heights) + 12
        if page is None:
            return height
        self._card(page, y, 0, width, height)
        page.blit(
            fonts.render("WHERE THE POINTS CAME FROM", "caption", theme.text_faint), (20, y + 20)
        )
        yy = y + 20 + fonts.line_height("caption") + 12
        for (label, value), h in zip(rows, heights, strict=True):
            fonts.draw_block(page, label, "small", theme.text_dim, 20, yy, inner - value_w)
            image = fonts.render(value, "small_bold", theme.text)
            page.blit(image, image.get_rect(topright=(width - 20, yy)))
            yy += h
        return height

    def _turn_lines(self, review: TurnReview) -> list[tuple[str, str, Color, int]]:
        """(text, style, colour, indent) lines that describe one turn."""
        theme, lang = self.app.theme, self.app.lang
        turn = review.turn
        delta = turn.delta
        head = turn_heading(self.catalog, review, codes=self.supervisor)
        change = f"{turn.anger_before} → {turn.anger_after}  ({'±0' if delta == 0 else f'{delta:+d}'.replace('-', '−')})"
        lines: list[tuple[str, str, Color, int]] = [
            (head, "body_bold", theme.verdict(review.verdict), 0),
            (f"Anger {change}", "small", theme.text_dim, 0),
            (f"“{turn.say.get(lang)}”", "quote", theme.text, 0),
        ]
        cited: set[str] = set()
        for effect in turn.effects:
            sign = f"{effect.anger:+d}".replace("-", "−") if effect.anger else "±0"
            tone = (
                theme.bad
                if effect.anger > 0
                else theme.good
                if effect.anger < 0
                else theme.text_dim
            )
            lines.append((f"{sign}  {self._words(effect.reason)}", "small", tone, 12))
            if effect.principle and effect.principle not in cited:
                cited.add(effect.principle)
                lines.append((self._principle(effect.principle), "small", theme.text_faint, 12))
        if turn.feedback is not None:
            lines.append(
                ("» " + self._words(turn.feedback.get(lang)), "small_bold", theme.accent, 0)
            )
        if review.skipped:
            names = ", ".join(self.catalog.steps.get(s, s) for s in review.skipped)
            lines.append((f"⚠ Jumped ahead: {names} not done yet.", "small_bold", theme.warn, 0))
        if turn.facts:
            facts = " · ".join(FACT_LABELS.get(f, f) for f in turn.facts)
            lines.append((f"When you replied: {facts}", "small", theme.text_faint, 12))
        if review.instead is not None:
            better = review.instead
            cite = f" ({better.principle})" if better.principle else ""
            text = f"Better here: “{better.say.get(lang)}”{cite}"
            lines.append((self._words(text), "small", theme.good, 12))
        return lines

    def _turns_card(self, page: pygame.Surface | None, y: int, width: int) -> int:
        fonts, theme = self.app.fonts, self.app.theme
        x0 = getattr(self, "_turns_x", 0)
        inner = width - 40
        intro = (
            "Every complaint is a chance to win the customer back. Read each turn "
            "the way a supervisor listening in would hear it."
        )
        if not self._sub:
            intro = f"{self._summary_line} {intro}"
        outro = self._principle("G-CLOSE-5")
        blocks: list[list[tuple[str, str, Color, int]]] = [
            self._turn_lines(r) for r in self.report.turns
        ]
        closing: list[tuple[str, str, Color, int]] = []
        for effect in self.report.closing_effects:
            sign = f"{effect.anger:+d}".replace("-", "−")
            closing.append(
                (
                    f"After the call ({sign}): {self._words(effect.reason)}",
                    "small_bold",
                    theme.bad,
                    0,
                )
            )
            if effect.principle:
                closing.append((self._principle(effect.principle), "small", theme.text_faint, 12))
        if self.note:
            closing.append((self.note, "small", theme.text_faint, 0))

        def block_h(lines: list[tuple[str, str, Color, int]]) -> int:
            return sum(fonts.block_height(t, s, inner - 24 - ind) + 4 for t, s, _, ind in lines)

        title_h = fonts.line_height("caption") + 10
        intro_h = fonts.block_height(intro, "small", inner) + 14
        height = 20 + title_h + intro_h
        for lines in blocks:
            height += block_h(lines) + 28 + 12
        if closing:
            height += block_h(closing) + 16
        height += fonts.block_height(outro, "small", inner) + 28
        if page is None:
            return height
        self._card(page, y, x0, width, height)
        page.blit(fonts.render("TURN BY TURN", "caption", theme.text_faint), (x0 + 20, y + 20))
        yy = (
            fonts.draw_block(page, intro, "small", theme.text_dim, x0 + 20, y + 20 + title_h, inner)
            + 14
        )
        for review, lines in zip(self.report.turns, blocks, strict=True):
            h = block_h(lines) + 28
            box = pygame.Rect(x0 + 20, yy, inner, h)
            pygame.draw.rect(page, theme.panel_raised, box, border_radius=12)
            pygame.draw.rect(
                page,
                theme.verdict(review.verdict),
                pygame.Rect(box.x, box.y, 5, box.height),
                border_top_left_radius=12,
                border_bottom_left_radius=12,
            )
            ty = yy + 14
            for text, style, color, indent in lines:
                ty = (
                    fonts.draw_block(
                        page, text, style, color, box.x + 20 + indent, ty, inner - 24 - indent
                    )
                    + 4
                )
            yy += h + 12
        for text, style, color, indent in closing:
            yy = (
                fonts.draw_block(
                    page, text, style, color, x0 + 20 + indent, yy, inner - 24 - indent
                )
                + 4
            )
        if closing:
            yy += 12
        fonts.draw_block(page, outro, "small", theme.text_dim, x0 + 20, yy + 4, inner)
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
        from game.ui.scenes.call import CallScene

        if key == "back":
            app.play("back")
            app.pop()
        elif key == "retry":
            app.play("select")
            app.replace(CallScene(app, self.level))
        elif key == "next" and self.next_index is not None:
            app.play("select")
            campaign = app.world().campaign
            assert campaign is not None
            levels = campaign.levels
            next_level = levels[self.next_index]
            if self.hard:
                from game.ui.scenes.breather import BreatherScene

                app.replace(
                    BreatherScene(app, then=lambda: app.replace(CallScene(app, next_level)))
                )
            else:
                app.replace(CallScene(app, next_level))
        elif key == "breather":
            app.play("select")
            from game.ui.scenes.breather import BreatherScene

            app.push(BreatherScene(app, then=app.pop))

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
            "More below · Tab, then ↓"
            if self.pane == "turns" and not self.note_ring
            else "More below ↓"
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
        pill_w = fonts.width(self.summary["passed"].upper(), "small_bold") + 22
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
        verdict = fonts.render(self.summary["passed"].upper(), "small_bold", tone)
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
