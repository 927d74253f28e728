"""The pygame host: the window (`window`), its composition root (`app`), the scene stack and
navigator (`navigator`), scenes, widgets, typography, portrait, meter and sound. Other
layers reach it only through `app` (the command line's `play`)."""

__all__ = [
    "app",
]
