"""`python -m scr_desk` runs the same entry point as the `scr-desk` command."""

import sys

from scr_desk.cli import main

sys.exit(main())
