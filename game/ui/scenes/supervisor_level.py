"""A level's page on the desk: what the cohort picks at each decision point.

The numbers come from the records (`Store.choice_map`, `level_progress`,
`principle_trends`, counted in SQL) through game/records/analytics_view.py, which also
writes them for the HTML report, so the desk and the report never disagree. ← → change the
level, Tab the cohort, Shift+Tab the period.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pygame

from game.i18n.translator import N_
from game.records.analytics import Window
from game.records.analytics_view import LevelSection, PointRow, level_section
from game.records.api import ExamRule
from game.scenario.model import Verdict
from game.training import SPACING, DueDrill, desk_drills
from game.ui import chrome
from game.ui.draw import panel
from game.ui.intents import Act, Intent
from game.ui.scene import Scene
from game.ui.scenes.supervisor import Desk
from game.ui.widgets import ScrollView
from game.ui.words import due_words

if TYPE_CHECKING:
    from collections.abc import Sequence

    from game.records.export import Library
    from game.ui.theme import Theme
    from game.ui.window import App

# i18n: the verdict on a reply, in the desk's choice map (one word)
VERDICTS = (N_("good"), N_("fair"), N_("poor"), N_("bad"))
PERIODS = ((None, N_("all time")), (7, N_("the last 7 days")), (28, N_("the last 4 weeks")))
BAR_W = 150
PAD = 20


def desk_library(desk: Desk) -> Library:
    """The campaign the desk shows, as the records' views name levels."""
    from types import MappingProxyType

    from game.records.export import Library, ScenarioRef
    from game.scenario.model import Text

    refs = {
        level.key: ScenarioRef(
            level.key,
            level.scenario.title if level.scenario is not None else Text(level.title),
            level.scenario.summary if level.scenario is not None else Text(""),
            level.number,
            level.pass_score,
            level.scenario,
        )
        for level in desk.campaign.levels
    }
    return Library(desk.campaign.title, MappingProxyType(refs))


def _after_dot(items: tuple[str, ...]) -> str:
    """ " · a, b" for a list that follows on a line, "" for none."""
    return " · " + ", ".join(items) if items else ""


