"""The scenario format: the frozen model, the located YAML reader, the loader and its checks,
the campaign file and the JSON Schema. `reader` and `vocabulary` are internal to it."""

__all__ = [
    "campaign",
    "catalog_file",
    "diagnostics",
    "loader",
    "model",
    "overrides",
    "problems",
    "schema",
    "source",
    "validate",
]
