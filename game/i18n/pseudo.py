"""A pseudo-translation of every domain, for tests and screenshots (never offered to players).

Every letter becomes an accented one and every line grows by about 40 % inside brackets
("Settings" -> "[Šéţţîñĝš ·······]"), with `{placeholders}` kept, so a test can tell at a
glance that a line was translated, that no English is left, and that layouts hold text
longer than English (Finnish and Vietnamese run longer). Written as an ordinary locale
folder: point the game at it with HOLD_THE_LINE_LOCALE.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from game.i18n.languages import language
from game.i18n.memo import Memo, digest
from game.i18n.po import PLACEHOLDER, po_path, write_bytes
from game.i18n.project import Domain, update_all

GROWTH = 0.4
PAD = "·"
_LETTERS = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "ÅƁÇĐÉƑĜĤÎĴĶĹṀÑÖƤǪŘŠŢÛṼŴẊÝŽåƀçđéƒĝĥîĵķĺɱñöƥʠřšţûṽŵẋýž",
)
# what is kept as it is: placeholders, markup, entities
_KEPT = re.compile(rf"({PLACEHOLDER.pattern}|<[^>]*>|&[a-z]+;)")


def pseudo(text: str) -> str:
    """`text` pseudo-translated: accented letters, about 40 % longer, in brackets."""
    if not text.strip():
        return text
    parts = _KEPT.split(text)
    changed = "".join(p if _KEPT.fullmatch(p) else p.translate(_LETTERS) for p in parts)
    grow = max(1, math.ceil(len(text) * GROWTH) - 3)
    return f"[{changed} {PAD * grow}]"


# (lang, the updated PO file's SHA-256) -> the pseudo-translated file's bytes
_PSEUDO: Memo[tuple[str, str], bytes] = Memo(64)


def write_pseudo_locale(root: Path, domains: Sequence[Domain], lang: str) -> Path:
    """A locale folder at `root` where `lang` is complete: every line of every domain
    pseudo-translated (templates included, as in the shipped folder). Returns `root`."""
    update_all(domains, (lang,), root)
    for domain in domains:
        path = po_path(root, lang, domain.name)
        write_bytes(path, _pseudo_bytes(path.read_bytes(), lang))
    return root


def _pseudo_bytes(data: bytes, lang: str) -> bytes:
    return _PSEUDO.get((lang, digest(data)), lambda: _pseudo_file(data, lang))


def _pseudo_file(data: bytes, lang: str) -> bytes:
    """A PO file's bytes with every line pseudo-translated and nothing fuzzy."""
    catalog = read_po(io.BytesIO(data), locale=language(lang).babel)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            singular, plural = str(message.id[0]), str(message.id[1])
            message.string = tuple(
                pseudo(singular if index == 0 and catalog.num_plurals > 1 else plural)
                for index in range(catalog.num_plurals)
            )
        else:
            message.string = pseudo(str(message.id))
        message.flags.discard("fuzzy")
    handle = io.BytesIO()
    write_po(handle, catalog, width=100)
    return handle.getvalue()
