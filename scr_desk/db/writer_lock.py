"""The one writer lock: every command that writes a database takes it, so writers never overlap.

SQLite serialises single transactions, but some writes are more than one transaction, or are
not transactions at all: a restore replaces the whole file, and a connection opened before the
swap goes on writing into the old, unlinked file (an import that said "Imported …" ended in
neither the database nor any backup). So every writer holds this lock from before it opens the
database until after it has closed it:

    from scr_desk.db.writer_lock import writer_lock

    with writer_lock(db_path, "an import"):       # waits for any other writer, then holds the lock
        database = open_database(db_path)
        try:
            ...                                    # read, plan, write, back up, swap the file
        finally:
            database.close()

- `purpose` is a few words naming the work ("an import", "a restore", "sending returns"): another
  command that has to wait, or gives up, names it ("… is being written by a restore in
  process 4711, since 14:02").
- `wait` is how long to wait for the writer before it (`COMMAND_WAIT` seconds by default; 0 to
  fail at once). `on_wait` is called once, with that sentence, when waiting begins, so a command
  can say why it has paused. A writer that has not finished in time raises `WriterBusyError`
  (a `DatabaseOpenError`: one sentence, nothing changed).
- The lock is re-entrant within one thread: a command holding it may call code that takes it
  again (a restore's own safety backup, say). Other threads of the same process wait as other
  processes do.
- It is the operating system's own lock on a small file beside the database
  (`<file>.writing`, present only while someone writes), so a writer that is killed or loses
  power lets go at once: there is never a stale lock to clear by hand. The path is resolved, so
  a symbolic link and its target share one lock.
- Readers (`check`, `dump`, the full workbook's export) never take it; the window takes it
  while it opens a file and for its own imports, restores and merges.

Team mode (a PostgreSQL URL in place of a file) will take `pg_advisory_lock` in this function,
behind the same signature: callers need not change.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scr_desk.db.errors import DatabaseOpenError

__all__ = [
    "COMMAND_WAIT", "LOCK_SUFFIX", "POLL_SECONDS", "WriterBusyError", "WriterNote", "is_writing", "lock_file_for",
    "read_note", "writer_lock",
]


LOCK_SUFFIX = ".writing"
COMMAND_WAIT = 60.0  # a command queued behind another (twenty imports at once) waits its turn
POLL_SECONDS = 0.05
_WINDOWS_LOCK_OFFSET = 1 << 30  # Windows locks a byte range: one far past the holder's note, which stays readable


class WriterBusyError(DatabaseOpenError):
    """Another writer held the lock for longer than this one could wait; nothing was changed."""

    reason = "is being written by another SCR Desk command"

    def __init__(self, path: Path | str, holder: str = "") -> None:
        super().__init__(path, holder)
        self.args = (self.args[0].replace(". The file has not", "; try again when it has finished. The file has not"),)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class WriterNote:
    """Who holds the lock, as its holder wrote it into the lock file."""

    pid: int
    host: str
    purpose: str
    since: datetime | None

    def describe(self) -> str:
        where = f"process {self.pid}" + (f" on {self.host}" if self.host and self.host != socket.gethostname() else "")
        when = f", since {self.since:%H:%M}" if self.since else ""
        return f"{self.purpose or 'a command'} in {where}{when}"


@dataclass
class _Held:
    handle: int  # the open lock file's descriptor
    thread: int
    depth: int


_held: dict[str, _Held] = {}
_registry = threading.Lock()


def lock_file_for(db_path: Path | str) -> Path:
    """The lock file of a database (its real path's, a symbolic link followed)."""
    return Path(str(Path(os.path.realpath(Path(db_path).expanduser()))) + LOCK_SUFFIX)


def read_note(db_path: Path | str) -> WriterNote | None:
    """What the current holder wrote about itself, or None (no writer, or a note being written)."""
    try:
        text = lock_file_for(db_path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    if not fields.get("pid", "").isdigit():
        return None
    try:
        since = datetime.fromisoformat(fields.get("since", ""))
    except ValueError:
        since = None
    return WriterNote(int(fields["pid"]), fields.get("host", ""), fields.get("purpose", ""), since)


def is_writing(db_path: Path | str) -> bool:
    """Whether some process (this one included) holds the database's writer lock now."""
    key = str(lock_file_for(db_path))
    with _registry:
        if key in _held:
            return True
    handle = _try_lock(Path(key))
    if handle is None:
        return True
    _unlock(Path(key), handle)
    return False


@contextmanager
def writer_lock(db_path: Path | str, purpose: str, *, wait: float = COMMAND_WAIT,
                on_wait: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold the writer lock of the database at `db_path` for the block; yields the database's
    real path (resolved once, so the block works on the file the lock protects)."""
    real = Path(os.path.realpath(Path(db_path).expanduser()))
    lock_file = Path(str(real) + LOCK_SUFFIX)
    _acquire(lock_file, real, purpose, wait, on_wait)
    try:
        yield real
    finally:
        _release(lock_file)


def _acquire(lock_file: Path, real: Path, purpose: str, wait: float,
             on_wait: Callable[[str], None] | None) -> None:
    key = str(lock_file)
    me = threading.get_ident()
    deadline = time.monotonic() + max(0.0, wait)
    told = False
    while True:
        with _registry:
            held = _held.get(key)
            if held is not None and held.thread == me:
                held.depth += 1
                return
            if held is None:
                handle = _try_lock(lock_file)
                if handle is not None:
                    _held[key] = _Held(handle, me, 1)
                    _write_note(handle, purpose)
                    return
        note = read_note(real)
        holder = note.describe() if note else "another command"
        if time.monotonic() >= deadline:
            raise WriterBusyError(real, holder)
        if not told and on_wait is not None:
            on_wait(f"{real.name} is being written by {holder}; waiting for it to finish")
            told = True
        time.sleep(POLL_SECONDS)


def _release(lock_file: Path) -> None:
    key = str(lock_file)
    with _registry:
        held = _held[key]
        held.depth -= 1
        if held.depth:
            return
        del _held[key]
        _unlock(lock_file, held.handle)


def _try_lock(lock_file: Path) -> int | None:
    """The lock file's descriptor, locked by this process, or None when another holds it.

    The file is removed by the holder as it lets go. A process that opened it just before then
    holds a lock on a file no longer there: it sees that the path now names another file (or
    none) and tries again, so two writers never each hold a lock on a different file."""
    while True:
        try:
            handle = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        except FileNotFoundError:
            raise DatabaseOpenError(lock_file.with_name(lock_file.name[: -len(LOCK_SUFFIX)]),
                                    "its folder does not exist") from None
        except PermissionError:
            if lock_file.exists():
                return None  # another user's writer holds it (the holder removes it as it lets go)
            return _unlocked_folder_handle(lock_file)
        if not _os_lock(handle):
            os.close(handle)
            return None
        try:
            same = os.path.samestat(os.fstat(handle), os.stat(lock_file))
        except FileNotFoundError:
            same = False
        if same:
            return handle
        _os_unlock(handle)
        os.close(handle)


def _unlocked_folder_handle(lock_file: Path) -> int:
    """A folder this user cannot write to holds a database nobody here can write either: the
    open that follows refuses it as read-only, in its own words. A handle on nothing stands in."""
    return os.open(os.devnull, os.O_RDONLY)


def _unlock(lock_file: Path, handle: int) -> None:
    try:
        # Windows cannot remove an open file: there the note stays behind, unlocked.
        if os.name != "nt" and os.path.samestat(os.fstat(handle), os.stat(lock_file)):
            lock_file.unlink()
    except OSError:
        pass  # gone already, or a read-only folder (no lock file was ever made)
    finally:
        _os_unlock(handle)
        os.close(handle)


def _write_note(handle: int, purpose: str) -> None:
    text = (f"pid={os.getpid()}\nhost={socket.gethostname()}\npurpose={' '.join(purpose.split())}\n"
            f"since={datetime.now().replace(microsecond=0).isoformat()}\n")
    try:
        os.ftruncate(handle, 0)
        if hasattr(os, "pwrite"):
            os.pwrite(handle, text.encode("utf-8"), 0)
        else:
            _write_at_start(handle, text)
    except OSError:
        pass  # the note only names the holder in messages; the lock itself is held


def _write_at_start(handle: int, text: str) -> None:  # pragma: no cover - Windows has no pwrite
    os.lseek(handle, 0, os.SEEK_SET)
    os.write(handle, text.encode("utf-8"))


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _os_lock(handle: int) -> bool:
        os.lseek(handle, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _os_unlock(handle: int) -> None:
        try:
            os.lseek(handle, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _os_lock(handle: int) -> bool:
        # flock, not fcntl's record locks: those are SQLite's, and closing any descriptor of a
        # file drops every record lock the process holds on it.
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:
            # A file system without locks (rare network shares): fall back to the database's
            # own locking rather than refusing every write.
            return True
        return True

    def _os_unlock(handle: int) -> None:
        with suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_UN)
