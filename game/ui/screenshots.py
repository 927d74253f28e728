"""Render every scene of the game to PNG files: `python -m game.ui.screenshots DIR [LANG…]`.

It plays the game headless through the same key presses a player makes (with a throwaway
data directory, so nobody's records are touched), stopping to photograph each screen: the
title, profiles, level select, a ringing phone, calls in every channel mid-conversation,
the pause menu, debriefs, the breather, the history, settings and the error scene; and the
call again at 200 % text and in high contrast. The replies come from the transcript plans
in `tests/plans/` (`make screenshots` runs from a checkout).

Every screen is rendered in every language the game speaks, at 100 % and 200 % text:
English in DIR, the others in DIR/<lang>/, the 200 % ones in a `text-200/` folder beside
each. A language whose translation is not there yet shows its English (with its own dates).
Tests walk the same journeys with an `inspect` callback to audit every screen for text that
overflows its box (tests/ui/test_layouts_hold.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Protocol

import pygame
import yaml

from game.i18n.languages import LANGUAGES, SOURCE
from game.paths import PROJECT_ROOT, default_campaign
from game.scenario.campaign import Level
from game.ui.app import App, AppConfig, open_app
from game.ui.autopilot import Autopilot
from game.ui.scene import Scene
from game.ui.settings import PlayerSettings, save_settings, settings_path

PLANS = PROJECT_ROOT / "tests" / "plans"
SEED = 3
# Every screenshot is taken on this (made-up) morning, whatever the real date: an unchanged
# screen gives an unchanged file. Each reading of the clock moves it on by a second.
FIXED_NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
CLOCKED = (
    "game.records.recorder",
    "game.records.store.rows",  # the store reads the time in one place (_now)
    "game.ui.scenes.profile",
    "game.ui.scenes.title",
    "game.ui.scenes.history",
    "game.ui.scenes.levels",  # practice due
    "game.ui.scenes.supervisor",
    "game.ui.scenes.supervisor_level",
    "game.ui.scenes.supervisor_trainee",
    "game.ui.screenshots",
)


class _Clock:
    """A stand-in for the `datetime` and `date` classes of the modules that read the time."""

    tick = timedelta(seconds=1)
    now_at = FIXED_NOW

    @classmethod
    def advance(cls) -> datetime:
        cls.now_at += cls.tick
        return cls.now_at


class _FrozenDatetime(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _FrozenDatetime:
        at = _Clock.advance()
        at = at.astimezone(tz) if tz is not None else at.replace(tzinfo=None)  # TZ is UTC
        return cls(at.year, at.month, at.day, at.hour, at.minute, at.second, 0, at.tzinfo)


class _FrozenDate(date):
    @classmethod
    def today(cls) -> _FrozenDate:
        day = _Clock.now_at.date()
        return cls(day.year, day.month, day.day)


@contextmanager
def fixed_clock() -> Iterator[None]:
    """Freeze the wall clock (and the time zone, UTC) for the modules that read it."""
    import importlib

    saved_tz = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    _Clock.now_at = FIXED_NOW
    patched: list[tuple[object, str, object]] = []
    try:
        for name in CLOCKED:
            module = importlib.import_module(name)
            for attr, stand_in in (("datetime", _FrozenDatetime), ("date", _FrozenDate)):
                if isinstance(getattr(module, attr, None), type):
                    patched.append((module, attr, getattr(module, attr)))
                    setattr(module, attr, stand_in)
        yield
    finally:
        for owner, attr, original in reversed(patched):
            setattr(owner, attr, original)
        if saved_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved_tz
        time.tzset()


@contextmanager
def _one_run_at_a_time(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock` (where the system offers file locks)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: runs are not serialised
        yield
        return
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _headless_home() -> Iterator[Path]:
    """A temporary data directory and the dummy drivers, restored afterwards."""
    saved = {
        k: os.environ.get(k) for k in ("HOLD_THE_LINE_HOME", "SDL_VIDEODRIVER", "SDL_AUDIODRIVER")
    }
    # one fixed path (the error screen shows where its log went), emptied before and after;
    # a second run at the same time (another test process, `make screenshots`) waits its
    # turn, or the two would share, and empty, one set of records
    home = str(Path(tempfile.gettempdir()) / "hold-the-line-screenshots")
    with contextlib.ExitStack() as cleanup:
        cleanup.enter_context(_one_run_at_a_time(Path(f"{home}.lock")))
        shutil.rmtree(home, ignore_errors=True)
        cleanup.callback(shutil.rmtree, home, True)
        os.environ["HOLD_THE_LINE_HOME"] = home
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
        try:
            yield Path(home)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def plan_choices(name: str) -> list[int] | None:
    path = PLANS / f"{name}.yaml"
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [int(c) for c in data["choices"]]


SCALES = (100, 200)  # the text sizes every screen is rendered at


class Inspect(Protocol):
    """Called after each screen is drawn (and saved): a test's audit of that screen."""

    def __call__(self, app: App, name: str) -> None: ...


