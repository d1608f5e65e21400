"""Private by default: the folders and files the app keeps for itself are the user's alone.

Case names appear in folder names, recent-file lists and logs, so on Linux and macOS the data,
logs, backups and temporary folders are 0700 and the files the app writes in them 0600. Windows
has no such modes (its user profile folders are already private); there these are no-ops.

Files meant for others (a return to send, a report for the panel) are the exception: they are
given the permissions the user's files usually get (the umask the app started with), so that
colleagues on a shared drive can open them. The database, its backups, the logs, a dump and the
full workbook stay the user's alone.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

__all__ = [
    "FILE_MODE", "FOLDER_MODE", "POSIX", "make_process_private", "private_data_dir", "private_file", "private_folder",
    "private_logs_dir", "private_temp_dir", "process_alive", "share_as_usual", "usual_file_mode",
]


FOLDER_MODE = 0o700
FILE_MODE = 0o600
POSIX = os.name == "posix"


_usual_umask: int | None = None  # the umask the process started with, before it was made private


def make_process_private() -> None:
    """Every file and folder this process creates is, from its first byte, its owner's only
    (settings, lock and log files written by Qt or Python included)."""
    global _usual_umask
    if POSIX:
        previous = os.umask(0o077)
        if _usual_umask is None:
            _usual_umask = previous


def usual_file_mode() -> int:
    """The mode the user's own files usually get (0o644 under the common umask 022)."""
    umask = _usual_umask
    if umask is None:  # never made private: the umask in force now is the usual one
        umask = os.umask(0o077)
        os.umask(umask)
    return 0o666 & ~umask


def share_as_usual(path: Path) -> Path:
    """Give a file meant for others (a return, a report) the user's usual permissions."""
    if POSIX and sys.platform != "win32":
        try:
            if Path(path).stat().st_uid == os.getuid():
                os.chmod(path, usual_file_mode())
        except OSError:
            pass  # not ours, or gone: left as it is
    return Path(path)


def private_folder(path: Path) -> Path:
    """Create `path` (and parents) if needed and make it 0700; returns it."""
    path = Path(path)
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _tighten(path, FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """Make an existing file 0600 (one written by a library that chose its own mode)."""
    _tighten(Path(path), FILE_MODE)
    return path


def _tighten(path: Path, mode: int) -> None:
    if not POSIX or sys.platform == "win32":
        return
    try:
        info = path.stat()
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != mode:
            os.chmod(path, mode)
    except OSError:
        pass  # not ours, or gone: nothing to tighten


def private_data_dir() -> Path:
    """The user's data folder, created private."""
    from scr_desk.paths import user_data_dir
    return private_folder(user_data_dir())


def private_logs_dir() -> Path:
    return private_folder(private_data_dir() / "logs")


def private_temp_dir() -> Path:
    """Where streaming temporary files (a full export's sheets) go: inside the data folder, never
    the system's shared temp folder."""
    return private_folder(private_data_dir() / "tmp")


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (to tell a stale lock or scratch file from a live one).

    On Windows `os.kill(pid, 0)` would send Ctrl+C, so the process is asked about instead."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import ctypes
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True
