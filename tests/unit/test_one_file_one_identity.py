"""One file, one identity, one path: a copy opened beside its original becomes a database of its
own; a moved file stays itself; a symbolic link is followed once, so a restore through it puts
the backup into the real file and leaves the link a link."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scr_desk.cli import main
from scr_desk.db.backup import list_backups, read_database_uid
from scr_desk.db.engine import Database, open_database
from tests.records_kit import records
from tests.returns_kit import export, fill
from tests.workbooks import legacy_tracker


def test_a_same_stem_copy_gets_an_identity_of_its_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: `cases.db`, a copy of `cases.sqlite` with the same identity, pruned the original's
    backups and had its data restored into the original."""
    original, copy = tmp_path / "cases.sqlite", tmp_path / "cases.db"
    assert main(["demo", "--db", str(original)]) == 0
    shutil.copy2(original, copy)
    assert read_database_uid(copy) == read_database_uid(original)
    tracker = legacy_tracker(tmp_path / "t.xlsx")
    assert main(["import", "--db", str(original), str(tracker)]) == 0
    [originals_backup] = list_backups(original)
    assert main(["import", "--db", str(copy), str(tracker)]) == 0  # opened for writing as the copy it is
    assert read_database_uid(copy) != read_database_uid(original)
    assert list_backups(original) == [originals_backup] and len(list_backups(copy)) == 1
    assert list_backups(copy)[0].uid == read_database_uid(copy)
    capsys.readouterr()
    # Restoring the copy puts back the copy's own backup, never the original's data into it, nor its into the original
    assert main(["restore", "--db", str(copy)]) == 0
    assert str(list_backups(copy)[-1].path) in capsys.readouterr().out
    assert main(["restore", "--db", str(original), "--from", str(list_backups(copy)[-1].path)]) == 1
    assert "is a backup of another database" in capsys.readouterr().err


def test_the_originals_returns_are_refused_by_a_copy(with_actions: Database, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    sent = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "Training delivered"}})
    original = with_actions.path
    with_actions.close()
    copy = tmp_path / "copy.sqlite"
    shutil.copy2(original, copy)
    # A dry run predicts the refusal, and writes nothing (not even the copy's new identity)
    assert main(["import", "--db", str(copy), str(sent), "--dry-run"]) == 1
    assert f"was sent from another database, {original.name}" in capsys.readouterr().err
    assert read_database_uid(copy) == read_database_uid(original)
    assert main(["import", "--db", str(copy), str(sent)]) == 1
    assert f"was sent from another database, {original.name}" in capsys.readouterr().err
    assert main(["import", "--db", str(original), str(sent)]) == 0  # the original takes it in


def test_a_moved_database_keeps_its_identity(sample_db_path: Path, tmp_path: Path) -> None:
    database = open_database(sample_db_path)
    uid = database.database_uid
    database.close()
    moved = tmp_path / "moved" / "partnership.sqlite"
    moved.parent.mkdir()
    sample_db_path.rename(moved)
    reopened = open_database(moved)
    assert reopened.database_uid == uid  # a move (or a copy taken to another computer) is the same database
    reopened.close()
    assert read_database_uid(moved) == uid


def test_a_restore_through_a_link_restores_the_file_it_names(sample_db_path: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: a restore through a symlinked --db replaced the link with a plain file and left
    the real database unrestored."""
    before = records(sample_db_path)
    elsewhere = tmp_path / "shortcuts"
    elsewhere.mkdir()
    link = elsewhere / "cases.sqlite"
    link.symlink_to(sample_db_path)
    assert main(["import", "--db", str(link), str(legacy_tracker(tmp_path / "t.xlsx"))]) == 0
    assert len(list_backups(sample_db_path)) == 1 and not (elsewhere / "backups").exists()
    assert main(["restore", "--db", str(link)]) == 0
    assert link.is_symlink() and link.resolve() == sample_db_path.resolve()
    assert records(sample_db_path) == before
    assert main(["check", "--db", str(link)]) == 0
