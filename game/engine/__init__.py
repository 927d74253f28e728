"""The engine: technique catalog, mood model, session runner, scoring, campaign progress."""

__all__ = [
    "bands",
    "catalog",
    "compiled",
    "effects",
    "lines",
    "mood",
    "pace",
    "progress",
    "scoring",
    "session",
    "state",
    "step",
    "variation",
]
