"""Terminal safety: scenario text never drives the terminal it is printed on.

Scenario files come from trainers, and a file can carry raw control characters: an escape
sequence can recolour or clear the screen, retitle the window, rewrite what was printed
before (a carriage return) or reorder what the reader sees (bidirectional overrides). The
loader refuses such text; this is the second line of defence at the output, so the terminal
player prints them as visible, inert symbols instead.
"""

from __future__ import annotations

import json
import re

# C0 controls except tab and newline, DEL, the C1 controls (U+009B is a one-byte CSI in
# some terminals), and the bidirectional embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␛ for ESC, ␍ for CR, …
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 and bidi controls: the replacement character


def clean(text: str) -> str:
    """`text` with every control character that could act on a terminal made visible."""
    return _UNSAFE.sub(_visible, text)


def json_text(data: object, indent: int | None = None) -> str:
    """JSON with the same characters escaped (\\u001b, \\u009b, …); one line by default.

    JSON keeps the exact text for a program reading it; only the bytes on the wire are safe
    to show on a terminal. `json.dumps` escapes C0 itself but leaves DEL, C1 and bidi as is.
    """
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
