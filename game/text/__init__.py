"""The terminal player: the same engine, no pygame. `render` is internal to it."""

__all__ = [
    "call",
    "jsonl",
    "player",
    "safe",
    "terminal",
]
