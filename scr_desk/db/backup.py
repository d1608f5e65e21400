"""Consistent copies of a live database, kept per database, and pruning of old copies.

- A plain file copy of a WAL database can miss committed rows still in the -wal file, so every
  backup goes through SQLite's online backup API.
- Backups belong to one database file: by its identity (the `database_uid` in app_meta), written
  into the name, and by the file's name: `cases-000042-20261126-133000-before-import.<uid>.sqlite`
  (the number puts a file's backups in the order they were taken, whatever the clock said:
  see backup_names).
  `cases.sqlite` and `cases.db` in one folder therefore never see, offer or prune each other's
  backups; nor do `cases.sqlite` and `copy.sqlite`, a plain copy of it (a copy keeps the
  identity, so the identity alone would put one file's data back into the other). Restoring
  reads the uid inside the copy too; the name is only how copies are found quickly.
- A copy is written under a hidden temporary name, checked, and only then renamed: a process
  killed or a disk filled mid-backup leaves nothing that looks like a backup, and such leftovers
  are swept the next time a backup is made or listed.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from scr_desk.db.backup_names import (
    BackupInfo,
    backup_name,
    backup_stem,
    entries,
    newest_first,
    next_sequence,
    short_stem,
)
from scr_desk.db.paths import connect

__all__ = [
    "BackupInfo", "backup_database", "backup_dir_for", "backup_stem", "backups_of_other_files", "check_backup",
    "copy_database", "list_backups", "prune_backups", "read_database_uid", "sweep_partial_backups", "taken_from",
]

BACKUP_DIR_NAME = "backups"
_PARTIAL_RE = re.compile(r"^\..+\.(?P<pid>\d+)\.partial$")
KEEP_RECENT = 10
KEEP_MONTHS = 12
# Beyond the rolling ten, the last few safety copies of each kind stay: ten restores (or ten
# undone imports) in a row must not take away every copy from before the last imports.
KEEP_EACH_KIND = 3
SAFETY_KINDS = ("before-import", "before-restore", "before-undo-import", "before-upgrade",
                "before-merging-agencies")


def backup_dir_for(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_DIR_NAME


def read_database_uid(path: Path) -> str | None:
    """The database identity stored in an SCR Desk file, or None when it cannot be read."""
    import sqlite3
    try:
        connection = connect(path, read_only=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        row = connection.execute("SELECT value FROM app_meta WHERE key = 'database_uid'").fetchone()
        return str(row[0]) if row and row[0] else None
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def backup_database(db_path: Path, reason: str, *, now: datetime | None = None,
                    target_dir: Path | None = None, uid: str | None = None) -> Path:
    """Copy `db_path` into its backups folder; returns the new file (readable by owner only)."""
    from scr_desk.db.private import private_folder
    db_path = Path(db_path)
    moment = now or datetime.now()
    folder = private_folder(_backups_folder(target_dir or backup_dir_for(db_path)))
    sweep_partial_backups(folder)
    uid = uid if uid is not None else (read_database_uid(db_path) or "")
    sequence = next_sequence(folder, db_path.stem)
    target = folder / backup_name(db_path.stem, sequence, moment, reason, uid)
    while target.exists():  # never over another backup, whatever another process numbered it
        sequence += 1
        target = folder / backup_name(db_path.stem, sequence, moment, reason, uid)
    partial = folder / f".{target.name}.{os.getpid()}.partial"
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        # The copy must not depend on a -wal file next to it.
        copy_database(db_path, partial, journal_mode="DELETE")
        check_backup(partial, shown_as=target.name, quick=True)
        with partial.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    prune_backups(folder, uid or short_stem(db_path.stem), short_stem(db_path.stem))
    return target


def _backups_folder(folder: Path) -> Path:
    """The backups folder, refused in one sentence when a file of its name is in the way (a dump
    saved as `backups`, say): no backup can be made, so nothing that needs one may go ahead."""
    from scr_desk.db.errors import BackupError
    if folder.exists() and not folder.is_dir():
        raise BackupError(f"no backup could be made: {folder} is a file, not the backups folder; move or rename "
                          "that file and try again (nothing was changed)")
    return folder


def sweep_partial_backups(folder: Path) -> list[Path]:
    """Remove copies left half-written by a process that died (its id no longer runs)."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        match = _PARTIAL_RE.match(path.name)
        if match and not _process_alive(int(match["pid"])):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _process_alive(pid: int) -> bool:
    from scr_desk.db.private import process_alive
    return pid != os.getpid() and process_alive(pid)


def copy_database(source_path: Path, target_path: Path, *, journal_mode: str) -> None:
    """Copy one SQLite file into another through the online backup API (never a file copy)."""
    source = connect(source_path, read_only=True)
    target = connect(target_path)
    try:
        with target:
            source.backup(target)
        target.execute(f"PRAGMA journal_mode={journal_mode}")
    finally:
        source.close()
        target.close()


