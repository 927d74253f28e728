"""Where things live: bundled scenarios and assets, and the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "hold-the-line"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED = Path(__file__).resolve().parent / "bundled"  # where an installed wheel keeps them


def _shipped(name: str) -> Path:
    """In a checkout the files trainers edit; in an installed wheel the copy it carries."""
    checkout = PROJECT_ROOT / name
    if (PROJECT_ROOT / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return BUNDLED / name


def scenarios_dir() -> Path:
    return _shipped("scenarios")


def default_campaign() -> Path:
    return scenarios_dir() / "campaign.yaml"


def assets_dir() -> Path:
    return _shipped("assets")


def locale_dir() -> Path:
    """The translations (PO files, one folder per language); see game.i18n.

    HOLD_THE_LINE_LOCALE points elsewhere: a translator previewing their work, or tests."""
    override = os.environ.get("HOLD_THE_LINE_LOCALE")
    return Path(override) if override else _shipped("locale")


def data_dir() -> Path:
    """Per-user data (database, settings, logs); HOLD_THE_LINE_HOME overrides it for tests."""
    override = os.environ.get("HOLD_THE_LINE_HOME")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return data_dir() / "logs"
