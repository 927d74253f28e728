"""The terminal player: the same engine, no pygame."""
