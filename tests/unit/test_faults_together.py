"""Faults met together: a restore against an import (killed, or on a full disk), and tracker
imports at once. Nothing that was said to be saved is lost; the database is left whole."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from scr_desk.cli import main
from scr_desk.db.backup import list_backups
from tests.records_kit import records
from tests.workbooks import legacy_tracker

CLI = "import sys; from scr_desk.cli import main; sys.exit(main(sys.argv[1:]))"


def fill_disk(folder: Path) -> Path:
    """Write until the disk holding `folder` has no byte left; the filler file is returned."""
    filler = folder / "filler"
    handle = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        while True:
            os.write(handle, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(handle)
    return filler


def test_a_full_disk_during_a_restore_leaves_the_database_as_it_was(tiny_disk: Path, sample_db_path: Path,
                                                                    tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    database = tiny_disk / "cases.sqlite"
    shutil.copy(sample_db_path, database)
    assert main(["import", "--db", str(database), str(legacy_tracker(tmp_path / "t.xlsx"))]) == 0
    after_import = database.read_bytes()
    filler = fill_disk(tiny_disk)
    capsys.readouterr()
    assert main(["restore", "--db", str(database)]) == 1
    err = capsys.readouterr().err
    assert "the disk is full" in err and err.count("\n") == 1, err
    assert database.read_bytes() == after_import
    assert [p.name for p in tiny_disk.iterdir() if ".restoring." in p.name or p.name.endswith("damaged")] == []
    assert [entry.reason for entry in list_backups(database)] == ["before-import"]
    filler.unlink()
    assert main(["restore", "--db", str(database)]) == 0


def test_the_same_tracker_imported_four_times_at_once_lands_once(sample_db_path: Path, tmp_path: Path) -> None:
    tracker = legacy_tracker(tmp_path / "t.xlsx")
    command = [sys.executable, "-c", CLI, "import", "--db", str(sample_db_path), str(tracker)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: subprocess.run(command, capture_output=True, text=True, timeout=300),
                                range(4)))
    assert all(result.returncode == 0 for result in results), [r.stderr for r in results]
    outs = [result.stdout for result in results]
    assert sum(out.startswith("Imported t.xlsx") for out in outs) == 1
    assert sum(out.startswith("Imported nothing new from t.xlsx") for out in outs) == 3
    connection = sqlite3.connect(sample_db_path)
    assert connection.execute("SELECT count(*) FROM import_batch").fetchone() == (1,)
    connection.close()


PAUSED = """
import os, signal, sys
from scr_desk.cli import main
from scr_desk.db import restore
from scr_desk.services.imports import together

def pause(*args, **kwargs):
    print("paused", flush=True)
    sys.stdin.readline()  # killed here by the test
    raise SystemExit("not reached")

together.import_files = pause
restore.copy_database = lambda *args, **kwargs: pause()
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("killed", ["import", "restore"])
def test_a_writer_killed_while_the_other_waits_lets_it_go_on(sample_db_path: Path, tmp_path: Path,
                                                            killed: str) -> None:
    """A restore waiting behind an import that dies (or an import behind a restore that dies) goes
    on at once, against the database as the dead one left it: whole."""
    tracker = legacy_tracker(tmp_path / "t.xlsx")
    assert main(["import", "--db", str(sample_db_path), str(tracker)]) == 0  # a backup to restore
    before = records(sample_db_path)
    first = [killed, "--db", str(sample_db_path)] + ([str(legacy_tracker(tmp_path / "u.xlsx"))]
                                                      if killed == "import" else [])
    dying = subprocess.Popen([sys.executable, "-c", PAUSED, *first], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)
    assert dying.stdout is not None and "paused\n" in iter(dying.stdout.readline, "")  # (a restore says which first)
    other = ["restore"] if killed == "import" else ["import", str(tracker)]
    waiting = subprocess.Popen([sys.executable, "-c", CLI, *other, "--db", str(sample_db_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert waiting.stderr is not None and "waiting for it to finish" in waiting.stderr.readline()
    dying.send_signal(signal.SIGKILL)
    dying.wait(60)
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert main(["check", "--db", str(sample_db_path)]) == 0
    if killed == "import":  # the restore went back to before the first import
        assert "Restored" in out and records(sample_db_path) != before
    else:  # the import found the file as it was, and its tracker already in
        assert "Imported nothing new from t.xlsx" in out and records(sample_db_path) == before
