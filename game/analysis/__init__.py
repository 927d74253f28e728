"""Tools for authors: every path, Monte Carlo, lint, graph, curriculum, transcript plans and
the starter level. `catalog_doc` (the generated technique docs) is internal."""

__all__ = [
    "curriculum",
    "graph",
    "lint",
    "live",
    "montecarlo",
    "paths",
    "plans",
    "shallow",
    "starter",
    "summary",
]
