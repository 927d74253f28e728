"""The scenario format: the frozen model, the located YAML reader, the loader and its checks,
the campaign file and the JSON Schema. `reader` and `vocabulary` are internal to it."""

__all__ = [
    "builder",
    "campaign",
    "catalog_file",
    "diagnostics",
    "json_schema",
    "loader",
    "model",
    "overrides",
    "problems",
    "source",
    "validate",
]
