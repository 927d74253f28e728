"""The call: the customer, the anger meter, the conversation and the trainee's replies.

The scene holds no rules. It shows snapshots from the engine (through the records'
`Recorder`, which writes each turn as it is played) and sends back what the trainee did:
a choice, time passing, leaving. Customer lines appear at reading speed (Space or a click
shows them at once); replies are numbered buttons in the order the engine shuffled them.

The call is three parts: the controller (`call_flow`: the phase of the call, the live
attempt and the worker that records it, time and choices handed to the engine), the
compositor (`call_canvas`: the scene's own picture, repainted only where something changed,
so every frame stays cheap; see bench/frame.py) and the drawing (`call_view`). This module
joins them: it turns intents into the controller's calls, lays the screen out, and says
what each region shows.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pygame

from game.engine.session import ChoicePrompt, CustomerLine, Moment, Turn
from game.records.recorder import Recorder
from game.scenario.model import Channel
from game.training import call_is_exam
from game.ui import chrome
from game.ui.draw import icon_channel, opaque, panel
from game.ui.intents import Act, Intent
from game.ui.meter import DELTA_SECONDS, AngerMeter, Delta
from game.ui.navigator import Route
from game.ui.portrait import FaceFade, Portrait
from game.ui.scene import Scene
from game.ui.scenes.call_canvas import RegionCanvas
from game.ui.scenes.call_flow import CallFlow, CallPhase
from game.ui.scenes.call_view import (
    ANSWER,
    BLINK,
    BOTTOM,
    CPS,
    END,
    LEFT_W,
    LEFT_X,
    REGIONS,
    RIGHT_COLUMN,
    RIGHT_W,
    RIGHT_X,
    RINGING,
    TOP,
    CallDrawing,
    delta_reason,
    replies_height,
    reply_buttons,
    widest_reason,
)
from game.ui.theme import Theme
from game.ui.transcript import Bubble, BubbleKind, Transcript
from game.ui.widgets import Button, Menu, ScrollView

if TYPE_CHECKING:
    from game.scenario.campaign import Level
    from game.scenario.model import Scenario
    from game.ui.window import App

__all__ = ["CallPhase", "CallScene", "delta_reason", "widest_reason"]


class CallScene(CallDrawing, Scene):
    name = "call"

    def __init__(self, app: App, level: Level, *, exam: bool = False) -> None:
        super().__init__(app)
        assert level.scenario is not None
        world = app.world()
        assert world.store is not None and world.campaign is not None and app.trainee is not None
        self.level = level
        self.asked_exam = exam  # what the trainee chose; `self.exam` is the training layer's
        self.exam = call_is_exam(world.store, app.trainee.id, level.key, asked=exam)
        self.scenario: Scenario = level.scenario
        self.campaign = world.campaign
        self.store = world.store
        self.catalog = world.catalog
        self.channel = self.scenario.channel
        self.customer = self.scenario.customer.name.get(app.lang)
        self.flow = CallFlow(self.scenario, app.lang, self.catalog, self)
        self.transcript = Transcript()
        self.meter = AngerMeter(app.tr)
        self.menu = Menu()
        self.choice_view = ScrollView()
        self.answer = Button("answer", app.tr._(ANSWER[self.channel]), "primary", hint="Enter")
        self.hangup = Button("end", app.tr._(END[self.channel]), "primary", hint="Enter")
        self._rng = random.Random(app.new_seed())
        self._next_blink = 2.0
        self._blink = 0.0
        self._portrait: Portrait | None = None
        self._face: FaceFade | None = None
        self._portrait_dims = (0, 0)
        self._drawing_face: Iterator[None] = iter(())
        self.canvas = RegionCanvas(REGIONS, RIGHT_COLUMN, frozenset({"talk", "replies"}))
        self._incoming: Iterator[None] | None = None  # reply buttons being prepared
        self._prebuilt: pygame.Surface | None = None
        self._talk_frame: tuple[int, bool] = (-1, False)
        self._panel_h = 0
        self._steady: tuple[object, int] = (None, 0)
        self._shape: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
        self._replies_version = 0
        self._choices_content: pygame.Surface | None = None
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

    # the controller's state, read by the drawing and by tests --------------------------------

    @property
    def phase(self) -> CallPhase:
        return self.flow.phase

    @property
    def moment(self) -> Moment | None:
        return self.flow.moment

    @property
    def recorder(self) -> Recorder | None:
        return self.flow.recorder

    @property
    def anger(self) -> float:
        return self.flow.anger

    @property
    def last_turn(self) -> Turn | None:
        return self.flow.last_turn

    def silence(self) -> float:
        return self.flow.silence()

    def allowance(self) -> float:
        return self.flow.allowance()

    def wait_for_recording(self, timeout: float = 30.0) -> None:
        """Block until a recording in flight is written (scripted play: tests, screenshots)."""
        self.flow.wait_for_recording(timeout)

    # ---- life cycle ---------------------------------------------------------------------------

    def enter(self) -> None:
        self.meter.reset(self.anger)
        self.sync()  # laid out once, here or by App.push after enter
        _, sound = RINGING[self.channel]
        if self.channel is Channel.PHONE:
            self.app.audio.loop(sound)
        else:
            self.app.play(sound)

    def exit(self) -> None:
        self.app.audio.stop_loop()
        self.flow.close()

    def start_call(self) -> None:
        """The trainee answers: the attempt starts in the records, then the customer speaks."""
        app = self.app
        app.audio.stop_loop()
        app.play("pickup")
        world = app.world()
        assert world.store is not None and app.trainee is not None
        self.transcript.clear()
        self._incoming = None
        self._prebuilt = None
        self.flow.begin(
            world.store, app.trainee.id, self.level, self.campaign.policy, app.new_seed(),
            app.settings.timer, exam=self.exam,
        )  # fmt: skip
        self.meter.reset(self.anger)
        # the page, the card and the portrait stay as they are: only the right column moves
        self._layout_choices()
        self._repaint(full=True)

    def restart(self) -> None:
        self.flow.forget()
        self.start_call()

    # ---- what the controller tells the scene ------------------------------------------------------

    def attempt_started(self, anger: float) -> None:
        self.meter.reset(anger)  # the attempt's seed may start the customer anywhere in range

    def customer_line(self, moment: CustomerLine) -> None:
        self._say(BubbleKind.CUSTOMER, moment.text)
        self._layout_choices()

    def replies(self, prompt: ChoicePrompt) -> None:
        self._incoming = self._build_replies(prompt)  # a button per step, then shown

    def turn_landed(self, turn: Turn) -> None:
        if self.exam:  # the meter moves (the customer's mood); nothing grades the reply
            self.app.play("move")
            return
        self.meter.show(Delta(turn.delta, delta_reason(turn)))
        self.app.play("tenser" if turn.delta > 0 else "calmer" if turn.delta < 0 else "move")

    def nudge(self, text: str) -> None:
        self._say(BubbleKind.NUDGE, text)
        self.app.play("nudge")

    def ended(self) -> None:
        self._layout_choices()
        self.menu.focus("end")

    def _build_replies(self, prompt: ChoicePrompt) -> Iterator[None]:
        """Lay out and paint the reply buttons one per update step, then show them: no
        single frame pays for all of it."""
        fonts, theme = self.app.fonts, self.app.theme
        buttons: list[Button] = []
        for button in reply_buttons(prompt, fonts, theme, self.choice_view):
            button.image(fonts, theme, focused=False)
            buttons.append(button)
            yield
            if len(buttons) == 1:  # the first reply is focused when they appear
                button.image(fonts, theme, focused=True)
                yield
        content_h = replies_height(buttons)
        content = opaque((RIGHT_W - 40, max(1, content_h)))
        content.fill(theme.panel)
        for button in buttons:
            content.blit(button.image(fonts, theme), button.rect)
        self._prebuilt = content
        yield
        # the cards at their new size, painted a frame ahead of showing them
        header_h = max(fonts.line_height("caption"), fonts.line_height("small_bold")) + 14
        panel_h = self._panel_height(header_h, content_h)
        top = BOTTOM - panel_h
        self._panel_image(pygame.Rect(RIGHT_X, top, RIGHT_W, panel_h), theme.panel, shadow=True)
        yield
        talk = pygame.Rect(RIGHT_X, TOP, RIGHT_W, top - 14 - TOP)
        self._panel_image(talk, theme.panel_sunken, shadow=False)
        yield
        self.flow.offer(prompt)
        self._layout_choices(buttons)
        self.menu.focus(self.menu.ring.keys[0] if self.menu.ring.keys else "")

    def _say(self, speaker: BubbleKind, text: str) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        if speaker is BubbleKind.AGENT:
            caption = (
                self.app.tr._("YOUR REPLY")
                if self.channel in (Channel.EMAIL, Channel.CHAT)
                else self.app.tr._("YOU")
            )
        elif self.channel is Channel.EMAIL:
            caption = self.app.tr._("EMAIL FROM {upper}", upper=self.customer)
        else:
            caption = self.customer
        self.transcript.add(
            Bubble(speaker, caption, text),
            fonts,
            theme,
            reveal=speaker is not BubbleKind.AGENT and self.app.motion,
        )

    def choose(self, position: int) -> None:
        """The trainee picked the reply shown at `position` (0-based, display order)."""
        option = self.flow.choose(position)
        if option is None:
            return
        self.app.play("select")
        self._say(BubbleKind.AGENT, option.text)
        self._layout_choices()
        self.flow.send(option)

    def finish(self) -> None:
        """Hang up and go to the debrief."""
        if self.recorder is None or self.recorder.debrief is None:
            return
        self.app.play("hangup")
        report = self.recorder.debrief
        self.app.replace(
            self.app.open(Route.DEBRIEF, self.level, report, exam=self.exam, asked=self.asked_exam)
        )

    # ---- layout --------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        persona = self.catalog.personas[self.scenario.customer.persona.value].label
        channel = self.catalog.channels[self.scenario.channel.value].label
        inner = LEFT_W - 32 - 44
        name_h = fonts.block_height(self.customer, "h3", inner)
        sub = self.app.tr._("{persona} customer · {channel}", persona=persona, channel=channel)
        sub_h = fonts.block_height(sub, "small", inner)
        meter_h = self.meter.measure(fonts, LEFT_W, widest_reason(self.catalog))
        text_h = 16 + 14 + max(name_h + 2 + sub_h, 34) + 16
        portrait_h = max(96, min(320, BOTTOM - TOP - 14 - meter_h - text_h))
        # the portrait is drawn on the next update steps: entering the call stays one frame
        self._portrait, self._face = None, None
        self._portrait_dims = (LEFT_W - 32, portrait_h)
        self._drawing_face = self._draw_portrait(self._portrait_dims, theme)
        self.customer_card = pygame.Rect(LEFT_X, TOP, LEFT_W, text_h + portrait_h)
        card = self.customer_card
        self.meter.layout(
            pygame.Rect(LEFT_X, card.bottom + 14, LEFT_W, BOTTOM - card.bottom - 14), fonts, theme
        )
        static = app.backdrop.copy()
        title = self.app.tr._(
            "LEVEL {number} · {upper}",
            number=self.level.number,
            upper=self.scenario.title.get(app.lang),
        )
        if self.exam:
            title = self.app.tr._("EXAM · {title} · FEEDBACK IN THE DEBRIEF", title=title)
        # the title wraps (an exam's, a long translation): it rises into the band above the
        # panels rather than being cut short
        title_h = fonts.block_height(title, "caption", 700)
        title_y = max(4, min(26, TOP - 8 - title_h))
        fonts.draw_block(static, title, "caption", theme.accent, LEFT_X, title_y, 700)
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
        self._panel_h = 0
        self.canvas.start(static)
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
        if self.phase is CallPhase.CHOOSING and prepared is not None:
            buttons = prepared
            content_h = buttons[-1].rect.bottom + 10 if buttons else 0
        elif self.phase is CallPhase.CHOOSING and isinstance(self.moment, ChoicePrompt):
            buttons = list(reply_buttons(self.moment, fonts, theme, self.choice_view))
            content_h = replies_height(buttons)
        elif self.phase is CallPhase.ENDED:
            self.hangup.view = None
            content_h = self.hangup.measure(fonts, 320) + 8
        elif self.phase is CallPhase.RINGING:
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
        if self.phase is CallPhase.ENDED:
            self.hangup.place(fonts, RIGHT_X + 20, self.choice_view.rect.y + 4, 320)
            buttons = [self.hangup]
        if self.phase is CallPhase.RINGING:
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
        if self.phase is CallPhase.RINGING:
            self._layout_ringing()
        self._prepare()

    def _prepare(self) -> None:
        """Build what the regions paint from: the cards and the replies as one picture."""
        theme = self.app.theme
        tp, cp = self.transcript_panel, self.choice_panel
        self._panel_image(tp, theme.panel_sunken, shadow=False)
        if cp.height:
            self._panel_image(cp, theme.panel, shadow=True)
        self._choices_content, prebuilt, self._prebuilt = None, self._prebuilt, None
        if self.phase is CallPhase.CHOOSING and self.menu.buttons and prebuilt is not None:
            self._choices_content = prebuilt
        elif self.phase is CallPhase.CHOOSING and self.menu.buttons:
            view = self.choice_view
            content = opaque((view.rect.width, max(1, view.content_height)))
            content.fill(theme.panel)
            for button in self.menu.buttons:
                content.blit(button.image(self.app.fonts, theme), button.rect)
            self._choices_content = content
        right = pygame.Rect(RIGHT_X, TOP, RIGHT_W, 720 - TOP)
        timer_w = self._timer_width() + 8
        header_h = self.choice_view.rect.top - cp.top
        self.canvas.regions = {
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
            self.canvas.reshape(self.app.frames)

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
        if self.phase in (CallPhase.SPEAKING, CallPhase.WAITING, CallPhase.CONNECTING):
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
        if self.phase is CallPhase.CHOOSING and act is Act.PICK:
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
        if self.phase is not CallPhase.SPEAKING:
            return
        if self.transcript.revealing:
            self.transcript.finish_reveal()
        else:
            self.flow.skip_beat()

    # ---- time ----------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        app = self.app
        motion = app.motion
        self.flow.take_anger()
        if self._incoming is not None:
            if next(self._incoming, StopIteration) is StopIteration:
                self._incoming = None
        else:
            self.flow.poll()
        next(self._drawing_face, None)
        self._animate_blink(dt)
        self.flow.clock(dt)
        self.meter.update(dt, self.anger, motion)
        if self._face is not None:
            self._face.update(dt, self.anger, motion)
        cps = CPS[self.channel] * (1.0 if motion else 1e9)
        self.transcript.update(dt, cps, motion, app.fonts)
        self.choice_view.update(dt, not motion)
        shown = not self.transcript.revealing and self._incoming is None
        self.flow.advance(dt, line_shown=shown)
        self._repaint()

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
            return (self.phase, int(self.flow.call_time))
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
            if self.phase is CallPhase.RINGING:
                return ("ringing", round(self.app.clock * 40) if self.app.motion else 0)
            return (self.transcript.version, self.transcript.view.top)
        if region == "reveal":
            shown = int(self.transcript.reveal) if self.transcript.revealing else -1
            return (self.transcript.version, shown, self.transcript.view.top, self.phase)
        if region == "replies":
            return (self.phase, self.menu.focused, self.choice_view.top, self._replies_version)
        silence = self.silence()
        rule = self.flow.rule
        share = round(90 * min(1.0, silence / self.allowance())) if rule is not None else 0
        return (self.phase, int(silence), share)

    def _repaint(self, full: bool = False) -> None:
        """Bring the canvas up to date, repainting only the regions that changed."""
        self.canvas.repaint(self.app.frames, self._signature, self._paint, full=full)

    def _paint(self, region: str) -> None:
        canvas, static = self.canvas.surface, self.canvas.static
        assert canvas is not None and static is not None
        if region == "reveal":
            self._paint_reveal(canvas)
            return
        rect = self.canvas.regions[region]
        if not rect.width or not rect.height:
            return
        if region != "talk":  # the conversation stamps what it actually repainted
            self.canvas.stamp(region, self.app.frames)
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
        elif region == "timer" and self.phase is CallPhase.CHOOSING:
            card = self.canvas.cached_panel(self.choice_panel, theme.panel, True)
            if card is not None:
                canvas.blit(card, rect, rect.move(-self.choice_panel.x, -self.choice_panel.y))
            self._draw_timer(canvas, self.choice_panel.right - 24, self._header_mid())
        canvas.set_clip(clip)

    def draw(self, surface: pygame.Surface) -> None:
        """Copy the canvas; when the screen still shows last frame, only what changed."""
        self.canvas.draw(surface, self.app.frames, self.app.partial)
