"""The debrief's cards: the anger curve, the competencies, the steps, the points and the turns.

Each card function measures when `page` is None and paints otherwise, and returns its
height; the debrief scene stacks them in two columns (the desk's attempt page adds its
own). Also the words the debrief uses for an outcome and a turn.
"""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import TYPE_CHECKING

import pygame

from game.engine.bands import BANDS
from game.engine.catalog import Catalog
from game.engine.scoring import Debrief, TurnReview
from game.engine.session import FACT_LABELS
from game.i18n.translator import ENGLISH, N_, Translator
from game.scenario.model import Rating, Verdict
from game.ui.draw import aa_circle, icon_check, icon_cross, panel, thick_polyline
from game.ui.theme import Color, blend
from game.ui.widgets import ScoreBars
from game.ui.words import name_principles

if TYPE_CHECKING:
    from game.ui.window import App

CHART_H = 170  # the anger chart's height when the left column has room for it
CHART_MIN = 96
MARK_R = 11  # a verdict marker's radius on the chart
LEFT_W = 470
GAP = 24
LEGEND = (
    (Verdict.GOOD, N_("followed the guides")),
    # i18n: the debrief chart's key: a fair turn followed the guides partly
    (Verdict.FAIR, N_("partly")),
    # i18n: the debrief chart's key: a poor turn followed the guides weakly
    (Verdict.POOR, N_("weakly")),
    (Verdict.BAD, N_("broke a guide")),
)
VERDICT_WORD = MappingProxyType(
    {
        Verdict.GOOD: N_("Good"),
        Verdict.FAIR: N_("Fair"),
        Verdict.POOR: N_("Poor"),
        Verdict.BAD: N_("Broke a guide"),
    }
)


def headline(catalog: Catalog, report: Debrief, tr: Translator = ENGLISH) -> str:
    """How the call ended, in words that agree with the pass or fail beside them."""
    ending = catalog.endings[report.outcome].label
    rating = report.rating
    under = not report.passed and report.rating is not Rating.BAD
    if rating is Rating.GOOD:
        if under:
            return tr._("{ending}: the call ended well, but the score is under the pass mark",
                        ending=ending)  # fmt: skip
        return tr._("{ending}: the call ended well", ending=ending)
    if rating is Rating.PARTIAL:
        if under:
            return tr._("{ending}: the call ended partly well, but the score is under the pass"
                        " mark", ending=ending)  # fmt: skip
        return tr._("{ending}: the call ended partly well", ending=ending)
    return tr._("{ending}: the call ended badly", ending=ending)


def turn_heading(
    catalog: Catalog, review: TurnReview, *, codes: bool, tr: Translator = ENGLISH
) -> str:
    """What happened on a turn, named for what the reply did.

    Trainees read technique and principle names ("Broke a guide: Make excuses, against
    Apologise without excuses"); supervisors also get the code ("Make excuses — broke
    G-APOLOGY-1"). A good or fair turn names the step it served."""
    turn = review.turn
    verdict = tr._(VERDICT_WORD[review.verdict])
    done = ", ".join(
        catalog.techniques[t].label for t in turn.techniques if t in catalog.techniques
    )
    head = tr._("Turn {number} · {verdict}", number=turn.number, verdict=verdict)
    if review.verdict in (Verdict.GOOD, Verdict.FAIR):
        what = done or ", ".join(catalog.steps.get(s, s) for s in review.steps)
        return f"{head}: {what}" if what else head
    broken = [e.principle for e in turn.effects if e.principle and e.anger > 0]
    if not broken or review.verdict is not Verdict.BAD:
        return f"{head}: {done}" if done else head
    pid = broken[0]
    if codes:  # "Turn 2 · Make excuses — broke G-APOLOGY-1"
        return tr._("Turn {number} · {done} — broke {pid}", number=turn.number,
                    done=done or tr._("The reply"), pid=pid)  # fmt: skip
    principle = catalog.principles.get(pid)
    name = principle.title if principle is not None else ""
    if not name:
        return f"{head}: {done}"
    return tr._("{head}: {done} — against “{name}”", head=head, done=done, name=name)


