"""Faults survived: a process killed mid-import, a full disk during import and export, and
restoring from a backup. The database is left as it was, or holds all of the batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from scr_desk.cli import main
from scr_desk.db.backup import list_backups
from scr_desk.db.engine import Database, open_database
from scr_desk.db.restore import restore_backup
from scr_desk.services.dump import dump_records
from scr_desk.services.imports.apply import ImportRefused
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from tests.workbooks import legacy_tracker

KILL_DURING_APPLY = """
import os, signal, sys
from scr_desk.db.engine import open_database
from scr_desk.services.imports import apply as applying
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.imports.importer import plan_import

when = sys.argv[3]
real_flush = applying.BatchWriter.flush

def flush_then_die(self):
    real_flush(self)  # every row of the batch is written, inside the transaction...
    if when == "before-commit":
        os.kill(os.getpid(), signal.SIGKILL)  # ...and the process dies before it commits

applying.BatchWriter.flush = flush_then_die
database = open_database(sys.argv[1])
result = apply_plan(database, plan_import(database, sys.argv[2]))
if when == "after-commit":
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize(("when", "expect_batch"), [("before-commit", False), ("after-commit", True)])
def test_killed_during_an_import(sample_db_path: Path, tmp_path: Path, when: str, expect_batch: bool,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    tracker = legacy_tracker(tmp_path / "tracker.xlsx")
    before = open_database(sample_db_path)
    planned = plan_import(before, tracker)
    expected_updates = planned.counts()["new_updates"]
    dump_before = dump_records(before.sessions)
    before.close()
    process = subprocess.run([sys.executable, "-c", KILL_DURING_APPLY, str(sample_db_path), str(tracker), when],
                             capture_output=True, text=True, timeout=120)
    assert process.returncode == -signal.SIGKILL
    assert main(["check", "--db", str(sample_db_path)]) == 0
    assert "Integrity: sound" in capsys.readouterr().out
    after = open_database(sample_db_path)
    batches = plan_import(after, tracker)
    if expect_batch:  # all of the batch is there: importing it again adds nothing
        assert batches.counts()["new_updates"] == 0 and batches.already_imported
        assert batches.counts()["created_actions"] == 0 and dump_records(after.sessions) != dump_before
    else:  # none of it is
        assert dump_records(after.sessions) == dump_before
        assert batches.counts()["new_updates"] == expected_updates
    after.close()


def test_disk_full_during_an_import(sample_db: Database, tmp_path: Path) -> None:
    before = dump_records(sample_db.sessions)
    raw = sample_db.engine.raw_connection()
    raw.driver_connection.execute("VACUUM")  # type: ignore[union-attr]  # no free pages left by the upgrades to fill
    raw.close()
    with sample_db.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(sample_db.engine, "connect")
    def _small_disk(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 1}")
    sample_db.engine.dispose()  # new connections get the limit: the "disk" is nearly full
    plan = plan_import(sample_db, legacy_tracker(tmp_path / "tracker.xlsx"))
    with pytest.raises(ImportRefused, match="disk is full"):
        apply_plan(sample_db, plan)
    event.remove(sample_db.engine, "connect", _small_disk)
    sample_db.engine.dispose()
    assert dump_records(sample_db.sessions) == before


EXPORT_ON_A_FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))  # SQLite's -shm file (32 KB) still fits
from scr_desk.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_disk_full_during_an_export(tmp_path: Path) -> None:
    from scr_desk.db.engine import create_database
    from scr_desk.services.synthetic import QUICK, add_synthetic_data
    sample_db_path = tmp_path / "quick.sqlite"
    database = create_database(sample_db_path)
    add_synthetic_data(database.sessions, QUICK)  # a workbook far larger than the limit below
    database.close()
    out = tmp_path / "out" / "full.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"last quarter's workbook")
    env = {**os.environ, "SCR_DESK_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-c", EXPORT_ON_A_FULL_DISK, "export", "--db", str(sample_db_path),
                             "--out", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "not enough disk space" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert out.read_bytes() == b"last quarter's workbook"
    assert [p.name for p in out.parent.iterdir()] == ["full.xlsx"]  # no half-written file left beside it


def test_restore_from_a_backup(sample_db: Database, tmp_path: Path) -> None:
    before = dump_records(sample_db.sessions)
    apply_plan(sample_db, plan_import(sample_db, legacy_tracker(tmp_path / "tracker.xlsx")))
    assert dump_records(sample_db.sessions) != before
    [backup] = [entry.path for entry in list_backups(sample_db.path)]
    sample_db.close()
    safety = restore_backup(sample_db.path, backup).kept
    reopened = open_database(sample_db.path)
    assert dump_records(reopened.sessions) == before
    assert safety.exists() and "before-restore" in safety.name
    reopened.close()


def test_a_damaged_backup_is_not_restored(sample_db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(sample_db_path.read_bytes()[:4096] + b"\xff" * 40960)
    with pytest.raises(ValueError):
        restore_backup(sample_db_path, bad)
    assert open_database(sample_db_path).database_uid
