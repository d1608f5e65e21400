"""Putting a backup back: checked first, owner confirmed, the replaced file kept, nothing raw.

The new contents are built beside the database under a temporary name and moved over it in one
rename, so a failure half way leaves the database exactly as it was. The database must not be
open anywhere (the window closes its own connection first; the command line refuses while a
window holds the file's lock).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scr_desk.db.backup import (
    BackupInfo,
    backup_database,
    backup_dir_for,
    backup_stem,
    backups_of_other_files,
    check_backup,
    copy_database,
    list_backups,
    read_database_uid,
    taken_from,
)
from scr_desk.db.errors import BackupError, ForeignBackupError
from scr_desk.db.identity import remove_database_files
from scr_desk.db.private import private_folder
from scr_desk.domain.wording import count, words

__all__ = [
    "RESTORED_FROM", "RestoreResult", "belongs", "newest_good_backup", "other_files_note", "restore_backup",
    "restored_from", "suggested_backup", "sweep_restoring_copies",
]


@dataclass(frozen=True)
class RestoreResult:
    restored: Path  # the backup put back
    kept: Path | None  # the database as it was before, kept in the backups folder


def belongs(db_path: Path, backup: Path) -> bool | None:
    """True when `backup` is a copy of the database file at `db_path`, False when it is another
    database's, or was taken from another file (a copy of this one keeps its identity), None when
    the database cannot be read to tell (it is missing or damaged)."""
    mine = read_database_uid(db_path) if Path(db_path).exists() else None
    theirs = read_database_uid(backup)
    if mine is None:
        return None
    return theirs == mine and taken_from(db_path, backup)


def other_files_note(db_path: Path) -> str:
    """Words on the backups of the same database taken from a file of another name (this file is
    a copy of that one, or was renamed): not offered, but naming one with --from and --foreign
    restores it. "" when there are none."""
    others = backups_of_other_files(db_path)
    if not others:
        return ""
    names = " and ".join(sorted({backup_stem(entry.path) or "" for entry in others}))
    return (f"{count(len(others), 'backup')} there of {names}, a file with the same identity, "
            f"{words(len(others), 'is')} not offered: to restore one, name it with --from FILE and add --foreign")


RESTORED_FROM = "restored_from"  # app_meta: the name of the backup this file was last restored from


def suggested_backup(backups: list[BackupInfo]) -> Path | None:
    """Of a database's backups (newest first), the one `restore` would put back: the newest that
    is not a copy an earlier restore kept of the file it replaced."""
    return next((entry.path for entry in backups if entry.kind != "before-restore"), None)


def newest_good_backup(db_path: Path) -> BackupInfo:
    """What `restore` puts back when no backup is named: the newest sound backup taken before a
    change (an import, an upgrade, a merge…), never a copy a restore kept of the file it replaced,
    so that running `restore` twice does not undo the first. Raises BackupError when there is
    none, or when the database already is that backup (restored from it, nothing taken since)."""
    db_path = Path(db_path)
    backups = [entry for entry in list_backups(db_path) if entry.kind != "before-restore"]
    if not backups:
        raise BackupError(f"{db_path.name} has no backups in {backup_dir_for(db_path)}"
                          + (" other than copies kept by earlier restores (name one with --from FILE to undo "
                             "a restore)" if list_backups(db_path) else "")
                          + (f"; {note}" if (note := other_files_note(db_path)) else ""))
    problems = []
    for entry in backups:
        try:
            check_backup(entry.path)
        except BackupError as exc:
            problems.append(str(exc))
            continue
        if restored_from(db_path) == entry.path.name:
            raise BackupError(f"{db_path.name} was restored from its newest backup ({entry.label}) already, and "
                              "restoring it again would change nothing; to go further back, name an older backup "
                              "with --from FILE (scr-desk backups lists them)")
        return entry
    raise BackupError(f"none of the {count(len(backups), 'backup')} of {db_path.name} is sound (the newest: "
                      f"{problems[0]})")


def restored_from(db_path: Path) -> str:
    """The name of the backup the database was last restored from ("" if none, or unreadable)."""
    from scr_desk.db.paths import connect
    try:
        connection = connect(db_path, read_only=True, timeout=1.0)
    except sqlite3.Error:
        return ""
    try:
        row = connection.execute("SELECT value FROM app_meta WHERE key = ?", (RESTORED_FROM,)).fetchone()
        return str(row[0]) if row else ""
    except sqlite3.Error:
        return ""
    finally:
        connection.close()


def restore_backup(db_path: Path, backup: Path, *, allow_foreign: bool = False) -> RestoreResult:
    """Replace the database with `backup`, after checking it and keeping a copy of what is
    replaced. Raises BackupError (ForeignBackupError for another database's copy unless
    `allow_foreign`); the database is then unchanged."""
    from scr_desk.db.writer_lock import writer_lock
    # Under the writer lock from the first check to the swap: no import can open the file (and
    # go on writing into the one replaced) meanwhile. Re-entrant: a command holding it already
    # (the command line's restore) simply goes on.
    with writer_lock(db_path, "a restore") as real:
        return _restore_locked(real, Path(backup), allow_foreign=allow_foreign)


def _restore_locked(db_path: Path, backup: Path, *, allow_foreign: bool) -> RestoreResult:
    theirs = check_backup(backup)
    if not allow_foreign and belongs(db_path, backup) is False:
        if theirs and theirs == read_database_uid(db_path):
            raise ForeignBackupError(
                f"{backup.name} is a backup of another file, {backup_stem(backup)} (a copy of this database, or its "
                f"name before it was renamed), not of {db_path.name}; nothing was restored")
        raise ForeignBackupError(
            f"{backup.name} is a backup of another database (its identity {theirs[:8] or 'is missing'} differs "
            f"from {db_path.name}'s); nothing was restored")
    sweep_restoring_copies(db_path)
    temp = db_path.with_name(f".{db_path.name}.restoring.{os.getpid()}")
    try:
        kept = _keep_current(db_path)
        copy_database(backup, temp, journal_mode="WAL")
        check_backup(temp, shown_as=backup.name)
        _note_restored_from(temp, backup)
        with temp.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.chmod(temp, 0o600)
        remove_database_files(db_path, with_main=False)
        os.replace(temp, db_path)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"{backup.name} could not be restored ({_why(db_path, exc)}); {db_path.name} was not "
                          "changed") from None
    finally:
        remove_database_files(temp)
    return RestoreResult(backup, kept)


def _why(db_path: Path, exc: BaseException) -> str:
    """Why a restore failed, in words: a full disk said as such, whatever SQLite called it."""
    import errno

    from scr_desk.db.errors import disk_is_full, sqlite_failure
    if (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) or (
            sqlite_failure(exc) in ("full", "disk") and disk_is_full(db_path)):
        return "the disk is full; free some space and try again"
    return str(exc.strerror or exc) if isinstance(exc, OSError) else str(exc)


def _note_restored_from(temp: Path, backup: Path) -> None:
    """Write into the new file which backup it is, so a second `restore` does not put it back again."""
    from scr_desk.db.paths import connect
    connection = connect(temp)
    try:
        with connection:
            connection.execute("INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)",
                               (RESTORED_FROM, backup.name))
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def sweep_restoring_copies(db_path: Path) -> list[Path]:
    """Remove the full copies (with their -wal and -shm) that a restore killed part-way left
    beside the database; never a live restore's (its process still runs)."""
    from scr_desk.db.private import process_alive
    prefix = f".{db_path.name}.restoring."
    removed: list[Path] = []
    try:
        leftovers = [p for p in db_path.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return removed
    for path in leftovers:
        pid = path.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and (int(pid) == os.getpid() or not process_alive(int(pid))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _keep_current(db_path: Path) -> Path | None:
    """Keep the database as it is before it is replaced: a checked backup when it can be read,
    else (it is damaged) the raw files, under a name that is never offered as a backup."""
    if not db_path.exists():
        return None
    try:
        return backup_database(db_path, "before-restore")
    except BackupError:
        pass  # the file cannot be read as a database: kept as it is, below
    except sqlite3.Error as exc:
        from scr_desk.db.errors import DAMAGED, sqlite_failure
        if sqlite_failure(exc) != DAMAGED:
            raise  # a full disk or a lock: the restore stops, the file untouched
    folder = private_folder(backup_dir_for(db_path))
    kept = folder / f"{db_path.name}-{datetime.now():%Y%m%d-%H%M%S}.replaced-damaged"
    shutil.copyfile(db_path, kept)
    os.chmod(kept, 0o600)
    wal = Path(f"{db_path}-wal")
    if wal.exists():
        shutil.copyfile(wal, f"{kept}-wal")
    return kept
