"""Hold the Line: a de-escalation training game for new customer-service hires.

The layers, lowest first: the core (`scenario.model`, `engine`), authoring (`scenario`,
`analysis`), storage and exports (`records`), the training use cases (`training`), the
hosts (`text`, `ui`) and the command line (`cli`). See docs/architecture.md.
"""

__version__ = "0.1.0"

__all__ = [
    "__version__",
]