def taken_from(db_path: Path, backup: Path) -> bool:
    """Whether `backup`'s name says it was taken from the file at `db_path` (a file not named as
    a backup is, one the lead copied elsewhere, does not say otherwise)."""
    stem = backup_stem(backup)
    return stem is None or stem == short_stem(Path(db_path).stem)


def list_backups(db_path: Path, uid: str | None = None) -> list[BackupInfo]:
    """This database file's backups, newest first.

    They are found by the database's identity (read from the file when not given) and the file's
    name: a plain copy of a database keeps its identity, and the backups of the original are not
    the copy's. Backups written by older versions carry no identity in their name: those are read
    to see whose they are. When the database itself cannot be read (it is damaged), backups of the
    same file name are listed; restoring one then asks, as its owner cannot be confirmed.
    """
    db_path = Path(db_path)
    uid = uid if uid is not None else read_database_uid(db_path)
    return newest_first([entry for entry in _identified(db_path, uid) if taken_from(db_path, entry.path)])


def backups_of_other_files(db_path: Path, uid: str | None = None) -> list[BackupInfo]:
    """Backups of the same database taken from a file of another name (it was renamed, or this
    file is a copy of that one), newest first: not offered, but worth mentioning."""
    db_path = Path(db_path)
    uid = uid if uid is not None else read_database_uid(db_path)
    if not uid:
        return []
    return newest_first([entry for entry in _identified(db_path, uid) if not taken_from(db_path, entry.path)])


def _identified(db_path: Path, uid: str | None) -> list[BackupInfo]:
    """The backups in the database's folder that carry its identity (without one: all of them)."""
    folder = backup_dir_for(db_path)
    sweep_partial_backups(folder)
    found: list[BackupInfo] = []
    for entry in entries(folder):
        if not uid:
            found.append(entry)
            continue
        owner = entry.uid or (read_database_uid(entry.path) or "")
        if owner == uid:
            found.append(entry._replace(uid=owner))
    return found


def prune_backups(folder: Path, owner: str, stem: str | None = None) -> list[Path]:
    """Keep the last ten, the newest backup of each of the last twelve months, and the last three
    safety copies of each kind (before an import, a restore, an upgrade…), of one database file
    (`owner`: its uid, or for a file without one its file-name stem; `stem`, when given, the
    file's name too, so a copy's backups never prune the original's). Newest means last taken,
    by the backups' own numbering, not by the clock."""
    is_uid = bool(re.fullmatch(r"[0-9a-f]{32}", owner))

    def of_owner(entry: BackupInfo) -> bool:
        entry_stem = backup_stem(entry.path)
        if is_uid:
            return entry.uid == owner and (stem is None or entry_stem == stem)
        return not entry.uid and entry_stem == owner
    ordered = newest_first([entry for entry in entries(folder) if of_owner(entry)])
    keep = {entry.path for entry in ordered[:KEEP_RECENT]}
    months_seen: set[tuple[int, int]] = set()
    kinds_kept: dict[str, int] = {}
    for entry in ordered:
        month = (entry.taken.year, entry.taken.month)
        if month not in months_seen and len(months_seen) < KEEP_MONTHS:
            months_seen.add(month)
            keep.add(entry.path)
        if entry.kind in SAFETY_KINDS and kinds_kept.get(entry.kind, 0) < KEEP_EACH_KIND:
            kinds_kept[entry.kind] = kinds_kept.get(entry.kind, 0) + 1
            keep.add(entry.path)
    removed = [entry.path for entry in ordered if entry.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def check_backup(path: Path, *, shown_as: str | None = None, quick: bool = False) -> str:
    """Raise BackupError unless `path` is a sound SCR Desk database file; returns its uid ("" if
    it has none). No SQLite error escapes: each becomes one sentence naming the file."""
    import sqlite3

    from scr_desk.db.errors import BackupError
    from scr_desk.db.identity import APPLICATION_ID
    name = shown_as or Path(path).name
    try:
        connection = connect(path, read_only=True, timeout=1.0)
    except sqlite3.Error as exc:
        raise BackupError(f"{name} cannot be read ({exc})") from None
    try:
        if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise BackupError(f"{name} is not an SCR Desk database")
        pragma = "quick_check" if quick else "integrity_check"
        result = connection.execute(f"PRAGMA {pragma}").fetchone()
        if not result or result[0] != "ok":
            raise BackupError(f"{name} is damaged ({result[0] if result else 'no answer'})")
        has_meta = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'app_meta'").fetchone()
        row = connection.execute("SELECT value FROM app_meta WHERE key = 'database_uid'").fetchone() \
            if has_meta else None
        return str(row[0]) if row and row[0] else ""
    except sqlite3.Error as exc:
        raise BackupError(f"{name} cannot be read ({exc})") from None
    finally:
        connection.close()
