"""`hold-the-line new`: a small, valid, commented starter level with two plans.

The files are templates beside this module; `__ID__` and `__FILE__` are the only
placeholders. The test suite validates, lints and plays what this writes, so the starter
can never drift from the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.engine.catalog import Catalog

__all__ = ["ID_PATTERN", "StarterError", "Written", "write_starter"]

ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class StarterError(Exception):
    """The starter cannot be written as asked (bad name, file exists, folder unwritable)."""


@dataclass(frozen=True, slots=True)
class Written:
    scenario: Path
    plans: tuple[Path, ...]
    schema: Path | None  # None when a schema.json was already there


def _template(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def write_starter(scenario_id: str, folder: Path, catalog: Catalog) -> Written:
    """Write `<id>.yaml`, `schema.json` (if missing) and `plans/<id>-*.yaml` into `folder`."""
    from game.scenario.json_schema import dump, scenario_schema

    if not ID_PATTERN.fullmatch(scenario_id):
        raise StarterError(
            f"'{scenario_id}' is not a scenario id: use lower-case words joined by hyphens, "
            "e.g. cracked-teapot"
        )
    scenario = folder / f"{scenario_id}.yaml"
    plans = {
        folder / "plans" / f"{scenario_id}-good.yaml": "plan-good.yaml",
        folder / "plans" / f"{scenario_id}-excuse.yaml": "plan-excuse.yaml",
    }
    existing = [p for p in (scenario, *plans) if p.exists()]
    if existing:
        raise StarterError(f"{existing[0]} already exists; choose another id or folder")
    schema = folder / "schema.json"
    try:
        (folder / "plans").mkdir(parents=True, exist_ok=True)
        scenario.write_text(
            _template("scenario.yaml").replace("__ID__", scenario_id), encoding="utf-8"
        )
        for path, template in plans.items():
            path.write_text(
                _template(template).replace("__FILE__", scenario.name), encoding="utf-8"
            )
        wrote_schema = not schema.exists()
        if wrote_schema:
            schema.write_text(dump(scenario_schema(catalog)), encoding="utf-8")
    except OSError as error:
        raise StarterError(f"cannot write the starter into {folder}: {error.strerror}") from None
    return Written(scenario, tuple(plans), schema if wrote_schema else None)
