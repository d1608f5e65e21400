"""The files SQLite keeps beside a database (-wal, -shm): folded in, tidied and healed.

A read-only look must leave none behind, and a leftover with a read-only mode must not make
every later write fail: these few functions are the whole of that care.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from pathlib import Path

from scr_desk.db.identity import database_files
from scr_desk.db.paths import connect

__all__ = ["has_log", "heal_companions", "let_go_of_log", "writable"]


log = logging.getLogger(__name__)


def heal_companions(path: Path) -> list[Path]:
    """Make the -wal and -shm beside a database its owner can write again, when an earlier
    read-only look left them with the file's read-only mode and the file has been made writable
    since (SQLite would refuse every write as read-only). Only this user's own files."""
    healed: list[Path] = []
    if os.name != "posix" or not Path(path).is_file() or not writable(Path(path)):
        return healed
    for part in database_files(path, with_main=False):
        try:
            info = part.stat()
        except OSError:
            continue
        if info.st_uid == os.getuid() and not info.st_mode & stat.S_IWUSR:
            try:
                os.chmod(part, 0o600)
                healed.append(part)
            except OSError:
                log.debug("Could not make %s writable", part, exc_info=True)
    return healed


def let_go_of_log(path: Path) -> None:
    """Remove the empty -wal and -shm files a read-only look (`check`, `dump`) made beside a
    database that had none. A read-only connection cannot remove them; the last read-write
    connection to close does (SQLite's own rule, safe while another program has the file open:
    then it is not the last and leaves them). The log is empty, so nothing is written."""
    if has_log(path) or not Path(path).is_file():
        return  # someone wrote meanwhile (their log is theirs to fold in), or the file has gone
    try:
        connection = connect(path, timeout=0)
        try:
            connection.execute("PRAGMA schema_version").fetchone()  # joins the log, so closing ends it
        finally:
            connection.close()
    except sqlite3.Error:
        log.debug("Could not tidy the log files of %s", path, exc_info=True)


def has_log(path: Path) -> bool:
    try:
        return os.path.getsize(f"{path}-wal") > 0
    except OSError:
        return False


def writable(path: Path) -> bool:
    """Writable by this process, and not marked read-only by its owner.

    An administrator (root) passes os.access whatever the mode says, yet a file or folder the
    user made read-only is a decision to honour, so its write bits count too.
    """
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & stat.S_IWUSR)
