"""Extension points other parts of the game plug into without the title knowing them.

The supervisor's desk is built separately: when a module `game.ui.desk` exists and offers
`desk_scene(app) -> Scene`, the title screen shows a "Supervisor's desk" entry that opens
it (the desk scene asks for the passphrase itself). Until then the entry is simply absent:
no placeholder screen.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.ui.app import App
    from game.ui.scene import Scene

DESK_MODULE = "game.ui.desk"


def supervisor_desk() -> Callable[[App], Scene] | None:
    """The desk's scene factory, if the desk is installed."""
    try:
        if importlib.util.find_spec(DESK_MODULE) is None:
            return None
    except (ImportError, ValueError):
        return None

    def open_desk(app: App) -> Scene:
        module = importlib.import_module(DESK_MODULE)
        factory: Callable[[App], Scene] = module.desk_scene
        return factory(app)

    return open_desk
