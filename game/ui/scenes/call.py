"""The call: the customer, the anger meter, the conversation and the trainee's replies.

The scene holds no rules. It shows snapshots from the engine (through the records'
`Recorder`, which writes each turn as it is played) and sends back what the trainee did:
a choice, time passing, leaving. Customer lines appear at reading speed (Space or a click
shows them at once); replies are numbered buttons in the order the engine shuffled them.

Two things keep every frame cheap (see bench/frame.py):
- The scene keeps its own picture, a canvas, and `update` repaints only the regions whose
  content changed (the face, the meter, the conversation, the replies, the clock), so
  `draw` is one blit.
- Starting the attempt and playing a reply go through the `Recorder` on a worker thread:
  the database write (a network round trip on a shared PostgreSQL) never stalls a frame.
  While a reply is being recorded the scene waits, showing the reply already sent.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from concurrent.futures import Future
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pygame

from game.engine.session import (
    ChoicePrompt,
    CustomerLine,
    Moment,
    Phase,
    Turn,
    dead_air_rule,
    reading_allowance,
)
from game.records.recorder import ABANDON_WAIT, Recorder, WriteQueue
from game.ui import chrome
from game.ui.draw import icon_channel, opaque, panel
from game.ui.intents import Act, Intent
from game.ui.meter import DELTA_SECONDS, AngerMeter, Delta
from game.ui.navigator import Route
from game.ui.portrait import FaceFade, Portrait
from game.ui.scene import Scene
from game.ui.theme import Color, Theme
from game.ui.transcript import Bubble, Transcript
from game.ui.widgets import Button, Menu, ScrollView

if TYPE_CHECKING:
    from game.engine.catalog import Catalog, DeadAirRule
    from game.scenario.campaign import Level
    from game.scenario.model import Scenario
    from game.ui.window import App

LEFT_X = 40
LEFT_W = 352
RIGHT_X = LEFT_X + LEFT_W + 24
RIGHT_W = 1280 - RIGHT_X - 40
TOP = 76
BOTTOM = 704
BEAT = 0.45  # pause after a line is fully shown, before the replies appear
TICK = 0.25  # how often silence is handed to the engine (and always right before a reply)
BLINK = 0.16
PANEL_CACHE = 8
REGIONS = ("top", "face", "meter", "talk", "reveal", "replies", "timer")
RIGHT_COLUMN = frozenset({"talk", "reveal", "replies", "timer"})
CPS = MappingProxyType({"phone": 42.0, "in_person": 42.0, "chat": 70.0, "email": 140.0})
RINGING = MappingProxyType(
    {
        "phone": ("Incoming call", "ring"),
        "in_person": ("A customer walks up to your counter", "bell"),
        "chat": ("New chat request", "chime"),
        "email": ("New email in your queue", "chime"),
    }
)
ANSWER = MappingProxyType(
    {
        "phone": "Answer the call",
        "in_person": "Greet them",
        "chat": "Accept the chat",
        "email": "Open the email",
    }
)
END = MappingProxyType(
    {
        "phone": "Hang up",
        "in_person": "Finish",
        "chat": "Close the chat",
        "email": "Close the email",
    }
)


def delta_reason(turn: Turn) -> str:
    """The few words under the meter: the shorts of the biggest effects of this turn."""
    moving = sorted((e for e in turn.effects if e.anger), key=lambda e: -abs(e.anger))
    shorts: list[str] = []
    for effect in moving or turn.effects:
        if effect.short and effect.short not in shorts:
            shorts.append(effect.short)
        if len(shorts) == 2:
            break
    return ", ".join(shorts)


def widest_reason(catalog: Catalog) -> str:
    """The longest few words the meter can show under "Last reply" (two shorts, joined)."""
    known = _WIDEST.get(id(catalog))
    if known is not None and known[0] is catalog:
        return known[1]
    shorts = {case.short for t in catalog.techniques.values() for case in t.cases if case.short}
    longest = sorted(shorts, key=lambda short: (-len(short), short))[:2]
    _WIDEST[id(catalog)] = (catalog, "−12 " + ", ".join(longest))
    return _WIDEST[id(catalog)][1]


_WIDEST: dict[int, tuple[Catalog, str]] = {}


class CallScene(Scene):
    name = "call"

    def __init__(self, app: App, level: Level) -> None:
        super().__init__(app)
        assert level.scenario is not None
        world = app.world()
        assert world.store is not None and world.campaign is not None and app.trainee is not None
        self.level = level
        self.scenario: Scenario = level.scenario
        self.campaign = world.campaign
        self.store = world.store
        self.catalog = world.catalog
        self.channel = self.scenario.channel.value
        self.customer = self.scenario.customer.name.get(app.lang)
        self.recorder: Recorder | None = None
        self._allowance: tuple[str, float] = ("", float("inf"))  # (node, seconds) of the prompt
        # ringing | connecting | speaking | choosing | waiting | ended
        self.phase = "ringing"
        self.moment: Moment | None = None
        self.transcript = Transcript()
        self.meter = AngerMeter()
        self.menu = Menu()
        self.choice_view = ScrollView()
        self.answer = Button("answer", ANSWER[self.channel], "primary", hint="Enter")
        self.hangup = Button("end", END[self.channel], "primary", hint="Enter")
        self.beat = 0.0
        self.nudged = False
        self.call_time = 0.0
        self.ring_time = 0.0
        self.last_turn: Turn | None = None
        self.anger = float(self.scenario.customer.anger)  # what the meter heads for
        self._rng = random.Random(app.new_seed())
        self._next_blink = 2.0
        self._blink = 0.0
        self._silence = 0.0  # seconds of silence not yet handed to the engine
        self._rule: DeadAirRule | None = None
        self._worker: WriteQueue | None = None
        self._job: Future[Any] | None = None
        self._job_kind = ""
        self._portrait: Portrait | None = None
        self._face: FaceFade | None = None
        self._portrait_dims = (0, 0)
        self._drawing_face: Iterator[None] = iter(())
        self._static: pygame.Surface | None = None
        self._canvas: pygame.Surface | None = None
        self._painted: dict[str, object] = {}
        self._incoming: Iterator[None] | None = None  # reply buttons being prepared
        self._anger_next: float | None = None
        self._pull_next = False
        self._prebuilt: pygame.Surface | None = None
        self._talk_frame: tuple[int, bool] = (-1, False)
        self._panel_h = 0
        self._steady: tuple[object, int] = (None, 0)
        self._shape: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
        self._replies_version = 0
        self._stamps: dict[str, int] = {}  # region -> the frame it was last repainted in
        self._regions: dict[str, pygame.Rect] = {}
        self._panels: dict[tuple[int, int, int, int, Color, bool], pygame.Surface] = {}
        self._choices_content: pygame.Surface | None = None
        self._layout_id = 0
        self._choices_top = BOTTOM
        self.choice_panel = pygame.Rect(RIGHT_X, BOTTOM, RIGHT_W, 0)
        self.transcript_panel = pygame.Rect(RIGHT_X, TOP, RIGHT_W, BOTTOM - TOP)
        self.customer_card = pygame.Rect(LEFT_X, TOP, LEFT_W, 0)
        self._ring_icon = True
        self._ring_clip = pygame.Rect(0, 0, 1280, 720)
        self._ring_top = TOP
        self._ring_w = 600
        self._ring_lines: list[tuple[str, str]] = []
        self._hint_pause: pygame.Surface | None = None

    # ---- life cycle ---------------------------------------------------------------------------

    def enter(self) -> None:
        self.meter.reset(self.anger)
        self.sync()  # laid out once, here or by App.push after enter
        _, sound = RINGING[self.channel]
        if self.channel == "phone":
            self.app.audio.loop(sound)
        else:
            self.app.play(sound)

    def exit(self) -> None:
        self.app.audio.stop_loop()
        self._settle()
        if self.recorder is not None and not self.recorder.finished:
            self.recorder.abandon()
        if self._worker is not None:
            self._worker.shutdown()  # never waits: a write stuck on the server stays behind
            self._worker = None

    def _settle(self) -> None:
        """Wait for a recording in flight (leaving the call keeps what was played)."""
        job, self._job = self._job, None
        if job is not None:
            try:
                result = job.result(timeout=ABANDON_WAIT)
            except Exception:  # failed, or stuck on the database: leaving goes on
                return
            if self._job_kind == "begin":
                self.recorder = result

    def wait_for_recording(self, timeout: float = 30.0) -> None:
        """Block until a recording in flight is written (scripted play: tests, screenshots).

        The game itself never waits: it shows the reply and checks again next frame."""
        job = self._job
        if job is not None:
            job.exception(timeout=timeout)

    def _submit(self, kind: str, fn: Any, *args: Any) -> None:
        if self._worker is None:
            self._worker = WriteQueue()
        self._job_kind = kind
        self._job = self._worker.submit(fn, *args)

    def start_call(self) -> None:
        """The trainee answers: the attempt starts in the records, then the customer speaks."""
        app = self.app
        app.audio.stop_loop()
        app.play("pickup")
        world = app.world()
        assert world.store is not None and app.trainee is not None
        self.transcript.clear()
        self.anger = float(self.scenario.customer.anger)
        self.meter.reset(self.anger)
        self.call_time = 0.0
        self.last_turn = None
        self.moment = None
        self.nudged = False
        self.beat = 0.0
        self._silence = 0.0
        self._incoming = None
        self._pull_next = False
        self._anger_next = None
        self._prebuilt = None
        self.phase = "connecting"
        self._submit(
            "begin",
            Recorder.begin,
            world.store,
            app.trainee.id,
            self.scenario,
            self.level.number,
            self.level.pass_score,
            self.campaign.policy,
            app.new_seed(),
            app.settings.timer,
            app.lang,
        )
        # the page, the card and the portrait stay as they are: only the right column moves
        self._layout_choices()
        self._repaint(full=True)

    def restart(self) -> None:
        self._settle()
        if self.recorder is not None and not self.recorder.finished:
            self.recorder.abandon()
        self.recorder = None
        self.start_call()

    # ---- talking to the engine -----------------------------------------------------------------

    def _job_done(self) -> None:
        """A recording finished on the worker: carry on with the conversation."""
        job, self._job = self._job, None
        assert job is not None
        result = job.result()  # an error here is the scene's error: the app shows it
        if self._job_kind == "begin":
            self.recorder = result
            self._rule = dead_air_rule(self.scenario, result.state.timer)
            self._pull()
            return
        turn: Turn = result
        self.last_turn = turn
        self.meter.show(Delta(turn.delta, delta_reason(turn)))
        self.app.play("tenser" if turn.delta > 0 else "calmer" if turn.delta < 0 else "move")
        self._pull_next = True  # the customer's answer follows on the next step

    def _pull(self) -> None:
        """Show whatever the conversation has next."""
        assert self.recorder is not None
        moment = self.recorder.current(self.app.lang)
        self._anger_next = self.recorder.live_anger  # the face and meter follow next step
        if isinstance(moment, CustomerLine):
            self.moment = moment
            self.phase = "speaking"
            self.beat = 0.0
            self._say("customer", moment.text)
            self._layout_choices()
        elif isinstance(moment, ChoicePrompt):
            self._incoming = self._build_replies(moment)  # a button per step, then shown
        else:
            self.moment = moment
            self.phase = "ended"
            self._layout_choices()
            self.menu.focus("end")

    def _build_replies(self, prompt: ChoicePrompt) -> Iterator[None]:
        """Lay out and paint the reply buttons one per update step, then show them: no
        single frame pays for all of it."""
        fonts, theme = self.app.fonts, self.app.theme
        buttons: list[Button] = []
        y = 0
        for index, option in enumerate(prompt.options):
            button = Button(
                f"choice:{index}",
                option.text,
                "choice",
                badge=str(index + 1),
                view=self.choice_view,
                backing=theme.panel,
            )
            y = button.place(fonts, 4, y + 4, RIGHT_W - 40 - 16) + 6
            button.image(fonts, theme, focused=False)
            buttons.append(button)
            yield
            if index == 0:  # the first reply is focused when they appear
                button.image(fonts, theme, focused=True)
                yield
        content = opaque((RIGHT_W - 40, max(1, y + 4)))
        content.fill(theme.panel)
        for button in buttons:
            content.blit(button.image(fonts, theme), button.rect)
        self._prebuilt = content
        yield
        # the cards at their new size, painted a frame ahead of showing them
        header_h = max(fonts.line_height("caption"), fonts.line_height("small_bold")) + 14
        panel_h = self._panel_height(header_h, y + 4)
        top = BOTTOM - panel_h
        self._panel_image(pygame.Rect(RIGHT_X, top, RIGHT_W, panel_h), theme.panel, shadow=True)
        yield
        talk = pygame.Rect(RIGHT_X, TOP, RIGHT_W, top - 14 - TOP)
        self._panel_image(talk, theme.panel_sunken, shadow=False)
        yield
        self.moment = prompt
        self.phase = "choosing"
        self._silence = 0.0
        self.nudged = prompt.nudge is not None
        self._layout_choices(buttons)
        self.menu.focus(self.menu.ring.keys[0] if self.menu.ring.keys else "")

    def _say(self, speaker: str, text: str) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        if speaker == "agent":
            caption = "YOUR REPLY" if self.channel in ("email", "chat") else "YOU"
        elif self.channel == "email":
            caption = f"EMAIL FROM {self.customer.upper()}"
        else:
            caption = self.customer.upper()
        self.transcript.add(
            Bubble(speaker, caption, text),
            fonts,
            theme,
            reveal=speaker != "agent" and self.app.motion,
        )

    def choose(self, position: int) -> None:
        """The trainee picked the reply shown at `position` (0-based, display order)."""
        moment = self.moment
        recorder = self.recorder
        if self.phase != "choosing" or not isinstance(moment, ChoicePrompt) or recorder is None:
            return
        if not 0 <= position < len(moment.options):
            return
        self._flush_silence()
        if self.phase != "choosing":
            return  # the silence ran out first
        option = moment.options[position]
        self.app.play("select")
        self._say("agent", option.text)
        self.phase = "waiting"
        self._layout_choices()
        self._submit("choose", recorder.choose, option.number)

    def finish(self) -> None:
        """Hang up and go to the debrief."""
        if self.recorder is None or self.recorder.debrief is None:
            return
        self.app.play("hangup")
        report = self.recorder.debrief
        self.app.replace(self.app.open(Route.DEBRIEF, self.level, report))

    # ---- layout --------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        persona = self.catalog.personas[self.scenario.customer.persona.value].label
        channel = self.catalog.channels[self.scenario.channel.value].label
        inner = LEFT_W - 32 - 44
        name_h = fonts.block_height(self.customer, "h3", inner)
        sub = f"{persona} customer · {channel}"
        sub_h = fonts.block_height(sub, "small", inner)
        meter_h = self.meter.measure(fonts, LEFT_W, widest_reason(self.catalog))
        text_h = 16 + 14 + max(name_h + 2 + sub_h, 34) + 16
        portrait_h = max(96, min(320, BOTTOM - TOP - 14 - meter_h - text_h))
        # the portrait is drawn on the next update steps: entering the call stays one frame
        self._portrait, self._face = None, None
        self._portrait_dims = (LEFT_W - 32, portrait_h)
        self._drawing_face = self._draw_portrait(self._portrait_dims, theme)
        self._panels.clear()
        self.customer_card = pygame.Rect(LEFT_X, TOP, LEFT_W, text_h + portrait_h)
        card = self.customer_card
        self.meter.layout(
            pygame.Rect(LEFT_X, card.bottom + 14, LEFT_W, BOTTOM - card.bottom - 14), fonts, theme
        )
        static = app.backdrop.copy()
        title = f"LEVEL {self.level.number} · {self.scenario.title.get(app.lang).upper()}"
        title = fonts.fit_line(title, "caption", 700)
        static.blit(fonts.render(title, "caption", theme.accent), (LEFT_X, 26))
        panel(static, card, theme)
        tx = LEFT_X + 16 + 44
        ty = TOP + 16 + portrait_h + 14
        badge = pygame.Rect(LEFT_X + 16, ty + 2, 34, 34)
        pygame.draw.rect(static, theme.accent_soft, badge, border_radius=9)
        icon_channel(static, self.channel, badge.inflate(-12, -12), theme.accent, theme.accent_soft)
        ty = fonts.draw_block(static, self.customer, "h3", theme.text, tx, ty, inner)
        fonts.draw_block(static, sub, "small", theme.text_dim, tx, ty + 2, inner)
        self.meter.paint_static(static)
        self._hint_pause = chrome.keycap(app, "Esc")
        self._static = static
        self._panel_h = 0
        self._canvas = opaque((1280, 720))
        self._layout_choices()
        self.transcript.ensure_built(fonts, theme)  # the fonts or colours may have changed
        self.transcript.to_end(instant=True)
        self._repaint(full=True)

    def _layout_choices(self, prepared: list[Button] | None = None) -> None:
        """The replies panel at the bottom right; the conversation takes the rest."""
        fonts, theme = self.app.fonts, self.app.theme
        inner_w = RIGHT_W - 40
        header_h = max(fonts.line_height("caption"), fonts.line_height("small_bold")) + 14
        buttons: list[Button] = []
        if self.phase == "choosing" and prepared is not None:
            buttons = prepared
            content_h = buttons[-1].rect.bottom + 10 if buttons else 0
        elif self.phase == "choosing" and isinstance(self.moment, ChoicePrompt):
            y = 0
            for index, option in enumerate(self.moment.options):
                button = Button(
                    f"choice:{index}",
                    option.text,
                    "choice",
                    badge=str(index + 1),
                    view=self.choice_view,
                    backing=theme.panel,
                )
                y = button.place(fonts, 4, y + 4, inner_w - 16) + 6
                buttons.append(button)
            content_h = y + 4
        elif self.phase == "ended":
            self.hangup.view = None
            content_h = self.hangup.measure(fonts, 320) + 8
        elif self.phase == "ringing":
            content_h = 0
            header_h = 0
        else:
            content_h = fonts.line_height("body") + 8
        panel_h = self._panel_height(header_h, content_h)
        if panel_h:  # one height for the whole call: the tallest set of replies it can offer
            panel_h = max(panel_h, self._panel_height(header_h, self._steady_content_h()))
            self._panel_h = panel_h
        self._choices_top = BOTTOM - panel_h
        self.choice_panel = pygame.Rect(RIGHT_X, self._choices_top, RIGHT_W, panel_h)
        self.choice_view.rect = pygame.Rect(
            RIGHT_X + 20,
            self._choices_top + 16 + header_h,
            inner_w,
            max(0, panel_h - header_h - 32),
        )
        self.choice_view.set_content(content_h)
        self.choice_view.scroll_to(0, instant=True)
        self.choice_view.line = fonts.line_height("body")
        if self.phase == "ended":
            self.hangup.place(fonts, RIGHT_X + 20, self.choice_view.rect.y + 4, 320)
            buttons = [self.hangup]
        if self.phase == "ringing":
            buttons = [self.answer]
        self.hangup.backing = theme.panel
        self.answer.backing = theme.panel_sunken
        self.menu.set_buttons(buttons)
        for button in buttons:
            button.image(fonts, theme)  # the focused picture is painted when first needed
        gap = 14 if panel_h else 0
        transcript_rect = pygame.Rect(
            RIGHT_X + 20, TOP + 16, RIGHT_W - 40, self._choices_top - gap - TOP - 32
        )
        self.transcript_panel = pygame.Rect(RIGHT_X, TOP, RIGHT_W, self._choices_top - gap - TOP)
        self.transcript.set_rect(transcript_rect, fonts, theme)
        if self.phase == "ringing":
            self._layout_ringing()
        self._prepare()

    def _steady_content_h(self) -> int:
        """The tallest the replies can be in this scenario, measured once per font size."""
        fonts = self.app.fonts
        key = (id(fonts), self.app.lang)
        if self._steady[0] == key:
            return self._steady[1]
        inner_w = RIGHT_W - 40 - 16
        tallest = 0
        probe = Button("probe", "", "choice", badge="9")
        for node in self.scenario.nodes:
            y = 0
            for choice in node.choices:
                probe.label = choice.say.get(self.app.lang)
                y += probe.measure(fonts, inner_w) + 10
            tallest = max(tallest, y + 4)
        self._steady = (key, tallest)
        return tallest

    @staticmethod
    def _panel_height(header_h: int, content_h: int) -> int:
        if not header_h:
            return 0
        return min(round((BOTTOM - TOP) * 0.6), header_h + content_h + 32)

    def _prepare(self) -> None:
        """Build what the regions paint from: the cards and the replies as one picture."""
        theme = self.app.theme
        tp, cp = self.transcript_panel, self.choice_panel
        self._panel_image(tp, theme.panel_sunken, shadow=False)
        if cp.height:
            self._panel_image(cp, theme.panel, shadow=True)
        self._choices_content, prebuilt, self._prebuilt = None, self._prebuilt, None
        if self.phase == "choosing" and self.menu.buttons and prebuilt is not None:
            self._choices_content = prebuilt
        elif self.phase == "choosing" and self.menu.buttons:
            view = self.choice_view
            content = opaque((view.rect.width, max(1, view.content_height)))
            content.fill(theme.panel)
            for button in self.menu.buttons:
                content.blit(button.image(self.app.fonts, theme), button.rect)
            self._choices_content = content
        right = pygame.Rect(RIGHT_X, TOP, RIGHT_W, 720 - TOP)
        timer_w = self._timer_width() + 8
        header_h = self.choice_view.rect.top - cp.top
        self._regions = {
            "top": pygame.Rect(640, 0, 640, TOP),  # the clock and the pause hint
            "face": pygame.Rect(LEFT_X + 16, TOP + 16, *self._portrait_size()),
            "meter": self.meter.rect,
            "talk": pygame.Rect(tp.x, tp.y, tp.width, tp.height + 8),
            "replies": pygame.Rect(cp.x, cp.y, cp.width, cp.height + 8),
            "timer": pygame.Rect(
                cp.right - 24 - timer_w, cp.top + 6, timer_w, max(0, header_h - 6)
            ),
            "right": right,
        }
        self._replies_version += 1
        shape = (tuple(tp), tuple(cp))
        if shape != self._shape:  # the panels moved: clear the column, repaint everything
            self._shape = shape
            self._layout_id += 1
            if self._canvas is not None:
                self._repaint_right()

    def _portrait_size(self) -> tuple[int, int]:
        return self._portrait_dims

    def _draw_portrait(self, size: tuple[int, int], theme: Theme) -> Iterator[None]:
        """Stage the customer, then render the face at the current anger: one step each."""
        yield
        portrait = Portrait(self.customer, self.channel, size, theme, theme.panel)
        yield
        self._portrait, self._face = portrait, FaceFade(portrait, self.anger)

    def finish_portrait(self) -> None:
        """Draw the portrait now (scripted use)."""
        for _ in self._drawing_face:
            pass

    def _layout_ringing(self) -> None:
        fonts = self.app.fonts
        width = min(620, RIGHT_W - 80)
        self._ring_w = width
        headline, _ = RINGING[self.channel]
        persona = self.catalog.personas[self.scenario.customer.persona.value].label
        summary = self.scenario.summary.get(self.app.lang)
        button_w = min(RIGHT_W - 80, max(320, fonts.width(self.answer.label, "body_bold") + 160))
        button_h = self.answer.measure(fonts, button_w)
        room = BOTTOM - TOP - 48
        # Large text gives way step by step, so the summary is never cut: the icon goes,
        # then the name gets smaller, then the persona line joins the headline.
        full = [
            (headline.upper(), "caption"),
            (self.customer, "h1"),
            (f"{persona} customer", "body_bold"),
            (summary, "body"),
        ]
        smaller = [full[0], (self.customer, "h2"), full[2], full[3]]
        joined = [(f"{headline} · {persona} customer".upper(), "caption"), smaller[1], full[3]]
        wide = min(RIGHT_W - 48, width + 160)
        options = [(full, width, True), (full, width, False), (smaller, width, False)]
        compact = [joined[0], joined[1], (summary, "small")]
        options += [(joined, width, False), (joined, wide, False), (compact, wide, False)]
        for lines, w, icon in options:
            text_h = sum(fonts.block_height(t, st, w) + 10 for t, st in lines)
            if (82 if icon else 0) + text_h + 20 + button_h <= room:
                break
        self._ring_lines, width, self._ring_icon = lines, w, icon
        self._ring_w = width
        height = (82 if self._ring_icon else 0) + text_h + 20 + button_h
        top = TOP + max(24, (BOTTOM - TOP - height) // 2)
        self._ring_top = top
        self._ring_clip = pygame.Rect(
            RIGHT_X, TOP + 8, RIGHT_W, BOTTOM - 24 - button_h - 12 - TOP - 8
        )
        button_y = min(top + height - button_h, BOTTOM - 24 - button_h)
        self.answer.place(fonts, RIGHT_X + (RIGHT_W - button_w) // 2, button_y, button_w)
        self.answer.view = None
        self.answer.render(fonts, self.app.theme)
        self.menu.set_buttons([self.answer])
        self.menu.focus("answer")

    # ---- input ---------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        self._handle(intent)
        self._repaint()

    def _handle(self, intent: Intent) -> None:
        act = intent.act
        if act is Act.BACK:
            self.app.play("back")
            self.app.push(self.app.open(Route.PAUSE, self))
            return
        if act is Act.SKIP:  # Space skips the customer's line; it never presses a button
            self.skip()
            return
        if self.phase in ("speaking", "waiting", "connecting"):
            if act is Act.CONFIRM or (
                act is Act.CLICK and self.transcript_panel.collidepoint(intent.pos)
            ):
                self.skip()
            elif act is Act.SCROLL:
                self.transcript.view.handle(intent)
            return
        if act is Act.SCROLL:
            view = (
                self.choice_view
                if self.choice_view.contains(pygame.mouse.get_pos())
                else self.transcript.view
            )
            view.handle(intent)
            return
        if self.phase == "choosing" and act is Act.PICK:
            self.choose(intent.number - 1)
            return
        key = self.navigate(self.menu, intent)
        if key is None:
            return
        if key == "answer":
            self.start_call()
        elif key == "end":
            self.finish()
        elif key.startswith("choice:"):
            self.choose(int(key.split(":", 1)[1]))

    def skip(self) -> None:
        """Show the whole line now; if it already is, move on at once."""
        if self.phase != "speaking":
            return
        if self.transcript.revealing:
            self.transcript.finish_reveal()
        else:
            self.beat = BEAT

    # ---- time ----------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        app = self.app
        motion = app.motion
        if self._anger_next is not None:
            self.anger, self._anger_next = self._anger_next, None
        if self._incoming is not None:
            if next(self._incoming, StopIteration) is StopIteration:
                self._incoming = None
        elif self._pull_next:
            self._pull_next = False
            self._pull()
        elif self._job is not None and self._job.done():
            self._job_done()
        next(self._drawing_face, None)
        self._animate_blink(dt)
        if self.phase == "ringing":
            self.ring_time += dt
        else:
            self.call_time += dt
        self.meter.update(dt, self.anger, motion)
        if self._face is not None:
            self._face.update(dt, self.anger, motion)
        cps = CPS[self.channel] * (1.0 if motion else 1e9)
        self.transcript.update(dt, cps, motion, app.fonts)
        self.choice_view.update(dt, not motion)
        if self.phase == "speaking" and not self.transcript.revealing and self._incoming is None:
            self.beat += dt
            if self.beat >= BEAT and self.recorder is not None:
                self.recorder.proceed()
                self._pull()
        elif self.phase == "choosing" and self.recorder is not None:
            self._silence += dt
            if self._silence >= TICK:
                self._flush_silence()
        self._repaint()

    def _flush_silence(self) -> None:
        """Hand the silence so far to the engine; the customer may notice, or give up."""
        recorder = self.recorder
        if recorder is None or self.phase != "choosing":
            return
        if self._silence > 0:
            recorder.tick(self._silence)
            self._silence = 0.0
        self.anger = recorder.live_anger
        state = recorder.state
        if state.phase is not Phase.CHOOSING:  # they gave up waiting
            self._pull()
            return
        if state.nudged and not self.nudged:
            moment = recorder.current(self.app.lang)
            if isinstance(moment, ChoicePrompt) and moment.nudge:
                self.nudged = True
                self.moment = moment
                self._say("nudge", moment.nudge)
                self.app.play("nudge")

    def _animate_blink(self, dt: float) -> None:
        self._next_blink -= dt
        if self._next_blink <= 0:
            self._blink += dt
            if self._blink > BLINK:
                self._blink = 0.0
                self._next_blink = self._rng.uniform(2.2, 5.0)

    def blink_amount(self) -> float:
        if self._blink <= 0:
            return 0.0
        t = self._blink / BLINK
        return 1.0 - abs(2 * t - 1)

    def silence(self) -> float:
        """Seconds of silence at the current prompt, as the timer shows them."""
        if self.recorder is None or self.phase != "choosing":
            return 0.0
        return self._silence + self.recorder.state.silence

    def allowance(self) -> float:
        """Seconds of silence that cost nothing at the current prompt: the engine's
        `reading_allowance` (reading the screen, plus the channel's grace), kept per node."""
        if self.recorder is None:
            return float("inf")
        state = self.recorder.state
        if self._allowance[0] != state.node:
            self._allowance = (
                state.node,
                reading_allowance(self.scenario, state.node, state.timer),
            )
        return self._allowance[1]

    # ---- the canvas ----------------------------------------------------------------------------

    def _face_offset(self) -> tuple[int, int]:
        """A furious customer shakes (not with reduced motion)."""
        if not self.app.motion or self.meter.value < 80:
            return (0, 0)
        strength = (self.meter.value - 80) / 20 * 2.5
        return (round(strength * math.sin(self.app.clock * 47.0)), 0)

    def _signature(self, region: str) -> object:
        """What a region shows; it is repainted only when this changes."""
        if region == "top":
            return (self.phase, int(self.call_time))
        if region == "face":
            face = self._face
            # a cross-fade in six steps: smooth to the eye, a fraction of the repaints
            steps = FaceFade.STEPS
            fading = round(face.t * steps) if face is not None and face.previous is not None else -1
            level = face.level if face is not None else -1
            return (level, fading, self.blink_amount() > 0.5, self._face_offset())
        if region == "meter":
            delta = self.meter.delta
            age = self.meter.delta_age
            moving = round(age * 12) if age < DELTA_SECONDS else -1
            return (round(self.meter.value), delta, moving)
        if region == "talk":
            if self.phase == "ringing":
                return ("ringing", round(self.app.clock * 40) if self.app.motion else 0)
            return (self.transcript.version, self.transcript.view.top)
        if region == "reveal":
            shown = int(self.transcript.reveal) if self.transcript.revealing else -1
            return (self.transcript.version, shown, self.transcript.view.top, self.phase)
        if region == "replies":
            return (self.phase, self.menu.focused, self.choice_view.top, self._replies_version)
        silence = self.silence()
        rule = self._rule
        share = round(90 * min(1.0, silence / self.allowance())) if rule is not None else 0
        return (self.phase, int(silence), share)

    def _repaint(self, full: bool = False) -> None:
        """Bring the canvas up to date, repainting only the regions that changed."""
        if self._canvas is None or self._static is None:
            return
        if full:
            self._canvas.blit(self._static, (0, 0))
            self._painted.clear()
            self._repaint_right()
            self._stamps["all"] = self.app.frames
        big = 0  # at most one large card per step: the rest follow a frame later
        for region in REGIONS:
            # the right column's shape only matters to the regions in it
            shape = self._layout_id if region in RIGHT_COLUMN else 0
            signature = (shape, self._signature(region))
            if self._painted.get(region) == signature:
                continue
            if region in ("talk", "replies") and region in self._painted:
                if big and not full:
                    continue
                big += 1
            self._paint(region)
            self._painted[region] = signature

    def _repaint_right(self) -> None:
        """The right-hand column changed shape: clear it back to the page."""
        assert self._canvas is not None and self._static is not None
        right = self._regions["right"]
        self._canvas.blit(self._static, right, right)
        self._stamps["right"] = self.app.frames
        for region in ("talk", "replies", "timer"):
            self._painted.pop(region, None)

    def _paint(self, region: str) -> None:
        canvas, static = self._canvas, self._static
        assert canvas is not None and static is not None
        if region == "reveal":
            self._paint_reveal(canvas)
            return
        rect = self._regions[region]
        if not rect.width or not rect.height:
            return
        if region != "talk":  # the conversation stamps what it actually repainted
            self._stamps[region] = self.app.frames
        fonts, theme = self.app.fonts, self.app.theme
        if region in ("top", "face", "meter"):
            canvas.blit(static, rect, rect)
        clip = canvas.get_clip()
        canvas.set_clip(rect)
        if region == "top":
            self._draw_top_bar(canvas)
        elif region == "face" and self._face is not None:
            dx, dy = self._face_offset()
            self._face.draw(canvas, (rect.x + dx, rect.y + dy), self.blink_amount())
        elif region == "meter":
            self.meter.draw(canvas, fonts, theme, self.app.motion, with_card=False)
        elif region == "talk":
            self._paint_talk(canvas)
        elif region == "replies":
            self._paint_replies(canvas)
        elif region == "timer" and self.phase == "choosing":
            card = self._panels.get(self._panel_key(self.choice_panel, theme.panel, True))
            if card is not None:
                canvas.blit(card, rect, rect.move(-self.choice_panel.x, -self.choice_panel.y))
            self._draw_timer(canvas, self.choice_panel.right - 24, self._header_mid())
        canvas.set_clip(clip)

    def _paint_reveal(self, canvas: pygame.Surface) -> None:
        """Only the newest bubble, as far as it has been read: the cheap per-frame repaint."""
        if self.phase == "ringing":
            return
        rect = self.transcript.draw_last(canvas, self.app.fonts, self.app.theme)
        if rect is not None:
            self._regions["reveal"] = rect
            self._stamps["reveal"] = self.app.frames

    def _paint_talk(self, canvas: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        framed = self._talk_frame == (self._layout_id, self.phase == "ringing")
        if self.phase == "ringing" or not framed:
            self._blit_panel(canvas, self.transcript_panel, theme.panel_sunken, shadow=False)
            self._talk_frame = (self._layout_id, self.phase == "ringing")
            self._stamps["talk"] = self.app.frames
            if self.phase == "ringing":
                self._draw_ringing(canvas)
                self.menu.draw(canvas, fonts, theme)
                return
        else:
            # The card around the conversation has not changed: repaint only the inside and
            # the scrollbar's track (the thumb moves).
            view = self.transcript.view.rect
            track = pygame.Rect(view.right, view.top, 12, view.height)
            card = self._panel_image(self.transcript_panel, theme.panel_sunken, shadow=False)
            canvas.blit(card, track, track.move(-self.transcript_panel.x, -self.transcript_panel.y))
            inside = view.union(track)
            self._regions["talkview"] = inside
            self._stamps["talkview"] = self.app.frames
        self.transcript.draw(canvas, fonts, theme)

    def _paint_replies(self, canvas: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        if not self.choice_panel.height:
            return
        self._blit_panel(canvas, self.choice_panel, theme.panel, shadow=True)
        content = self._choices_content
        if self.phase == "choosing" and content is not None:
            view = self.choice_view
            view.blit(canvas, content)
            focused = self.menu.button(self.menu.focused or "")
            if focused is not None:
                focused.draw(canvas, fonts, theme, True)
            view.draw_scrollbar(canvas, theme)
        else:
            if self.phase in ("speaking", "waiting", "connecting"):
                self._draw_listening(canvas)
            elif self.phase == "ended":
                note = "Next: your debrief, turn by turn."
                button = self.hangup.rect
                room = RIGHT_X + RIGHT_W - 24 - (button.right + 20)
                if fonts.width(note, "body") <= room:
                    image = fonts.render(note, "body", theme.text_dim)
                    canvas.blit(image, image.get_rect(midleft=(button.right + 20, button.centery)))
            self.menu.draw(canvas, fonts, theme)
        self._draw_choice_header(canvas)
        self._painted.pop("timer", None)  # the timer sits on this card: paint it again

    def draw(self, surface: pygame.Surface) -> None:
        """Copy the canvas; when the screen still shows last frame, only what changed."""
        canvas = self._canvas
        if canvas is None:
            return
        frame = self.app.frames
        if not self.app.partial or self._stamps.get("all") == frame:
            surface.blit(canvas, (0, 0))
            return
        for region, stamp in self._stamps.items():
            if stamp == frame:
                rect = self._regions.get(region)
                if rect is not None:
                    surface.blit(canvas, rect, rect)

    # ---- painting the parts --------------------------------------------------------------------

    def _draw_listening(self, surface: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        verb = "writing" if self.channel in ("chat", "email") else "talking"
        who = f"{self.customer} is {verb}…"
        if self.phase == "connecting":
            who = "Connecting…"
        hint = "Space to read it all now" if self.phase == "speaking" else ""
        view = self.choice_view.rect
        y = view.y
        surface.blit(
            fonts.render(fonts.fit_line(who, "body", RIGHT_W - 60), "body", theme.text_dim),
            (RIGHT_X + 24, y + 2),
        )
        image = fonts.render(hint, "small", theme.text_faint)
        if hint and fonts.width(who, "body") + image.get_width() + 80 < RIGHT_W:
            surface.blit(image, image.get_rect(topright=(RIGHT_X + RIGHT_W - 24, y + 6)))
        # the calm placeholder: where the replies will be, and when
        calm = "Listen first. Your replies appear here when they have finished."
        if self.phase == "waiting":
            calm = "Your reply is on its way. Listen for how it lands."
        y += fonts.line_height("body") + 14
        if y + fonts.line_height("small") <= view.bottom:
            for offset in range(3):
                dot = (RIGHT_X + 30 + offset * 14, y + fonts.line_height("small") // 2)
                pygame.draw.circle(surface, theme.border, dot, 4)
            fonts.draw_block(
                surface, calm, "small", theme.text_faint, RIGHT_X + 24 + 48, y, RIGHT_W - 100
            )

    @staticmethod
    def _panel_key(
        rect: pygame.Rect, fill: Color, shadow: bool
    ) -> tuple[int, int, int, int, Color, bool]:
        return (rect.x, rect.y, rect.width, rect.height, fill, shadow)

    def _panel_image(self, rect: pygame.Rect, fill: Color, *, shadow: bool) -> pygame.Surface:
        """A card painted onto a copy of the page behind it (8 px taller, for the shadow)."""
        key = self._panel_key(rect, fill, shadow)
        image = self._panels.get(key)
        if image is None:
            area = pygame.Rect(rect.x, rect.y, rect.width, rect.height + 8).clip(
                pygame.Rect(0, 0, 1280, 720)
            )
            image = opaque(area.size)
            image.blit(self.app.backdrop, (0, 0), area)
            local = pygame.Rect(0, 0, rect.width, rect.height)
            panel(image, local, self.app.theme, fill, shadow=shadow)
            if len(self._panels) >= PANEL_CACHE:
                self._panels.pop(next(iter(self._panels)))
            self._panels[key] = image
        return image

    def _blit_panel(
        self, surface: pygame.Surface, rect: pygame.Rect, fill: Color, *, shadow: bool
    ) -> None:
        surface.blit(self._panel_image(rect, fill, shadow=shadow), rect.topleft)

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        right = 1280 - 40
        cap = self._hint_pause
        assert cap is not None
        label = fonts.render("Pause", "small", theme.text_faint)
        surface.blit(label, label.get_rect(midright=(right, 34)))
        surface.blit(cap, cap.get_rect(midright=(right - label.get_width() - 8, 34)))
        x = right - label.get_width() - cap.get_width() - 36
        if self.phase != "ringing":
            minutes, seconds = divmod(int(self.call_time), 60)
            status = "On the line" if self.channel == "phone" else "In conversation"
            if self.channel in ("chat", "email"):
                status = "Chat open" if self.channel == "chat" else "Replying"
            text = fonts.render(
                f"{status} {minutes:02d}:{seconds:02d}", "small_bold", theme.text_dim
            )
            surface.blit(text, text.get_rect(midright=(x, 34)))
            dot_x = x - text.get_width() - 12
            live = theme.good if self.phase != "ended" else theme.text_faint
            pygame.draw.circle(surface, live, (dot_x, 34), 5)

    def _header_mid(self) -> int:
        return self.choice_panel.y + 14 + self.app.fonts.line_height("caption") // 2

    def _draw_choice_header(self, surface: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        x, y = RIGHT_X + 24, self.choice_panel.y + 14
        if self.phase == "ended":
            label = "THE CONVERSATION IS OVER"
        elif self.phase == "choosing":
            count = len(self.moment.options) if isinstance(self.moment, ChoicePrompt) else 0
            label = f"YOUR REPLY · PRESS 1–{count} OR USE ↑↓ AND ENTER"
            room = RIGHT_W - 48 - self._timer_width() - 24
            if fonts.width(label, "caption") > room:
                label = fonts.fit_line("YOUR REPLY", "caption", room)
        else:
            label = "LISTEN"
        surface.blit(fonts.render(label, "caption", theme.accent), (x, y))

    def _timer_width(self) -> int:
        fonts = self.app.fonts
        if self._rule is None:
            return max(fonts.width("No time pressure", "small"), fonts.width("Timer off", "small"))
        return fonts.width("Silence 0:00", "small_bold") + 10 + 90

    def _draw_timer(self, surface: pygame.Surface, right: int, mid_y: int) -> None:
        """Dead air: seconds of silence, and how close the customer is to minding."""
        fonts, theme = self.app.fonts, self.app.theme
        rule = self._rule
        if rule is None:
            why = "No time pressure" if self.channel == "email" else "Timer off"
            image = fonts.render(why, "small", theme.text_faint)
            surface.blit(image, image.get_rect(midright=(right, mid_y)))
            return
        silence, allowance = self.silence(), self.allowance()
        late = silence >= allowance
        color = theme.bad if late else theme.warn if silence >= allowance * 0.6 else theme.text_dim
        text = f"Silence {int(silence) // 60}:{int(silence) % 60:02d}"
        image = fonts.render(text, "small_bold", color)
        bar = pygame.Rect(0, 0, 90, 6)
        bar.midright = (right, mid_y)
        pygame.draw.rect(surface, theme.panel_sunken, bar, border_radius=3)
        share = min(1.0, silence / allowance)  # full when silence starts to cost
        if share > 0:
            fill = pygame.Rect(bar.x, bar.y, max(3, round(bar.width * share)), 6)
            pygame.draw.rect(surface, color, fill, border_radius=3)
        surface.blit(image, image.get_rect(midright=(bar.x - 10, mid_y)))

    def _draw_ringing(self, surface: pygame.Surface) -> None:
        app, theme = self.app, self.app.theme
        width = self._ring_w
        x = RIGHT_X + (RIGHT_W - width) // 2
        y = self._ring_top
        pulse = (app.clock * 1.2) % 1.0 if app.motion else 0.0
        centre = (RIGHT_X + RIGHT_W // 2, y + 32)
        if not self._ring_icon:
            self._draw_ring_text(surface, x, y, width)
            return
        if app.motion:
            ring = pygame.Surface((160, 160), pygame.SRCALPHA)
            radius = round(32 + 40 * pulse)
            pygame.draw.circle(
                ring, (*theme.accent, round(160 * (1 - pulse))), (80, 80), radius, width=3
            )
            surface.blit(ring, (centre[0] - 80, centre[1] - 80))
        pygame.draw.circle(surface, theme.accent, centre, 32)
        icon_channel(
            surface,
            self.channel,
            pygame.Rect(centre[0] - 18, centre[1] - 18, 36, 36),
            theme.accent_text,
            theme.accent,
        )
        self._draw_ring_text(surface, x, y + 64 + 18, width)

    def _draw_ring_text(self, surface: pygame.Surface, x: int, y: int, width: int) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        colors = {
            "caption": theme.accent,
            "h1": theme.text,
            "h2": theme.text,
            "body_bold": theme.text_dim,
            "body": theme.text,
            "small": theme.text,
        }
        clip = surface.get_clip()
        surface.set_clip(self._ring_clip.clip(clip))  # what cannot fit stays inside the panel
        for text, style in self._ring_lines:
            y = fonts.draw_block(surface, text, style, colors[style], x, y, width, "center") + 10
        surface.set_clip(clip)