class Photographer:
    def __init__(self, out: Path, inspect: Inspect | None = None) -> None:
        self.out = out
        self.saved: list[Path] = []
        self.inspect = inspect

    def shoot(self, app: App, name: str) -> None:
        path = self.out / f"{name}.png"
        app.draw(app.screen)
        pygame.image.save(app.screen, str(path))
        self.saved.append(path)
        if self.inspect is not None:
            self.inspect(app, name)


def _config(lang: str) -> AppConfig:
    """The window for a run in `lang` (English: the settings' own language applies)."""
    if lang == SOURCE:
        return AppConfig(campaign=default_campaign(), seed=SEED)
    return AppConfig(campaign=default_campaign(), seed=SEED, lang=lang)


def folder_for(out: Path, lang: str, scale: int) -> Path:
    """Where a language's screenshots go: English in `out` (where the docs link them),
    the others in `out/<lang>`; 200 % text in `text-200/` inside."""
    folder = out if lang == SOURCE else out / lang
    return folder if scale == 100 else folder / f"text-{scale}"


def _level(app: App, predicate: str) -> Level | None:
    campaign = app.world().campaign
    assert campaign is not None
    for level in campaign.levels:
        if level.scenario is not None and predicate in (level.key, level.scenario.channel.value):
            return level
    return None


def _call(pilot: Autopilot, level: Level, replies: Sequence[int]) -> None:
    """Take a call on `level` and give the first replies, then wait for the next prompt."""
    from game.ui.scenes.call import CallScene

    pilot.app.push(CallScene(pilot.app, level))
    pilot.frames(2)
    pilot.answer()
    for number in replies:
        pilot.reply(number)
    pilot.wait_for_choices()
    pilot.frames(20)  # the delta is still floating up from the meter


def _leave_call(pilot: Autopilot) -> None:
    from game.ui.scenes.levels import LevelsScene
    from game.ui.scenes.pause import PauseScene

    pilot.key(pygame.K_ESCAPE, frames=2)
    pause = pilot.scene(PauseScene)
    pilot.until(lambda: pause.menu.focused == "leave", "the leave button", 10, pygame.K_DOWN)
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.scene(LevelsScene)


def capture(
    out: Path, lang: str = SOURCE, scale: int = 100, inspect: Inspect | None = None
) -> list[Path]:
    """Write the screenshots into `out`, in `lang` at `scale` % text; returns the files
    written. English at 100 % adds the call at 200 % and in high contrast."""
    out.mkdir(parents=True, exist_ok=True)
    shots = Photographer(out, inspect)
    with _headless_home(), fixed_clock():
        save_settings(PlayerSettings(text_scale=scale), settings_path())
        _main_journey(shots, lang)
        if lang == SOURCE and scale == 100:
            _variant(shots, PlayerSettings(text_scale=200), "call-text-200")
            _variant(shots, PlayerSettings(high_contrast=True), "call-high-contrast")
    return shots.saved


