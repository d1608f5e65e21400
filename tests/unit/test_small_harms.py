"""The audit's small ones: a schema redefined under its own names, a disk I/O error on a full disk,
noncharacters in text, a 0-byte or garbled window lock, a read-only look that left its -wal and
-shm behind unwritable."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database, open_database
from scr_desk.db.errors import UnexpectedSchemaError
from scr_desk.services import items
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.tree import load_tree
from tests.returns_kit import export, fill
from tests.workbooks import legacy_tracker

pytestmark = pytest.mark.both_engines


def _rewrite_schema(path: Path, name: str, old: str, new: str) -> None:
    """Change one object's stored definition in place, as another tool (or an attacker) can."""
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA writable_schema=ON")
    (sql,) = raw.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    assert old in sql
    raw.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (sql.replace(old, new), name))
    raw.commit()
    raw.close()


@pytest.mark.parametrize(("name", "old", "new", "said"), [
    ("agency", "CONSTRAINT pk_agency PRIMARY KEY (id)",
     "CONSTRAINT pk_agency PRIMARY KEY (id), CONSTRAINT short CHECK (length(name) < 3)",
     "table 'agency' has a CHECK constraint SCR Desk does not define (length(name)<3)"),
    ("recommendation", "REFERENCES agency (id) ON DELETE SET NULL", "REFERENCES agency (id) ON DELETE CASCADE",
     "table 'recommendation' has a reference SCR Desk does not define (lead_agency_id to agency.id, on delete "
     "cascade"),
    ("ix_progress_update_origin_key", "CREATE INDEX ix_progress_update_origin_key ON progress_update (origin_key)",
     "CREATE UNIQUE INDEX ix_progress_update_origin_key ON progress_update (origin_key) WHERE origin_key > 'm'",
     "table 'progress_update' has an index SCR Desk does not define (unique on origin_key, on some rows only)"),
])
def test_a_definition_redefined_under_its_own_name_is_not_sound(sample_db_path: Path, name: str, old: str,
                                                                new: str, said: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: a CHECK constraint, a cascade or a unique index redefined in the file passed
    `check` as sound, as only names were compared."""
    _rewrite_schema(sample_db_path, name, old, new)
    with pytest.raises(UnexpectedSchemaError):
        open_database(sample_db_path)
    assert main(["check", "--db", str(sample_db_path)]) == 1
    out = capsys.readouterr().out
    assert said in out and "Integrity: sound" not in out


def test_the_apps_own_schema_has_no_differences(sample_db_path: Path, empty_db_path: Path) -> None:
    from scr_desk.db.schema_check import schema_differences
    for path in (sample_db_path, empty_db_path):
        connection = sqlite3.connect(path)
        assert schema_differences(connection, current=True) == []
        connection.close()


def test_text_no_cell_can_hold_gives_no_false_locked_column_warning(with_actions: Database, tmp_path: Path) -> None:
    """The harm: text with U+FFFE/U+FFFF gave false 'locked column changed' warnings."""
    rec = next(n for n in load_tree(with_actions.sessions).walk() if n.reference == "CLARE-R3")
    items.update_recommendation(with_actions.sessions, rec.id, {"text": "Professional curiosity \ufffe about \uffff"})
    sent = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "Training delivered"}})
    plan = plan_import(with_actions, sent)
    assert plan.errors == [] and plan.warnings == []
    book = openpyxl.load_workbook(sent)
    book["Returns"]["E3"] = "Edited by the partner"  # a real edit of a locked column is still said
    book.save(sent)
    assert any("was changed from" in w.text for w in plan_import(with_actions, sent).warnings)


def test_a_look_at_a_read_only_file_leaves_nothing_that_blocks_writing_later(
        sample_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The harm: `check` on a read-only file left -wal and -shm at mode 0400; once the file was
    writable again every write was refused as read-only until they were deleted by hand."""
    import os
    import stat

    from scr_desk.db import engine
    from scr_desk.db.identity import database_files
    os.chmod(sample_db_path, 0o400)
    monkeypatch.setattr(engine, "let_go_of_log", lambda path: None)  # nothing tidies up after the look
    try:
        assert main(["check", "--db", str(sample_db_path)]) == 0
        assert main(["dump", "--db", str(sample_db_path), "--out", str(tmp_path / "all.json")]) == 0
        assert [p.name for p in database_files(sample_db_path, with_main=False) if p.exists()] == []
    finally:
        os.chmod(sample_db_path, 0o600)
    # Leftovers from an earlier version's look are healed when the file is next written
    for part in database_files(sample_db_path, with_main=False)[:2]:
        part.write_bytes(b"")
        os.chmod(part, 0o400)
    database = open_database(sample_db_path)
    try:
        assert [stat.S_IMODE(p.stat().st_mode) for p in database_files(sample_db_path, with_main=False)[:2]] == \
            [0o600, 0o600]
    finally:
        database.close()
    assert main(["import", "--db", str(sample_db_path), str(legacy_tracker(tmp_path / "t.xlsx"))]) == 0


def test_a_full_disk_is_called_full(tiny_disk: Path, sample_db_path: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: on a full disk SQLite reports a 'disk I/O error', and the lead was told the disk
    could not be read or written rather than that it is full."""
    import shutil
    database = tiny_disk / "cases.sqlite"
    shutil.copy(sample_db_path, database)
    before = database.read_bytes()
    filler = tiny_disk / "filler"
    import os
    handle = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        while True:  # every byte the disk has left
            os.write(handle, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(handle)
    tracker = legacy_tracker(tmp_path / "t.xlsx")
    assert main(["import", "--db", str(database), str(tracker)]) == 1
    err = capsys.readouterr().err
    assert "the disk is full" in err and "I/O" not in err and err.count("\n") == 1, err
    filler.unlink()
    assert database.read_bytes() == before
    assert main(["import", "--db", str(database), str(tracker)]) == 0  # with room again, it goes in
