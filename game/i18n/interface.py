"""The `ui` domain (`UI_DOMAIN`): every interface string marked in the code and the report's templates,
extracted by Babel (see `game.i18n.translator` for how a string is marked)."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

from babel.messages.extract import extract
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from game.i18n.memo import Memo, digest, read
from game.i18n.translator import CAMPAIGN_CONTEXT, COMMENT_TAGS, KEYWORDS
from game.i18n.unit import Unit
from game.paths import PROJECT_ROOT, default_campaign

SOURCE_ROOT = Path(__file__).resolve().parent.parent  # the `game` package
TEMPLATES = ("records/templates",)
# The packages whose text a player or a supervisor reads (the engine is given text already
# chosen; the authoring tools speak to trainers, in English).
PACKAGES = ("cli", "records", "text", "training", "ui")


def _sources(root: Path) -> Iterator[tuple[Path, str]]:
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            yield path, "python"
    for folder in TEMPLATES:
        for path in sorted((root / folder).glob("*.html")):
            yield path, "jinja"


_METHODS: Mapping[str, object] = MappingProxyType({"python": "python", "jinja": babel_extract})
# One source file's marked strings: (line, message, comments, context) as Babel finds them
Found = tuple[tuple[int, str | tuple[str, ...], tuple[str, ...], str | None], ...]
# (method, the file's SHA-256) -> what Babel extracted from it
_EXTRACTED: Memo[tuple[str, str], Found] = Memo(512)
# the file's SHA-256 -> its units
_TEMPLATE_UNITS: Memo[str, tuple[Unit, ...]] = Memo(16)


def _extracted(path: Path, method: str) -> Found:
    """The marked strings of one source file, extracted once per content."""
    data = path.read_bytes()

    def run() -> Found:
        found = extract(
            _METHODS[method],  # type: ignore[arg-type]
            io.BytesIO(data),
            keywords=dict(KEYWORDS),  # type: ignore[arg-type]
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        )
        return tuple(
            (
                line,
                message if isinstance(message, str) else tuple(message),
                tuple(comments),
                context,
            )
            for line, message, comments, context in found
        )

    return _EXTRACTED.get((method, digest(data)), run)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def campaign_units(path: Path) -> tuple[Unit, ...]:
    """The shipped campaign's name (a level's own title is its scenario's)."""
    from game.scenario.campaign import load_campaign
    from game.scenario.problems import ScenarioError

    try:
        campaign = load_campaign(path)
    except (ScenarioError, OSError):
        return ()
    note = 'The name of the campaign (the set of levels), in the level list: "{title} campaign".'
    return (Unit(CAMPAIGN_CONTEXT, campaign.title, _shown(path), 0, (note,), by_english=True),)


def interface_units(root: Path = SOURCE_ROOT) -> tuple[Unit, ...]:
    """One unit per distinct (msgctxt, English), at its first place, with every note found
    for it (two screens marking the same word share one translation); then the shipped
    campaign's name."""
    units: dict[str, Unit] = {}
    for path, method in _sources(root):
        found = _extracted(path, method)
        shown = _shown(path) if found else ""
        for line, message, comments, context in found:
            singular, plural = (message, "") if isinstance(message, str) else message[:2]
            if not singular:
                continue
            unit = Unit(
                context or "",
                singular,
                shown,
                line,
                tuple(comments),
                plural=plural or "",
                by_english=True,
            )
            before = units.get(unit.key)
            if before is None:
                units[unit.key] = unit
            elif unit.notes and not set(unit.notes) <= set(before.notes):
                notes = before.notes + tuple(n for n in unit.notes if n not in before.notes)
                units[unit.key] = Unit(
                    before.context, before.source, before.path, before.line, notes,
                    plural=before.plural or unit.plural, by_english=True,
                )  # fmt: skip
    if root == SOURCE_ROOT:
        for unit in campaign_units(default_campaign()):
            units.setdefault(unit.key, unit)
    return tuple(units.values())


def template_units(path: Path) -> tuple[Unit, ...]:
    """The interface strings as the checked-in template lists them: what a running game
    measures a language against without reading its own source (a test keeps the template
    current with the code)."""
    data = read(path)
    if data is None:
        return ()
    return _TEMPLATE_UNITS.get(digest(data), lambda: _template_units(data))


def _template_units(data: bytes) -> tuple[Unit, ...]:
    catalog = read_po(io.BytesIO(data))
    units = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        where = message.locations[0] if message.locations else ("", 0)
        units.append(
            Unit(
                str(message.context or ""),
                str(ids[0]),
                str(where[0]),
                int(where[1] or 0),
                tuple(message.auto_comments),
                plural=str(ids[1]) if len(ids) > 1 else "",
                by_english=True,
            )
        )
    return tuple(units)
