"""The trainee picker reads one page of trainees at a time; keys run on across pages."""

from __future__ import annotations

import pygame
import pytest

from game.ui.scenes.profile import ProfileScene
from game.ui.scenes.title import TitleScene
from tests.ui.conftest import MakeApp


def open_picker(make_app: MakeApp, count: int, monkeypatch: pytest.MonkeyPatch) -> ProfileScene:
    pilot = make_app()
    store = pilot.app.world().store
    assert store is not None
    for n in range(count):
        store.add_trainee(f"Trainee {n:03d}")

    def whole_room() -> None:
        raise AssertionError("the picker read every trainee's overview")

    monkeypatch.setattr(store, "overview", whole_room)
    title = pilot.scene(TitleScene)
    pilot.until(lambda: title.menu.focused == "switch", "switch", 10, pygame.K_DOWN)
    pilot.key(pygame.K_RETURN, frames=2)
    picker = pilot.scene(ProfileScene)
    picker.pilot = pilot  # type: ignore[attr-defined]
    return picker


def rows(picker: ProfileScene) -> list[str]:
    return [b.label for b in picker.menu.buttons if b.key.startswith("trainee:")]


def test_a_big_room_opens_one_page(make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    picker = open_picker(make_app, 120, monkeypatch)
    pilot = picker.pilot  # type: ignore[attr-defined]
    first = rows(picker)
    assert 1 <= len(first) <= picker.page_size < 120
    assert picker.total == 120
    assert first == sorted(first)  # nobody has played: by name
    assert picker._count_text.startswith(f"1–{len(first)} of 120")
    pilot.key(pygame.K_PAGEDOWN, frames=2)
    second = rows(picker)
    assert second and not set(second) & set(first)
    pilot.key(pygame.K_PAGEUP, frames=2)
    assert rows(picker) == first
    # ↓ from the last row runs on to the next page
    picker.menu.focus(picker.menu.buttons[len(first) - 1].key)
    pilot.key(pygame.K_DOWN, frames=2)
    assert rows(picker) == second
    assert picker.menu.focused == picker.menu.buttons[0].key
    pilot.key(pygame.K_UP, frames=2)
    assert rows(picker) == first
    assert picker.menu.focused == picker.menu.buttons[len(first) - 1].key


def test_typing_a_name_narrows_the_list(make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    picker = open_picker(make_app, 60, monkeypatch)
    pilot = picker.pilot  # type: ignore[attr-defined]
    pilot.until(lambda: picker.menu.focused == "field", "the name field", 80, pygame.K_TAB)
    pilot.type_text("Trainee 04")
    assert rows(picker) == [f"Trainee 04{n}" for n in range(10)][: picker.page_size]
    assert picker.total == 10
    pilot.type_text("7")
    assert rows(picker) == ["Trainee 047"]
    pilot.key(pygame.K_UP)
    pilot.key(pygame.K_RETURN, frames=2)
    assert pilot.app.trainee is not None and pilot.app.trainee.name == "Trainee 047"
