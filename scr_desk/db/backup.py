"""Consistent copies of a live database, and pruning of old copies.

A plain file copy of a WAL database can miss committed rows still in the -wal file, so every
backup goes through SQLite's online backup API.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path

BACKUP_DIR_NAME = "backups"
_STAMP = "%Y%m%d-%H%M%S"
_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<reason>[a-z0-9-]+))?\.sqlite$")
KEEP_RECENT = 10
KEEP_MONTHS = 12


def backup_dir_for(db_path: Path) -> Path:
    return db_path.parent / BACKUP_DIR_NAME


def backup_database(db_path: Path, reason: str, *, now: datetime | None = None,
                    target_dir: Path | None = None) -> Path:
    """Copy `db_path` into its backups folder; returns the new file (readable by owner only)."""
    moment = now or datetime.now()
    folder = target_dir or backup_dir_for(db_path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "backup"
    target = folder / f"{db_path.stem}-{moment.strftime(_STAMP)}-{slug}.sqlite"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{db_path.stem}-{moment.strftime(_STAMP)}-{slug}-{counter}.sqlite"
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        # The copy must not depend on a -wal file next to it.
        copy_database(db_path, target, journal_mode="DELETE")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    prune_backups(folder, db_path.stem)
    return target


def copy_database(source_path: Path, target_path: Path, *, journal_mode: str) -> None:
    """Copy one SQLite file into another through the online backup API (never a file copy)."""
    source = sqlite3.connect(f"{Path(source_path).resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
        target.execute(f"PRAGMA journal_mode={journal_mode}")
    finally:
        source.close()
        target.close()


def list_backups(db_path: Path) -> list[tuple[datetime, Path]]:
    """This database's backups, newest first."""
    folder = backup_dir_for(db_path)
    found: list[tuple[datetime, Path]] = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME_RE.match(path.name)
            if match and match["stem"] == db_path.stem:
                found.append((datetime.strptime(match["stamp"], _STAMP), path))
    return sorted(found, reverse=True)


def prune_backups(folder: Path, stem: str) -> list[Path]:
    """Keep the last ten, plus the newest backup of each of the last twelve months."""
    entries = sorted(
        ((datetime.strptime(m["stamp"], _STAMP), p) for p in folder.iterdir()
         if (m := _NAME_RE.match(p.name)) and m["stem"] == stem),
        reverse=True,
    )
    keep = {path for _, path in entries[:KEEP_RECENT]}
    months_seen: set[tuple[int, int]] = set()
    for moment, path in entries:
        month = (moment.year, moment.month)
        if month not in months_seen and len(months_seen) < KEEP_MONTHS:
            months_seen.add(month)
            keep.add(path)
    removed = [path for _, path in entries if path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def check_backup(path: Path) -> None:
    """Raise ValueError unless `path` is a sound SCR Desk database file."""
    from scr_desk.db.engine import APPLICATION_ID
    connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise ValueError(f"{Path(path).name} is not an SCR Desk database")
        result = connection.execute("PRAGMA integrity_check").fetchone()
        if not result or result[0] != "ok":
            raise ValueError(f"{Path(path).name} is damaged ({result[0] if result else 'no answer'})")
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{Path(path).name} cannot be read ({exc})") from None
    finally:
        connection.close()


def restore_backup(db_path: Path, backup: Path) -> Path:
    """Replace the database's contents with `backup`'s, after checking the backup and keeping a
    copy of what is replaced; returns that copy. The database must not be open elsewhere."""
    check_backup(backup)
    safety = backup_database(db_path, "before-restore") if db_path.exists() else db_path
    copy_database(backup, db_path, journal_mode="WAL")
    check_backup(db_path)
    return safety
