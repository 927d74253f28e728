"""The engine: technique catalog, mood model, session runner, scoring, campaign progress."""
