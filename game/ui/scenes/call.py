"""The call: the customer, the anger meter, the conversation and the trainee's replies.

The scene holds no rules. It shows snapshots from the engine (through the records'
`Recorder`, which writes each turn as it is played) and sends back what the trainee did:
a choice, time passing, leaving. Customer lines appear at reading speed (Space or a click
shows them at once); replies are numbered buttons in the order the engine shuffled them.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING

import pygame

from game.engine.session import ChoicePrompt, CustomerLine, Moment, dead_air_rule
from game.records.recorder import Recorder
from game.ui import chrome
from game.ui.draw import icon_channel, panel
from game.ui.intents import Act, Intent
from game.ui.meter import AngerMeter, Delta
from game.ui.portrait import Portrait
from game.ui.scene import Scene
from game.ui.transcript import Bubble, Transcript
from game.ui.widgets import Button, Menu, ScrollView

if TYPE_CHECKING:
    from game.engine.catalog import DeadAirRule
    from game.engine.session import Turn
    from game.scenario.campaign import Level
    from game.scenario.model import Scenario
    from game.ui.app import App

LEFT_X = 40
LEFT_W = 352
RIGHT_X = LEFT_X + LEFT_W + 24
RIGHT_W = 1280 - RIGHT_X - 40
TOP = 76
BOTTOM = 704
BEAT = 0.45  # pause after a line is fully shown, before the replies appear
CPS = {"phone": 42.0, "in_person": 42.0, "chat": 70.0, "email": 140.0}
RINGING = {
    "phone": ("Incoming call", "ring"),
    "in_person": ("A customer walks up to your counter", "bell"),
    "chat": ("New chat request", "chime"),
    "email": ("New email in your queue", "chime"),
}
ANSWER = {
    "phone": "Answer the call",
    "in_person": "Greet them",
    "chat": "Accept the chat",
    "email": "Open the email",
}
END = {
    "phone": "Hang up",
    "in_person": "Finish",
    "chat": "Close the chat",
    "email": "Close the email",
}


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
        self.phase = "ringing"  # ringing | speaking | choosing | ended
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
        self._rng = random.Random(app.new_seed())
        self._next_blink = 2.0
        self._blink = 0.0
        self._portrait: Portrait | None = None
        self._static: pygame.Surface | None = None
        self._choices_top = BOTTOM
        self._rule: DeadAirRule | None = None
        self.last_turn: Turn | None = None

    # ---- life cycle ---------------------------------------------------------------------------

    def enter(self) -> None:
        self.meter.reset(float(self.scenario.customer.anger))
        self.layout()
        _, sound = RINGING[self.channel]
        if self.channel == "phone":
            self.app.audio.loop(sound)
        else:
            self.app.play(sound)

    def exit(self) -> None:
        self.app.audio.stop_loop()
        if self.recorder is not None and not self.recorder.finished:
            self.recorder.abandon()

    @property
    def session_live(self) -> bool:
        return self.recorder is not None and not self.recorder.finished

    def start_call(self) -> None:
        """The trainee answers: the attempt starts in the records, the customer speaks."""
        app = self.app
        app.audio.stop_loop()
        app.play("pickup")
        world = app.world()
        assert world.store is not None and app.trainee is not None
        self.recorder = Recorder.begin(
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
        self._rule = dead_air_rule(self.scenario, self.recorder.state.timer)
        self.transcript = Transcript()
        self.meter.reset(float(self.scenario.customer.anger))
        self.call_time = 0.0
        self.last_turn = None
        self.phase = "speaking"
        self.layout()
        self._pull()

    def restart(self) -> None:
        if self.recorder is not None and not self.recorder.finished:
            self.recorder.abandon()
        self.recorder = None
        self.start_call()

    # ---- talking to the engine -----------------------------------------------------------------

    def _pull(self) -> None:
        """Show whatever the conversation has next."""
        assert self.recorder is not None
        moment = self.recorder.current(self.app.lang)
        self.moment = moment
        if isinstance(moment, CustomerLine):
            self.phase = "speaking"
            self.beat = 0.0
            self._say("customer", moment.text)
            self._layout_choices()
        elif isinstance(moment, ChoicePrompt):
            self.phase = "choosing"
            self.nudged = moment.nudge is not None
            self._layout_choices()
            self.menu.focus(self.menu.ring.keys[0] if self.menu.ring.keys else "")
        else:
            self.phase = "ended"
            self._layout_choices()
            self.menu.focus("end")

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
        if (
            self.phase != "choosing"
            or not isinstance(moment, ChoicePrompt)
            or self.recorder is None
        ):
            return
        if not 0 <= position < len(moment.options):
            return
        option = moment.options[position]
        before = self.recorder.live_anger
        turn = self.recorder.choose(option.number)
        self.last_turn = turn
        self.app.play("select")
        self._say("agent", option.text)
        self.meter.value = before  # the meter moves from where it visibly was
        self.meter.show(Delta(turn.delta, delta_reason(turn)))
        self.app.play("tenser" if turn.delta > 0 else "calmer" if turn.delta < 0 else "move")
        self._pull()

    def finish(self) -> None:
        """Hang up and go to the debrief."""
        if self.recorder is None or self.recorder.debrief is None:
            return
        self.app.play("hangup")
        from game.ui.scenes.debrief import DebriefScene

        report = self.recorder.debrief
        self.app.replace(DebriefScene(self.app, self.level, report))

    # ---- layout --------------------------------------------------------------------------------

    def layout(self) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        # the customer card: portrait, name, type and channel
        persona = self.catalog.personas[self.scenario.customer.persona.value].label
        channel = self.catalog.channels[self.scenario.channel.value].label
        portrait_h = max(130, round(236 - (fonts.scale - 1) * 110))
        self._portrait = Portrait(
            self.customer, self.channel, (LEFT_W - 32, portrait_h), theme, theme.panel
        )
        inner = LEFT_W - 32 - 44
        name_h = fonts.block_height(self.customer, "h3", inner)
        sub = f"{persona} customer · {channel}"
        sub_h = fonts.block_height(sub, "small", inner)
        card_h = 16 + portrait_h + 14 + name_h + 2 + sub_h + 16
        self.customer_card = pygame.Rect(LEFT_X, TOP, LEFT_W, card_h)
        self.meter.layout(
            pygame.Rect(
                LEFT_X,
                self.customer_card.bottom + 14,
                LEFT_W,
                BOTTOM - self.customer_card.bottom - 14,
            ),
            fonts,
            theme,
        )

        static = app.backdrop.copy()
        title = f"LEVEL {self.level.number} · {self.scenario.title.get(app.lang).upper()}"
        title = fonts.fit_line(title, "caption", 700)
        static.blit(fonts.render(title, "caption", theme.accent), (LEFT_X, 26))
        panel(static, self.customer_card, theme)
        tx = LEFT_X + 16 + 44
        ty = TOP + 16 + portrait_h + 14
        badge = pygame.Rect(LEFT_X + 16, ty + 2, 34, 34)
        pygame.draw.rect(static, theme.accent_soft, badge, border_radius=9)
        icon_channel(static, self.channel, badge.inflate(-12, -12), theme.accent, theme.accent_soft)
        ty = fonts.draw_block(static, self.customer, "h3", theme.text, tx, ty, inner)
        fonts.draw_block(static, sub, "small", theme.text_dim, tx, ty + 2, inner)
        self.right = pygame.Rect(RIGHT_X, TOP, RIGHT_W, BOTTOM - TOP)
        self._hint_pause = chrome.keycap(app, "Esc")
        self._static = static
        self._layout_choices()

    def _layout_choices(self) -> None:
        """The replies panel at the bottom right; the conversation takes the rest."""
        fonts, theme = self.app.fonts, self.app.theme
        inner_w = RIGHT_W - 40
        header_h = fonts.line_height("caption") + 14
        buttons: list[Button] = []
        if self.phase == "choosing" and isinstance(self.moment, ChoicePrompt):
            y = 0
            for index, option in enumerate(self.moment.options):
                button = Button(
                    f"choice:{index}",
                    option.text,
                    "choice",
                    badge=str(index + 1),
                    view=self.choice_view,
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
        max_h = round((BOTTOM - TOP) * 0.6)
        panel_h = min(max_h, header_h + content_h + 32) if header_h else 0
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
        self.menu.set_buttons(buttons)
        self.menu.render(fonts, theme)
        gap = 14 if panel_h else 0
        transcript_rect = pygame.Rect(
            RIGHT_X + 20, TOP + 16, RIGHT_W - 40, self._choices_top - gap - TOP - 32
        )
        self.transcript_panel = pygame.Rect(RIGHT_X, TOP, RIGHT_W, self._choices_top - gap - TOP)
        self.transcript.set_rect(transcript_rect, fonts, theme)
        if self.phase == "ringing":
            self._layout_ringing()

    def _layout_ringing(self) -> None:
        fonts = self.app.fonts
        width = min(620, RIGHT_W - 80)
        self._ring_w = width
        headline, _ = RINGING[self.channel]
        persona = self.catalog.personas[self.scenario.customer.persona.value].label
        self._ring_lines = [
            (headline.upper(), "caption"),
            (self.customer, "h1"),
            (f"{persona} customer", "body_bold"),
            (self.scenario.summary.get(self.app.lang), "body"),
        ]
        height = (
            64 + 18 + sum(fonts.block_height(t, s, width) + 10 for t, s in self._ring_lines) + 20
        )
        height += self.answer.measure(fonts, 320)
        top = TOP + max(16, (BOTTOM - TOP - height) // 2)
        self._ring_top = top
        self.answer.place(
            fonts,
            RIGHT_X + (RIGHT_W - 320) // 2,
            top + height - self.answer.measure(fonts, 320),
            320,
        )
        self.answer.view = None
        self.answer.render(fonts, self.app.theme)
        self.menu.set_buttons([self.answer])
        self.menu.focus("answer")

    # ---- input ---------------------------------------------------------------------------------

    def handle(self, intent: Intent) -> None:
        act = intent.act
        if act is Act.BACK:
            self.app.play("back")
            from game.ui.scenes.pause import PauseScene

            self.app.push(PauseScene(self.app, self))
            return
        if self.phase == "speaking":
            if act in (Act.SKIP, Act.CONFIRM) or (
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
        moved, key = self.menu.handle(intent)
        if moved:
            self.app.play("move")
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
        if self.transcript.revealing:
            self.transcript.finish_reveal()
        else:
            self.beat = BEAT

    # ---- time ----------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        app = self.app
        motion = app.motion
        self._animate_face(dt)
        if self.phase == "ringing":
            self.ring_time += dt
        else:
            self.call_time += dt
        target = (
            self.recorder.live_anger
            if self.recorder is not None
            else float(self.scenario.customer.anger)
        )
        self.meter.update(dt, target, motion)
        cps = CPS[self.channel] * (1.0 if motion else 1e9)
        self.transcript.update(dt, cps, motion, app.fonts)
        self.choice_view.update(dt, not motion)
        if self.phase == "speaking" and not self.transcript.revealing:
            self.beat += dt
            if self.beat >= BEAT and self.recorder is not None:
                self.recorder.proceed()
                self._pull()
        elif self.phase == "choosing" and self.recorder is not None:
            self.recorder.tick(dt)
            moment = self.recorder.current(app.lang)
            if isinstance(moment, ChoicePrompt):
                self.moment = moment
                if moment.nudge and not self.nudged:
                    self.nudged = True
                    self._say("nudge", moment.nudge)
                    app.play("nudge")
            else:  # the customer gave up on the silence
                self._pull()

    def _animate_face(self, dt: float) -> None:
        self._next_blink -= dt
        if self._next_blink <= 0:
            self._blink += dt
            if self._blink > 0.16:
                self._blink = 0.0
                self._next_blink = self._rng.uniform(2.2, 5.0)

    # ---- drawing -------------------------------------------------------------------------------

    def blink_amount(self) -> float:
        if self._blink <= 0:
            return 0.0
        t = self._blink / 0.16
        return 1.0 - abs(2 * t - 1)

    def draw(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        assert self._static is not None and self._portrait is not None
        surface.blit(self._static, (0, 0))
        self._draw_top_bar(surface)
        # the customer
        anger = self.meter.value
        image = self._portrait.render(anger, self.blink_amount())
        dx = dy = 0
        if app.motion:
            dy = round(1.5 * math.sin(app.clock * 1.7))
            if anger >= 80:
                dx = self._rng_shake(anger)
        clip = surface.get_clip()
        surface.set_clip(pygame.Rect(LEFT_X + 16, TOP + 16, *self._portrait.size))
        surface.blit(image, (LEFT_X + 16 + dx, TOP + 16 + dy))
        surface.set_clip(clip)
        self.meter.draw(surface, fonts, theme, app.motion)
        # the conversation
        panel(surface, self.transcript_panel, theme, theme.panel_sunken, shadow=False)
        if self.phase == "ringing":
            self._draw_ringing(surface)
        else:
            self.transcript.draw(surface, fonts, theme)
        # the replies
        if self.choice_panel.height:
            panel(surface, self.choice_panel, theme)
            self._draw_choice_header(surface)
            if self.phase == "speaking":
                who = f"{self.customer} is {'writing' if self.channel in ('chat', 'email') else 'talking'}…"
                hint = "Space to read it all now"
                y = self.choice_view.rect.y
                surface.blit(
                    fonts.render(fonts.fit_line(who, "body", RIGHT_W - 60), "body", theme.text_dim),
                    (RIGHT_X + 24, y + 2),
                )
                image = fonts.render(hint, "small", theme.text_faint)
                if fonts.width(who, "body") + image.get_width() + 80 < RIGHT_W:
                    surface.blit(image, image.get_rect(topright=(RIGHT_X + RIGHT_W - 24, y + 6)))
            self.menu.draw(surface, fonts, theme)
            self.choice_view.draw_scrollbar(surface, theme)
        elif self.phase == "ringing":
            self.menu.draw(surface, fonts, theme)

    def _rng_shake(self, anger: float) -> int:
        strength = (anger - 80) / 20 * 2.5
        return round(strength * math.sin(self.app.clock * 47.0))

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        right = 1280 - 40
        cap = self._hint_pause
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

    def _draw_choice_header(self, surface: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        x, y = RIGHT_X + 24, self.choice_panel.y + 14
        if self.phase == "ended":
            label = "THE CONVERSATION IS OVER"
        elif self.phase == "choosing":
            count = len(self.moment.options) if isinstance(self.moment, ChoicePrompt) else 0
            label = f"YOUR REPLY · PRESS 1–{count} OR USE ↑↓ AND ENTER"
            label = fonts.fit_line(label, "caption", RIGHT_W - 260)
        else:
            label = "LISTEN"
        surface.blit(fonts.render(label, "caption", theme.accent), (x, y))
        if self.phase == "choosing":
            self._draw_timer(surface, RIGHT_X + RIGHT_W - 24, y + fonts.line_height("caption") // 2)

    def _draw_timer(self, surface: pygame.Surface, right: int, mid_y: int) -> None:
        """Dead air: seconds of silence, and how close the customer is to minding."""
        fonts, theme = self.app.fonts, self.app.theme
        rule = self._rule
        if rule is None:
            why = "No time pressure" if self.channel == "email" else "Timer off"
            image = fonts.render(why, "small", theme.text_faint)
            surface.blit(image, image.get_rect(midright=(right, mid_y)))
            return
        silence = self.moment.silence if isinstance(self.moment, ChoicePrompt) else 0.0
        late = silence >= rule.grace
        color = theme.bad if late else theme.warn if silence >= rule.grace * 0.6 else theme.text_dim
        text = f"Silence {int(silence) // 60}:{int(silence) % 60:02d}"
        image = fonts.render(text, "small_bold", color)
        bar = pygame.Rect(0, 0, 90, 6)
        bar.midright = (right, mid_y)
        pygame.draw.rect(surface, theme.panel_sunken, bar, border_radius=3)
        share = min(1.0, silence / rule.grace)
        if share > 0:
            pygame.draw.rect(
                surface,
                color,
                pygame.Rect(bar.x, bar.y, max(3, round(bar.width * share)), 6),
                border_radius=3,
            )
        surface.blit(image, image.get_rect(midright=(bar.x - 10, mid_y)))

    def _draw_ringing(self, surface: pygame.Surface) -> None:
        app, fonts, theme = self.app, self.app.fonts, self.app.theme
        width = self._ring_w
        x = RIGHT_X + (RIGHT_W - width) // 2
        y = self._ring_top
        pulse = (app.clock * 1.2) % 1.0 if app.motion else 0.0
        centre = (RIGHT_X + RIGHT_W // 2, y + 32)
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
        y += 64 + 18
        colors = {
            "caption": theme.accent,
            "h1": theme.text,
            "body_bold": theme.text_dim,
            "body": theme.text,
        }
        for text, style in self._ring_lines:
            y = fonts.draw_block(surface, text, style, colors[style], x, y, width, "center") + 10