def _main_journey(shots: Photographer, lang: str = SOURCE) -> None:
    from game.ui.scenes.debrief import DebriefScene
    from game.ui.scenes.error import ErrorScene
    from game.ui.scenes.levels import LevelsScene
    from game.ui.scenes.title import TitleScene

    app = open_app(_config(lang))
    pilot = Autopilot(app)
    try:
        pilot.start()
        pilot.frames(30)
        shots.shoot(app, "title")
        title = pilot.scene(TitleScene)
        pilot.until(lambda: title.menu.focused == "switch", "switch", 10, pygame.K_DOWN)
        pilot.key(pygame.K_RETURN, frames=2)
        pilot.type_text("Ana Reyes")
        pilot.frames(10)
        shots.shoot(app, "profile")
        pilot.key(pygame.K_RETURN, frames=10)
        shots.shoot(app, "levels")

        first = _level(app, "late-delivery")
        good = plan_choices("late-delivery-good")
        if first is not None and good is not None:
            pilot.key(pygame.K_RETURN, frames=40)
            shots.shoot(app, "call-ringing")
            pilot.answer()
            for number in good[:3]:
                pilot.reply(number)
            pilot.wait_for_choices()
            pilot.key(pygame.K_DOWN)
            pilot.frames(20)
            shots.shoot(app, "call")
            pilot.key(pygame.K_ESCAPE, frames=2)
            shots.shoot(app, "pause")
            pilot.key(pygame.K_ESCAPE, frames=2)
            for number in good[3:]:
                pilot.reply(number)
            pilot.finish_call()
            pilot.frames(80)
            shots.shoot(app, "debrief")
            store = app.world().store
            assert store is not None and app.trainee is not None
            attempt = store.attempts(trainee_id=app.trainee.id)[0]
            store.add_note(
                attempt.id,
                "Sam Okafor (supervisor)",
                "Lovely recap on turn 3: you gave him back his own words, and he relaxed at "
                "once. Next time, thank him for his patience before you close.",
            )
            pilot.key(pygame.K_ESCAPE, frames=2)
            # passed: the level offers an exam, where nothing grades the replies as they land
            levels = pilot.scene(LevelsScene)
            levels.select(0)
            pilot.frames(10)
            shots.shoot(app, "levels-exam")
            levels.activate("exam")
            pilot.frames(2)
            pilot.answer()
            for number in good[:3]:
                pilot.reply(number)
            pilot.wait_for_choices()
            pilot.frames(20)
            shots.shoot(app, "call-exam")
            for number in good[3:]:
                pilot.reply(number)
            pilot.finish_call()  # the exam debrief shows everything the call did not
            pilot.key(pygame.K_ESCAPE, frames=2)

        for channel in ("in_person", "chat", "email"):
            level = _level(app, channel)
            choices = plan_choices(f"{level.key}-good") if level else None
            if level is not None and choices:
                _call(pilot, level, choices[:2])
                shots.shoot(app, f"call-{channel.replace('_', '-')}")
                _leave_call(pilot)

        mixed = _level(app, "discount-bully")
        choices = plan_choices("discount-bully-boundary-recovers")
        if mixed is not None and choices:
            from game.ui.scenes.call import CallScene

            app.push(CallScene(app, mixed))
            pilot.frames(2)
            pilot.play(choices)
            pilot.frames(80)
            shots.shoot(app, "debrief-mixed")
            pilot.key(pygame.K_ESCAPE, frames=2)

        hard = _level(app, "language")
        choices = plan_choices("language-warn-then-end")
        if hard is not None and choices:
            from game.ui.scenes.call import CallScene

            app.push(CallScene(app, hard))
            pilot.frames(2)
            shown = pilot.play(choices)
            pilot.frames(80)
            shots.shoot(app, "debrief-hard-call")
            if shown.hard:
                pilot.key(pygame.K_RETURN, frames=150)
                shots.shoot(app, "breather")
                pilot.key(pygame.K_ESCAPE, frames=2)
            pilot.scene(DebriefScene)
            pilot.key(pygame.K_ESCAPE, frames=2)

        levels = pilot.scene(LevelsScene)
        app.wait_for_background(timeout=300)  # the drill: practice due after a weak result
        pilot.frames(10)
        shots.shoot(app, "levels-progress")
        levels.menu.focus("history")
        pilot.key(pygame.K_RETURN, frames=10)
        shots.shoot(app, "history")
        pilot.key(pygame.K_ESCAPE, frames=2)
        pilot.key(pygame.K_ESCAPE, frames=2)
        title = pilot.scene(TitleScene)
        title.menu.focus("continue")  # signing in again: the new note is told there, not here
        pilot.key(pygame.K_RETURN, frames=10)
        shots.shoot(app, "coaching-notes")
        pilot.key(pygame.K_ESCAPE, frames=2)  # notes → levels
        pilot.key(pygame.K_ESCAPE, frames=2)  # levels → title
        pilot.frames(4)
        from game.ui.scenes.settings import SettingsScene

        app.push(SettingsScene(app))
        pilot.key(pygame.K_DOWN, frames=10)
        shots.shoot(app, "settings")
        pilot.key(pygame.K_ESCAPE, frames=2)
        app.push(_Broken(app))
        pilot.frames(3)
        assert isinstance(app.top, ErrorScene)
        shots.shoot(app, "error")
    finally:
        if app.running:
            app.quit()
        app.close()


