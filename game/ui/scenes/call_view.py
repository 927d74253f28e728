"""The call's drawing: the parts of the screen the scene paints onto its canvas.

The ringing card, the "listening" placeholder, the top bar with the call's clock, the header
of the replies and the dead-air timer, and the reply buttons (built in one place, whether
they arrive one per step or all at once after a new layout). The scene decides when each is
painted (`call_canvas`); what the call is doing comes from its controller (`call_flow`).
"""

from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType
from typing import TYPE_CHECKING

import pygame

from game.engine.session import ChoicePrompt, Turn
from game.i18n.translator import N_
from game.scenario.model import Channel
from game.ui.draw import icon_channel
from game.ui.scenes.call_canvas import RegionCanvas
from game.ui.scenes.call_flow import CallFlow, CallPhase
from game.ui.transcript import Transcript
from game.ui.widgets import Button, Menu, ScrollView

if TYPE_CHECKING:
    from game.engine.catalog import Catalog
    from game.scenario.model import Scenario
    from game.ui.theme import Color, Theme
    from game.ui.typography import Typography
    from game.ui.window import App

LEFT_X = 40
LEFT_W = 352
RIGHT_X = LEFT_X + LEFT_W + 24
RIGHT_W = 1280 - RIGHT_X - 40
TOP = 76
BOTTOM = 704
BLINK = 0.16
REGIONS = ("top", "face", "meter", "talk", "reveal", "replies", "timer")
RIGHT_COLUMN = frozenset({"talk", "reveal", "replies", "timer"})
CPS = MappingProxyType(
    {Channel.PHONE: 42.0, Channel.IN_PERSON: 42.0, Channel.CHAT: 70.0, Channel.EMAIL: 140.0}
)
RINGING = MappingProxyType(
    {
        Channel.PHONE: (N_("Incoming call"), "ring"),
        Channel.IN_PERSON: (N_("A customer walks up to your counter"), "bell"),
        Channel.CHAT: (N_("New chat request"), "chime"),
        Channel.EMAIL: (N_("New email in your queue"), "chime"),
    }
)
ANSWER = MappingProxyType(
    {
        Channel.PHONE: N_("Answer the call"),
        Channel.IN_PERSON: N_("Greet them"),
        Channel.CHAT: N_("Accept the chat"),
        Channel.EMAIL: N_("Open the email"),
    }
)
END = MappingProxyType(
    {
        Channel.PHONE: N_("Hang up"),
        Channel.IN_PERSON: N_("Finish"),
        Channel.CHAT: N_("Close the chat"),
        Channel.EMAIL: N_("Close the email"),
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


def reply_buttons(
    prompt: ChoicePrompt, fonts: Typography, theme: Theme, view: ScrollView
) -> Iterator[Button]:
    """The reply buttons, numbered in the order shown, placed one under the other."""
    y = 0
    for index, option in enumerate(prompt.options):
        button = Button(
            f"choice:{index}",
            option.text,
            "choice",
            badge=str(index + 1),
            view=view,
            backing=theme.panel,
        )
        y = button.place(fonts, 4, y + 4, RIGHT_W - 40 - 16) + 6
        yield button


def replies_height(buttons: list[Button]) -> int:
    """The height of the replies' content: the last button and a margin."""
    return buttons[-1].rect.bottom + 10 if buttons else 0


class CallDrawing:
    """The drawing half of the call scene (a mixin: the scene holds the state it reads)."""

    app: App
    flow: CallFlow
    catalog: Catalog
    scenario: Scenario
    channel: Channel
    customer: str
    menu: Menu
    answer: Button
    choice_view: ScrollView
    choice_panel: pygame.Rect
    _hint_pause: pygame.Surface | None
    _ring_icon: bool
    _ring_clip: pygame.Rect
    _ring_top: int
    _ring_w: int
    _ring_lines: list[tuple[str, str]]
    canvas: RegionCanvas
    transcript: Transcript
    transcript_panel: pygame.Rect
    hangup: Button
    _talk_frame: tuple[int, bool]
    _choices_content: pygame.Surface | None
    _steady: tuple[object, int]

    # ---- the cards and what is in them ---------------------------------------------------------

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

    def _paint_reveal(self, canvas: pygame.Surface) -> None:
        """Only the newest bubble, as far as it has been read: the cheap per-frame repaint."""
        if self.flow.phase is CallPhase.RINGING:
            return
        rect = self.transcript.draw_last(canvas, self.app.fonts, self.app.theme)
        if rect is not None:
            self.canvas.regions["reveal"] = rect
            self.canvas.stamp("reveal", self.app.frames)

    def _paint_talk(self, canvas: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        framed = self._talk_frame == (self.canvas.layout_id, self.flow.phase is CallPhase.RINGING)
        if self.flow.phase is CallPhase.RINGING or not framed:
            self._blit_panel(canvas, self.transcript_panel, theme.panel_sunken, shadow=False)
            self._talk_frame = (self.canvas.layout_id, self.flow.phase is CallPhase.RINGING)
            self.canvas.stamp("talk", self.app.frames)
            if self.flow.phase is CallPhase.RINGING:
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
            self.canvas.regions["talkview"] = inside
            self.canvas.stamp("talkview", self.app.frames)
        self.transcript.draw(canvas, fonts, theme)

    def _paint_replies(self, canvas: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        if not self.choice_panel.height:
            return
        self._blit_panel(canvas, self.choice_panel, theme.panel, shadow=True)
        content = self._choices_content
        if self.flow.phase is CallPhase.CHOOSING and content is not None:
            view = self.choice_view
            view.blit(canvas, content)
            focused = self.menu.button(self.menu.focused or "")
            if focused is not None:
                focused.draw(canvas, fonts, theme, True)
            view.draw_scrollbar(canvas, theme)
        else:
            if self.flow.phase in (CallPhase.SPEAKING, CallPhase.WAITING, CallPhase.CONNECTING):
                self._draw_listening(canvas)
            elif self.flow.phase is CallPhase.ENDED:
                note = self.app.tr._("Next: your debrief, turn by turn.")
                button = self.hangup.rect
                room = RIGHT_X + RIGHT_W - 24 - (button.right + 20)
                if fonts.width(note, "body") <= room:
                    image = fonts.render(note, "body", theme.text_dim)
                    canvas.blit(image, image.get_rect(midleft=(button.right + 20, button.centery)))
            self.menu.draw(canvas, fonts, theme)
        self._draw_choice_header(canvas)
        self.canvas.forget("timer")  # the timer sits on this card: paint it again

    def _panel_image(self, rect: pygame.Rect, fill: Color, *, shadow: bool) -> pygame.Surface:
        """A card painted onto a copy of the page behind it (8 px taller, for the shadow)."""
        return self.canvas.panel_image(
            rect, fill, shadow=shadow, backdrop=self.app.backdrop, theme=self.app.theme
        )

    def _blit_panel(
        self, surface: pygame.Surface, rect: pygame.Rect, fill: Color, *, shadow: bool
    ) -> None:
        surface.blit(self._panel_image(rect, fill, shadow=shadow), rect.topleft)

    # ---- the parts -----------------------------------------------------------------------------

    def _layout_ringing(self) -> None:
        fonts = self.app.fonts
        width = min(620, RIGHT_W - 80)
        self._ring_w = width
        headline, _ = RINGING[self.channel]
        headline = self.app.tr._(headline)
        persona = self.catalog.personas[self.scenario.customer.persona.value].label
        summary = self.scenario.summary.get(self.app.lang)
        button_w = min(RIGHT_W - 80, max(320, fonts.width(self.answer.label, "body_bold") + 160))
        button_h = self.answer.measure(fonts, button_w)
        room = BOTTOM - TOP - 48
        # Large text gives way step by step, so the summary is never cut: the icon goes,
        # then the name gets smaller, then the persona line joins the headline.
        full = [
            (headline, "caption"),
            (self.customer, "h1"),
            (self.app.tr._("{persona} customer", persona=persona), "body_bold"),
            (summary, "body"),
        ]
        smaller = [full[0], (self.customer, "h2"), full[2], full[3]]
        joined = [
            (
                self.app.tr._(
                    "{headline} · {persona} customer", headline=headline, persona=persona
                ),
                "caption",
            ),
            smaller[1],
            full[3],
        ]
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

    def _draw_listening(self, surface: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        if self.channel in (Channel.CHAT, Channel.EMAIL):
            who = self.app.tr._("{customer} is writing…", customer=self.customer)
        else:
            who = self.app.tr._("{customer} is talking…", customer=self.customer)
        if self.flow.phase is CallPhase.CONNECTING:
            who = self.app.tr._("Connecting…")
        hint = (
            self.app.tr._("Space to read it all now")
            if self.flow.phase is CallPhase.SPEAKING
            else ""
        )
        view = self.choice_view.rect
        y = view.y
        # a long name (or translation) wraps rather than being cut short
        who_h = fonts.block_height(who, "body", RIGHT_W - 60)
        fonts.draw_block(surface, who, "body", theme.text_dim, RIGHT_X + 24, y + 2, RIGHT_W - 60)
        image = fonts.render(hint, "small", theme.text_faint)
        if hint and fonts.width(who, "body") + image.get_width() + 80 < RIGHT_W:
            surface.blit(image, image.get_rect(topright=(RIGHT_X + RIGHT_W - 24, y + 6)))
        # the calm placeholder: where the replies will be, and when
        calm = self.app.tr._("Listen first. Your replies appear here when they have finished.")
        if self.flow.phase is CallPhase.WAITING:
            calm = self.app.tr._("Your reply is on its way. Listen for how it lands.")
        y += who_h + 14
        if y + fonts.line_height("small") <= view.bottom:
            for offset in range(3):
                dot = (RIGHT_X + 30 + offset * 14, y + fonts.line_height("small") // 2)
                pygame.draw.circle(surface, theme.border, dot, 4)
            fonts.draw_block(
                surface, calm, "small", theme.text_faint, RIGHT_X + 24 + 48, y, RIGHT_W - 100
            )

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        right = 1280 - 40
        cap = self._hint_pause
        assert cap is not None
        label = fonts.render(self.app.tr._("Pause"), "small", theme.text_faint)
        surface.blit(label, label.get_rect(midright=(right, 34)))
        surface.blit(cap, cap.get_rect(midright=(right - label.get_width() - 8, 34)))
        x = right - label.get_width() - cap.get_width() - 36
        if self.flow.phase is not CallPhase.RINGING:
            minutes, seconds = divmod(int(self.flow.call_time), 60)
            status = (
                self.app.tr._("On the line")
                if self.channel is Channel.PHONE
                else self.app.tr._("In conversation")
            )
            if self.channel in (Channel.CHAT, Channel.EMAIL):
                status = (
                    self.app.tr._("Chat open")
                    if self.channel is Channel.CHAT
                    else self.app.tr._("Replying")
                )
            text = fonts.render(
                f"{status} {minutes:02d}:{seconds:02d}", "small_bold", theme.text_dim
            )
            surface.blit(text, text.get_rect(midright=(x, 34)))
            dot_x = x - text.get_width() - 12
            live = theme.good if self.flow.phase is not CallPhase.ENDED else theme.text_faint
            pygame.draw.circle(surface, live, (dot_x, 34), 5)

    def _header_mid(self) -> int:
        return self.choice_panel.y + 14 + self.app.fonts.line_height("caption") // 2

    def _draw_choice_header(self, surface: pygame.Surface) -> None:
        fonts, theme = self.app.fonts, self.app.theme
        x, y = RIGHT_X + 24, self.choice_panel.y + 14
        if self.flow.phase is CallPhase.ENDED:
            label = self.app.tr._("THE CONVERSATION IS OVER")
        elif self.flow.phase is CallPhase.CHOOSING:
            count = (
                len(self.flow.moment.options) if isinstance(self.flow.moment, ChoicePrompt) else 0
            )
            label = self.app.tr._("YOUR REPLY · PRESS 1–{count} OR USE ↑↓ AND ENTER", count=count)
            room = RIGHT_W - 48 - self._timer_width() - 24
            if fonts.width(label, "caption") > room:
                label = fonts.fit_line(self.app.tr._("YOUR REPLY"), "caption", room)
        else:
            label = self.app.tr._("LISTEN")
        surface.blit(fonts.render(label, "caption", theme.accent), (x, y))

    def _timer_width(self) -> int:
        fonts = self.app.fonts
        if self.flow.rule is None:
            tr = self.app.tr
            return max(fonts.width(tr._("No time pressure"), "small"),
                       fonts.width(tr._("Timer off"), "small"))  # fmt: skip
        silence = self.app.tr._("Silence {minutes}:{seconds:02d}", minutes=0, seconds=0)
        return fonts.width(silence, "small_bold") + 10 + 90

    def _draw_timer(self, surface: pygame.Surface, right: int, mid_y: int) -> None:
        """Dead air: seconds of silence, and how close the customer is to minding."""
        fonts, theme = self.app.fonts, self.app.theme
        rule = self.flow.rule
        if rule is None:
            why = (
                self.app.tr._("No time pressure")
                if self.channel is Channel.EMAIL
                else self.app.tr._("Timer off")
            )
            image = fonts.render(why, "small", theme.text_faint)
            surface.blit(image, image.get_rect(midright=(right, mid_y)))
            return
        silence, allowance = self.flow.silence(), self.flow.allowance()
        late = silence >= allowance
        color = theme.bad if late else theme.warn if silence >= allowance * 0.6 else theme.text_dim
        text = self.app.tr._(
            "Silence {value}:{value2:02d}", value=int(silence) // 60, value2=int(silence) % 60
        )
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
