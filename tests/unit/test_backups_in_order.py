"""Backups in the order they were taken, whatever the clock said; restoring twice never undoes
the first restore; the safety copies of the last imports outlive a run of restores; plain labels;
`restore` says which backup it uses before it does; a killed restore leaves nothing to trip over."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from scr_desk.cli import main
from scr_desk.db import backup as backup_module
from scr_desk.db.backup import backup_database, list_backups
from scr_desk.db.restore import sweep_restoring_copies
from tests.records_kit import records
from tests.workbooks import legacy_tracker


class _Clock(datetime):
    """The computer's clock, set to 2031 by mistake for one import."""

    @classmethod
    def now(cls, tz: object = None) -> _Clock:  # type: ignore[override]
        return cls(2031, 5, 1, 9, 0, 0)


def test_a_clock_jump_never_makes_an_older_backup_the_newest(sample_db_path: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: one import run with the clock at 2031 made its backup 'the newest', and
    `restore` then dropped four later imports."""
    with monkeypatch.context() as clock_wrong:
        clock_wrong.setattr(backup_module, "datetime", _Clock)
        jumped = backup_database(sample_db_path, "before-import")
    assert "20310501-090000" in jumped.name
    later = [backup_database(sample_db_path, "before-import") for _ in range(4)]
    assert [entry.path for entry in list_backups(sample_db_path)] == [*reversed(later), jumped]
    assert main(["restore", "--db", str(sample_db_path)]) == 0
    assert f"from {later[-1]}, its newest backup" in capsys.readouterr().out


def test_restoring_twice_never_undoes_the_first_restore(sample_db_path: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: the second `restore` put back the copy taken before the first, undoing it."""
    before_import = records(sample_db_path)
    assert main(["import", "--db", str(sample_db_path), str(legacy_tracker(tmp_path / "t.xlsx"))]) == 0
    assert main(["restore", "--db", str(sample_db_path)]) == 0
    assert records(sample_db_path) == before_import
    capsys.readouterr()
    assert main(["restore", "--db", str(sample_db_path)]) == 1
    err = capsys.readouterr().err
    assert "was restored from its newest backup (taken " in err and "already" in err and "--from FILE" in err
    assert records(sample_db_path) == before_import  # still as the first restore left it
    # The copy the restore kept can still be named, to undo the restore itself.
    kept = next(entry.path for entry in list_backups(sample_db_path) if entry.reason == "before-restore")
    assert main(["restore", "--db", str(sample_db_path), "--from", str(kept)]) == 0
    assert records(sample_db_path) != before_import


def test_a_run_of_restores_never_prunes_the_copies_from_before_the_last_imports(sample_db_path: Path) -> None:
    """The harm: pruning to ten deleted every 'before import' backup."""
    imports = [backup_database(sample_db_path, "before-import") for _ in range(4)]
    for _ in range(14):
        backup_database(sample_db_path, "before-restore")
    left = list_backups(sample_db_path)
    assert {entry.path for entry in left} >= set(imports[-3:])  # the last three imports' copies stay
    assert sum(entry.reason == "before-import" for entry in left) == 3
    assert sum(entry.reason == "before-restore" for entry in left) == 10
    assert not imports[0].exists()


def test_backups_taken_in_one_second_are_labelled_plainly(sample_db_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: two backups in one second were labelled 'before before import 2'."""
    moment = datetime(2026, 11, 26, 13, 30, 0)
    for reason in ("before-import", "before-import", "before-restore", "before merging agencies", "manual"):
        backup_database(sample_db_path, reason, now=moment)
    assert main(["backups", "--db", str(sample_db_path)]) == 0
    out = capsys.readouterr().out
    assert "before before" not in out and " 2 " not in out.replace("2026", "")
    assert out.count("before an import") == 2 and out.count("before a restore") == 1
    assert out.count("before a merge of agencies") == 1 and out.count("by hand") == 1
    labels = [entry.label for entry in list_backups(sample_db_path)]
    assert labels[-1] == "taken 26/11/2026 13:30 before an import" and labels[0] == "taken 26/11/2026 13:30 by hand"


def test_restore_says_which_backup_it_uses_before_it_does(sample_db_path: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--db", str(sample_db_path), str(legacy_tracker(tmp_path / "t.xlsx"))]) == 0
    [backup] = list_backups(sample_db_path)
    capsys.readouterr()
    assert main(["restore", "--db", str(sample_db_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (f"Restoring {sample_db_path.resolve()} from {backup.path}, its newest backup "
                      f"({backup.label}).")
    assert out[1] == f"Restored {sample_db_path.resolve()} and checked it: sound."


def test_a_file_called_backups_never_blocks_the_imports(sample_db_path: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: `dump --out backups` made a file where the backups folder goes, and every later
    import failed."""
    in_the_way = sample_db_path.parent / "backups"
    assert main(["dump", "--db", str(sample_db_path), "--out", str(in_the_way)]) == 1
    assert "the backups of the database beside it are kept in a folder of that name" in capsys.readouterr().err
    assert not in_the_way.exists()
    in_the_way.write_text("a file someone saved here")  # made by another program
    before = records(sample_db_path)
    assert main(["import", "--db", str(sample_db_path), str(legacy_tracker(tmp_path / "t.xlsx"))]) == 1
    err = capsys.readouterr().err
    assert f"no backup could be made: {in_the_way} is a file, not the backups folder" in err
    assert err.count("\n") == 1 and records(sample_db_path) == before


KILL_DURING_RESTORE = """
import os, signal, sys
from scr_desk.cli import main
from scr_desk.db import restore

real_copy = restore.copy_database

def copy_then_die(source, target, **kwargs):
    real_copy(source, target, **kwargs)  # the whole copy is written beside the database...
    os.kill(os.getpid(), signal.SIGKILL)  # ...and the process dies before the swap

restore.copy_database = copy_then_die
sys.exit(main(sys.argv[1:]))
"""


def test_a_killed_restore_leaves_the_database_and_no_copy_behind(sample_db_path: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: a killed restore left a full copy `.restoring.<pid>` that was never swept."""
    assert main(["import", "--db", str(sample_db_path), str(legacy_tracker(tmp_path / "t.xlsx"))]) == 0
    after_import = records(sample_db_path)
    killed = subprocess.run([sys.executable, "-c", KILL_DURING_RESTORE, "restore", "--db", str(sample_db_path)],
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    leftovers = [p for p in sample_db_path.parent.iterdir() if ".restoring." in p.name]
    assert leftovers and records(sample_db_path) == after_import  # the database as it was
    assert main(["restore", "--db", str(sample_db_path)]) == 0
    assert not [p for p in sample_db_path.parent.iterdir() if ".restoring." in p.name]
    assert main(["check", "--db", str(sample_db_path)]) == 0
    assert sweep_restoring_copies(sample_db_path) == []


def test_backups_are_numbered_in_the_order_taken(sample_db_path: Path) -> None:
    start = datetime(2026, 1, 1)
    taken = [backup_database(sample_db_path, "before-import", now=start - timedelta(days=n)) for n in range(3)]
    assert [entry.seq for entry in list_backups(sample_db_path)] == [3, 2, 1]
    assert [entry.path for entry in list_backups(sample_db_path)] == list(reversed(taken))
