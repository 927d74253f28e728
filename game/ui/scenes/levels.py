"""Level select: the campaign in order, what is open, the trainee's best on each.

A list on the left (status, number, title, best grade) and the selected level in detail on
the right: the customer as they will appear, their type and channel, the summary, the
pass mark. A level whose file failed to load shows its `file:line` problems instead, and
does not block the levels after it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pygame

from game.i18n.translator import CAMPAIGN_CONTEXT
from game.training import (
    SPACING,
    Drill,
    due_now,
    exam_offered,
    passed_levels,
    progress,
    required_exams,
    trainee_drills,
)
from game.ui import chrome
from game.ui.draw import aa_circle, icon_channel, icon_check, icon_lock, panel
from game.ui.intents import Act, Intent
from game.ui.navigator import Route
from game.ui.portrait import Portrait
from game.ui.scene import Scene
from game.ui.widgets import Button, Menu, ScrollView
from game.ui.words import due_words

if TYPE_CHECKING:
    from game.records.api import LevelBest
    from game.scenario.campaign import Campaign, Level
    from game.scenario.model import Channel
    from game.ui.window import App

LIST_W = 470  # at 100 % text; wider with larger text
LIST_FOCUS = "levels"
PORTRAIT = (300, 220)


def flow_rows(
    buttons: list[Button], natural: list[int], width: int, gap: int
) -> list[list[Button]]:
    """Buttons in as few rows as their natural widths allow, each row stretched to `width`.

    Sets each button's x (relative to the row start) and width; y is left to the caller.
    """
    rows: list[list[tuple[Button, int]]] = [[]]
    used = 0
    for button, w in zip(buttons, natural, strict=True):
        if rows[-1] and used + gap + w > width:
            rows.append([])
            used = 0
        used += (gap if rows[-1] else 0) + w
        rows[-1].append((button, w))
    out: list[list[Button]] = []
    for row in rows:
        total = sum(w for _, w in row) + gap * (len(row) - 1)
        extra = max(0, width - total) // len(row)
        x = 0
        for button, w in row:
            button.rect = pygame.Rect(x, 0, w + extra, 1)
            x += w + extra + gap
        out.append([b for b, _ in row])
    return out


class LevelsScene(Scene):
    name = "levels"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        world = app.world()
        assert world.campaign is not None and world.store is not None and app.trainee is not None
        self.campaign: Campaign = world.campaign
        self.trainee = app.trainee
        self.catalog = world.catalog
        self.selected = 0
        self.list_view = ScrollView()
        self.detail_view = ScrollView()
        self.menu = Menu(horizontal=True)
        self.row_rects: list[pygame.Rect] = []
        self.bests: dict[str, LevelBest] = {}
        self.open: dict[str, bool] = {}
        self.required: frozenset[str] = frozenset()  # levels a supervisor requires exams for
        self.drills: dict[str, Drill] = {}  # this trainee's drill levels (practice due)
        self._portraits: dict[str, Portrait] = {}
        self._portrait: Portrait | None = None
        self._drawing: tuple[str, str, Channel, float] | None = None
        self._drawing_fresh = False
        self._portrait_image = pygame.Surface((1, 1))
        self._portrait_anger = 0
        self.list_w = LIST_W
        self._list: pygame.Surface | None = None
        self._detail: pygame.Surface | None = None
        self._blink = 0.0

    @property
    def levels(self) -> tuple[Level, ...]:
        return self.campaign.levels

    def _load(self) -> None:
        store = self.app.world().store
        assert store is not None
        self.bests = dict(store.level_bests(self.trainee.id))
        state = progress(self.levels, self.bests)
        self.open = dict(state.open)
        self.selected = state.selected
        self.required = required_exams(store)
        # the drill explores each level once (a moment each): off the frame, shown when ready
        campaign, catalog, trainee_id, bests = (
            self.campaign,
            self.catalog,
            self.trainee.id,
            self.bests,
        )
        self.app.later(
            lambda: trainee_drills(store, campaign, catalog, trainee_id, bests), self._drills_ready
        )

    def _drills_ready(self, drills: tuple[Drill, ...]) -> None:
        self.drills = {d.scenario_id: d for d in drills}
        if self.app.top is self:
            self.layout()

    def enter(self) -> None:
        self._load()
        self.sync()  # laid out once, here or by App.push after enter
        self.menu.focus(LIST_FOCUS)
        self._reveal_row()

    def resume(self) -> None:
        self._load()
        self.layout()
        self.menu.focus(LIST_FOCUS)
        self._reveal_row()

    # ---- text helpers ---------------------------------------------------------------------------

    def _labels(self, level: Level) -> tuple[str, str, str]:
        """(customer name, customer type, channel) for a playable level."""
        scenario = level.scenario
        assert scenario is not None
        persona = self.catalog.personas[scenario.customer.persona.value].label
        channel = self.catalog.channels[scenario.channel.value].label
        return (
            scenario.customer.name.get(self.app.lang),
            self.app.tr._("{persona} customer", persona=persona),
            channel,
        )

    def _title(self, level: Level) -> str:
        if level.scenario is not None:
            return level.scenario.title.get(self.app.lang)
        return level.title

    def _sub(self, level: Level) -> str:
        """The list row's second line: customer type and channel, and practice due."""
        if not level.playable:
            return self.app.tr._("This level has errors")
        sub = " · ".join(self._labels(level)[1:])
        drill = self.drills.get(level.key)
        if drill is not None:
            sub = self.app.tr._(
                "{labels} · practice {due}",
                labels=sub,
                due=due_words(drill, datetime.now(UTC), self.app.tr),
            )
        return sub

    def _practice_facts(self, level: Level) -> list[tuple[str, str, tuple[int, int, int]]]:
        """What the card says about exams and drills at this level."""
        theme = self.app.theme
        facts: list[tuple[str, str, tuple[int, int, int]]] = []
        if level.key in self.required:
            facts.append((self.app.tr._(
                "Your supervisor requires exam mode here: no feedback until the debrief."),
                "small_bold", theme.warn))  # fmt: skip
        elif exam_offered(level.key, passed_levels(self.bests), self.required):
            facts.append((self.app.tr._(
                "Passed: you can take it as an exam (no feedback until the debrief)."),
                "small", theme.text_dim))  # fmt: skip
        drill = self.drills.get(level.key)
        if drill is not None:
            named = [
                f"{p} {found.title}" if (found := self.catalog.principles.get(p)) else p
                for p in drill.principles
            ]
            due = due_words(drill, datetime.now(UTC), self.app.tr)
            line = (
                self.app.tr._(
                    "Practice {due} for {principles} (spaced practice: {done} of {total} done).",
                    due=due, principles="; ".join(named), done=drill.done, total=len(SPACING) + 1,
                )
                if named
                else self.app.tr._(
                    "Practice {due} (spaced practice: {done} of {total} done).",
                    due=due, done=drill.done, total=len(SPACING) + 1,
                )
            )  # fmt: skip
            facts.append((line, "small_bold", theme.accent))
        return facts

    def _best_text(self, level: Level) -> str:
        best = self.bests.get(level.key)
        if best is None or best.best_score is None:
            return (
                self.app.tr._("Not played yet")
                if best is None or not best.attempts
                else self.app.tr._("No finished call yet")
            )
        return self.app.tr._(
            "Best {best_score} · grade {best_grade}",
            best_score=best.best_score,
            best_grade=best.best_grade,
        )

    # ---- layout ---------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts = self.app, self.app.fonts
        self.list_w = round(LIST_W * (1 + (fonts.scale - 1) * 0.25))
        passed = sum(1 for b in self.bests.values() if b.passed)
        total = sum(1 for lvl in self.levels if lvl.playable)
        self._header = chrome.header(
            app,
            self.app.tr._(
                "{title} campaign · {name}",
                title=self.app.tr._p(CAMPAIGN_CONTEXT, self.campaign.title),
                name=self.trainee.name,
            ),
            self.app.tr._("Choose your next call"),
            700,
        )
        due = len(due_now(self.drills.values(), datetime.now(UTC)))
        self._progress = (
            self.app.tr._n(
                "{passed} of {total} passed · {n} to practise now",
                "{passed} of {total} passed · {n} to practise now",
                due,
                passed=passed,
                total=total,
            )
            if due
            else self.app.tr._("{passed} of {total} passed", passed=passed, total=total)
        )
        self._progress_share = passed / total if total else 0.0
        top = chrome.TOP + self._header.get_height() + 24
        self._hints = chrome.hints(
            app,
            [
                ("↑↓", self.app.tr._("Choose a level")),
                ("Enter", self.app.tr._("Take the call")),
                ("Tab", self.app.tr._("Buttons")),
                ("Esc", self.app.tr._("Back")),
            ],
            1280 - 2 * chrome.MARGIN,
        )
        bottom = chrome.footer_y(app, self._hints) - 18
        page_buttons = [
            Button("history", self.app.tr._("My history")),
            Button("settings", self.app.tr._("Settings")),
            Button("back", self.app.tr._("Back"), "ghost"),
        ]
        rows = flow_rows(
            page_buttons,
            [fonts.width(b.label, "body_bold") + 44 for b in page_buttons],
            self.list_w,
            10,
        )
        bh = max(b.measure(fonts, b.rect.width) for b in page_buttons)
        y = bottom - len(rows) * (bh + 10) + 10
        for row in rows:
            for button in row:
                button.place(fonts, chrome.MARGIN + button.rect.x, y, button.rect.width)
                button.rect.height = bh
            y += bh + 10
        bh = len(rows) * (bh + 10) - 10
        self._page_buttons = page_buttons
        self.list_view.rect = pygame.Rect(chrome.MARGIN, top, self.list_w, bottom - bh - 16 - top)
        self.list_view.line = fonts.line_height("body")
        self._build_list()
        self.card = pygame.Rect(
            chrome.MARGIN + self.list_w + 28,
            top,
            1280 - chrome.MARGIN - (chrome.MARGIN + self.list_w + 28),
            bottom - top,
        )
        self._build_detail()

    def _has_score(self, level: Level) -> bool:
        best = self.bests.get(level.key)
        return best is not None and best.best_score is not None

    def _build_list(self) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        width = self.list_w - 14
        icon = max(30, fonts.line_height("body_bold") + 8)
        text_x = 16 + icon + 14
        # the title has the row's width; the best-score chip shares the second line
        chip_w = fonts.width("A · 100", "small_bold") + 22
        title_w = width - text_x - 20
        sub_ws = {
            lvl.key: title_w - (chip_w + 10 if self._has_score(lvl) else 0) for lvl in self.levels
        }
        rects: list[pygame.Rect] = []
        y = 0
        for level in self.levels:
            title = f"{level.number}. {self._title(level)}"
            sub = self._sub(level)
            sub_h = fonts.block_height(sub, "small", sub_ws[level.key])
            if self._has_score(level):
                sub_h = max(sub_h, fonts.line_height("small_bold") + 8)
            h = fonts.block_height(title, "body_bold", title_w) + 2 + sub_h
            rects.append(pygame.Rect(0, y, width, max(h, icon) + 22))
            y += rects[-1].height + 8
        content = pygame.Surface((width, max(1, y)), pygame.SRCALPHA)
        for level, rect in zip(self.levels, rects, strict=True):
            key = level.key
            best = self.bests.get(key)
            is_open = self.open.get(key, False)
            fill = theme.panel if is_open or not level.playable else theme.panel_sunken
            panel(
                content,
                rect,
                theme,
                fill,
                radius=12,
                shadow=False,
                border=theme.bad if not level.playable else None,
            )
            circle = pygame.Rect(16, rect.y + (rect.height - icon) // 2, icon, icon)
            if not level.playable:
                pygame.draw.circle(content, theme.bad_soft, circle.center, icon // 2)
                mark = fonts.render("!", "body_bold", theme.bad)
                content.blit(mark, mark.get_rect(center=circle.center))
            elif best is not None and best.passed:
                aa_circle(content, theme.good, circle.center, icon / 2)
                icon_check(content, circle.inflate(-icon // 3, -icon // 3), theme.accent_text)
            elif is_open:
                pygame.draw.circle(content, theme.accent, circle.center, icon // 2, width=3)
                pygame.draw.circle(content, theme.accent, circle.center, icon // 6)
            else:
                pygame.draw.circle(content, theme.panel_raised, circle.center, icon // 2)
                icon_lock(content, circle.inflate(-icon // 2.4, -icon // 2.4), theme.locked)
            title = f"{level.number}. {self._title(level)}"
            sub = self._sub(level)
            color = theme.text if is_open or not level.playable else theme.text_faint
            y = fonts.draw_block(content, title, "body_bold", color, text_x, rect.y + 11, title_w)
            fonts.draw_block(
                content,
                sub,
                "small",
                theme.text_dim if is_open else theme.text_faint,
                text_x,
                y + 2,
                sub_ws[key],
            )
            if best is not None and best.best_score is not None:
                chip = fonts.render(
                    f"{best.best_grade} · {best.best_score}",
                    "small_bold",
                    theme.good if best.passed else theme.text_dim,
                )
                box = pygame.Rect(0, 0, chip.get_width() + 18, chip.get_height() + 8)
                box.topright = (rect.right - 14, y + 2)
                pygame.draw.rect(
                    content,
                    theme.good_soft if best.passed else theme.panel_raised,
                    box,
                    border_radius=box.height // 2,
                )
                content.blit(chip, chip.get_rect(center=box.center))
        self.row_rects = rects
        self._list = content
        self.list_view.set_content(content.get_height())

    def _build_detail(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        level = self.levels[self.selected]
        card = self.card
        inner = card.width - 56
        is_open = self.open.get(level.key, False)
        # the action sits at the bottom of the card; the page's other buttons under the list
        buttons: list[Button] = []
        row_h = 0
        if level.playable and is_open:
            required = level.key in self.required
            play = Button(
                "play",
                self.app.tr._("Take the exam") if required else self.app.tr._("Take the call"),
                "primary",
                hint="Enter",
            )
            offered = not required and exam_offered(
                level.key, passed_levels(self.bests), self.required
            )
            if offered:  # two buttons side by side: practice, or an exam
                half = (inner - 16) // 2
                exam = Button("exam", self.app.tr._("Take it as an exam"))
                row_h = max(play.measure(fonts, half), exam.measure(fonts, half))
                play.place(fonts, card.x + 28, card.bottom - 24 - row_h, half)
                exam.place(fonts, card.x + 28 + half + 16, card.bottom - 24 - row_h, half)
                buttons += [play, exam]
            else:
                row_h = play.measure(fonts, inner)
                play.place(fonts, card.x + 28, card.bottom - 24 - row_h, inner)
                buttons.append(play)
        buttons += self._page_buttons
        order = [LIST_FOCUS] + [b.key for b in buttons]
        self.menu.set_buttons(buttons, order=order)
        self.menu.render(fonts, theme)
        row_h = row_h + 20 if row_h else 0

        self.detail_view.rect = pygame.Rect(
            card.x + 28, card.y + 24, inner, card.height - 24 - row_h - 24
        )
        self.detail_view.line = fonts.line_height("body")
        self.detail_view.scroll_to(0, instant=True)
        parts: list[tuple[str, str, tuple[int, int, int], int]] = []  # text, style, colour, indent
        if level.playable:
            assert level.scenario is not None
            scenario = level.scenario
            name, persona, channel = self._labels(level)
            side_x = PORTRAIT[0] + 24
            side_w = inner - side_x
            if side_w < 240 + (fonts.scale - 1) * 200:  # large text: facts under the customer
                side_x, side_w = 0, inner
            facts = [
                (
                    self.app.tr._("LEVEL {number} · {upper}", number=level.number, upper=channel),
                    "caption",
                    theme.accent,
                ),
                (self._title(level), "h2", theme.text),
                (f"{name} · {persona}", "body_bold", theme.text_dim),
                (
                    self.app.tr._("Difficulty ")
                    + "●" * scenario.difficulty
                    + "○" * (5 - scenario.difficulty),
                    "small",
                    theme.text_dim,
                ),
                (
                    self.app.tr._("Pass mark {pass_score}", pass_score=level.pass_score),
                    "small",
                    theme.text_dim,
                ),
                (
                    self._best_text(level),
                    "small_bold",
                    theme.good
                    if self.bests.get(level.key, None) and self.bests[level.key].passed
                    else theme.text_dim,
                ),
            ]
            if not is_open:
                facts.append(
                    (
                        self.app.tr._("Locked: pass the level before it to open this one."),
                        "small_bold",
                        theme.warn,
                    )
                )
            else:
                facts += self._practice_facts(level)
            y = 0
            side_top = 0 if side_x else PORTRAIT[1] + 20
            y = side_top
            for text, style, color in facts:
                parts.append((text, style, color, side_x))
                y += fonts.block_height(text, style, side_w) + (4 if style != "h2" else 8)
            y = max(y, PORTRAIT[1] if side_x else y) + 22
            summary_y = y
            summary = scenario.summary.get(app.lang)
            content_h = summary_y + fonts.block_height(summary, "body", inner) + 8
            content = pygame.Surface((inner, content_h), pygame.SRCALPHA)
            y = side_top
            for text, style, color, indent in parts:
                y = fonts.draw_block(content, text, style, color, indent, y, side_w) + (
                    4 if style != "h2" else 8
                )
            fonts.draw_block(content, summary, "body", theme.text, 0, summary_y, inner)
            self._portrait_at = (0, 0)
            self._portrait_anger = scenario.customer.anger
            self._channel = scenario.channel
            portrait = self._portraits.get(level.key)
            if portrait is None:  # drawn on the next update step: moving down the list stays smooth
                self._portrait = None
                self._drawing = (level.key, name, scenario.channel, scenario.customer.anger)
                self._drawing_fresh = True
            else:
                self._portrait = portrait
                self._drawing = None
                self._portrait_image = portrait.render(scenario.customer.anger, 0.0)
        else:
            lines = [(self.app.tr._("LEVEL {number}", number=level.number), "caption", theme.bad), (self.app.tr._("This level can't be played yet"), "h2", theme.text),
                     (self.app.tr._("Its scenario file has problems. The other levels still play; a trainer can fix it with `hold-the-line validate`."), "body", theme.text_dim)]  # fmt: skip
            lines += [(str(p), "small", theme.text_dim) for p in level.problems[:30]]
            if len(level.problems) > 30:
                lines.append(
                    (
                        self.app.tr._("… and {value} more", value=len(level.problems) - 30),
                        "small",
                        theme.text_faint,
                    )
                )
            h = sum(fonts.block_height(t, s, inner) + 8 for t, s, _ in lines)
            content = pygame.Surface((inner, max(1, h)), pygame.SRCALPHA)
            y = 0
            for text, style, color in lines:
                y = fonts.draw_block(content, text, style, color, 0, y, inner) + 8
            self._portrait = None
            self._drawing = None
        self._detail = content
        self.detail_view.set_content(content.get_height())

    def _reveal_row(self) -> None:
        if self.row_rects:
            rect = self.row_rects[self.selected]
            self.list_view.ensure_visible(rect.top, rect.bottom)

    # ---- input ----------------------------------------------------------------------------------

    def select(self, index: int) -> None:
        index = max(0, min(len(self.levels) - 1, index))
        if index != self.selected:
            self.selected = index
            self.app.play("move")
            self._build_detail()
        self.menu.focus(LIST_FOCUS)
        self._reveal_row()

    def handle(self, intent: Intent) -> None:
        act = intent.act
        if act is Act.BACK:
            self.app.play("back")
            self.app.pop()
            return
        if act is Act.UP:
            self.select(self.selected - 1)
            return
        if act is Act.DOWN:
            self.select(self.selected + 1)
            return
        if act is Act.SCROLL:
            pos = pygame.mouse.get_pos()
            (self.detail_view if self.detail_view.contains(pos) else self.list_view).handle(intent)
            return
        if act in (Act.POINT, Act.CLICK) and self.list_view.contains(intent.pos):
            x, y = self.list_view.to_content(intent.pos)
            for index, rect in enumerate(self.row_rects):
                if rect.collidepoint(x, y):
                    if act is Act.CLICK:
                        if index == self.selected:
                            self.activate("play")
                        else:
                            self.select(index)
                    return
            return
        if act in (Act.CONFIRM, Act.SKIP) and self.menu.focused == LIST_FOCUS:
            self.activate("play")
            return
        key = self.navigate(self.menu, intent)
        if key is not None:
            self.activate(key)

    def activate(self, key: str) -> None:
        app = self.app
        level = self.levels[self.selected]
        if key == "play":
            if not (level.playable and self.open.get(level.key, False)):
                app.play("back")
                return
            app.play("select")
            app.push(app.open(Route.CALL, level))
        elif key == "exam":
            if not (level.playable and self.open.get(level.key, False)):
                app.play("back")
                return
            app.play("select")
            app.push(app.open(Route.CALL, level, exam=True))
        elif key == "history":
            app.play("select")
            app.push(app.open(Route.HISTORY))
        elif key == "settings":
            app.play("select")
            app.push(app.open(Route.SETTINGS))
        elif key == "back":
            app.play("back")
            app.pop()

    def _draw_portrait(self) -> None:
        """The selected level's customer, staged and rendered off the frame that selected it."""
        if self._drawing is None:
            return
        if self._drawing_fresh:  # the frame that selected the level has had its share
            self._drawing_fresh = False
            return
        key, name, channel, anger = self._drawing
        self._drawing = None
        theme = self.app.theme
        portrait = Portrait(name, channel, PORTRAIT, theme, theme.panel)
        self._portraits[key] = portrait
        self._portrait = portrait
        self._portrait_image = portrait.render(anger, 0.0)

    def update(self, dt: float) -> None:
        self._draw_portrait()
        self.list_view.update(dt, not self.app.motion)
        self.detail_view.update(dt, not self.app.motion)
        clock = self.app.clock % 4.2
        self._blink = 1.0 if 4.05 < clock < 4.2 else 0.0

    # ---- drawing --------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        surface.blit(self._header, (chrome.MARGIN, chrome.TOP))
        # progress, top right
        bar = pygame.Rect(1280 - chrome.MARGIN - 260, chrome.TOP + 30, 260, 8)
        label = fonts.render(self._progress, "small_bold", theme.text_dim)
        surface.blit(label, label.get_rect(bottomright=(bar.right, bar.top - 8)))
        pygame.draw.rect(surface, theme.panel_raised, bar, border_radius=4)
        if self._progress_share > 0:
            pygame.draw.rect(
                surface,
                theme.good,
                pygame.Rect(bar.x, bar.y, max(8, round(bar.width * self._progress_share)), 8),
                border_radius=4,
            )
        # the list
        if self._list is not None:
            self.list_view.blit(surface, self._list)
            self.list_view.draw_scrollbar(surface, theme)
            rect = self.row_rects[self.selected].move(
                self.list_view.rect.x, self.list_view.rect.y - self.list_view.top
            )
            clip = surface.get_clip()
            surface.set_clip(self.list_view.rect.inflate(10, 10))
            color = theme.focus if self.menu.focused == LIST_FOCUS else theme.border
            pygame.draw.rect(surface, color, rect.inflate(6, 6), width=3, border_radius=15)
            surface.set_clip(clip)
        # the detail card
        panel(surface, self.card, theme)
        if self._detail is not None:
            self.detail_view.blit(surface, self._detail)
            self.detail_view.draw_scrollbar(surface, theme)
        if self._portrait is not None:
            x = self.detail_view.rect.x + self._portrait_at[0]
            y = self.detail_view.rect.y + self._portrait_at[1] - self.detail_view.top
            clip = surface.get_clip()
            surface.set_clip(self.detail_view.rect)
            surface.blit(self._portrait_image, (x, y))
            if self._blink:
                box = self._portrait.face_box().move(x, y)
                self._portrait.face.eyelids(surface, box, self._portrait_anger)
            badge = pygame.Rect(x + 12, y + 12, 32, 32)  # top left: the agent sits bottom left
            pygame.draw.rect(surface, theme.accent, badge, border_radius=8)
            icon_channel(
                surface, self._channel, badge.inflate(-10, -10), theme.accent_text, theme.accent
            )
            surface.set_clip(clip)
        self.menu.draw(surface, fonts, theme, active=self.menu.focused != LIST_FOCUS)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))
