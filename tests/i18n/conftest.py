"""A pseudo-translated locale folder, made once per test run (see game.i18n.pseudo)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.catalog import load_catalog
from game.i18n.project import shipped_domains
from game.i18n.pseudo import write_pseudo_locale

PSEUDO_LANG = "fi"  # any language the game knows; the folder is a temporary one


@pytest.fixture(scope="session")
def pseudo_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pseudo") / "locale"
    return write_pseudo_locale(root, shipped_domains(load_catalog()), PSEUDO_LANG)
