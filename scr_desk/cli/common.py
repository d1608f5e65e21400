"""What every command shares: the one-line error, exit codes, and reaching the database."""

from __future__ import annotations

import argparse
import codecs
import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeAlias

from scr_desk.db.location import is_server, without_password
from scr_desk.domain.errors import ScrDeskError

if TYPE_CHECKING:
    from scr_desk.db.engine import Database

__all__ = [
    "Command", "Subcommands", "UsageError", "UserFacingError", "as_json", "check_new_database_folder",
    "database_for_writing", "database_path", "database_target", "date_option", "holds_every_character",
    "never_fail_on_encoding", "open_existing", "open_for_writing", "refuse_read_only", "say", "warn", "warn_if_synced",
    "writing_to",
]


EXIT_OK, EXIT_INPUT = 0, 1  # and 2, usage, as argparse exits
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Command = Callable[[argparse.Namespace], int]


class UserFacingError(ScrDeskError):
    """A problem with what the user gave us, reported as one line."""


class UsageError(Exception):
    """The command line itself is wrong (exit 2, as argparse does)."""


def date_option(option: str, text: str) -> date:
    """The date an option names (dd/mm/yyyy), held to the app's range (2000-2100); UsageError in
    one sentence otherwise, as for any other wrong option."""
    from scr_desk.domain.dates import DateError, check_date_range, parse_uk_date
    try:
        day = parse_uk_date(text)
        check_date_range(day)
    except DateError as exc:
        raise UsageError(f"{option}: {exc}") from None
    return day


def database_target(args: argparse.Namespace) -> Path | str:
    """The --db the command was given, before or after its name: a file's path, or the URL of a
    database on a PostgreSQL server (team mode)."""
    target = getattr(args, "db", None)
    if target is None:
        raise UsageError(f"the {args.command} command needs --db PATH (the database file, or a server's URL)")
    return target if is_server(target) else Path(target).expanduser()


def database_path(args: argparse.Namespace) -> Path:
    """The --db of a command that works on a file (a server's URL is refused in one sentence:
    commands that take both ask `database_target` first), resolved once: a symbolic link is
    followed to the file it names, so every step (the lock, the backups, a restore's swap) works
    on that file and the link stays a link."""
    target = database_target(args)
    if isinstance(target, str):
        raise UserFacingError(f"{without_password(target)}: the {args.command} command works on a database file, "
                              "not a database on a server")
    return Path(os.path.realpath(target))


def check_new_database_folder(path: Path) -> None:
    """A database the command is to create goes into a folder that exists: a mistyped folder is
    said in one sentence, never made (as an output's missing folder is)."""
    folder = path.parent if path.parent != Path("") else Path(".")
    if not folder.is_dir():
        raise UserFacingError(f"{path}: the folder {folder} does not exist; nothing was created")


@contextmanager
def writing_to(path: Path, purpose: str) -> Iterator[Path]:
    """Hold the database's writer lock for a command that writes it (see scr_desk.db.writer_lock):
    wait for another command writing the same file (saying so once), then refuse while a window
    has the file open, and warn when the file is in a synchronised folder. Yields the real path.

    Every command that writes takes it, around everything from opening the database to closing it:

        with writing_to(database_path(args), "sending returns") as path:
            database = open_database(path, lock_wait=COMMAND_LOCK_WAIT_SECONDS)
            ...

    (`open_for_writing` below does exactly that for a database that must exist.)"""
    from scr_desk.db.window_lock import refuse_while_window_open
    from scr_desk.db.writer_lock import COMMAND_WAIT, writer_lock

    def waiting(text: str) -> None:
        say(f"scr-desk: {text}…", to_stderr=True)
    check_new_database_folder(path)  # a mistyped folder is said as such, never made
    with writer_lock(path, purpose, wait=COMMAND_WAIT, on_wait=waiting) as real:
        if real.exists():
            refuse_while_window_open(real)
        warn_if_synced(real)
        yield real


@contextmanager
def open_for_writing(args: argparse.Namespace, purpose: str) -> Iterator[Database]:
    """The command's existing database, opened for writing under the writer lock (`writing_to`),
    closed and let go of when the block ends."""
    from scr_desk.db.engine import COMMAND_LOCK_WAIT_SECONDS, open_database
    if isinstance(database_target(args), str):
        # On a server the writer lock is taken by each transaction that writes (db.server), and a
        # role that may only read is refused here, before anything is done.
        database = open_existing(args, read_only=False)
        try:
            yield database
        finally:
            database.close()
        return
    with writing_to(database_path(args), purpose) as path:
        database = open_database(path, lock_wait=COMMAND_LOCK_WAIT_SECONDS)
        try:
            yield database
        finally:
            database.close()


def open_existing(args: argparse.Namespace, *, read_only: bool) -> Database:
    from scr_desk.db.engine import COMMAND_LOCK_WAIT_SECONDS, open_database
    database = open_database(database_target(args), read_only=read_only, lock_wait=COMMAND_LOCK_WAIT_SECONDS)
    if not read_only:
        try:
            refuse_read_only(database)
        except BaseException:
            database.close()
            raise
    return database


def refuse_read_only(database: Database) -> None:
    """A writing command on a database this role may only read (a server's SELECT-only role) is
    refused in one sentence, before anything is done."""
    if database.read_only_reason:
        raise UserFacingError(f"{database.shown_as}: {database.read_only_reason}; nothing was changed")


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


# Output that never fails on encoding.
# A console that is not UTF-8 (Windows when output is redirected uses the ANSI code page, cp1252)
# cannot hold every name a partnership writes ("Łódź", "✓"). Printing one there raised
# UnicodeEncodeError after an import had saved its changes, and the command exited 1 as if nothing
# had happened. So standard output and error write what the console can and replace the rest, and
# JSON is written \u-escaped, which every console holds and every reader decodes to the same text.
_UNICODE = frozenset({"utf-8", "utf-16", "utf-32"})


def holds_every_character(stream: TextIO) -> bool:
    """Whether the stream's encoding can write any text (UTF-8, -16 or -32)."""
    try:
        name = codecs.lookup(getattr(stream, "encoding", None) or "ascii").name
    except LookupError:
        return False
    return any(name.startswith(unicode) for unicode in _UNICODE)


def never_fail_on_encoding() -> None:
    """Make standard output and error replace what their encoding cannot hold."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            # A closed or detached stream raises: nothing will be written to it anyway.
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="replace")


@contextmanager
def database_for_writing(args: argparse.Namespace, purpose: str) -> Iterator[Database]:
    """The database, open for a command that writes to it (`purpose`: "sending returns"), closed
    after: under the writer lock shared with import and restore (`open_for_writing`), refused
    while a window has it open, and a synchronised folder warned about."""
    with open_for_writing(args, purpose) as database:
        yield database


def as_json(value: object) -> str:
    """One JSON document as every command prints it (non-ASCII escaped: it survives any console)."""
    import json
    return json.dumps(value, ensure_ascii=True, indent=2, default=str)
