"""Is a window holding this database? Read without Qt, from the lock file Qt's QLockFile writes.

The window takes `<database>.lock` (a QLockFile) while it has the file open. Its first lines are
the holder's process id, application name and host name. The command line reads them so that it
does not write to a database a window is working on: a lock whose process has gone (a crashed
window) does not count; one held from another computer (a shared folder) does, as it cannot be
checked from here.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

from scr_desk.db.errors import DatabaseOpenError
from scr_desk.db.private import process_alive


@dataclass(frozen=True)
class LockHolder:
    lock_path: Path
    pid: int
    app: str
    host: str


class WindowHasDatabaseError(DatabaseOpenError):
    reason = "is open in an SCR Desk window, so the command line will not write to it; close it there first"


def lock_path_for(db_path: Path) -> Path:
    return Path(str(Path(db_path).expanduser().resolve()) + ".lock")


def live_lock_holder(db_path: Path) -> LockHolder | None:
    """The live holder of the database's window lock, or None (no lock, or a stale one)."""
    lock = lock_path_for(db_path)
    try:
        lines = lock.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    if not lines or not lines[0].strip().isdigit():
        return None
    holder = LockHolder(lock, int(lines[0]), lines[1] if len(lines) > 1 else "", lines[2] if len(lines) > 2 else "")
    if holder.host and holder.host != socket.gethostname():
        return holder  # held from another computer: it cannot be shown to be stale from here
    return holder if _running(holder.pid, holder.app) else None


def _running(pid: int, app: str) -> bool:
    if not process_alive(pid):
        return False
    # The id may have been reused by an unrelated process since the window died (QLockFile makes
    # the same check): where the process's name can be read, it must be the one in the lock.
    comm = Path(f"/proc/{pid}/comm")
    if app and comm.exists():
        try:
            name = comm.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return True
        return not name or app.startswith(name) or name.startswith(app[:15])
    return True


def refuse_while_window_open(db_path: Path) -> None:
    """Raise WindowHasDatabaseError when a window holds the database's lock."""
    holder = live_lock_holder(db_path)
    if holder is not None:
        where = f"process {holder.pid}" + (f" on {holder.host}" if holder.host else "")
        raise WindowHasDatabaseError(db_path, f"its lock {holder.lock_path.name} is held by {where}")
