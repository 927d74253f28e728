"""The training layer is plain Python: importing it never loads pygame."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_training_layer_does_not_load_pygame() -> None:
    code = "import sys, game.training\nprint('pygame' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
