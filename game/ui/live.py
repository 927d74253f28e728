"""`hold-the-line play --watch`: the window's side of live reload.

The rules (when a file counts as changed, how far the old call replays on the new version)
are in `game.analysis.live`; this host only polls it between frames and shows the result:

- a good edit replaces the call scene with a new one on the new version, replayed to the
  same point (the same seed, so the replies keep their places), with a one-line note;
- a broken edit draws its located problems over the call, which goes on, on the last good
  version, until the file is fixed.

It wraps the call scene from outside (the app polls it and draws it last) and needs only the
scene's public life cycle plus its transcript, so the call scene itself knows nothing of it.
In watch mode every reload starts a new attempt in the records (the old one is kept as
abandoned): use a practice profile.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from game.analysis.live import Broken, Reloaded, Resumption, ScenarioWatch, resume
from game.engine.session import Event, Phase, Speaker, TimerMode
from game.records.recorder import Recorder
from game.ui.draw import panel
from game.ui.scenes.call import CallPhase
from game.ui.transcript import BubbleKind

if TYPE_CHECKING:
    from game.engine.catalog import Catalog
    from game.records.api import Store
    from game.scenario.model import Policy, Scenario
    from game.ui.scenes.call import CallScene
    from game.ui.window import App

POLL_SECONDS = 0.4  # how often the file is looked at (a stat, nothing more)
NOTE_SECONDS = 6.0  # how long the "reloaded" note stays up
MAX_SHOWN = 8  # problems listed over the call; the rest are counted
STEADY = frozenset(
    {CallPhase.SPEAKING, CallPhase.CHOOSING, CallPhase.ENDED}
)  # a reload may interrupt


def begin_resumed(
    store: Store,
    trainee_id: int,
    scenario: Scenario,
    level: int,
    pass_score: int,
    policy: Policy | None,
    seed: int,
    timer: TimerMode,
    lang: str,
    catalog: Catalog,
    events: tuple[Event, ...],
) -> Recorder:
    """A new attempt on the edited scenario, with the old call's events replayed into it
    (on the call scene's worker thread, like any recording)."""
    recorder = Recorder.begin(
        store, trainee_id, scenario, level, pass_score, policy, seed, timer, lang, catalog
    )
    for event in events:
        while recorder.phase is Phase.SPEAKING:
            recorder.proceed()
        recorder.tick(event.silence)
        if event.choice is not None:
            recorder.choose(event.choice)
    return recorder


class LiveReload:
    """Watches the scenario of the call on screen."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.watch: ScenarioWatch | None = None
        self.problems: tuple[str, ...] = ()  # of the broken edit on the file, if any
        self.note = ""
        self._note_until = 0.0
        self._next_poll = 0.0
        self._shown: tuple[tuple[str, ...], str] = ((), "")
        self._overlay: pygame.Surface | None = None

    def _call(self) -> CallScene | None:
        from game.ui.scenes.call import CallScene

        top = self.app.top
        return top if isinstance(top, CallScene) else None

    def poll(self) -> None:
        """Between frames: look at the file every POLL_SECONDS of the app's clock."""
        if self.app.clock < self._next_poll:
            return
        self._next_poll = self.app.clock + POLL_SECONDS
        scene = self._call()
        if scene is None:
            return
        if self.watch is None or self.watch.path != _path(scene.scenario):
            # the level was read when the campaign was: an edit since then counts too
            self.watch = ScenarioWatch(
                _path(scene.scenario), scene.scenario.content_hash, read_now=False
            )
            self.problems = ()
        if scene.recorder is None or scene.phase not in STEADY:
            return  # ringing, connecting or recording a reply: look again in a moment
        change = self.watch.poll()
        if isinstance(change, Broken):
            self.problems = change.lines()
        elif isinstance(change, Reloaded):
            self.problems = ()
            self.reload(scene, change.scenario)

    def reload(self, scene: CallScene, scenario: Scenario) -> CallScene:
        """Replace the call with one on `scenario`, replayed to where it was."""
        from game.ui.scenes.call import CallScene

        assert scene.recorder is not None
        old = scene.recorder.state
        app = self.app
        resumption = resume(
            scenario, old, policy=scene.campaign.policy, lang=app.lang, catalog=scene.catalog
        )
        level = dataclasses.replace(scene.level, scenario=scenario)
        fresh = CallScene(app, level)
        app.replace(fresh)  # the old attempt is kept as abandoned, as leaving a call does
        _start_resumed(fresh, resumption, old.seed, old.timer)
        self.note = resumption.note
        self._note_until = app.clock + NOTE_SECONDS
        return fresh

    # ---- drawing ----------------------------------------------------------------------------

    def lines(self) -> tuple[str, ...]:
        """What the overlay says now (also what the tests read)."""
        if self.problems and self._call() is not None:
            shown = list(self.problems[:MAX_SHOWN])
            if len(self.problems) > MAX_SHOWN:
                shown.append(f"… and {len(self.problems) - MAX_SHOWN} more")
            return (
                "The edit has errors; the call goes on with the last good version:",
                *shown,
            )
        if self.note and self.app.clock < self._note_until and self._call() is not None:
            return (self.note,)
        return ()

    def draw(self, surface: pygame.Surface) -> bool:
        """Draw the overlay, if any, over the scenes; True when something was drawn."""
        lines = self.lines()
        if not lines:
            self._overlay = None
            return False
        key = (lines, self.app.theme.name)
        if self._overlay is None or self._shown != key:
            self._overlay = self._render(lines)
            self._shown = key
        surface.blit(self._overlay, (20, 8))
        return True

    def _render(self, lines: tuple[str, ...]) -> pygame.Surface:
        fonts, theme = self.app.fonts, self.app.theme
        width = 1280 - 40  # the scenes' logical width
        wrapped: list[tuple[str, str]] = []
        for index, line in enumerate(lines):
            style = "small_bold" if index == 0 else "small"
            wrapped.extend((style, part) for part in fonts.wrap(line, style, width - 32))
        step = fonts.line_height("small")
        image = pygame.Surface((width, 24 + step * len(wrapped)), pygame.SRCALPHA)
        color = theme.bad if self.problems else theme.accent
        panel(
            image,
            image.get_rect(),
            theme,
            theme.panel_raised,
            radius=10,
            border=color,
            shadow=False,
        )
        y = 12
        for style, text in wrapped:
            image.blit(fonts.render(text, style, theme.text), (16, y))
            y += step
        return image


def _path(scenario: Scenario) -> Path:
    return Path(scenario.path)


def _start_resumed(scene: CallScene, resumption: Resumption, seed: int, timer: TimerMode) -> None:
    """The call scene's `start_call`, with the conversation so far already in place."""
    app = scene.app
    world = app.world()
    assert world.store is not None and app.trainee is not None
    app.audio.stop_loop()
    for spoken in resumption.lines[:-1] if _speaking(resumption) else resumption.lines:
        scene._say(BubbleKind(spoken.speaker.value), spoken.text)
    scene.flow.anger = float(resumption.state.anger)
    scene.meter.reset(scene.anger)
    scene.flow.phase = CallPhase.CONNECTING
    scene.flow._submit(
        "begin",
        begin_resumed,
        world.store,
        app.trainee.id,
        scene.scenario,
        scene.level.number,
        scene.level.pass_score,
        scene.campaign.policy,
        seed,
        timer,
        app.lang,
        scene.catalog,
        resumption.events,
    )
    scene._layout_choices()
    scene._repaint(full=True)


def _speaking(resumption: Resumption) -> bool:
    """The last line replayed is the customer's current one: the scene says it again when
    it pulls the next moment, so it is left out of the history."""
    return bool(resumption.lines) and resumption.lines[-1].speaker is Speaker.CUSTOMER
