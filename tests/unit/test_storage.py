"""Storage that cannot be tricked: paths, outputs, backups, restore, checkpoints, hostile files."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path, PureWindowsPath

import pytest

from scr_desk.cli import main
from scr_desk.db.backup import backup_database, list_backups, sweep_partial_backups
from scr_desk.db.engine import Database, open_database
from scr_desk.db.errors import BackupError, ForeignBackupError, UnexpectedSchemaError
from scr_desk.db.paths import sqlite_uri
from scr_desk.db.restore import restore_backup
from scr_desk.services.dump import dump_records
from scr_desk.services.files import OutputInUseError, OutputRefused, check_output, write_atomically
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from tests.workbooks import legacy_tracker


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- paths are paths --------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["cases?.sqlite", "cases#1.sqlite", "100% cases.sqlite", "Дела ü.sqlite",
                                  "a?mode=ro&b.sqlite"])
def test_any_file_name_is_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    # GIVEN a name full of URL syntax
    path = tmp_path / name
    # WHEN a database is made there and read back
    assert run(capsys, "demo", "--db", str(path))[0] == 0
    # THEN it is exactly that file, private, and nothing else was written beside it
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [name]
    code, out, _ = run(capsys, "dump", "--db", str(path))
    assert code == 0 and json.loads(out)["reviews"][0]["name"] == "Clare"
    assert open_database(path, read_only=True).database_uid


def test_sqlite_uris_for_windows_paths() -> None:
    assert sqlite_uri(PureWindowsPath(r"C:\Users\lead\cases #1?.sqlite"), mode="ro") == \
        "file:///C:/Users/lead/cases%20%231%3F.sqlite?mode=ro"
    assert sqlite_uri(PureWindowsPath(r"\\council\share\cases.sqlite")) == "file:////council/share/cases.sqlite"
    long = sqlite_uri(PureWindowsPath("\\\\?\\C:\\" + "d" * 300 + "\\x.sqlite"))
    assert long.startswith("file:////%3F/C:/") and long.endswith("/x.sqlite")


# --- outputs never destroy --------------------------------------------------------------------
def test_dump_never_over_the_database_or_its_companions(sample_db_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    before = sample_db_path.read_bytes()
    for target in (sample_db_path, Path(f"{sample_db_path}-wal"), Path(f"{sample_db_path}-shm"),
                   Path(f"{sample_db_path}.lock")):
        code, out, err = run(capsys, "dump", "--db", str(sample_db_path), "--out", str(target))
        assert code == 1 and err.count("\n") == 1 and "choose another name" in err, err
    assert sample_db_path.read_bytes() == before


def test_no_output_over_a_backup(sample_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    backup = backup_database(sample_db.path, "manual")
    kept = backup.read_bytes()
    code, _, err = run(capsys, "dump", "--db", str(sample_db.path), "--out", str(backup))
    assert code == 1 and "backup" in err and backup.read_bytes() == kept


def test_out_through_a_symlink_writes_its_target(sample_db_path: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert run(capsys, "dump", "--db", str(sample_db_path), "--out", str(link))[0] == 0
    assert link.is_symlink() and json.loads(target.read_text())["reviews"]


def test_folders_devices_and_missing_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputRefused, match="is a folder"):
        check_output(tmp_path)
    with pytest.raises(OutputRefused, match="not an ordinary file"):
        check_output(Path("/dev/null"))
    with pytest.raises(OutputRefused, match=r"the folder .*nowhere does not exist"):
        check_output(tmp_path / "nowhere" / "out.xlsx")


def test_no_message_names_the_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "report.docx"

    def failing(temp: Path) -> None:
        raise OSError(28, "No space left on device", str(temp))
    with pytest.raises(OSError) as caught:
        write_atomically(out, failing)
    assert ".part" not in str(caught.value) and str(out) in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_workbook_open_in_excel_is_named_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN Windows refusing to replace a workbook Excel holds open
    out = tmp_path / "return.xlsx"
    out.write_bytes(b"open in Excel")

    def refuse(*_args: object) -> None:
        raise PermissionError(13, "The process cannot access the file")
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputInUseError, match=r"is open in another program \(Excel\?\): close it and try again"):
        write_atomically(out, lambda temp: temp.write_bytes(b"new"))
    assert out.read_bytes() == b"open in Excel" and [p.name for p in tmp_path.iterdir()] == ["return.xlsx"]


# --- backups that belong to their database ----------------------------------------------------
def test_backups_belong_to_their_database_not_its_file_stem(tmp_path: Path) -> None:
    from scr_desk.db.engine import create_database
    one, two = create_database(tmp_path / "cases.sqlite"), create_database(tmp_path / "cases.db")
    for _ in range(12):
        backup_database(one.path, "before-import")
    backup_database(two.path, "before-import")
    assert len(list_backups(two.path)) == 1  # ten imports into one pruned nothing of the other's
    assert all(b.uid == one.database_uid for b in list_backups(one.path))
    assert len(list_backups(one.path)) == 10
    with pytest.raises(ForeignBackupError, match="another database"):
        restore_backup(two.path, list_backups(one.path)[0].path)
    one.close()
    two.close()


def test_a_killed_backup_leaves_nothing_that_looks_like_one(sample_db: Database) -> None:
    folder = sample_db.path.parent / "backups"
    folder.mkdir()
    leftover = folder / ".sample-20260101-000000-before-import.sqlite.999999999.partial"
    leftover.write_bytes(b"half")
    assert list_backups(sample_db.path) == []
    assert not leftover.exists()
    assert sweep_partial_backups(folder) == []
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_full_disk_mid_backup_leaves_no_backup(sample_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import scr_desk.db.backup as backup

    def full(_source: Path, target: Path, *, journal_mode: str) -> None:
        Path(target).write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(backup, "copy_database", full)
    with pytest.raises(sqlite3.OperationalError):
        backup_database(sample_db.path, "before-import")
    assert list((sample_db.path.parent / "backups").iterdir()) == []


def test_restore_never_lets_a_raw_sqlite_error_out(sample_db_path: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    with pytest.raises(BackupError):
        restore_backup(sample_db_path, junk)
    assert open_database(sample_db_path).database_uid


def test_backups_and_restore_commands(sample_db_path: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN an import (which takes a backup first)
    database = open_database(sample_db_path)
    before = dump_records(database.sessions)
    apply_plan(database, plan_import(database, legacy_tracker(tmp_path / "tracker.xlsx")))
    database.close()
    # WHEN the backups are listed
    code, out, _ = run(capsys, "backups", "--db", str(sample_db_path))
    assert code == 0 and "before an import" in out and " KB" in out
    # AND the newest is restored
    code, out, _ = run(capsys, "restore", "--db", str(sample_db_path))
    assert code == 0 and "checked it: sound" in out and "kept as" in out
    # THEN the database is as it was before the import, and the replaced file is kept
    reopened = open_database(sample_db_path)
    assert dump_records(reopened.sessions) == before
    reopened.close()
    assert any(b.reason == "before-restore" for b in list_backups(sample_db_path))


def test_a_damaged_database_is_restored_and_the_damaged_file_kept(sample_db: Database,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    backup_database(sample_db.path, "manual")
    path = sample_db.path
    sample_db.close()
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)
    path.write_bytes(bytes(data))
    code, out, err = run(capsys, "restore", "--db", str(path))
    assert code == 0, err
    assert open_database(path).database_uid
    assert any(p.name.endswith(".replaced-damaged") for p in (path.parent / "backups").iterdir())


# --- idle means whole -------------------------------------------------------------------------
def test_an_import_is_in_the_sqlite_file_alone(sample_db: Database, tmp_path: Path) -> None:
    apply_plan(sample_db, plan_import(sample_db, legacy_tracker(tmp_path / "tracker.xlsx")))
    wal = Path(f"{sample_db.path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(sample_db.path.read_bytes())
    assert sqlite3.connect(copy).execute("SELECT count(*) FROM import_batch").fetchone() == (1,)


def test_check_reports_a_leftover_wal(sample_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with sample_db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE agency SET contact_name = 'x'")
    code, out, _ = run(capsys, "check", "--db", str(sample_db.path))
    assert code == 0 and "not yet folded into" in out


# --- a hostile file is refused before anything runs -------------------------------------------
def test_a_planted_trigger_is_refused_before_anything_runs(sample_db_path: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    raw = sqlite3.connect(sample_db_path)
    raw.execute("CREATE TABLE loot (x)")
    raw.execute("CREATE TRIGGER steal AFTER INSERT ON progress_update BEGIN INSERT INTO loot VALUES (1); END")
    raw.commit()
    raw.close()
    with pytest.raises(UnexpectedSchemaError, match="trigger"):
        open_database(sample_db_path)
    code, _, err = run(capsys, "import", "--db", str(sample_db_path), str(legacy_tracker(tmp_path / "t.xlsx")))
    assert code == 1 and err.count("\n") == 1 and "trigger" in err
    code, out, _ = run(capsys, "check", "--db", str(sample_db_path))
    assert code == 1 and "'steal'" in out and "'loot'" in out
    assert sqlite3.connect(sample_db_path).execute("SELECT count(*) FROM loot").fetchone() == (0,)


def test_unknown_values_are_shown_marked_and_crash_nothing(sample_db_path: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a status from a newer version (with control characters), a date typed as text and
    # bytes in a text field
    raw = sqlite3.connect(sample_db_path)
    raw.execute("UPDATE recommendation SET status = 'Paused\x01\x1b' WHERE number = '1'")
    raw.execute("UPDATE recommendation SET target_date = '01/02/2021' WHERE number = '3'")
    raw.execute("UPDATE progress_update SET narrative = x'00ff41' WHERE id = (SELECT min(id) FROM progress_update)")
    raw.commit()
    raw.close()
    # THEN dump, export, the Word report, import and check all work
    code, out, err = run(capsys, "dump", "--db", str(sample_db_path))
    assert code == 0, err
    assert "Paused\\u0001\\u001b (unknown)" in out
    assert run(capsys, "export", "--db", str(sample_db_path), "--out", str(tmp_path / "full.xlsx"))[0] == 0
    assert run(capsys, "export", "--db", str(sample_db_path), "--agency", "Hampshire Constabulary",
               "--out", str(tmp_path / "return.xlsx"))[0] == 0
    # (the Word report's control characters are the reports' own test)
    assert run(capsys, "report", "--db", str(sample_db_path), "--out", str(tmp_path / "r.pdf"))[0] == 0
    assert run(capsys, "import", "--db", str(sample_db_path), str(legacy_tracker(tmp_path / "t.xlsx")))[0] == 0
    code, out, _ = run(capsys, "check", "--db", str(sample_db_path))
    assert code == 0 and "Values this version does not know" in out
    assert "recommendation.status" in out and "recommendation.target_date" in out and "progress_update.narrative" in out
    database = open_database(sample_db_path, read_only=True)
    from scr_desk.services.tree import load_tree
    load_tree(database.sessions)
    database.close()