class _Broken(Scene):
    """A scene that fails on its first update: how the error scene gets photographed."""

    name = "broken"

    def update(self, dt: float) -> None:
        raise RuntimeError("a demonstration fault, raised on purpose for the screenshot")


def _variant(shots: Photographer, settings: PlayerSettings, name: str) -> None:
    """The phone call mid-conversation under other settings."""
    save_settings(settings.with_(last_trainee="Ana Reyes"), settings_path())
    app = open_app(AppConfig(campaign=default_campaign(), seed=SEED))
    pilot = Autopilot(app)
    try:
        pilot.start()
        store = app.world().store
        assert store is not None
        trainee = store.find_trainee("Ana Reyes") or store.add_trainee("Ana Reyes")
        app.select_trainee(trainee)
        level = _level(app, "late-delivery")
        choices = plan_choices("late-delivery-good")
        if level is not None and choices:
            _call(pilot, level, choices[:3])
            shots.shoot(app, name)
    finally:
        if app.running:
            app.quit()
        app.close()


DESK_PASSPHRASE = "correct horse battery"
DESK_TRAINEES = (
    "Ben Ortiz", "Chloé Martin", "Dev Patel", "Erin Walsh", "Farah Haddad", "Gus Lindqvist",
    "Hana Sato", "Ivo Petrov", "Jules Moreau", "Kofi Mensah", "Lena Fischer", "Marta Nowak",
)  # fmt: skip


def capture_desk(
    out: Path, lang: str = SOURCE, scale: int = 100, inspect: Inspect | None = None
) -> list[Path]:
    """The supervisor's desk: passphrase, overview, a level's choice map, a trainee's page, an
    attempt with a note, in `lang` at `scale` % text."""
    out.mkdir(parents=True, exist_ok=True)
    shots = Photographer(out, inspect)
    with _headless_home(), fixed_clock():
        save_settings(PlayerSettings(text_scale=scale), settings_path())
        _desk_journey(shots, lang)
    return shots.saved


