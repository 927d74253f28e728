"""`python -m game` is the same as the `hold-the-line` console script."""

import sys

from game.cli import main

sys.exit(main())
