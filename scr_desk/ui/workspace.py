"""An open database plus the lock that keeps a second window off the same file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile

from scr_desk.db.engine import Database, open_database
from scr_desk.db.private import private_file
from scr_desk.db.errors import DatabaseInUseError
from scr_desk.paths import sample_database_path
from scr_desk.services.sample import load_sample


@dataclass
class Workspace:
    database: Database
    lock: QLockFile | None

    @property
    def path(self) -> Path:
        return self.database.path

    def close(self) -> None:
        self.database.close()
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None


def open_workspace(path: Path, *, create: bool = False) -> Workspace:
    """Lock the file for this window, then open it; raises DatabaseOpenError subclasses."""
    path = Path(path).expanduser().resolve()
    lock: QLockFile | None = None
    if path.parent.is_dir():
        lock = QLockFile(str(path) + ".lock")
        lock.setStaleLockTime(0)  # a lock whose process has died is stale whatever its age
        if not lock.tryLock(100):
            if lock.error() == QLockFile.LockError.LockFailedError:
                raise DatabaseInUseError(path)
            lock = None  # cannot write a lock file here: open_database explains why (read-only)
        else:
            private_file(Path(str(path) + ".lock"))  # it names this computer and user
    try:
        database = open_database(path, create=create)
    except BaseException:
        if lock is not None:
            lock.unlock()
        raise
    return Workspace(database, lock)


def ensure_sample_database() -> Path:
    """The sample database in the user's data folder, created from data/ on first use."""
    path = sample_database_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        workspace = open_workspace(path, create=True)
        try:
            load_sample(workspace.database.sessions)
        finally:
            workspace.close()
    return path
