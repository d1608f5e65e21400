"""Why a database file could not be used, each with one sentence a user can act on."""

from __future__ import annotations

from pathlib import Path


class DatabaseOpenError(Exception):
    """Base: the file was not opened and has not been changed."""

    reason = "cannot be opened"

    def __init__(self, path: Path | str, detail: str = "") -> None:
        self.path = Path(path)
        self.detail = detail
        message = f"{self.path}: {self.reason}"
        if detail:
            message += f" ({detail})"
        super().__init__(message + ". The file has not been changed.")


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


class MigrationError(DatabaseOpenError):
    reason = "could not be upgraded to this version of SCR Desk; the backup taken before is kept"


class DatabaseInUseError(DatabaseOpenError):
    reason = "is already open in another SCR Desk window; switch to that window"
