"""Why a database file could not be used, each with one sentence a user can act on."""

from __future__ import annotations

from pathlib import Path

from scr_desk.db.location import ServerName
from scr_desk.domain.errors import ScrDeskError
from scr_desk.domain.wording import words

__all__ = [
    "BackupError", "CONNECTION_LOST", "CorruptDatabaseError", "DatabaseInUseError", "DatabaseLockedError",
    "DatabaseMissingError", "DatabaseOpenError", "DatabaseTooNewError", "FULL_BELOW_BYTES", "ForeignBackupError",
    "MigrationError", "NotScrDeskDatabaseError", "ReadOnlyDatabaseError", "ServerSchemaOlderError",
    "ServerUnavailableError", "UnexpectedSchemaError", "describe_file_error", "describe_storage_error", "disk_is_full",
    "is_connection_lost", "server_failure", "sqlite_failure",
]


class DatabaseOpenError(ScrDeskError):
    """Base: the file (or the server's database) was not opened and has not been changed."""

    reason = "cannot be opened"
    server_reason = ""  # the reason as said of a database on a server, where it differs
    says_unchanged = True  # "The file has not been changed." follows, where there is a file to change

    def __init__(self, path: Path | str, detail: str = "") -> None:
        # A server's database is named by its URL (without any password), never made a Path.
        self.path: Path | ServerName = path if isinstance(path, ServerName) else Path(path)
        self.detail = detail
        on_server = isinstance(path, ServerName)
        message = f"{self.path}: {(self.server_reason or self.reason) if on_server else self.reason}"
        if detail:
            message += f" ({detail})"
        unchanged = " The database has not been changed." if on_server else " The file has not been changed."
        super().__init__(message + ("." + unchanged if self.says_unchanged else "."))


class ServerUnavailableError(DatabaseOpenError):
    """The server could not be reached, or would not let this role in."""

    reason = "cannot be opened"
    says_unchanged = False


class NotScrDeskDatabaseError(DatabaseOpenError):
    reason = "is not an SCR Desk database"


class CorruptDatabaseError(DatabaseOpenError):
    reason = "is damaged and cannot be read safely; restore it from a backup"


class DatabaseTooNewError(DatabaseOpenError):
    reason = "was written by a newer version of SCR Desk; install that version to open it"


class ServerSchemaOlderError(DatabaseOpenError):
    reason = ("was made by an older version of SCR Desk, and your role may not upgrade it; someone who may "
              "change it opens it with this version first")


class ReadOnlyDatabaseError(DatabaseOpenError):
    reason = "is read-only (the file or its folder cannot be written to)"


class DatabaseLockedError(DatabaseOpenError):
    reason = "is locked by another program; close it there and try again"


class DatabaseMissingError(DatabaseOpenError):
    reason = "does not exist"
    server_reason = "holds no SCR Desk database yet (`scr-desk new --db URL` makes one in an empty database)"
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


CONNECTION_LOST = "the connection to the database server was lost; nothing from this step was saved"


def server_failure(error: BaseException) -> str | None:
    """One sentence for a PostgreSQL failure met while working, or None when `error` is not one.
    Told apart by SQLSTATE class, never by the English of the server's message."""
    from sqlalchemy.exc import DBAPIError
    cause = error.orig if isinstance(error, DBAPIError) else error
    if type(cause).__module__.split(".")[0] != "psycopg":
        return None
    state = str(getattr(cause, "sqlstate", "") or "")
    if not state or state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return CONNECTION_LOST  # no answer at all, a broken connection, the server shutting down
    if state == "42501" or state == "25006":  # insufficient privilege; a read-only transaction
        return "your role may not change this database; nothing from this step was saved"
    if state == "22001":
        return "a value is longer than the database holds; nothing from this step was saved"
    if state.startswith("53"):
        return "the database server has run out of room; nothing from this step was saved. Tell whoever runs it"
    if state == "55P03":  # the writer lock (or a row) waited for past lock_timeout
        return ("another person's change has held the database for over a minute; nothing from this step was "
                "saved. Try again in a moment")
    if state in ("40001", "40P01"):
        return "the change met another person's at the same moment; nothing from this step was saved. Try again"
    first = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
    return f"the database server refused the change ({first[:120]}); nothing from this step was saved"


def is_connection_lost(error: BaseException) -> bool:
    return server_failure(error) == CONNECTION_LOST


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
    """One sentence for a SQLite (or PostgreSQL) failure met while working (not while opening),
    or None when `error` is not such a failure. `path`, the database, tells a disk I/O error on a
    full disk from another."""
    on_server = server_failure(error)
    if on_server is not None:
        return on_server
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
