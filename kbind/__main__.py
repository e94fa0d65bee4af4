"""`python -m kbind` runs the command-line interface."""

import sys

from kbind.cli import main

sys.exit(main())
