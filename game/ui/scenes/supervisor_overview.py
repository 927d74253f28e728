"""The desk's front page: every trainee × level, one screenful at a time, sorted in the database.

Each row is a trainee: their best score and grade per level, levels passed, attempts and
last activity. A stuck trainee (several failed attempts at a level and no pass) is marked
with a warning sign and the words "Stuck at level …", and their cell for that level with an
exclamation mark, so it reads without colour. The rows come from `Store.overview_page`, a
screenful per query, so the first page of a big training room shows at once.

Keys: ↑↓ move (past the page edge to the next page), PgUp/PgDn page, Enter opens the
trainee, Tab changes the sort, typing filters by name, Esc clears the filter or leaves.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

import pygame

from game.i18n.translator import N_
from game.records.api import PAGE_MAX, OverviewRow
from game.ui import chrome
from game.ui.draw import focus_ring, panel
from game.ui.intents import PAGE_LINES, Act, Intent
from game.ui.navigator import Route
from game.ui.scene import Scene
from game.ui.scenes.supervisor import Desk
from game.ui.theme import blend
from game.ui.widgets import PAD_X, Button, Menu, TextField, text_input

if TYPE_CHECKING:
    from game.ui.window import App

# (sort, descending, label): Tab walks through them in this order
SORTS: tuple[tuple[str, bool, str], ...] = (
    ("coaching", True, N_("Needs coaching")),
    ("activity", True, N_("Recently active")),
    ("activity", False, N_("Longest inactive")),
    ("name", False, N_("Name A–Z")),
    ("name", True, N_("Name Z–A")),
    ("passed", True, N_("Most levels passed")),
    ("passed", False, N_("Fewest levels passed")),
)
NAME_W = 250
ATTEMPTS_W = 84
LAST_W = 150
TABLE = "table"
SEARCH = "search"
STUCK_MARK = "⚠"
VERDICT = MappingProxyType({True: "✓", False: ""})


LEVEL_HEAD_MAX = 150  # the longest a level's column head may be (drawn upright)


class OverviewScene(Scene):
    name = "supervisor-overview"

    def __init__(self, app: App, desk: Desk) -> None:
        super().__init__(app)
        self.desk = desk
        self.sort_index = 0
        self.search = TextField(app.tr._("Type to find a trainee by name"), 100)
        self.rows: tuple[OverviewRow, ...] = ()
        self.total = 0
        self.offset = 0  # index of the page's first row among all matching trainees
        self.cursor = 0  # the selected row, on this page
        self.page_size = 10
        self.menu = Menu(horizontal=True)
        self.zone = TABLE  # TABLE, or the toolbar (the menu's focus)
        self._table: pygame.Surface | None = None
        self._count_x = self._count_y = self._count_w = 0
        self._queried: tuple[object, ...] = ()

    # ---- data ---------------------------------------------------------------------------------

    @property
    def sort(self) -> tuple[str, bool, str]:
        return SORTS[self.sort_index]

    def refresh(self) -> None:
        """Fetch the current page (and clamp the cursor to what came back)."""
        sort, descending, _ = self.sort
        term = self.search.text.strip() or None
        rows, total = self.desk.store.overview_page(
            sort, descending, self.offset, min(PAGE_MAX, self.page_size), term
        )
        if not rows and total and self.offset:  # the page emptied (filter): go to the last
            self.offset = max(0, (total - 1) // self.page_size * self.page_size)
            rows, total = self.desk.store.overview_page(
                sort, descending, self.offset, self.page_size, term
            )
        self.rows, self.total = rows, total
        self.cursor = max(0, min(self.cursor, len(rows) - 1))
        self._queried = (sort, descending, term, self.offset, self.page_size)
        self._paint_table()

    @property
    def selected(self) -> OverviewRow | None:
        return self.rows[self.cursor] if self.rows else None

    # ---- life cycle ---------------------------------------------------------------------------

    def enter(self) -> None:
        text_input(True)
        self.sync()  # laid out once, here or by App.push after enter

    def resume(self) -> None:
        self.refresh()  # a note written or a call played since: show it

    def exit(self) -> None:
        text_input(False)

    # ---- layout -------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        width = 1280 - 2 * chrome.MARGIN
        self._hints = chrome.hints(
            app,
            [
                ("↑↓", self.app.tr._("Move")),
                (self.app.tr._("PgUp PgDn"), self.app.tr._("Page")),
                ("Enter", self.app.tr._("Open")),
                ("Tab", self.app.tr._("Sort")),
                ("A–Z", self.app.tr._("Find")),
                ("Esc", self.app.tr._("Leave")),
            ],
            width,
        )
        # the toolbar: passphrase and leave beside the title, the sort beside the search
        buttons = [
            Button(
                "sort",
                self.app.tr._("Sort: {sort}", sort=self.app.tr._(self.sort[2])),
                "secondary",
                hint="Tab",
            ),
            Button("passphrase", self.app.tr._("Change passphrase"), "ghost"),
            Button("leave", self.app.tr._("Leave the desk"), "ghost"),
        ]
        picks = Button("levels", self.app.tr._("What they pick"), "ghost")  # beside the sort, below
        page = 1280 - 2 * chrome.MARGIN
        # a long translation wraps inside its button rather than push the row off the page
        widths = [min(page * 3 // 10, max(150, fonts.width(b.label, "body_bold") + 56))
                  for b in buttons]  # fmt: skip
        widest = max(
            fonts.width(self.app.tr._("Sort: {sort}", sort=self.app.tr._(s[2])), "body_bold")
            for s in SORTS
        )
        widths[0] = min(page * 45 // 100, widest + fonts.width("Tab", "caption") + 70)
        bh = max(b.measure(fonts, w) for b, w in zip(buttons, widths, strict=True))
        x = 1280 - chrome.MARGIN
        for button, w in reversed(list(zip(buttons[1:], widths[1:], strict=True))):
            x -= w
            button.place(fonts, x, chrome.TOP + 4, w)
            button.rect.height = bh
            x -= 10
        self._header = chrome.header(
            app,
            self.app.tr._("Supervisor's desk"),
            self.app.tr._("Your trainees"),
            x - chrome.MARGIN - 10,
        )  # beside the toolbar, wrapped if need be
        top = max(chrome.TOP + self._header.get_height(), chrome.TOP + 4 + bh) + 18
        # the search is wide enough for its hint; the sort, "what they pick" and the count
        # sit beside it when they fit, else on a row of their own below it
        hint_w = fonts.width(self.search.placeholder, "body") + 2 * PAD_X + 8
        search_w = min(page, max(min(420, (page - widths[0] - 20) // 2), hint_w))
        self.search.rect = pygame.Rect(chrome.MARGIN, top, search_w, self.search.height(fonts))
        sort = buttons[0]
        picks_w = fonts.width(picks.label, "body_bold") + 56
        count_w = fonts.width(self._count_text(9999, 9999, 9999), "small")
        row_y, left = top, self.search.rect.right + 20
        if left + count_w + 20 + picks_w + 10 + widths[0] > 1280 - chrome.MARGIN:
            row_y, left = self.search.rect.bottom + 10, chrome.MARGIN
        sort.place(fonts, 1280 - chrome.MARGIN - widths[0], row_y, widths[0])
        picks_w = min(picks_w, sort.rect.x - 10 - left)
        picks.place(fonts, sort.rect.x - 10 - picks_w, row_y, picks_w)
        row_h = max(self.search.rect.height, sort.rect.height, picks.rect.height)
        sort.rect.height = picks.rect.height = row_h
        self.menu.set_buttons([*buttons, picks], keep=True)
        self.menu.render(fonts, theme)
        bottom_of_row = max(self.search.rect.bottom, sort.rect.bottom)
        self._count_x, self._count_w = left, picks.rect.x - 20 - left
        self._count_y = row_y + row_h // 2 - fonts.line_height("small") // 2
        if self._count_w < count_w:  # no room beside them: the count gets a line of its own
            self._count_x, self._count_w = chrome.MARGIN, page
            self._count_y = bottom_of_row + 6
            bottom_of_row = self._count_y + fonts.line_height("small")
        top = bottom_of_row + 14
        bottom = chrome.footer_y(app, self._hints) - 14
        self.card = pygame.Rect(chrome.MARGIN, top, width, bottom - top)
        self._level_heads = [
            fonts.fit_line(
                f"{lvl.number} · {self.desk.titles.title(lvl.key)}", "caption", LEVEL_HEAD_MAX
            )
            for lvl in self.desk.campaign.levels
        ]  # drawn turned a quarter, so a name fits a narrow column
        tallest = max((fonts.width(t, "caption") for t in self._level_heads), default=0)
        self._head_h = max(fonts.line_height("caption"), tallest) + 18
        self.row_h = fonts.line_height("body_bold") + fonts.line_height("small") + 14
        levels = max(1, len(self.desk.campaign.levels))
        spare = width - 24 - NAME_W - ATTEMPTS_W - LAST_W
        self.cell_w = max(24, min(64, spare // levels))
        self.name_w = width - 24 - ATTEMPTS_W - LAST_W - self.cell_w * levels
        size = max(1, (self.card.height - self._head_h - 8) // self.row_h)
        if size != self.page_size:
            first = self.offset + self.cursor
            self.page_size = size
            self.offset = first // size * size
            self.cursor = first - self.offset
        self.refresh()

    def _paint_table(self) -> None:
        """The rows of this page, painted once per query onto the card's surface."""
        fonts, theme = self.app.fonts, self.app.theme
        card = self.card
        table = pygame.Surface(card.size, pygame.SRCALPHA)
        levels = self.desk.campaign.levels
        x0 = 12
        # column heads
        y = 12
        base = self._head_h - 12 - fonts.line_height("caption")  # the heads sit on one line
        heads = [(self.app.tr._("TRAINEE"), x0 + 10, self.name_w - 10, "left")]
        x = x0 + self.name_w
        for head in self._level_heads[: len(levels)]:
            label = pygame.transform.rotate(fonts.render(head, "caption", theme.text_faint), 90)
            table.blit(label, label.get_rect(midbottom=(x + self.cell_w // 2, self._head_h - 10)))
            x += self.cell_w
        heads.append((self.app.tr._("ATTEMPTS"), x, ATTEMPTS_W, "center"))
        heads.append((self.app.tr._("LAST ACTIVE"), x + ATTEMPTS_W + 8, LAST_W - 8, "left"))
        for text, hx, hw, align in heads:
            fonts.draw_block(table, fonts.fit_line(text, "caption", hw), "caption",
                             theme.text_faint, hx, base, hw, align)  # fmt: skip
        y = self._head_h
        pygame.draw.line(table, theme.border, (x0, y - 4), (card.width - 12, y - 4))
        if not self.rows:
            empty = (
                self.app.tr._("No trainee matches that name.")
                if self.search.text.strip()
                else self.app.tr._("No trainees yet. They appear here once they create a profile.")
            )
            fonts.draw_block(table, empty, "body", theme.text_dim, x0 + 10, y + 14, card.width - 40)
        for index, row in enumerate(self.rows):
            self._paint_row(table, row, y + index * self.row_h, index)
        self._table = table

    def _paint_row(self, table: pygame.Surface, row: OverviewRow, y: int, index: int) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        levels = self.desk.campaign.levels
        x0 = 12
        box = pygame.Rect(x0, y, self.card.width - 24, self.row_h - 4)
        stuck = row.stuck_levels
        if index % 2 == 1:
            pygame.draw.rect(
                table, blend(theme.panel, theme.panel_raised, 0.5), box, border_radius=8
            )
        if stuck:
            pygame.draw.rect(table, blend(theme.panel, theme.bad_soft, 0.6), box, border_radius=8)
            pygame.draw.rect(table, theme.bad, pygame.Rect(box.x, box.y, 5, box.height),
                             border_top_left_radius=8, border_bottom_left_radius=8)  # fmt: skip
        name_w = self.name_w - 18
        ty = y + 6
        table.blit(
            fonts.render(
                fonts.fit_line(row.trainee.name, "body_bold", name_w), "body_bold", theme.text
            ),
            (x0 + 12, ty),
        )
        detail, warn = self.row_detail(row)
        tone, style = (theme.bad, "small_bold") if warn else (theme.text_dim, "small")
        table.blit(
            fonts.render(fonts.fit_line(detail, style, name_w), style, tone),
            (x0 + 12, ty + fonts.line_height("body_bold")),
        )
        x = x0 + self.name_w
        for level in levels:
            best = row.levels.get(level.key)
            cell = pygame.Rect(x + 2, y + 4, self.cell_w - 4, self.row_h - 12)
            if best is not None:
                is_stuck = level.key in stuck
                fill = (
                    theme.good_soft
                    if best.passed
                    else theme.bad_soft
                    if is_stuck
                    else theme.panel_raised
                )
                pygame.draw.rect(table, fill, cell, border_radius=6)
                if is_stuck:
                    pygame.draw.rect(table, theme.bad, cell, width=2, border_radius=6)
                score, grade = self.cell_text(row, level.key)
                top = fonts.render(score, "small_bold", theme.text)
                table.blit(top, top.get_rect(midtop=(cell.centerx, cell.y + 2)))
                low = fonts.render(grade or "·", "caption", theme.text_dim)
                table.blit(low, low.get_rect(midbottom=(cell.centerx, cell.bottom - 2)))
            else:
                dot = fonts.render("·", "small", theme.text_faint)
                table.blit(dot, dot.get_rect(center=cell.center))
            x += self.cell_w
        count = fonts.render(str(row.attempts), "body", theme.text)
        table.blit(count, count.get_rect(center=(x + ATTEMPTS_W // 2, box.centery)))

        from game.ui.scenes.profile import since

        last = (
            since(row.last_activity, tr=self.app.tr)
            if row.last_activity is not None
            else self.app.tr._("Not played yet")
        )
        table.blit(
            fonts.render(fonts.fit_line(last, "small", LAST_W - 8), "small", theme.text_dim),
            (x + ATTEMPTS_W + 8, box.centery - fonts.line_height("small") // 2),
        )

    def row_detail(self, row: OverviewRow) -> tuple[str, bool]:
        """The line under a trainee's name, and whether it is a warning (stuck)."""
        levels = self.desk.campaign.levels
        if row.stuck_levels:
            numbers = sorted(lvl.number for lvl in levels if lvl.key in row.stuck_levels)
            which = ", ".join(str(n) for n in numbers) or self.app.tr._("a retired level")
            return self.app.tr._n(
                "{mark} Stuck at level {which}",
                "{mark} Stuck at levels {which}",
                max(1, len(numbers)),
                mark=STUCK_MARK,
                which=which,
            ), True
        passed = sum(1 for b in row.levels.values() if b.passed)
        return self.app.tr._(
            "{passed} of {n_levels} levels passed", passed=passed, n_levels=len(levels)
        ), False

    @staticmethod
    def cell_text(row: OverviewRow, key: str) -> tuple[str, str]:
        """(best score, grade with ✓ passed or ! stuck) of one level; empty if not played."""
        best = row.levels.get(key)
        if best is None:
            return "", ""
        score = "–" if best.best_score is None else str(best.best_score)
        mark = "!" if key in row.stuck_levels else VERDICT[best.passed]
        return score, f"{best.best_grade or ''} {mark}".strip()

    def row_rect(self, index: int) -> pygame.Rect:
        """Where row `index` of this page is on screen."""
        return pygame.Rect(
            self.card.x + 12,
            self.card.y + self._head_h + index * self.row_h,
            self.card.width - 24,
            self.row_h - 4,
        )

    # ---- moving -------------------------------------------------------------------------------

    def move(self, step: int) -> None:
        """Move the selection by `step` rows across page boundaries."""
        if not self.total:
            return
        first = self.offset + self.cursor
        target = max(0, min(self.total - 1, first + step))
        if target == first:
            return
        offset = target // self.page_size * self.page_size
        self.cursor = target - offset
        if offset != self.offset:
            self.offset = offset
            self.refresh()
        self.app.play("move")

    def change_sort(self, step: int) -> None:
        self.sort_index = (self.sort_index + step) % len(SORTS)
        self.offset = self.cursor = 0
        self.app.play("move")
        self.layout()

    def _search_changed(self) -> None:
        self.offset = self.cursor = 0
        self.refresh()

    # ---- input --------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        act = intent.act
        if act is Act.BACK:
            if self.search.text:
                self.search.text = ""
                self._search_changed()
            else:
                self.leave()
            return
        if act is Act.NEXT:
            self.change_sort(1)
            return
        if act is Act.PREV:
            self.change_sort(-1)
            return
        if act in (Act.TEXT, Act.ERASE):
            before = self.search.text
            self.search.handle(intent)
            if self.search.text != before:
                self.zone = TABLE
                self._search_changed()
            return
        if act in (Act.SKIP, Act.PICK):
            return  # spaces and digits arrive as TEXT for the name filter
        if act in (Act.POINT, Act.CLICK):
            self._pointer(intent)
            return
        if self.zone != TABLE:
            if act is Act.DOWN:
                self.zone = TABLE
                self.app.play("move")
                return
            key = self.navigate(self.menu, intent)
            if key is not None:
                self.activate(key)
            return
        if act is Act.UP:
            if self.offset + self.cursor == 0:
                self.zone = self.menu.focused or "sort"
                self.app.play("move")
            else:
                self.move(-1)
        elif act is Act.DOWN:
            self.move(1)
        elif act is Act.SCROLL:
            self.move(intent.number // PAGE_LINES * self.page_size or intent.number)
        elif act is Act.HOME:
            self.move(-self.total)
        elif act is Act.END:
            self.move(self.total)
        elif act is Act.CONFIRM:
            self.open()

    def _pointer(self, intent: Intent) -> None:
        button = self.menu.at(intent.pos)
        if button is not None:
            self.zone = button.key
            self.menu.handle(intent)
            if intent.act is Act.CLICK:
                self.activate(button.key)
            return
        for index in range(len(self.rows)):
            if self.row_rect(index).collidepoint(intent.pos):
                if intent.act is Act.CLICK:
                    again = self.zone == TABLE and index == self.cursor
                    self.zone, self.cursor = TABLE, index
                    if again:
                        self.open()
                return
        if intent.act is Act.CLICK and self.search.rect.collidepoint(intent.pos):
            self.zone = TABLE

    def activate(self, key: str) -> None:
        if key == "sort":
            self.change_sort(1)
        elif key == "passphrase":
            self.app.play("select")
            self.app.push(self.app.open(Route.DESK, self.desk))
        elif key == "levels":
            from game.ui.scenes.supervisor_level import LevelScene

            self.app.play("select")
            self.app.push(LevelScene(self.app, self.desk))
        elif key == "leave":
            self.leave()

    def open(self) -> None:
        row = self.selected
        if row is None:
            return
        self.app.play("select")
        self.app.push(self.app.open(Route.DESK_TRAINEE, self.desk, row.trainee))

    def leave(self) -> None:
        """Back to the title; the next visit asks for the passphrase again."""
        self.app.play("back")
        self.app.pop()

    # ---- drawing ------------------------------------------------------------------------------

    def _count_text(self, first: int, last: int, total: int) -> str:
        if not total:
            return self.app.tr._("No trainees")
        return self.app.tr._(
            "Trainees {value}–{last} of {total:,}", value=first, last=last, total=total
        )

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        surface.blit(app.backdrop, (0, 0))
        surface.blit(self._header, (chrome.MARGIN, chrome.TOP))
        self.menu.draw(surface, fonts, theme, active=self.zone != TABLE)
        self.search.draw(surface, fonts, theme, bool(self.search.text), app.clock)
        count = self._count_text(self.offset + 1, self.offset + len(self.rows), self.total)
        x = self._count_x
        if fonts.width(count, "small") > self._count_w:  # the numbers only, if ever needed
            count = count.removeprefix(self.app.tr._("Trainees "))
        surface.blit(fonts.render(count, "small", theme.text_dim), (x, self._count_y))
        panel(surface, self.card, theme)
        if self._table is not None:
            surface.blit(self._table, self.card.topleft)
        if self.rows:
            rect = self.row_rect(self.cursor)
            if self.zone == TABLE:
                focus_ring(surface, rect, theme, 8)
            else:
                pygame.draw.rect(surface, theme.border, rect, width=1, border_radius=8)
        surface.blit(self._hints, (chrome.MARGIN, chrome.footer_y(app, self._hints)))
