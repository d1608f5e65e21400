"""What every command shares: the one-line error, exit codes, and reaching the database."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TypeAlias
from pathlib import Path
from typing import TYPE_CHECKING

from scr_desk.domain.errors import ScrDeskError

if TYPE_CHECKING:
    from scr_desk.db.engine import Database

EXIT_OK, EXIT_INPUT = 0, 1  # and 2, usage, as argparse exits
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Command = Callable[[argparse.Namespace], int]


class UserFacingError(ScrDeskError):
    """A problem with what the user gave us, reported as one line."""


class UsageError(Exception):
    """The command line itself is wrong (exit 2, as argparse does)."""


def database_path(args: argparse.Namespace) -> Path:
    """The --db the command was given, before or after its name."""
    path = getattr(args, "db", None)
    if path is None:
        raise UsageError(f"the {args.command} command needs --db PATH (the database file)")
    return Path(path).expanduser()


def open_existing(args: argparse.Namespace, *, read_only: bool) -> Database:
    from scr_desk.db.engine import COMMAND_LOCK_WAIT_SECONDS, open_database
    return open_database(database_path(args), read_only=read_only, lock_wait=COMMAND_LOCK_WAIT_SECONDS)


def say(text: str, *, to_stderr: bool = False) -> None:
    print(text, file=sys.stderr if to_stderr else sys.stdout)


def warn(text: str) -> None:
    print(f"scr-desk: warning: {text}", file=sys.stderr)


def warn_if_synced(path: Path) -> None:
    """A database inside a folder a sync service copies (OneDrive, Dropbox…) can be copied
    half-written: say so (the window says it once per database)."""
    from scr_desk.db.sync_folders import sync_warning
    text = sync_warning(path)
    if text:
        warn(text)
