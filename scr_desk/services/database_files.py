"""The database's own lifecycle, as the window meets it: where a database is (a file or a server),
opening one for a window inside the locks that keep a command from replacing it meanwhile, the
files of a database removed, its backups listed, checked and restored, and the words for a storage
failure. The window reaches storage through this and the other services, never scr_desk.db
directly (an import contract in pyproject.toml forbids it).

Imported before the window's first paint: only the storage modules the start-up already loads
(where a database is, its errors, a backup's description) are imported here; those that bring
SQLAlchemy or the restore are imported by the function that needs them.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from scr_desk.db.backup import BackupInfo
from scr_desk.db.errors import (
    BackupError,
    DatabaseInUseError,
    DatabaseMissingError,
    DatabaseOpenError,
    describe_storage_error,
    is_connection_lost,
)
from scr_desk.db.location import is_server, short_name_of, without_password

if TYPE_CHECKING:
    from scr_desk.db.engine import Database
    from scr_desk.db.restore import RestoreResult

__all__ = [
    "BackupError", "BackupInfo", "Database", "DatabaseInUseError", "DatabaseMissingError", "DatabaseOpenError",
    "belongs", "check_backup", "check_server_url", "clear_stale_window_lock", "describe_storage_error",
    "is_connection_lost", "is_server", "keep_private", "last_backup", "list_backups", "open_database",
    "open_for_window", "remove_database_files", "restore_backup", "server_name", "short_name_of",
    "suggested_backup", "without_password",
]


# --- where a database is --------------------------------------------------------------------

def check_server_url(text: str) -> None:
    """Raise ValueError, in one sentence, unless `text` is a PostgreSQL URL the app can use."""
    from scr_desk.db.location import server_url
    server_url(text)


def server_name(text: str) -> str:
    """A server's database as a menu names it ("cases on db.council.local"); ValueError when
    `text` is not a URL the app can use."""
    from scr_desk.db.location import server_url, short_name
    return short_name(server_url(text))


# --- opening and removing -------------------------------------------------------------------

def open_database(target: Path | str, *, create: bool = False) -> Database:
    """Open (or with `create`, make) the database at a file's path or a server's URL; raises
    DatabaseOpenError's kinds, each a sentence."""
    from scr_desk.db.engine import open_database as open_storage
    return open_storage(target, create=create)


def open_for_window(path: Path, *, create: bool, wait: float) -> Database:
    """Open a file for a window. A command writing it (an import, a restore) finishes first, for
    up to `wait` seconds, then the window is told who writes it: a restore must never replace
    the file under the window's connections."""
    from scr_desk.db.writer_lock import writer_lock
    with writer_lock(path, "opening it in the window", wait=wait) if path.parent.is_dir() else nullcontext(path):
        return open_database(path, create=create)


def clear_stale_window_lock(path: Path) -> bool:
    """Remove a window's lock file a power cut left empty or garbled (Qt would wait on it for
    ever); True when one was removed."""
    from scr_desk.db.window_lock import clear_stale_window_lock as clear
    return clear(path)


def keep_private(path: Path) -> None:
    """Make a file only this user can read (a lock names the computer and the user)."""
    from scr_desk.db.private import private_file
    private_file(path)


def remove_database_files(path: Path) -> None:
    """Remove a database file with its journal and companions (a half-made sample, an old one)."""
    from scr_desk.db.identity import remove_database_files as remove
    remove(path)


# --- backups --------------------------------------------------------------------------------

def list_backups(path: Path) -> list[BackupInfo]:
    """This database file's backups, newest first (reads the folder and the file's identity:
    the window asks on a worker)."""
    from scr_desk.db.backup import list_backups as listed
    return listed(path)


def last_backup(path: Path) -> BackupInfo | None:
    """The newest backup of this database file, if any."""
    return next(iter(list_backups(path)), None)


def check_backup(path: Path) -> None:
    """Raise BackupError, in one sentence, unless `path` is a sound SCR Desk database file."""
    from scr_desk.db.backup import check_backup as check
    check(path)


def suggested_backup(backups: list[BackupInfo]) -> Path | None:
    """Of the backups (newest first), the one a restore offers: the newest that is not a copy an
    earlier restore kept of the file it replaced."""
    from scr_desk.db.restore import suggested_backup as suggested
    return suggested(backups)


def belongs(path: Path, backup: Path) -> bool | None:
    """Whether `backup` is a copy of this database (None when that cannot be told)."""
    from scr_desk.db.restore import belongs as of_this
    return of_this(path, backup)


def restore_backup(path: Path, backup: Path, *, allow_foreign: bool = False) -> RestoreResult:
    """Replace the database file with `backup`, keeping a copy of it as it is first; BackupError
    when the backup is unsound or (unless allowed) another database's."""
    from scr_desk.db.restore import restore_backup as restore
    return restore(path, backup, allow_foreign=allow_foreign)