def _desk_history(app: App) -> None:
    """A training room's worth of results, so the overview has something to sort."""
    from game.engine.scoring import grade_for
    from game.records.api import AttemptStart

    world = app.world()
    store, campaign = world.store, world.campaign
    assert store is not None and campaign is not None
    levels = [lvl for lvl in campaign.levels if lvl.scenario is not None]
    start = datetime.now(UTC) - timedelta(days=20)
    for n, name in enumerate(DESK_TRAINEES):
        trainee = store.add_trainee(name)
        reach = (n * 5) % 9 + 1  # how far along the campaign they are
        when = start + timedelta(hours=7 * n)
        for k, level in enumerate(levels[:reach]):
            assert level.scenario is not None
            stuck = n % 4 == 1 and k == reach - 1
            tries = 4 if stuck else 1 + (n + k) % 2
            for t in range(tries):
                when += timedelta(hours=5 + (n * 3 + k + t) % 17)
                if stuck or t < tries - 1:  # the failed tries
                    score = 48 + (n * 7 + k * 5 + t * 3) % 15
                else:
                    score = 70 + (n * 11 + k * 7) % 30
                passed = score >= level.pass_score
                attempt = store.start_attempt(
                    AttemptStart(trainee.id, level.key, level.scenario.content_hash,
                                 level.number, level.pass_score, n, campaign.policy, "off",
                                 "en", when)
                )  # fmt: skip
                store.finish_attempt(
                    attempt, ended_at=when + timedelta(minutes=6), outcome="resolved",
                    rating="good" if passed else "partial", cause="ending", score=score,
                    grade=grade_for(score), passed=passed, final_anger=30,
                    anger_trace=(level.scenario.customer.anger, 30), closing_effects=(),
                    competencies={"listening": min(100, score + 5), "understanding": score,
                                  "empathy": max(0, score - 10), "resolution": score},
                )  # fmt: skip


def _desk_choices(app: App) -> None:
    """Real replies at the first level from the desk's trainees, in two intake groups, so the
    level page has a cohort's choices to show: each picks at random (a fixed seed), a little
    better on their later tries, as a room does."""
    import random

    from game.engine.scoring import debrief
    from game.engine.session import Phase, choose, proceed, start
    from game.records.api import AttemptStart
    from game.records.recorder import finish_from_debrief
    from game.scenario.model import Verdict

    world = app.world()
    store, campaign = world.store, world.campaign
    assert store is not None and campaign is not None
    level = campaign.levels[0]
    scenario = level.scenario
    if scenario is None:
        return
    rng = random.Random(SEED)
    when = datetime.now(UTC) - timedelta(days=18)
    for n, trainee in enumerate(t for t in store.trainees() if t.name in DESK_TRAINEES):
        store.set_cohort(trainee.id, "November intake" if n % 2 else "December intake")
        for attempt in range(1 + n % 3):
            state = start(
                scenario, policy=campaign.policy_for(scenario), seed=n, catalog=world.catalog
            )
            while state.outcome is None or state.phase is not Phase.ENDED:
                if state.phase is Phase.CHOOSING:
                    node = scenario.node(state.node)
                    ranked = sorted(node.choices, key=lambda c: c.expect is not Verdict.GOOD)
                    pick = ranked[0] if rng.random() < 0.3 + 0.25 * attempt else rng.choice(ranked)
                    state, _ = choose(scenario, state, pick.number, catalog=world.catalog)
                else:
                    state = proceed(scenario, state)
            when += timedelta(hours=9)
            attempt_id = store.start_attempt(
                AttemptStart(trainee.id, level.key, scenario.content_hash, level.number,
                             level.pass_score, n, state.policy, "off", "en", when)
            )  # fmt: skip
            for turn, event in zip(state.turns, state.events, strict=False):
                store.record_turn(attempt_id, turn, event, 3.0)
            report = debrief(scenario, state, level.pass_score, catalog=world.catalog)
            finish_from_debrief(store, attempt_id, report, ended_at=when + timedelta(minutes=5))


