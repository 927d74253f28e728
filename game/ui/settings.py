"""Settings: the machine's defaults in a JSON file, and each profile's own in the records.

The file in the data directory holds the machine's default (what a new profile starts
with, and what the title screen uses before anyone signs in) and the machine-only choices
(full screen, who "Continue" means). Once a trainee is chosen, the comfort settings (text
size, contrast, timer, volume, motion, language) are theirs: saved with their profile
(`Store.set_trainee_settings`) and brought back on whichever machine they sign in. A
damaged file or stored value never stops the game; it falls back to the defaults.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from game.engine.state import TimerMode
from game.i18n.languages import LANGUAGES
from game.paths import data_dir

TEXT_SCALE_MIN = 100
TEXT_SCALE_MAX = 200
TEXT_SCALES = (100, 125, 150, 200)  # quick steps: one key press each
VOLUME_STEP = 10
TIMER_MODES = tuple(TimerMode)  # the order the settings screen steps through them
SETTINGS_VERSION = 1  # `lang` was added without a new version: a file without it is English
LANGUAGE_CODES = tuple(lang.code for lang in LANGUAGES)


@dataclass(frozen=True, slots=True)
class PlayerSettings:
    """One person's comfort choices and this machine's own (full screen, who "Continue"
    means); not the settings a whole room shares on its database (`records.api.SharedSettings`)."""

    text_scale: int = 100  # percent, TEXT_SCALE_MIN..TEXT_SCALE_MAX
    timer: TimerMode = TimerMode.NORMAL  # the dead-air timer; stored as its value
    high_contrast: bool = False
    volume: int = 70  # percent
    reduced_motion: bool = False
    fullscreen: bool = False
    last_trainee: str | None = None  # whom "Continue" picks up on this machine
    lang: str = "en"  # the language the game speaks to this person (a code of LANGUAGES)

    def with_(self, **changes: Any) -> PlayerSettings:
        return normalised(replace(self, **changes))

    def to_json(self) -> str:
        data = {"version": SETTINGS_VERSION, **asdict(self)}
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def _clamp(value: object, low: int, high: int, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return max(low, min(high, round(value)))


def normalised(settings: PlayerSettings) -> PlayerSettings:
    """Clamp every field into its legal range, so a hand-edited file cannot break the UI."""
    scale = _clamp(settings.text_scale, TEXT_SCALE_MIN, TEXT_SCALE_MAX, 100)
    scale = min(TEXT_SCALES, key=lambda step: (abs(step - scale), step))  # the nearest step
    name = settings.last_trainee
    return PlayerSettings(
        text_scale=scale,
        timer=TimerMode(settings.timer) if settings.timer in TIMER_MODES else TimerMode.NORMAL,
        high_contrast=bool(settings.high_contrast),
        volume=_clamp(settings.volume, 0, 100, 70),
        reduced_motion=bool(settings.reduced_motion),
        fullscreen=bool(settings.fullscreen),
        last_trainee=(name.strip() or None) if isinstance(name, str) else None,
        lang=settings.lang if settings.lang in LANGUAGE_CODES else "en",
    )


def from_dict(data: object) -> PlayerSettings:
    if not isinstance(data, dict):
        return PlayerSettings()
    defaults = PlayerSettings()
    fields: dict[str, Any] = {}
    for key in ("text_scale", "timer", "high_contrast", "volume", "reduced_motion", "lang"):
        fields[key] = data.get(key, getattr(defaults, key))
    fields["fullscreen"] = data.get("fullscreen", False)
    fields["last_trainee"] = data.get("last_trainee")
    return normalised(PlayerSettings(**fields))


# What belongs to the person; the rest (full screen, the last trainee) to the machine.
PROFILE_FIELDS = ("text_scale", "timer", "high_contrast", "volume", "reduced_motion", "lang")


def profile_json(settings: PlayerSettings) -> str:
    """The profile's part of `settings`, as stored with the trainee."""
    data = {"version": SETTINGS_VERSION, **{k: getattr(settings, k) for k in PROFILE_FIELDS}}
    return json.dumps(data, sort_keys=True)


def with_profile(machine: PlayerSettings, stored: str | None) -> PlayerSettings:
    """The machine's settings with a profile's own on top (None or damaged: the default)."""
    if stored is None:
        return machine
    try:
        data = json.loads(stored)
    except ValueError:
        return machine
    if not isinstance(data, dict):
        return machine
    mine = {k: data[k] for k in PROFILE_FIELDS if k in data}
    return normalised(replace(machine, **mine))


def machine_part(settings: PlayerSettings, default: PlayerSettings) -> PlayerSettings:
    """What the machine's file keeps while a profile is in use: its own default for the
    profile's fields, the machine-only fields as they are now."""
    return replace(settings, **{k: getattr(default, k) for k in PROFILE_FIELDS})


def settings_path() -> Path:
    return data_dir() / "settings.json"


def load_settings(path: Path | None = None) -> PlayerSettings:
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return PlayerSettings()
    try:
        return from_dict(json.loads(text))
    except ValueError:
        return PlayerSettings()


def save_settings(settings: PlayerSettings, path: Path | None = None) -> None:
    """Write atomically: a crash mid-write leaves the old file, never half a file."""
    from game.records.private import make_private_dir

    path = path or settings_path()
    make_private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # private, like the records
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(settings.to_json() + "\n")
    os.replace(tmp, path)