class LevelScene(Scene):
    name = "supervisor-level"

    def __init__(self, app: App, desk: Desk, scenario_id: str | None = None) -> None:
        super().__init__(app)
        self.desk = desk
        self.library = desk_library(desk)
        self.levels = tuple(lvl.key for lvl in desk.campaign.levels)
        self.index = self.levels.index(scenario_id) if scenario_id in self.levels else 0
        self.cohorts: tuple[str | None, ...] = (None,)
        self.cohort = 0
        self.period = 0
        self.section: LevelSection | None = None
        self.view = ScrollView()
        self._content: pygame.Surface | None = None
        self.now = datetime.now(UTC)
        self.exam_rule: ExamRule | None = None  # exam mode required here, by whom
        self.drills: tuple[DueDrill, ...] | None = None  # every trainee's drills (None: loading)

    @property
    def window(self) -> Window:
        days = PERIODS[self.period][0]
        since = None if days is None else (self.now - timedelta(days=days)).date()
        return Window(self.cohorts[self.cohort], since, None)

    def load(self) -> None:
        store = self.desk.store
        self.cohorts = (None, *(name for name, _ in store.cohorts()))
        self.cohort = min(self.cohort, len(self.cohorts) - 1)
        self.section = level_section(
            store, self.levels[self.index], self.window, self.library, self.desk.catalog,
            lang=self.desk.tr.lang, tr=self.desk.tr,
        )  # fmt: skip
        self.exam_rule = store.exam_rules().get(self.levels[self.index])

    def _load_drills(self) -> None:
        """Who has practice due, off the frame (the drill explores each level once)."""
        desk = self.desk
        self.app.later(lambda: desk_drills(desk.store, desk.campaign, desk.catalog),
                       self._drills_ready)  # fmt: skip

    def _drills_ready(self, drills: tuple[DueDrill, ...]) -> None:
        self.drills = drills
        if self.app.top is self:
            self.layout()

    @property
    def due_here(self) -> tuple[DueDrill, ...]:
        """Trainees whose drill includes this level, soonest first."""
        level = self.levels[self.index]
        return tuple(d for d in self.drills or () if d.drill.scenario_id == level)

    def _named(self, principles: tuple[str, ...]) -> tuple[str, ...]:
        """Each principle beside its title, as the trends panel shows them."""
        known = self.desk.catalog.principles
        return tuple(f"{p} {known[p].title}" if p in known else p for p in principles)

    def toggle_exam(self) -> None:
        """Require exam mode at this level, or stop requiring it (stored for every window)."""
        level = self.levels[self.index]
        self.desk.store.require_exam(level, self.exam_rule is None, self.desk.author)
        self.app.play("select")
        self.load()
        self.layout()

    def enter(self) -> None:
        self.load()
        self._load_drills()
        self.sync()

    def resume(self) -> None:
        self.load()
        self.layout()

    # ---- layout -------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts = self.app, self.app.fonts
        width = 1280 - 2 * chrome.MARGIN
        section = self.section
        assert section is not None
        title = self.app.tr._(
            "Level {number} · {title}", number=section.number, title=section.title
        )
        self._header = chrome.header(
            app, self.app.tr._("Supervisor's desk · what the cohort picks"), title, width
        )
        cohort = self.cohorts[self.cohort] or self.app.tr._("every cohort")
        self._sub = self.app.tr._n(
            "{n} attempt with a reply · {cohort} · {period} · mean score, first attempt → latest:"
            " {first} → {latest} ({change})",
            "{n} attempts with a reply · {cohort} · {period} · mean score, first attempt → latest:"
            " {first} → {latest} ({change})",
            section.attempts,
            cohort=cohort,
            period=self.app.tr._(PERIODS[self.period][1]),
            first=section.first_mean,
            latest=section.latest_mean,
            change=section.change_mean,
        )
        rule = self.exam_rule
        self._sub += (
            self.app.tr._(" · exam mode optional (after a pass)")
            if rule is None
            else self.app.tr._(" · exam mode required (by {name})", name=rule.required_by)
        )
        top = chrome.TOP + self._header.get_height() + 8
        self._sub_y = top
        top += fonts.block_height(self._sub, "body", width) + 14
        self._hints = chrome.hints(
            app,
            [("← →", self.app.tr._("Level")), ("Tab", self.app.tr._("Cohort")), ("Shift+Tab", self.app.tr._("Period")), ("↑↓", self.app.tr._("Scroll")),
             ("Enter", self.app.tr._("Stop requiring exams") if self.exam_rule else self.app.tr._("Require exam mode")),
             ("Esc", self.app.tr._("Back"))],
            width,
        )  # fmt: skip
        bottom = chrome.footer_y(app, self._hints) - 14
        self.view.rect = pygame.Rect(chrome.MARGIN, top, width, bottom - top)
        self.view.line = fonts.line_height("body")
        self._content = self._paint(width)
        self.view.set_content(self._content.get_height())

    def _paint(self, width: int) -> pygame.Surface:
        """The whole page below the header, drawn once per change (then only scrolled)."""
        fonts, theme = self.app.fonts, self.app.theme
        section = self.section
        assert section is not None
        inner = width - 2 * PAD
        # where most go wrong, and the principle trends, side by side
        half = (width - 24) // 2
        wrong_lines = [
            self.app.tr._(
                "{node}: {first} % of first attempts went wrong, {latest} % of latest",
                node=title,
                first=first,
                latest=latest,
            )
            for _node, title, first, latest in section.hardest
        ] or [
            self.app.tr._("Nobody has gone wrong here yet.")
            if section.attempts
            else self.app.tr._("No calls yet.")
        ]
        trend_lines = [
            self.app.tr._(
                "{title} · {broken} turns · weekly {join}",
                title=t.title,
                broken=t.broken,
                join=" ".join(f"{r}%" for r in t.rates[-6:]),
            )
            for t in section.trends
        ] or [self.app.tr._("No turn broke a guide principle.")]
        wrong_h = self._list_height(
            self.app.tr._("WHERE MOST GO WRONG FIRST"), wrong_lines, half - 2 * PAD
        )
        trend_h = self._list_height(
            self.app.tr._("PRINCIPLES BROKEN MOST · SHARE OF TURNS, WEEK BY WEEK"),
            trend_lines,
            half - 2 * PAD,
        )
        top_h = max(wrong_h, trend_h)
        now = datetime.now(UTC)
        tr = self.app.tr
        due_lines = (
            [tr._("Working out who has practice due…")]
            if self.drills is None
            else [
                tr._n(
                    "{name} · {due}{principles} · {done} of {n} practice done",
                    "{name} · {due}{principles} · {done} of {n} practices done",
                    len(SPACING) + 1,
                    name=d.trainee_name,
                    due=due_words(d.drill, now, tr),
                    principles=_after_dot(self._named(d.drill.principles)),
                    done=d.drill.done,
                )
                for d in self.due_here
            ]
            or [tr._("Nobody has this level in a drill.")]
        )
        due_title = tr._("PRACTICE DUE HERE · DRILLS AFTER A WEAK RESULT")
        due_h = self._list_height(due_title, due_lines, width - 2 * PAD)
        point_heights = [self._point_height(p, inner) for p in section.points if p.visits]
        total = top_h + 16 + due_h + 16 + sum(h + 12 for h in point_heights) + 8
        if not point_heights:
            total += fonts.line_height("body") + 2 * PAD
        surface = pygame.Surface((width, max(total, 1)), pygame.SRCALPHA)
        self._draw_list(surface, pygame.Rect(0, 0, half, top_h), self.app.tr._("WHERE MOST GO WRONG FIRST"),
                        wrong_lines, theme.bad)  # fmt: skip
        self._draw_list(
            surface, pygame.Rect(width - half, 0, half, top_h),
            self.app.tr._("PRINCIPLES BROKEN MOST · SHARE OF TURNS, WEEK BY WEEK"), trend_lines, theme.text,
        )  # fmt: skip
        y = top_h + 16
        self._draw_list(surface, pygame.Rect(0, y, width, due_h), due_title, due_lines,
                        theme.text)  # fmt: skip
        y += due_h + 16
        if not point_heights:
            panel(surface, pygame.Rect(0, y, width, fonts.line_height("body") + 2 * PAD), theme,
                  shadow=False)  # fmt: skip
            fonts.draw_block(surface, self.app.tr._("No replies recorded for this level in this window yet."),
                             "body", theme.text_dim, PAD, y + PAD, inner)  # fmt: skip
        visible = [p for p in section.points if p.visits]
        for point, height in zip(visible, point_heights, strict=True):
            self._draw_point(surface, point, pygame.Rect(0, y, width, height), inner)
            y += height + 12
        return surface

    def _list_height(self, title: str, lines: list[str], inner: int) -> int:
        fonts = self.app.fonts
        h = PAD + fonts.block_height(title, "caption", inner) + 10
        for line in lines:
            h += fonts.block_height(line, "small", inner) + 6
        return h + PAD - 6

    def _draw_list(
        self,
        surface: pygame.Surface,
        rect: pygame.Rect,
        title: str,
        lines: list[str],
        color: tuple[int, int, int],
    ) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        panel(surface, rect, theme, shadow=False)
        inner = rect.width - 2 * PAD
        y = fonts.draw_block(surface, title, "caption", theme.text_faint, rect.x + PAD,
                             rect.y + PAD, inner) + 10  # fmt: skip
        for line in lines:
            y = fonts.draw_block(surface, line, "small", color, rect.x + PAD, y, inner) + 6

    def _columns(self, inner: int) -> tuple[int, int, int, int]:
        """x of the verdict, the share bar, 'first', 'latest' (from the left padding)."""
        fonts = self.app.fonts
        latest = inner - fonts.width("latest 100 %", "small_bold")
        first = latest - 16 - fonts.width("first 100 %", "small_bold")
        bar = first - 20 - BAR_W - fonts.width(" 100 % (9999)", "small")
        widest = max(fonts.width(self.app.tr._(v), "small_bold") for v in VERDICTS)
        verdict = bar - 16 - widest - 16
        return verdict, bar, first, latest

    def _facts(self, point: PointRow) -> str:
        facts = self.app.tr._(
            "reached {visits}× · anger on arrival {anger}", visits=point.visits, anger=point.anger
        )
        if point.wrong_first:
            facts += self.app.tr._(
                " · {wrong_first} % wrong on the first attempt", wrong_first=point.wrong_first
            )
        return facts

    def _facts_below(self, point: PointRow, inner: int) -> Sequence[str]:
        """The point's facts sit right of its heading when they take at most half the row;
        longer (large text, a long translation) they wrap in rows of their own under it."""
        fonts, facts = self.app.fonts, self._facts(point)
        return (
            () if fonts.width(facts, "small") <= inner // 2 else fonts.wrap(facts, "small", inner)
        )

    def _detail(self, point: PointRow, inner: int) -> Sequence[str]:
        """The node id, after the customer's full line when the heading had to cut it: wrapped,
        not cut, so a long line (or a long translation) never cuts the id the points go by."""
        detail = self.app.tr._("decision point {node}", node=point.node)
        if point.line and point.title.endswith("…”"):
            detail = f"“{point.line}” · {detail}"
        return self.app.fonts.wrap(detail, "small", inner)

    def _point_height(self, point: PointRow, inner: int) -> int:
        fonts = self.app.fonts
        h = PAD + fonts.line_height("body_bold") + 4
        h += len(self._facts_below(point, inner)) * fonts.line_height("small")
        h += len(self._detail(point, inner)) * fonts.line_height("small") + 8
        for reply in point.replies:
            h += max(fonts.line_height("small_bold"), fonts.line_height("small")) + 4
            if reply.leads or reply.principle:
                h += fonts.line_height("caption") + 2
            h += 6
        return h + PAD - 6

    def _draw_point(
        self, surface: pygame.Surface, point: PointRow, rect: pygame.Rect, inner: int
    ) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        panel(surface, rect, theme, shadow=False)
        x, y = rect.x + PAD, rect.y + PAD
        tone = theme.bad if point.wrong_first >= 50 else theme.text_dim
        below = self._facts_below(point, inner)
        info = fonts.render("" if below else self._facts(point), "small", tone)
        # what the customer said is the heading; the node id is a faint detail below it
        title = fonts.fit_line(point.title, "body_bold", inner - info.get_width() - 14)
        head = fonts.render(title, "body_bold", theme.text)
        surface.blit(head, (x, y))
        if not below:
            surface.blit(info, (x + inner - info.get_width(), y + 3))
        y += fonts.line_height("body_bold") + 4
        for line in below:
            surface.blit(fonts.render(line, "small", tone), (x, y))
            y += fonts.line_height("small")
        for line in self._detail(point, inner):
            surface.blit(fonts.render(line, "small", theme.text_faint), (x, y))
            y += fonts.line_height("small")
        y += 8
        verdict_x, bar_x, first_x, latest_x = self._columns(inner)
        for reply in point.replies:
            dim = reply.picks == 0
            words = fonts.fit_line(f"{reply.number}. {reply.words}", "small", verdict_x - 12)
            surface.blit(fonts.render(words, "small", theme.text_faint if dim else theme.text),
                         (x, y))  # fmt: skip
            colour = _verdict_colour(reply.verdict, theme)
            label = self.app.tr._(reply.verdict) if reply.verdict else "—"
            surface.blit(fonts.render(label, "small_bold", colour), (x + verdict_x, y))
            track = pygame.Rect(x + bar_x, y + 4, BAR_W, 10)
            pygame.draw.rect(surface, theme.panel_sunken, track, border_radius=5)
            if reply.share:
                fill = track.copy()
                fill.width = max(4, BAR_W * reply.share // 100)
                pygame.draw.rect(surface, colour, fill, border_radius=5)
            share = fonts.render(f" {reply.share} % ({reply.picks})", "small", theme.text_dim)
            surface.blit(share, (track.right + 4, y))
            surface.blit(fonts.render(self.app.tr._("first {first} %", first=reply.first), "small_bold", theme.text_dim),
                         (x + first_x, y))  # fmt: skip
            moved = reply.latest - reply.first
            better = (moved > 0) == (reply.verdict in (Verdict.GOOD, Verdict.FAIR))
            latest_colour = theme.text_dim if moved == 0 else (theme.good if better else theme.bad)
            surface.blit(fonts.render(self.app.tr._("latest {latest} %", latest=reply.latest), "small_bold", latest_colour),
                         (x + latest_x, y))  # fmt: skip
            y += max(fonts.line_height("small_bold"), fonts.line_height("small")) + 4
            extra = " · ".join(
                p for p in (reply.principle, f"→ {reply.leads}" if reply.leads else "") if p
            )
            if extra:
                line = fonts.fit_line(extra, "caption", inner - 24)
                surface.blit(fonts.render(line, "caption", theme.text_faint), (x + 24, y))
                y += fonts.line_height("caption") + 2
            y += 6

    # ---- input --------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        act = intent.act
        if act is Act.BACK:
            self.app.play("back")
            self.app.pop()
            return
        if act is Act.CONFIRM:
            self.toggle_exam()
            return
        if act in (Act.LEFT, Act.RIGHT):
            step = 1 if act is Act.RIGHT else -1
            self.index = (self.index + step) % len(self.levels)
        elif act is Act.NEXT:
            self.cohort = (self.cohort + 1) % len(self.cohorts)
        elif act is Act.PREV:
            self.period = (self.period + 1) % len(PERIODS)
        else:
            self.view.handle(intent, arrows=True)
            return
        self.app.play("move")
        self.load()
        self.view.scroll_to(0, instant=True)
        self.layout()

    def update(self, dt: float) -> None:
        self.view.update(dt, not self.app.motion)

    # ---- drawing ------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        width = 1280 - 2 * chrome.MARGIN
        surface.blit(app.backdrop, (0, 0))
        surface.blit(self._header, (chrome.MARGIN, chrome.TOP))
        fonts.draw_block(
            surface, self._sub, "body", theme.text_dim, chrome.MARGIN, self._sub_y, width
        )
        if self._content is not None:
            self.view.blit(surface, self._content)
            self.view.draw_scrollbar(surface, theme)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))


def _verdict_colour(verdict: str, theme: Theme) -> tuple[int, int, int]:
    return {
        "good": theme.good,
        "fair": theme.good,
        "poor": theme.warn,
        "bad": theme.bad,
    }.get(verdict, theme.text_faint)
