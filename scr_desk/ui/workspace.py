"""An open database plus the lock that keeps a second window off the same file."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.paths import sample_database_path, showcase_database_path
from scr_desk.services.database_files import (
    DatabaseInUseError,
    clear_stale_window_lock,
    is_server,
    keep_private,
    open_database,
    open_for_window,
    remove_database_files,
)
from scr_desk.services.sample import load_sample, load_showcase

if TYPE_CHECKING:
    from scr_desk.services.database_files import Database

__all__ = ["WINDOW_WAIT_SECONDS", "Workspace", "ensure_sample_database", "ensure_showcase_database", "open_workspace"]


WINDOW_WAIT_SECONDS = 10.0  # for a command already writing the file; then the window says who writes it


@dataclass
class Workspace:
    database: Database
    lock: QLockFile | None

    @property
    def path(self) -> Path:
        """The database file (a database on a server has none: ask `is_server` first)."""
        return self.database.path

    @property
    def is_server(self) -> bool:
        return self.database.is_server

    @property
    def location(self) -> Path | str:
        """The file's path, or the server's URL without any password: what opens it again."""
        return self.database.location

    @property
    def folder(self) -> Path:
        """Where files for this database are suggested: beside the file, or for a database on a
        server, the user's documents (or home) folder."""
        if not self.is_server:
            return self.path.parent
        from PySide6.QtCore import QStandardPaths
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def close(self) -> None:
        self.database.close()
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None


def open_workspace(path: Path | str, *, create: bool = False) -> Workspace:
    """Lock the file for this window, then open it; raises DatabaseOpenError subclasses. A database
    on a server (a URL) takes no lock: many windows share it, each told of the others' changes."""
    if is_server(path):
        return Workspace(open_database(path, create=create), None)
    path = Path(path).expanduser().resolve()
    lock: QLockFile | None = None
    if path.parent.is_dir():
        clear_stale_window_lock(path)  # a 0-byte or garbled lock a power cut left: Qt would wait on it for ever
        lock = QLockFile(str(path) + ".lock")
        lock.setStaleLockTime(0)  # a lock whose process has died is stale whatever its age
        if not lock.tryLock(100):
            if lock.error() == QLockFile.LockError.LockFailedError:
                raise DatabaseInUseError(path)
            lock = None  # cannot write a lock file here: open_database explains why (read-only)
        else:
            keep_private(Path(str(path) + ".lock"))  # it names this computer and user
    try:
        database = open_for_window(path, create=create, wait=WINDOW_WAIT_SECONDS)
    except BaseException:
        if lock is not None:
            lock.unlock()
        raise
    return Workspace(database, lock)


def _make_sample(path: Path, load: Callable[[sessionmaker[Session]], None]) -> Path:
    """Make a sample database under a temporary name, then move it into place: a sample whose
    making failed half-way is never found and opened later."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    remove_database_files(partial)
    workspace = open_workspace(partial, create=True)
    try:
        load(workspace.database.sessions)
    finally:
        workspace.close()
    os.replace(partial, path)
    return path


def ensure_sample_database() -> Path:
    """The sample "Clare" database in the user's data folder, created from data/ on first use."""
    return _make_sample(sample_database_path(), load_sample)


def ensure_showcase_database() -> Path:
    """The illustrative (invented) partnership, made this month; earlier months' copies go,
    unless a window still has one open (it goes next time)."""
    path = _make_sample(showcase_database_path(), load_showcase)
    for old in path.parent.glob("invented-partnership-*.sqlite"):
        if old == path:
            continue
        lock = QLockFile(f"{old}.lock")
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            continue
        try:
            remove_database_files(old)
            Path(f"{old}.partial").unlink(missing_ok=True)
        except OSError:
            pass  # held by another program (Windows): it goes next time
        finally:
            lock.unlock()
    return path
