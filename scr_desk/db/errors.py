"""Why a database file could not be used, each with one sentence a user can act on."""

from __future__ import annotations

from pathlib import Path

from scr_desk.domain.errors import ScrDeskError
from scr_desk.domain.wording import words


class DatabaseOpenError(ScrDeskError):
    """Base: the file was not opened and has not been changed."""

    reason = "cannot be opened"
    says_unchanged = True  # "The file has not been changed." follows, where there is a file to change

    def __init__(self, path: Path | str, detail: str = "") -> None:
        self.path = Path(path)
        self.detail = detail
        message = f"{self.path}: {self.reason}"
        if detail:
            message += f" ({detail})"
        super().__init__(message + (". The file has not been changed." if self.says_unchanged else "."))


class NotScrDeskDatabaseError(DatabaseOpenError):
    reason = "is not an SCR Desk database"


class CorruptDatabaseError(DatabaseOpenError):
    reason = "is damaged and cannot be read safely; restore it from a backup"


class DatabaseTooNewError(DatabaseOpenError):
    reason = "was written by a newer version of SCR Desk; install that version to open it"


class ReadOnlyDatabaseError(DatabaseOpenError):
    reason = "is read-only (the file or its folder cannot be written to)"


class DatabaseLockedError(DatabaseOpenError):
    reason = "is locked by another program; close it there and try again"


class DatabaseMissingError(DatabaseOpenError):
    reason = "does not exist"
    says_unchanged = False  # there is no file: one sentence says all


class UnexpectedSchemaError(DatabaseOpenError):
    reason = "holds something an SCR Desk database never does, so it was not opened"

    def __init__(self, path: Path | str, differences: list[str]) -> None:
        self.differences = list(differences)
        more = len(differences) - 1
        detail = differences[0] + (f"; and {more} more {words(more, 'difference')}: `scr-desk check` lists them"
                                   if more else "")
        super().__init__(path, detail)


class MigrationError(DatabaseOpenError):
    reason = "could not be upgraded to this version of SCR Desk; the backup taken before is kept"


class DatabaseInUseError(DatabaseOpenError):
    reason = "is already open in another SCR Desk window; switch to that window"


# SQLite's own result codes (their extended forms, such as SQLITE_IOERR_WRITE, start the same),
# never the English text of its messages, which differs between versions.
FULL, BUSY, READONLY, DAMAGED, DISK = "full", "busy", "readonly", "damaged", "disk"
_CODES = {"SQLITE_FULL": FULL, "SQLITE_BUSY": BUSY, "SQLITE_LOCKED": BUSY, "SQLITE_READONLY": READONLY,
          "SQLITE_CORRUPT": DAMAGED, "SQLITE_NOTADB": DAMAGED, "SQLITE_IOERR": DISK, "SQLITE_CANTOPEN": DISK}
_MEANINGS = {
    FULL: "the disk is full (or the database reached its size limit); nothing from this step was saved. Free some "
          "space and try again",
    BUSY: "the database is locked by another program; nothing from this step was saved. Try again once it has "
          "finished",
    READONLY: "the database file has become read-only; nothing from this step was saved",
    DAMAGED: "the database file is damaged; nothing from this step was saved. Restore it from a backup "
             "(File > Restore from backup…)",
    DISK: "the disk could not be read or written; nothing from this step was saved",
}


def sqlite_failure(error: BaseException) -> str | None:
    """What kind of SQLite failure `error` is (FULL, BUSY, …), "" for another SQLite error, or
    None when it is not a SQLite error at all (also when SQLAlchemy wraps one)."""
    from sqlite3 import Error as SQLiteError

    from sqlalchemy.exc import DBAPIError
    cause = error.orig if isinstance(error, DBAPIError) else error
    if not isinstance(cause, SQLiteError):
        return None
    name = getattr(cause, "sqlite_errorname", "") or ""
    return next((kind for code, kind in _CODES.items() if name == code or name.startswith(code + "_")), "")


FULL_BELOW_BYTES = 1024 * 1024  # less free than this, and a write that failed failed for want of space


def disk_is_full(path: Path | str | None) -> bool:
    """Whether the disk holding `path` has (all but) no space left. SQLite reports a write that
    found no space as a "disk I/O error" as often as "database or disk is full"."""
    if path is None:
        return False
    import shutil
    folder = Path(path).expanduser().parent
    try:
        return shutil.disk_usage(folder if folder.is_dir() else Path(".")).free < FULL_BELOW_BYTES
    except OSError:
        return False


def describe_storage_error(error: BaseException, path: Path | str | None = None) -> str | None:
    """One sentence for a SQLite failure met while working (not while opening), or None when
    `error` is not such a failure. `path`, the database, tells a disk I/O error on a full disk
    from another."""
    kind = sqlite_failure(error)
    if kind is None:
        return None
    if kind == DISK and disk_is_full(path):
        kind = FULL
    if kind:
        return _MEANINGS[kind]
    from sqlalchemy.exc import DBAPIError
    cause = error.orig if isinstance(error, DBAPIError) else error
    return f"the database refused the change ({' '.join(str(cause).split())[:120]}); nothing from this step was saved"


def describe_file_error(error: OSError, path: object = None) -> str:
    """One sentence for a failure to write a file."""
    import errno
    where = f"{path or error.filename or 'the file'}"
    if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return f"there is not enough disk space to write {where}; nothing was changed there"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{where} cannot be written (no permission, or a read-only disk); nothing was changed there"
    return f"{where}: {error.strerror or error}"


class BackupError(ScrDeskError, ValueError):
    """A backup could not be made, read or restored; the database has not been changed."""


class ForeignBackupError(BackupError):
    """The backup chosen belongs to another database (its identity differs)."""
