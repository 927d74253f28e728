"""The game window: one loop, a stack of scenes, fixed-step animation.

`App.run()` is the only loop; `App.step(dt)`
does one frame (input, fixed-step updates, drawing), so tests and benchmarks can drive the
game frame by frame with a fake clock. Any exception from a scene is logged and replaced by
the error scene: no traceback ever reaches the player.

The window knows no scene by name: it is handed the routes (`game.ui.navigator`) by the
composition root, `game.ui.app`, and opens the title and the error scene through them.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import warnings
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pygame

from game.i18n.runtime import localized_catalog, translator_for
from game.i18n.translator import Translator
from game.paths import assets_dir
from game.ui.audio import Audio
from game.ui.draw import backdrop
from game.ui.errors import log_exception
from game.ui.intents import Act, InputMapper, Intent
from game.ui.loading import World, load_world
from game.ui.navigator import Navigator, Route, SceneLike, SceneStack
from game.ui.settings import (
    PlayerSettings,
    load_settings,
    machine_part,
    profile_json,
    save_settings,
    settings_path,
    with_profile,
)
from game.ui.theme import Theme, load_themes
from game.ui.typography import Typography

if TYPE_CHECKING:
    from game.engine.catalog import Catalog
    from game.records.api import Store, Trainee
    from game.scenario.model import PolicyOverride

T = TypeVar("T")
SIZE = (1280, 720)
FPS = 60
STEP = 1 / FPS
MAX_FRAME = 0.25  # after a stall, catch up at most this much animation
TITLE = "Hold the Line"
REPAINT_EVENTS = frozenset(
    {pygame.VIDEOEXPOSE, pygame.WINDOWEXPOSED, pygame.WINDOWSIZECHANGED, pygame.WINDOWRESTORED}
)
EXIT_OK = 0
EXIT_ERROR = 3
EXIT_NO_DISPLAY = 4
HEADLESS = frozenset({"dummy", "offscreen"})
NO_DISPLAY = (
    "hold-the-line: there is no display to open the game window on (no DISPLAY or "
    "WAYLAND_DISPLAY). Run it from a desktop session, or play in this terminal with "
    "`hold-the-line text scenarios/<level>.yaml`."
)
SCREEN_SHARE = (0.94, 0.88)  # of the desktop: room for a taskbar and the title bar


class Overlay(Protocol):
    """Something drawn over every scene and polled each frame (the live reload's notes)."""

    def poll(self) -> None: ...
    def draw(self, surface: pygame.Surface) -> bool: ...


@dataclass(frozen=True, slots=True)
class AppConfig:
    campaign: Path
    db: str | None = None
    fullscreen: bool = False
    lang: str | None = None  # `play --lang`, checked complete; None: the settings' language
    seed: int | None = None  # fixed seed for the order choices are shown in (tests)
    settings_file: Path | None = None
    audio: bool = True
    watch: bool = False  # live reload of the scenario being played (`play --watch`)
    catalog: Catalog | None = None  # `play --catalog FILE`; None: the bundled one
    policy: PolicyOverride | None = None  # `play --policy KEY=VALUE`


def display_flags(fullscreen: bool) -> int:
    """SCALED keeps the 1280×720 layout at any window size; headless drivers cannot scale."""
    if pygame.display.get_driver() in ("dummy", "offscreen"):
        return 0
    flags = pygame.SCALED | pygame.RESIZABLE
    return flags | pygame.FULLSCREEN if fullscreen else flags


def window_size(desktop: tuple[int, int], logical: tuple[int, int] = SIZE) -> tuple[int, int]:
    """The window's first size: the whole layout, as large as fits the desktop.

    The layout is drawn at 1280×720 and scaled (SDL's SCALED renderer), so a 1024×600
    netbook or a 1080p screen at 150 % scaling gets a smaller window with everything in it,
    and a 4K screen a larger one."""
    width, height = logical
    room_w, room_h = desktop[0] * SCREEN_SHARE[0], desktop[1] * SCREEN_SHARE[1]
    scale = min(room_w / width, room_h / height)
    if scale >= 1:
        scale = max(1.0, float(int(scale * 4)) / 4)  # quarter steps keep text crisp
    return (max(1, int(width * scale)), max(1, int(height * scale)))


def fit_window(fullscreen: bool) -> None:
    """Size a scaled window to the desktop it opens on (windowed mode only)."""
    if fullscreen or pygame.display.get_driver() in HEADLESS:
        return
    try:
        desktops = pygame.display.get_desktop_sizes()
        window = pygame.Window.from_display_module()
        window.minimum_size = (SIZE[0] // 4, SIZE[1] // 4)
        if desktops:
            window.size = window_size(desktops[0])
            window.position = pygame.WINDOWPOS_CENTERED
    except (pygame.error, AttributeError, ValueError) as error:
        log_exception(error, "sizing the window")


def no_display() -> bool:
    """True when SDL found no screen and fell back to drawing nowhere, unasked."""
    import os

    asked = os.environ.get("SDL_VIDEODRIVER", "")
    return pygame.display.get_driver() in HEADLESS and asked not in HEADLESS


def _window_icon(theme: Theme) -> pygame.Surface:
    from game.ui.draw import icon_phone

    icon = pygame.Surface((64, 64), pygame.SRCALPHA)
    pygame.draw.rect(icon, theme.accent, icon.get_rect(), border_radius=16)
    icon_phone(icon, pygame.Rect(12, 12, 40, 40), theme.accent_text)
    return icon


class App:
    """The window, the scene stack and everything scenes share (theme, fonts, sound, data)."""

    def __init__(self, config: AppConfig, routes: Mapping[Route, Callable[..., SceneLike]]) -> None:
        self.config = config
        self.navigator = Navigator(routes)
        self._settings_file = config.settings_file or settings_path()
        self.settings = load_settings(self._settings_file)
        if config.lang is not None:  # for this run: the machine's file keeps its own choice
            self.settings = self.settings.with_(lang=config.lang)
        # what every scene reads in the reader's language (see game.i18n.translator)
        self.tr: Translator = translator_for(self.settings.lang)
        self._english_catalog: Catalog | None = None  # the loaded one; the world's is localized
        self._themes = load_themes()
        self.theme = self._themes["high_contrast" if self.settings.high_contrast else "default"]
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption(TITLE)
        pygame.display.set_icon(_window_icon(self.theme))
        fullscreen = config.fullscreen or self.settings.fullscreen
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SDL's "no fast renderer" notice on odd drivers
            self.screen = pygame.display.set_mode(SIZE, display_flags(fullscreen))
        fit_window(fullscreen)
        self.fonts = Typography(assets_dir() / "fonts", self.settings.text_scale)
        self.backdrop = backdrop(SIZE, self.theme)
        pygame.key.set_repeat(380, 40)
        self.audio = Audio(self.settings.volume)
        self.mapper = InputMapper()
        self.scenes: SceneStack[SceneLike] = SceneStack()
        self.generation = 0  # bumped when settings change what layouts depend on
        self.clock = 0.0  # animation time, advanced by fixed steps
        self.frames = 0
        self.partial = False  # see draw()
        self._last_visible: tuple[int, ...] = ()
        self.running = True
        self.exit_code = EXIT_OK
        self.trainee: Trainee | None = None
        self._accumulator = 0.0
        self._loader: threading.Thread | None = None
        self._loaded: World | BaseException | None = None  # set by the loader thread
        self._world: World | None = None
        self._failing = False
        self._background: ThreadPoolExecutor | None = None
        self._pending: list[tuple[Future[Any], Callable[[Any], None]]] = []
        self.live: Overlay | None = None  # `play --watch` (set by game.ui.app.open_app)
        self.push(self.open(Route.TITLE))

    # ---- the loop ---------------------------------------------------------------------------

    def run(self) -> int:
        clock = pygame.time.Clock()
        while self.running:
            elapsed = clock.tick(FPS) / 1000
            self.step(elapsed)
        self.close()
        return self.exit_code

    def step(self, dt: float) -> None:
        """One frame: input, fixed-step updates, drawing. Errors become the error scene."""
        try:
            self._frame(dt)
        except Exception as error:
            self.fail(error, "frame")
            if self.running:
                try:
                    self._draw()
                except Exception as again:  # the error scene itself cannot draw: give up cleanly
                    log_exception(again, "error scene")
                    self.exit_code = EXIT_ERROR
                    self.running = False

    def _frame(self, dt: float) -> None:
        if self.frames == 1:
            self._start_loading()
        self._poll_loading()
        self._poll_background()
        if self.live is not None:
            self.live.poll()
        for event in pygame.event.get():
            if event.type in REPAINT_EVENTS:
                self._last_visible = ()  # the window may have lost its picture: paint it all
            for intent in self.mapper.translate(event):
                self.dispatch(intent)
                if not self.running:
                    return
        self._accumulator = min(self._accumulator + max(0.0, dt), MAX_FRAME)
        while self._accumulator >= STEP - 1e-9:
            self._accumulator -= STEP
            self.clock += STEP
            if self.stack:
                top = self.stack[-1]
                top.sync()
                top.update(STEP)
        if self.running:
            self._draw()

    def dispatch(self, intent: Intent) -> None:
        if intent.act is Act.QUIT:
            self.quit()
            return
        if intent.act is Act.FULLSCREEN:
            self.toggle_fullscreen()
            return
        if self.stack:
            top = self.stack[-1]
            top.sync()
            top.handle(intent)

    def _draw(self) -> None:
        self.draw(self.screen)
        pygame.display.flip()
        self.frames += 1

    def draw(self, surface: pygame.Surface) -> None:
        """Paint the visible scenes: the top one and any it lets show through.

        `partial` tells a scene that the screen still holds exactly what it drew last frame
        (same scenes visible, nothing else drawn over them), so it may repaint only what
        changed since.
        """
        if not self.stack:
            surface.blit(self.backdrop, (0, 0))
            self._last_visible = ()
            return
        visible = self.scenes.visible()
        shown = tuple(id(scene) for scene in visible)
        self.partial = surface is self.screen and shown == self._last_visible
        for scene in visible:
            scene.sync()
            scene.draw(surface)
        if self.live is not None and self.live.draw(surface):
            shown = ()  # drawn over the scenes: they paint in full next frame
        if surface is self.screen:
            self._last_visible = shown

    # ---- the stack --------------------------------------------------------------------------

    @property
    def stack(self) -> list[SceneLike]:
        """The scenes, bottom first (the stack's own list: read it, change it through the
        methods below)."""
        return self.scenes.items

    @property
    def top(self) -> SceneLike | None:
        return self.scenes.top

    def open(self, route: Route, *args: Any, **kwargs: Any) -> SceneLike:
        """The scene for a route, built for this app (not pushed yet)."""
        return self.navigator.make(route, self, *args, **kwargs)

    def offers(self, route: Route) -> bool:
        """This build has a scene for the route (the desk is optional)."""
        return self.navigator.offers(route)

    def push(self, scene: SceneLike) -> None:
        self.scenes.push(scene)

    def pop(self) -> None:
        self.scenes.pop()

    def replace(self, scene: SceneLike) -> None:
        self.scenes.replace(scene)

    def pop_to(self, name: str) -> bool:
        """Pop until the scene called `name` is on top; False (and nothing popped) if none is."""
        return self.scenes.pop_to(name)

    def reset(self, scene: SceneLike) -> None:
        """Clear the stack down to this one scene (back to the title, after an error)."""
        self.scenes.reset(scene)

    # ---- loading ----------------------------------------------------------------------------

    def _start_loading(self) -> None:
        if self._loader is not None:
            return
        rate = self.audio.open() if self.config.audio else None
        try:
            pygame.joystick.init()  # connected pads then arrive as JOYDEVICEADDED events
        except pygame.error as error:
            log_exception(error, "starting controller support")
        config = self.config

        def load() -> None:
            try:
                self._loaded = load_world(
                    config.campaign, config.db, rate, config.catalog, config.policy
                )
            except BaseException as error:  # handed to the main thread, raised there
                self._loaded = error

        self._loader = threading.Thread(target=load, name="loader", daemon=True)
        self._loader.start()

    def _poll_loading(self) -> None:
        if self._world is None and self._loader is not None and not self._loader.is_alive():
            self._finish_loading()

    def _finish_loading(self) -> None:
        assert self._loader is not None
        self._loader.join()
        loaded = self._loaded
        if isinstance(loaded, BaseException):
            raise loaded  # every time it is asked for; expected failures are in the World
        assert loaded is not None
        self.audio.load(loaded.waves)
        self._english_catalog = loaded.catalog
        self._world = dataclasses.replace(
            loaded, catalog=localized_catalog(loaded.catalog, self.tr)
        )

    # ---- work off the frame ------------------------------------------------------------------

    def later(self, work: Callable[[], T], then: Callable[[T], None]) -> None:
        """Run `work` on a worker thread (reading records, replaying a call) and hand its
        result to `then` on the main thread at the start of a later frame: no frame waits
        for it. An error in `work` is raised in `then`'s place, so the error scene shows it."""
        if self._background is None:
            self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="later")
        self._pending.append((self._background.submit(work), then))

    @property
    def busy(self) -> bool:
        """Work handed to `later` is still running (scenes ignore a second press meanwhile)."""
        return bool(self._pending)

    def wait_for_background(self, timeout: float = 30.0) -> None:
        """Block until work handed to `later` is done (scripted play: tests, screenshots)."""
        for future, _ in list(self._pending):
            future.exception(timeout=timeout)

    def _poll_background(self) -> None:
        done = [(f, then) for f, then in self._pending if f.done()]
        if not done:
            return
        self._pending = [(f, then) for f, then in self._pending if not f.done()]
        for future, then in done:
            then(future.result())

    @property
    def ready(self) -> bool:
        return self._world is not None

    def world(self) -> World:
        """Everything loaded behind the title; waits for it if the player was quicker."""
        if self._world is None:
            self._start_loading()
            self._finish_loading()
        assert self._world is not None
        return self._world

    def use_store(self, store: Store) -> None:
        """Records opened anew (a trainee signed in with their own database login): every
        scene from now on reads and writes through `store`; the one it replaces is closed."""
        world = self.world()
        self._world = dataclasses.replace(world, store=store, store_error=None, login_needed=False)
        if world.store is not None and world.store is not store:
            world.store.close()

    # ---- settings and services ----------------------------------------------------------------

    def apply_settings(self, settings: PlayerSettings, *, save: bool = True) -> None:
        """Use and save new settings (the comfort part with the chosen trainee's profile,
        the rest as the machine's); layouts rebuild if fonts or colours changed."""
        old = self.settings
        self.settings = settings
        if save:
            self._save_settings(settings)
        relayout = False
        if settings.text_scale != old.text_scale:
            self.fonts = Typography(assets_dir() / "fonts", settings.text_scale)
            relayout = True
        if settings.high_contrast != old.high_contrast:
            self.theme = self._themes["high_contrast" if settings.high_contrast else "default"]
            self.backdrop = backdrop(SIZE, self.theme)
            relayout = True
        if settings.volume != old.volume:
            self.audio.set_volume(settings.volume)
        if settings.lang != old.lang:
            self._use_language(settings.lang)
            relayout = True
        if relayout:
            self.generation += 1

    def english_catalog(self) -> Catalog:
        """The catalog as loaded (the world's has its labels in the reader's language)."""
        self.world()
        assert self._english_catalog is not None
        return self._english_catalog

    @property
    def lang(self) -> str:
        """The language scenario text is shown in (the translator's)."""
        return self.tr.lang

    @lang.setter
    def lang(self, lang: str) -> None:
        """Speak `lang` from now on, for this run (Settings saves a choice; this does not)."""
        self._use_language(lang)
        self.generation += 1

    def _use_language(self, lang: str) -> None:
        self.tr = translator_for(lang)
        if self._world is not None and self._english_catalog is not None:
            catalog = localized_catalog(self._english_catalog, self.tr)
            self._world = dataclasses.replace(self._world, catalog=catalog)

    def play(self, sound: str) -> None:
        self.audio.play(sound)

    def new_seed(self) -> int:
        if self.config.seed is not None:
            return self.config.seed
        return random.SystemRandom().randrange(2**31)

    @property
    def motion(self) -> bool:
        """False when the player asked for reduced motion."""
        return not self.settings.reduced_motion

    def _save_settings(self, settings: PlayerSettings) -> None:
        machine = settings
        store = self._world.store if self._world is not None else None
        if self.trainee is not None and store is not None:
            machine = machine_part(settings, load_settings(self._settings_file))
            try:
                store.set_trainee_settings(self.trainee.id, profile_json(settings))
            except Exception as error:  # a refused or lost database: the change stays on screen
                log_exception(error, "saving the profile's settings")
        try:
            save_settings(machine, self._settings_file)
        except OSError as error:
            log_exception(error, "saving settings")

    def select_trainee(self, trainee: Trainee) -> None:
        """Sign the trainee in: their own settings (or the machine's default) apply."""
        self.trainee = trainee
        machine = load_settings(self._settings_file).with_(last_trainee=trainee.name)
        store = self._world.store if self._world is not None else None
        stored = None
        if store is not None:
            try:
                stored = store.trainee_settings(trainee.id)
            except Exception as error:  # unreadable: the machine's default, and say so in the log
                log_exception(error, "reading the profile's settings")
        try:
            save_settings(machine, self._settings_file)
        except OSError as error:
            log_exception(error, "saving settings")
        theirs = with_profile(machine, stored)
        if self.config.lang is not None:  # `play --lang` holds for the whole run
            theirs = theirs.with_(lang=self.config.lang)
        self.apply_settings(theirs, save=False)

    def toggle_fullscreen(self) -> None:
        if display_flags(False) == 0:
            return  # nothing to toggle on a headless driver
        try:
            pygame.display.toggle_fullscreen()
        except pygame.error as error:
            log_exception(error, "toggling fullscreen")
            return
        self._last_visible = ()
        self.apply_settings(self.settings.with_(fullscreen=not self.settings.fullscreen))

    # ---- leaving ------------------------------------------------------------------------------

    def fail(self, error: BaseException, context: str) -> None:
        """Log the error and show the error scene instead of whatever broke."""
        path = log_exception(error, context)
        if self._failing:
            self.exit_code = EXIT_ERROR
            self.running = False
            return
        self._failing = True
        try:
            broken = self.scenes.take_all()
            for scene in reversed(broken):
                try:
                    scene.exit()  # e.g. a call in progress is recorded as abandoned
                except Exception as exit_error:
                    log_exception(exit_error, "leaving a broken scene")
            self.push(self.open(Route.CRASH, error, path, broken))
        finally:
            self._failing = False

    def quit(self, code: int = EXIT_OK) -> None:
        """Leave from anywhere: every scene gets its exit (a live call is abandoned)."""
        while self.stack:
            scene = self.stack.pop()
            try:
                scene.exit()
            except Exception as error:
                log_exception(error, "quitting")
        self.exit_code = code
        self.running = False

    def close(self) -> None:
        self.audio.close()
        if self._background is not None:
            self._background.shutdown(wait=True)
            self._background = None
        if self._loader is not None:
            self._loader.join(timeout=30)
        world = self._world or (self._loaded if isinstance(self._loaded, World) else None)
        if world is not None and world.store is not None:
            world.store.close()
        pygame.display.quit()
