"""Is a window holding this database? Read without Qt, from the lock file Qt's QLockFile writes.

The window takes `<database>.lock` (a QLockFile) while it has the file open. Its first lines are
the holder's process id, application name and host name. The command line reads them so that it
does not write to a database a window is working on: a lock whose process has gone (a crashed
window) does not count; one held from another computer (a shared folder) does, as it cannot be
checked from here.

A lock that cannot be read (0 bytes, or garbled: the power went between making the file and
writing it) is judged the same way by the window and the command line: stale once it is older
than this computer's last start, or than the moment it takes a window to write its lock
(`UNREADABLE_GRACE_SECONDS`); until then it may be a window writing it, and counts as held.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from scr_desk.db.errors import DatabaseOpenError
from scr_desk.db.private import process_alive

__all__ = [
    "LockHolder", "UNREADABLE_GRACE_SECONDS", "WindowHasDatabaseError", "clear_stale_window_lock", "live_lock_holder",
    "lock_path_for", "refuse_while_window_open", "unreadable_lock_is_stale",
]


@dataclass(frozen=True)
class LockHolder:
    lock_path: Path
    pid: int
    app: str
    host: str


class WindowHasDatabaseError(DatabaseOpenError):
    reason = "is open in an SCR Desk window, so the command line will not write to it; close it there first"


UNREADABLE_GRACE_SECONDS = 30.0  # QLockFile writes its lines as it makes the file: far within this


def lock_path_for(db_path: Path) -> Path:
    return Path(str(Path(db_path).expanduser().resolve()) + ".lock")


def _boot_time() -> float | None:
    """When this computer last started (seconds since the epoch), where that can be read."""
    try:
        for line in Path("/proc/stat").read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("btime "):
                return float(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def unreadable_lock_is_stale(lock: Path) -> bool:
    """Whether a lock file that names no process is left over: made before this computer last
    started, or longer ago than any window takes to write one."""
    try:
        made = lock.stat().st_mtime
    except OSError:
        return True
    boot = _boot_time()
    return (boot is not None and made < boot) or time.time() - made > UNREADABLE_GRACE_SECONDS


def clear_stale_window_lock(db_path: Path) -> bool:
    """Remove the database's window lock when it cannot be read and is stale (the window calls
    this before taking the lock: Qt never takes over a lock it cannot read). True if removed."""
    lock = lock_path_for(db_path)
    if not lock.is_file() or _read_lines(lock) is not None or not unreadable_lock_is_stale(lock):
        return False
    try:
        lock.unlink()
    except OSError:
        return False
    return True


def _read_lines(lock: Path) -> list[str] | None:
    """The lock's lines when its first names a process; None when it cannot be read as a lock."""
    try:
        lines = lock.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return lines if lines and lines[0].strip().isdigit() else None


def live_lock_holder(db_path: Path) -> LockHolder | None:
    """The live holder of the database's window lock, or None (no lock, or a stale one)."""
    lock = lock_path_for(db_path)
    if not lock.exists():
        return None
    lines = _read_lines(lock)
    if lines is None:  # a lock being written now, or one a power cut left empty
        return None if unreadable_lock_is_stale(lock) else LockHolder(lock, 0, "", "")

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
        where = (f"process {holder.pid}" + (f" on {holder.host}" if holder.host else "")) if holder.pid else \
            "a window that is writing it now"
        raise WindowHasDatabaseError(db_path, f"its lock {holder.lock_path.name} is held by {where}")
