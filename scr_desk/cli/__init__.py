"""The `scr-desk` command: the window by default, and subcommands for automation.

Exit codes: 0 done, 1 the input could not be used (one line on stderr, nothing written),
2 usage. No traceback reaches the user; unexpected failures are logged to a file instead.
"""

from scr_desk.cli.dispatch import build_parser, main

__all__ = ["build_parser", "main"]
