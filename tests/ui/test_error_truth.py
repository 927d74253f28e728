"""The error screen tells the truth and keeps secrets: no password, no SQL, the call's real fate."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pygame
import pytest
from sqlalchemy.exc import OperationalError

from game.paths import default_campaign, log_dir
from game.records.api import AttemptStatus
from game.records.store import open_store
from game.ui.app import AppConfig, open_app
from game.ui.autopilot import Autopilot
from game.ui.errors import LOG_NAME, log_exception
from game.ui.scenes.call import CallScene
from game.ui.scenes.error import ErrorScene
from tests.ui.conftest import MakeApp
from tests.ui.plans import good_choices, playable

SECRET = "Hunter2-SECRET"


def _sql_failure() -> OperationalError:
    """What SQLAlchemy raises when the server drops mid-write: statement and values attached."""
    return OperationalError(
        "INSERT INTO turns (attempt_id, say) VALUES (%(attempt_id)s, %(say)s)",
        {"attempt_id": 1, "say": f"private words {SECRET}"},
        ConnectionError("server closed the connection unexpectedly"),
    )


def _screen_text(scene: ErrorScene) -> str:
    return "\n".join((scene.title, scene.message, *scene.details))


@pytest.mark.parametrize(
    "url",
    [
        f"mysql://u:{SECRET}@db.example/room",
        f"mongodb+srv://u:{SECRET}@db.example/room",
        f"oracle://trainer:{SECRET}@10.0.0.1:1521/x",
    ],
)
def test_a_password_in_the_database_url_is_never_shown_or_logged(
    isolated_home: Path, url: str
) -> None:
    app = open_app(AppConfig(campaign=default_campaign(), db=url))
    try:
        pilot = Autopilot(app)
        pilot.start()
        world = app.world()
        assert world.store is None and world.store_error
        assert SECRET not in world.store_error and "***" in world.store_error
        pilot.key(pygame.K_RETURN, frames=2)  # "Start training" needs the records
        scene = pilot.scene(ErrorScene)
        assert SECRET not in _screen_text(scene)
        log_exception(ValueError(f"could not open {url}"), "opening the records")
        logged = (log_dir() / LOG_NAME).read_text(encoding="utf-8")
        assert "could not open" in logged and SECRET not in logged
    finally:
        app.quit()
        app.close()


def test_logs_and_their_folder_are_private(isolated_home: Path) -> None:
    path = log_exception(RuntimeError("boom"), "test")
    assert path is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_no_sql_or_parameters_on_the_trainees_screen(make_app: MakeApp) -> None:
    pilot = make_app()
    pilot.create_trainee("Remy")
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.answer()
    pilot.wait_for_choices()
    call = pilot.scene(CallScene)

    def broken(dt: float) -> None:
        raise _sql_failure()

    call.update = broken  # type: ignore[method-assign]
    pilot.frames(2)
    scene = pilot.scene(ErrorScene)
    shown = _screen_text(scene)
    assert "server closed the connection" in shown
    for leak in ("INSERT", "[SQL", "parameters", SECRET, "sqlalche.me"):
        assert leak not in shown
    logged = (log_dir() / LOG_NAME).read_text(encoding="utf-8")
    assert "OperationalError" in logged  # the trainer still finds the details


def _break_on_reply(pilot: Autopilot, *, also_closing: bool) -> Any:
    """Play into a call and make the store fail from the next reply on."""
    level = playable()[0]
    pilot.create_trainee("Remy")
    pilot.key(pygame.K_RETURN, frames=2)
    pilot.answer()
    pilot.reply(good_choices(level)[0])
    pilot.scene(CallScene).wait_for_recording()
    pilot.frames(2)
    store = pilot.app.world().store
    assert store is not None

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise _sql_failure()

    store.record_turn = refuse  # type: ignore[method-assign]
    if also_closing:
        store.abandon_attempt = refuse  # type: ignore[method-assign]
    call = pilot.scene(CallScene)
    pilot.reply(good_choices(level)[1])
    call.wait_for_recording()
    pilot.frames(3)
    return store


def test_a_reply_that_could_not_be_saved_is_said_and_the_call_closed_at_once(
    make_app: MakeApp,
) -> None:
    pilot = make_app()
    store = _break_on_reply(pilot, also_closing=False)
    scene = pilot.scene(ErrorScene)
    assert "saved as left, with the 1 reply recorded" in scene.message
    assert "reply you had just chosen could not be saved" in scene.message
    assert pilot.app.trainee is not None
    (attempt,) = store.attempts(trainee_id=pilot.app.trainee.id)
    assert attempt.status is AttemptStatus.ABANDONED and attempt.turn_count == 1


def test_a_call_that_could_not_be_closed_is_not_claimed_saved(
    make_app: MakeApp, isolated_home: Path
) -> None:
    pilot = make_app()
    store = _break_on_reply(pilot, also_closing=True)
    scene = pilot.scene(ErrorScene)
    assert "saved as left" not in scene.message
    assert "could not be closed in the records" in scene.message
    assert "marked as left the next time" in scene.message
    assert pilot.app.trainee is not None
    trainee_id = pilot.app.trainee.id
    (attempt,) = store.attempts(trainee_id=trainee_id)
    assert attempt.status is AttemptStatus.IN_PROGRESS and attempt.turn_count == 1
    with open_store() as again:  # what the next start of the game does
        assert again.abandon_stale() == 1
        (attempt,) = again.attempts(trainee_id=trainee_id)
        assert attempt.status is AttemptStatus.ABANDONED


def test_the_records_file_and_folder_are_private(isolated_home: Path) -> None:
    with open_store() as store:
        store.add_trainee("Ana")
    files = [p for p in isolated_home.iterdir() if p.name.startswith("hold-the-line.db")]
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(isolated_home.stat().st_mode) & 0o077 == 0
    assert os.stat(isolated_home).st_uid == os.getuid()


def test_the_settings_file_is_private(isolated_home: Path) -> None:
    from game.ui.settings import PlayerSettings, save_settings, settings_path

    save_settings(PlayerSettings(last_trainee="Ana"))
    assert stat.S_IMODE(settings_path().stat().st_mode) == 0o600


def test_an_existing_shared_folder_keeps_its_permissions(tmp_path: Path) -> None:
    """Records put in a shared folder must not lock everyone else out of it (/tmp was)."""
    shared = tmp_path / "team"
    shared.mkdir()
    shared.chmod(0o1777)
    with open_store(f"sqlite:///{shared / 'records.db'}") as store:
        store.add_trainee("Ana")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE((shared / "records.db").stat().st_mode) == 0o600
    fresh = tmp_path / "new" / "deeper"
    with open_store(f"sqlite:///{fresh / 'records.db'}"):
        pass
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    assert stat.S_IMODE(fresh.parent.stat().st_mode) == 0o700
