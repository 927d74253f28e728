"""The game's colours, read from `assets/theme.json`: the house look and a high-contrast one.

Colours live in data so a designer can retune them without touching drawing code, and so
the high-contrast theme is guaranteed to define every colour the normal one does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

from game.paths import assets_dir
from game.scenario.model import Verdict

Color = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    high_contrast: bool
    bg: Color
    bg_glow: Color
    panel: Color
    panel_raised: Color
    panel_sunken: Color
    border: Color
    text: Color
    text_dim: Color
    text_faint: Color
    accent: Color
    accent_soft: Color
    accent_text: Color
    focus: Color
    good: Color
    good_soft: Color
    bad: Color
    bad_soft: Color
    warn: Color
    calm: Color
    annoyed: Color
    angry: Color
    furious: Color
    customer_bubble: Color
    customer_text: Color
    agent_bubble: Color
    agent_text: Color
    nudge_bubble: Color
    shadow: Color
    overlay: Color
    locked: Color
    scene_phone: Color
    scene_counter: Color
    scene_chat: Color
    scene_email: Color

    @property
    def border_width(self) -> int:
        return 2 if self.high_contrast else 1

    def band(self, band_name: str) -> Color:
        """The colour of an anger band by its name (Calm, Annoyed, Angry, Furious)."""
        value: Color = getattr(self, band_name.lower())
        return value

    def verdict(self, verdict: Verdict) -> Color:
        return {Verdict.GOOD: self.good, Verdict.FAIR: self.warn, Verdict.POOR: self.angry}.get(
            verdict, self.bad
        )


COLOR_KEYS = tuple(f.name for f in fields(Theme) if f.name not in ("name", "high_contrast"))


def parse_color(text: str) -> Color:
    value = text.strip().lstrip("#")
    if len(value) != 6:
        raise ValueError(f"colour {text!r} is not #rrggbb")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def load_themes(path: Path | None = None) -> dict[str, Theme]:
    path = path or assets_dir() / "theme.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    themes: dict[str, Theme] = {}
    for name, palette in data["palettes"].items():
        missing = [key for key in COLOR_KEYS if key not in palette]
        if missing:
            raise ValueError(f"{path}: palette {name!r} lacks {', '.join(missing)}")
        colors = {key: parse_color(palette[key]) for key in COLOR_KEYS}
        themes[name] = Theme(name=name, high_contrast=name == "high_contrast", **colors)
    if "default" not in themes or "high_contrast" not in themes:
        raise ValueError(f"{path}: needs a 'default' and a 'high_contrast' palette")
    return themes


def blend(a: Color, b: Color, t: float) -> Color:
    """Mix two colours; t=0 gives a, t=1 gives b."""
    t = max(0.0, min(1.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )
