"""A plain copy of a database keeps its identity; the backups of one file still stay with that
file: never offered to, restored into or pruned by the copy, unless the lead names one and says so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scr_desk.cli import main
from scr_desk.db.backup import backup_database, backups_of_other_files, list_backups, read_database_uid
from scr_desk.db.errors import ForeignBackupError
from scr_desk.db.restore import belongs, restore_backup
from tests.records_kit import records
from tests.workbooks import legacy_tracker


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_copys_restore_never_puts_back_the_originals_data(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN d1, a plain copy d2 of it (the same identity), and an import into d1 (so d1 has a backup)
    d1, d2 = tmp_path / "d1.sqlite", tmp_path / "d2.sqlite"
    assert run(capsys, "demo", "--db", str(d1))[0] == 0
    shutil.copy2(d1, d2)
    assert read_database_uid(d1) == read_database_uid(d2)
    assert run(capsys, "import", "--db", str(d1), str(legacy_tracker(tmp_path / "t.xlsx")))[0] == 0
    assert len(list_backups(d1)) == 1
    d2_before = records(d2)
    # WHEN d2 is restored, THEN d1's backup is not offered: nothing is restored, and the sentence says why
    code, _, err = run(capsys, "restore", "--db", str(d2))
    assert code == 1 and "d2.sqlite has no backups" in err and "1 backup there of d1" in err and "--foreign" in err
    assert records(d2) == d2_before
    # AND `backups` (and the window's restore, which lists through the same function) shows none of d1's
    code, out, _ = run(capsys, "backups", "--db", str(d2))
    assert code == 0 and "has no backups" in out and "1 backup there of d1" in out
    assert list_backups(d2) == [] and len(backups_of_other_files(d2)) == 1
    code, out, _ = run(capsys, "backups", "--db", str(d1))
    assert code == 0 and "Backups of" in out and "Not listed" not in out
    # AND naming d1's backup is refused as another file's, unless --foreign says so
    d1_backup = list_backups(d1)[0].path
    assert belongs(d2, d1_backup) is False and belongs(d1, d1_backup) is True
    code, _, err = run(capsys, "restore", "--db", str(d2), "--from", str(d1_backup))
    assert code == 1 and "a backup of another file, d1" in err and "--foreign" in err, err
    assert records(d2) == d2_before
    code, out, _ = run(capsys, "restore", "--db", str(d2), "--from", str(d1_backup), "--foreign")
    assert code == 0 and "Restored" in out
    # AND d1 still restores its own
    code, out, _ = run(capsys, "restore", "--db", str(d1))
    assert code == 0 and f"from {d1_backup}" in out


def test_a_copys_backups_never_prune_the_originals(tmp_path: Path) -> None:
    d1 = tmp_path / "d1.sqlite"
    assert main(["demo", "--db", str(d1)]) == 0
    d2 = Path(shutil.copy2(d1, tmp_path / "d2.sqlite"))
    backup_database(d1, "manual")
    for _ in range(12):
        backup_database(d2, "before-import")
    assert len(list_backups(d1)) == 1 and len(list_backups(d2)) == 10
    with pytest.raises(ForeignBackupError, match="another file, d2"):
        restore_backup(d1, list_backups(d2)[0].path)