class DebriefCards:
    """The card painters of the debrief scene (a mixin: the scene holds what they read)."""

    app: App
    catalog: Catalog
    report: Debrief
    supervisor: bool
    note: str | None
    _chart_h: int
    _sub: str
    _summary_line: str

    def _headline(self) -> str:
        return headline(self.catalog, self.report, self.app.tr)

    def _principle(self, pid: str | None) -> str:
        """A cited principle: its name and rule (supervisors also see its code)."""
        if pid is None or pid not in self.catalog.principles:
            return ""
        principle = self.catalog.principles[pid]
        code = f"{pid} · " if self.supervisor else ""
        return f"{code}{principle.title}: {principle.rule}"

    def _words(self, text: str) -> str:
        """Scenario text as this reader should see it: codes for supervisors only."""
        return (
            text if self.supervisor else name_principles(text, self.catalog.principles, self.app.tr)
        )

    # Each card function measures when `page` is None and paints otherwise; returns its height.

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
        page.blit(
            fonts.render(self.app.tr._("ANGER OVER THE CALL"), "caption", theme.text_faint),
            (20, y + 20),
        )
        label_w = (
            max(fonts.width(self.app.tr.text(f"band:{b.name}", b.name), "caption") for b in BANDS)
            + 10
        )
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
                name = fonts.render(
                    self.app.tr.text(f"band:{band.name}", band.name), "caption", theme.text_faint
                )
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

    def _legend(self, width: int) -> list[tuple[Verdict, int, int, int, str]]:
        """The chart's key, drawn with the very marks it explains: (verdict, x, y, h, label)."""
        fonts = self.app.fonts
        h = max(fonts.line_height("small"), 20)
        items: list[tuple[Verdict, int, int, int, str]] = []
        x = y = 0
        for verdict, english in LEGEND:
            label = self.app.tr._(english)
            w = 24 + fonts.width(label, "small")
            if x and x + w > width:
                x, y = 0, y + h + 6
            items.append((verdict, x, y, h, label))
            x += w + 18
        return items

    def _verdict_mark(
        self, page: pygame.Surface, verdict: Verdict, at: tuple[float, float], r: int
    ) -> None:
        theme = self.app.theme
        color = theme.verdict(verdict)
        aa_circle(page, theme.panel, at, r + 3)
        aa_circle(page, color, at, r)
        box = pygame.Rect(0, 0, r * 2 - 4, r * 2 - 4)
        box.center = (round(at[0]), round(at[1]))
        if verdict is Verdict.GOOD:
            icon_check(page, box, theme.accent_text)
        elif verdict is Verdict.FAIR:
            pygame.draw.line(
                page, theme.accent_text, (box.x + 3, box.centery), (box.right - 3, box.centery), 3
            )
        elif verdict is Verdict.POOR:  # a wave: partly, but weakly
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
        page.blit(
            fonts.render(self.app.tr._("COMPETENCIES"), "caption", theme.text_faint), (20, y + 20)
        )
        bars.draw(page, theme, rows, 20, y + 20 + fonts.line_height("caption") + 12)
        return height

    def _steps_card(self, page: pygame.Surface | None, y: int, width: int) -> int:
        fonts, theme = self.app.fonts, self.app.theme
        steps = [
            (self.catalog.steps.get(step, step), turn) for step, turn in self.report.first_step_turn
        ]
        lines = [
            self.app.tr._("{name}: turn {turn}", name=name, turn=turn)
            if turn
            else self.app.tr._("{name}: not done", name=name)
            for name, turn in steps
        ]
        text = "   →   ".join(lines)
        framing = self.app.tr._(
            "Customers want to hear, in this order, that you listened, understood, are sorry and will put it right."
        )
        if self.supervisor:
            framing = framing[:-1] + self.app.tr._(
                " (G-LISTEN-5, G-RECAP-1, G-APOLOGY-1, G-RESOLVE-1)."
            )
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
            fonts.render(
                self.app.tr._("LISTEN → RECAP → APOLOGISE → RESOLVE"), "caption", theme.text_faint
            ),
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
            (
                self.app.tr._("How well each turn followed the guides"),
                f"{r.practice_points:.0f} / 60",
            ),
            (self.app.tr._("How the call ended"), f"{r.outcome_points:.0f} / 25"),
            (self.app.tr._("How calm the customer was at the end"), f"{r.calm_points:.0f} / 15"),
        ]
        if r.order_points < 0:
            rows.append(
                (
                    self.app.tr._("of which: jumped ahead of Listen → Recap → Apologise → Resolve"),
                    f"{r.order_points:.0f}",
                )
            )
        if r.pace_points < 0:
            rows.append(
                (self.app.tr._("Pace: silence past the time to read"), f"{r.pace_points:.0f}")
            )
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
            fonts.render(self.app.tr._("WHERE THE POINTS CAME FROM"), "caption", theme.text_faint),
            (20, y + 20),
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
        head = turn_heading(self.catalog, review, codes=self.supervisor, tr=self.app.tr)
        change = f"{turn.anger_before} → {turn.anger_after}  ({'±0' if delta == 0 else f'{delta:+d}'.replace('-', '−')})"
        lines: list[tuple[str, str, Color, int]] = [
            (head, "body_bold", theme.verdict(review.verdict), 0),
            (self.app.tr._("Anger {change}", change=change), "small", theme.text_dim, 0),
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
            lines.append(
                (
                    self.app.tr._("⚠ Jumped ahead: {names} not done yet.", names=names),
                    "small_bold",
                    theme.warn,
                    0,
                )
            )
        if turn.facts:
            facts = " · ".join(
                self.app.tr.text(f"fact:{f}", FACT_LABELS.get(f, f)) for f in turn.facts
            )
            lines.append(
                (
                    self.app.tr._("When you replied: {facts}", facts=facts),
                    "small",
                    theme.text_faint,
                    12,
                )
            )
        if review.instead is not None:
            better = review.instead
            cite = f" ({better.principle})" if better.principle else ""
            text = self.app.tr._("Better here: “{get}”{cite}", get=better.say.get(lang), cite=cite)
            lines.append((self._words(text), "small", theme.good, 12))
        return lines

    def _turns_card(self, page: pygame.Surface | None, y: int, width: int) -> int:
        fonts, theme = self.app.fonts, self.app.theme
        x0 = getattr(self, "_turns_x", 0)
        inner = width - 40
        intro = self.app.tr._(
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
                    self.app.tr._(
                        "After the call ({sign}): {words}",
                        sign=sign,
                        words=self._words(effect.reason),
                    ),
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
        page.blit(
            fonts.render(self.app.tr._("TURN BY TURN"), "caption", theme.text_faint),
            (x0 + 20, y + 20),
        )
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