def _desk_journey(shots: Photographer, lang: str = SOURCE) -> None:
    from game.ui.scenes.supervisor_gate import PassphraseScene
    from game.ui.scenes.title import TitleScene

    app = open_app(_config(lang))
    pilot = Autopilot(app)
    try:
        pilot.start()
        pilot.create_trainee("Ana Reyes")
        first = _level(app, "late-delivery")
        bad = plan_choices("late-delivery-interrupt-excuse")
        good = plan_choices("late-delivery-good")
        if first is not None and bad is not None and good is not None:
            for choices in (bad, bad, bad, good):
                pilot.key(pygame.K_RETURN, frames=2)  # the level is preselected
                shown = pilot.play(choices)
                if shown.hard:
                    pilot.frames(2)
                pilot.key(pygame.K_ESCAPE, frames=2)
        pilot.key(pygame.K_ESCAPE, frames=2)
        _desk_history(app)
        _desk_choices(app)
        title = pilot.scene(TitleScene)
        pilot.until(lambda: title.menu.focused == "desk", "the desk button", 10, pygame.K_DOWN)
        store = app.world().store
        if store is not None:  # what the installer's `supervisor set-passphrase` does
            from game.records.passphrase import set_passphrase

            set_passphrase(store, DESK_PASSPHRASE)
        pilot.key(pygame.K_RETURN, frames=2)
        gate = pilot.scene(PassphraseScene)
        pilot.type_text(DESK_PASSPHRASE)
        pilot.key(pygame.K_TAB)
        pilot.type_text("Sam Okafor")
        pilot.frames(20)
        shots.shoot(app, "desk-passphrase")
        pilot.key(pygame.K_RETURN)
        gate.wait_for_check()
        pilot.frames(10)
        shots.shoot(app, "desk-overview")
        from game.ui.scenes.supervisor_overview import OverviewScene

        pilot.scene(OverviewScene).activate("levels")
        app.wait_for_background(timeout=300)  # who has practice due
        pilot.frames(10)
        shots.shoot(app, "desk-level")
        pilot.key(pygame.K_ESCAPE, frames=4)
        pilot.type_text("Ana")
        pilot.key(pygame.K_RETURN, frames=10)
        app.wait_for_background(timeout=300)
        pilot.frames(4)
        shots.shoot(app, "desk-trainee")
        pilot.key(pygame.K_DOWN)
        pilot.key(pygame.K_RETURN, frames=10)
        pilot.type_text(
            "You kept cutting in before he had finished (turns 1 and 2), and he got angrier"
            " each time. Let him get it all out first; your last call shows you can."
        )
        pilot.frames(60)  # the score has finished counting up
        shots.shoot(app, "desk-attempt")
        from game.ui.scenes.supervisor_attempt import AttemptScene

        attempt = pilot.scene(AttemptScene)
        attempt.menu.focus("save")
        pilot.key(pygame.K_RETURN, frames=10)
        attempt.menu.focus("edit")  # the note just saved, open to change or delete
        pilot.key(pygame.K_RETURN, frames=10)
        shots.shoot(app, "desk-notes")
        pilot.key(pygame.K_ESCAPE, frames=2)  # notes → attempt
        pilot.key(pygame.K_ESCAPE, frames=2)  # attempt → trainee page
        from game.ui.scenes.supervisor_trainee import TraineeScene

        page = pilot.scene(TraineeScene)
        page.menu.focus("manage")
        pilot.key(pygame.K_RETURN, frames=2)
        from game.ui.scenes.profile_manage import ProfileManageScene

        manage = pilot.scene(ProfileManageScene)
        manage.menu.focus("delete")
        pilot.key(pygame.K_RETURN, frames=10)  # asks first, with what it would erase
        shots.shoot(app, "desk-profile-delete")
    finally:
        if app.running:
            app.quit()
        app.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0]) if args else PROJECT_ROOT / "docs" / "screenshots"
    langs = args[1:] or [lang.code for lang in LANGUAGES]
    for lang in langs:
        for scale in SCALES:
            folder = folder_for(out, lang, scale)
            for path in capture(folder, lang, scale) + capture_desk(folder, lang, scale):
                print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
