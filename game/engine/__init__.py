"""The engine: technique catalog, mood model, session runner, scoring, campaign progress."""

__all__ = [
    "bands",
    "catalog",
    "mood",
    "progress",
    "scoring",
    "session",
    "step",
    "variation",
]
