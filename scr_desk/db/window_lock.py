"""Is a window holding this database? Read without Qt, from the lock file Qt's QLockFile writes.

The window takes `<database>.lock` (a QLockFile) while it has the file open. Its first lines are
the holder's process id, application name and host name. The command line reads them so that it
does not write to a database a window is working on: a lock whose process has gone (a crashed
window) does not count; one held from another computer (a shared folder) does, as it cannot be
checked from here.
"""

from __future__ import annotations

import os
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

    def field(index: int) -> str:
        return lines[index].strip() if len(lines) > index else ""
    holder = LockHolder(lock, int(lines[0]), field(1), field(2))
    if holder.host and holder.host != socket.gethostname():
        return holder  # held from another computer: it cannot be shown to be stale from here
    # Qt writes the machine's id (line 4) and this boot's id (line 5) after the host name
    return holder if _running(holder.pid, holder.app, field(4)) else None


def _running(pid: int, app: str, boot: str = "") -> bool:
    """Whether the window that wrote the lock still runs: the same test QLockFile makes before
    it takes a lock over, so the command line and a second window agree on which locks are stale.

    Qt records the name of the process's executable (`/proc/<pid>/exe`): `python3.11` for a window
    started by the `scr-desk` script or `python -m scr_desk`, `scr-desk` for the bundle. The name
    the process goes by (`/proc/<pid>/comm`, `scr-desk` for the script) can differ from it, so
    either matching counts. A process id reused by an unrelated program since the window died
    matches neither, nor does any process after a restart (the lock names the boot it was taken in).
    Anything that cannot be read counts as running: a live window must never be overlooked."""
    if not process_alive(pid):
        return False
    proc = Path(f"/proc/{pid}")
    if not app or not proc.is_dir():
        return True  # no name to compare, or no /proc (macOS, Windows): the process runs
    if boot and (current := _read(Path("/proc/sys/kernel/random/boot_id"))) and current != boot:
        return False  # the lock was taken before this computer last started
    names = [name for name in (_executable_name(proc), _read(proc / "comm")) if name is not None]
    if not names:
        return True
    return any(name in (app, app[:15]) for name in names)  # the kernel cuts comm to 15 characters


def _executable_name(proc: Path) -> str | None:
    try:
        target = os.readlink(proc / "exe")
    except OSError:
        return None  # another user's process: unreadable, so not known to differ
    return Path(target.removesuffix(" (deleted)")).name  # (deleted): the interpreter was upgraded since


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip() or None
    except OSError:
        return None


def refuse_while_window_open(db_path: Path) -> None:
    """Raise WindowHasDatabaseError when a window holds the database's lock."""
    holder = live_lock_holder(db_path)
    if holder is not None:
        where = f"process {holder.pid}" + (f" on {holder.host}" if holder.host else "")
        raise WindowHasDatabaseError(db_path, f"its lock {holder.lock_path.name} is held by {where}")
