"""Backups go through SQLite's backup API (a WAL file's committed rows included) and are pruned
to the last ten plus one a month for a year."""

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from scr_desk.db.backup import backup_database, list_backups, prune_backups
from scr_desk.db.engine import Database

UID, OTHER = "a" * 32, "b" * 32


def test_backup_includes_rows_still_in_the_wal(sample_db: Database) -> None:
    # GIVEN a committed row that still lives only in the -wal file (the engine stays open)
    with sample_db.engine.begin() as conn:
        conn.execute(text("INSERT INTO app_meta VALUES ('wal-only', 'yes')"))
    assert Path(f"{sample_db.path}-wal").stat().st_size > 0
    # WHEN the database is backed up
    copy = backup_database(sample_db.path, "manual")
    # THEN the copy holds it, stands alone (no WAL), and is named for the reason
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT value FROM app_meta WHERE key='wal-only'").fetchone() == ("yes",)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()
    assert copy.name.endswith(f"-manual.{sample_db.database_uid}.sqlite")
    assert list_backups(sample_db.path)[0][1] == copy


def test_pruning_keeps_last_ten_and_one_per_month(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2025, 1, 1, 12, 0, 0)
    # 40 weekly backups over ~9 months, then 15 in one day
    moments = [start + timedelta(weeks=w) for w in range(40)]
    moments += [start + timedelta(weeks=41, minutes=m) for m in range(15)]
    for moment in moments:
        (folder / f"db-{moment:%Y%m%d-%H%M%S}-import.{UID}.sqlite").write_bytes(b"x")
    (folder / f"db-20250101-120000-import.{OTHER}.sqlite").write_bytes(b"x")
    prune_backups(folder, UID)
    kept = sorted(p.name for p in folder.iterdir() if UID in p.name)
    last_ten = {f"db-{m:%Y%m%d-%H%M%S}-import.{UID}.sqlite" for m in moments[-10:]}
    assert last_ten <= set(kept)
    months = {name[3:9] for name in kept}
    assert len(months) == 10  # Jan..Oct 2025: each month still has its newest backup
    assert len(kept) == 10 + 9
    assert (folder / f"db-20250101-120000-import.{OTHER}.sqlite").exists()  # other databases untouched
