"""Opening files safely: every refusal is one sentence and leaves the file's bytes alone."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from scr_desk.db import engine as engine_module
from scr_desk.db import errors
from scr_desk.db.backup import list_backups
from scr_desk.db.engine import APPLICATION_ID, create_database, integrity_report, open_database


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_private_wal_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.sqlite"
    database = create_database(path)
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with database.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA application_id")).scalar() == APPLICATION_ID
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert len(database.database_uid) == 32
        assert integrity_report(database) == []
    finally:
        database.close()


def test_create_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "there.sqlite"
    path.write_bytes(b"")
    with pytest.raises(errors.DatabaseOpenError, match="already exists"):
        create_database(path)
    assert path.read_bytes() == b""


def _assert_refused(path: Path, error: type[errors.DatabaseOpenError], *, read_only: bool = False) -> str:
    before = digest(path)
    with pytest.raises(error) as caught:
        open_database(path, read_only=read_only)
    assert digest(path) == before
    message = str(caught.value)
    assert str(path) in message and "\n" not in message and "has not been changed" in message
    return message


def test_empty_file_is_not_taken_for_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    assert "empty" in _assert_refused(path, errors.NotScrDeskDatabaseError)


def test_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("Minutes of the meeting\n" * 20)
    assert "not a SQLite" in _assert_refused(path, errors.NotScrDeskDatabaseError)


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert "another program" in _assert_refused(path, errors.NotScrDeskDatabaseError)


def test_newer_database_is_refused(empty_db_path: Path) -> None:
    conn = sqlite3.connect(empty_db_path)
    conn.execute("UPDATE alembic_version SET version_num='9999_from_the_future'")
    conn.commit()
    conn.close()
    assert "newer version" in _assert_refused(empty_db_path, errors.DatabaseTooNewError)
    _assert_refused(empty_db_path, errors.DatabaseTooNewError, read_only=True)


def test_corrupt_database_is_refused(sample_db_path: Path) -> None:
    data = bytearray(sample_db_path.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[2 * page:5 * page] = b"\xff" * (3 * page)
    sample_db_path.write_bytes(bytes(data))
    assert "damaged" in _assert_refused(sample_db_path, errors.CorruptDatabaseError)


def test_read_only_file_is_refused_for_writing_but_can_be_read(sample_db_path: Path) -> None:
    os.chmod(sample_db_path, 0o400)
    try:
        assert "read-only" in _assert_refused(sample_db_path, errors.ReadOnlyDatabaseError)
        before = digest(sample_db_path)
        database = open_database(sample_db_path, read_only=True)
        assert database.read_only and database.database_uid
        database.close()
        assert digest(sample_db_path) == before
    finally:
        os.chmod(sample_db_path, 0o600)


def test_database_in_read_only_folder_is_read_as_immutable(sample_db_path: Path) -> None:
    folder = sample_db_path.parent
    os.chmod(folder, 0o555)
    try:
        _assert_refused(sample_db_path, errors.ReadOnlyDatabaseError)
        database = open_database(sample_db_path, read_only=True)
        with database.sessions() as session:
            assert session.execute(text("SELECT count(*) FROM review")).scalar() == 1
        database.close()
    finally:
        os.chmod(folder, 0o755)


def test_file_locked_by_another_process_is_refused(sample_db_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         f"c = sqlite3.connect({str(sample_db_path)!r}, isolation_level=None)\n"
         "c.execute('PRAGMA locking_mode=EXCLUSIVE')\n"
         "c.execute('BEGIN EXCLUSIVE')\n"
         "c.execute('INSERT INTO app_meta VALUES (\\'lock-test\\', \\'x\\')')\n"
         "print('locked', flush=True)\n"
         "sys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        assert "locked" in _assert_refused(sample_db_path, errors.DatabaseLockedError)
        assert time.monotonic() - started < 8
    finally:
        holder.communicate("\n", timeout=10)


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(errors.DatabaseMissingError):
        open_database(tmp_path / "nowhere.sqlite")
    assert not (tmp_path / "nowhere.sqlite").exists()


def test_upgrade_takes_a_backup_first(sample_db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN an app whose newest schema is ahead of the file
    calls: list[str] = []
    monkeypatch.setattr(engine_module, "head_revision", lambda: "0002_pretend_newer")
    monkeypatch.setattr(engine_module, "_migrate",
                        lambda path: calls.append(f"migrate, {len(list_backups(path))} backup(s) present"))
    # WHEN it opens the file
    database = open_database(sample_db_path)
    database.close()
    # THEN a readable copy was made before the migration ran
    assert calls == ["migrate, 1 backup(s) present"]
    assert database.last_backup is not None and database.last_backup.exists()
    copy = sqlite3.connect(database.last_backup)
    assert copy.execute("SELECT name FROM review").fetchone() == ("Clare",)
    copy.close()
    assert stat.S_IMODE(database.last_backup.stat().st_mode) == 0o600


def test_failed_migration_is_reported_and_backup_kept(sample_db_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_path: Path) -> None:
        raise RuntimeError("disk I/O error")
    monkeypatch.setattr(engine_module, "head_revision", lambda: "0002_pretend_newer")
    monkeypatch.setattr(engine_module, "_migrate", broken)
    with pytest.raises(errors.MigrationError, match="backup"):
        open_database(sample_db_path)
    assert len(list_backups(sample_db_path)) == 1
