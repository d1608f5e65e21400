"""The one writer lock: a restore and an import (or any two writers) never overlap, a killed
writer lets go at once, and a command that waits says what it waits for."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import openpyxl
import pytest

from scr_desk.cli import main
from scr_desk.db.writer_lock import WriterBusyError, is_writing, lock_file_for, read_note, writer_lock
from tests.workbooks import legacy_tracker

# An import that stops once it has opened the database and read the file, until told to go on:
# the moment at which, before the lock, a restore swapped the file under it.
PAUSED_IMPORT = """
import sys
from scr_desk.cli import main
from scr_desk.services.imports import together

real_import = together.import_files

def paused(*args, **kwargs):
    print("opened", flush=True)
    sys.stdin.readline()
    return real_import(*args, **kwargs)

together.import_files = paused
sys.exit(main(sys.argv[1:]))
"""


def _cli(*args: str, stdin: int | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", PAUSED_IMPORT if stdin else "import sys; from scr_desk.cli "
                             "import main; sys.exit(main(sys.argv[1:]))", *args], stdin=stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _holding(path: Path, text: str) -> list[str]:
    """The files (the database and its backups) whose updates include one saying `text`."""
    found = []
    for candidate in [path, *sorted((path.parent / "backups").glob("*.sqlite"))]:
        connection = sqlite3.connect(candidate)
        try:
            if connection.execute("SELECT count(*) FROM progress_update WHERE narrative = ?", (text,)).fetchone()[0]:
                found.append(candidate.name)
        finally:
            connection.close()
    return found


def test_a_restore_during_an_import_loses_nothing(sample_db_path: Path, tmp_path: Path) -> None:
    """The harm: a restore swapped the file while an import had it open; the import said
    'Imported … 1 new update' and its update was in neither the database nor any backup."""
    tracker = legacy_tracker(tmp_path / "tracker.xlsx")
    assert main(["import", "--db", str(sample_db_path), str(tracker)]) == 0  # a backup to restore
    book = openpyxl.load_workbook(tracker)
    book["Clare"]["H4"] = "Audit repeated in January"
    book["Clare"]["I4"] = "15/01/2021"
    book.save(tmp_path / "january.xlsx")
    importing = _cli("import", "--db", str(sample_db_path), str(tmp_path / "january.xlsx"), stdin=subprocess.PIPE)
    assert importing.stdout is not None and importing.stdin is not None
    assert importing.stdout.readline().strip() == "opened"
    restoring = _cli("restore", "--db", str(sample_db_path))
    assert restoring.stderr is not None
    first = restoring.stderr.readline()  # the restore either waits (and says so) or has finished
    imported_out, imported_err = importing.communicate("go\n", timeout=120)
    restored_out, restored_err = restoring.communicate(timeout=120)
    assert importing.returncode == 0 and "Imported january.xlsx" in imported_out, imported_err
    assert restoring.returncode == 0, first + restored_err
    # What the import said it imported is kept: it landed before the restore, so the copy kept
    # before restoring holds it.
    assert [name for name in _holding(sample_db_path, "Audit repeated in January") if "before-restore" in name]
    assert "is being written by an import in process" in first and "waiting for it to finish" in first
    assert main(["check", "--db", str(sample_db_path)]) == 0


def test_the_lock_is_reentrant_and_other_threads_wait(sample_db_path: Path) -> None:
    order: list[str] = []
    with writer_lock(sample_db_path, "an import") as real:
        assert real == sample_db_path.resolve() and is_writing(sample_db_path)
        with writer_lock(sample_db_path, "its backup"):  # the same thread goes on
            order.append("inner")
        note = read_note(sample_db_path)
        assert note is not None and note.pid == os.getpid() and note.purpose == "an import"
        entered = threading.Event()

        def other() -> None:
            with writer_lock(sample_db_path, "a restore"):
                order.append("other")
                entered.set()
        thread = threading.Thread(target=other)
        thread.start()
        assert not entered.wait(0.2)  # it waits while this thread holds the lock
        order.append("outer done")
    thread.join(10)
    assert order == ["inner", "outer done", "other"]
    assert not lock_file_for(sample_db_path).exists() and not is_writing(sample_db_path)


def test_a_writer_that_cannot_wait_names_the_one_writing(sample_db_path: Path) -> None:
    told: list[str] = []
    with writer_lock(sample_db_path, "a restore"):
        thread_error: list[BaseException] = []

        def other() -> None:
            try:
                with writer_lock(sample_db_path, "an import", wait=0.1, on_wait=told.append):
                    pass
            except WriterBusyError as exc:
                thread_error.append(exc)
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(10)
    [error] = thread_error
    assert f"is being written by another SCR Desk command (a restore in process {os.getpid()}, since" in str(error)
    assert str(error).endswith("try again when it has finished. The file has not been changed.")
    assert told == [f"{sample_db_path.name} is being written by a restore in process {os.getpid()}, since "
                    f"{told[0].split('since ')[1]}"]


HOLD_AND_DIE = """
import os, signal, sys
from scr_desk.db.writer_lock import writer_lock
with writer_lock(sys.argv[1], "an import"):
    print("holding", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_writer_lets_go_at_once(sample_db_path: Path) -> None:
    process = subprocess.run([sys.executable, "-c", HOLD_AND_DIE, str(sample_db_path)], capture_output=True,
                             text=True, timeout=60)
    assert process.returncode == -signal.SIGKILL and process.stdout == "holding\n"
    assert lock_file_for(sample_db_path).exists()  # its note is left behind, but nobody holds the lock
    with writer_lock(sample_db_path, "a restore", wait=0):
        assert read_note(sample_db_path).purpose == "a restore"  # type: ignore[union-attr]


def test_a_link_and_its_target_share_one_lock(sample_db_path: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.sqlite"
    link.symlink_to(sample_db_path)
    with writer_lock(link, "an import") as real:
        assert real == sample_db_path.resolve()
        assert lock_file_for(sample_db_path) == lock_file_for(link)


def test_commands_that_write_wait_for_the_writer_before_them(sample_db_path: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Export of a return and an import each take the lock: held elsewhere, they wait; with no
    time to wait they stop, naming the writer, and change nothing."""
    from scr_desk.db import writer_lock as module
    tracker = legacy_tracker(tmp_path / "tracker.xlsx")
    out = tmp_path / "return.xlsx"
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from scr_desk.db.writer_lock import writer_lock\n"
                               "with writer_lock(sys.argv[1], 'a restore'):\n print('held', flush=True)\n"
                               " sys.stdin.readline()", str(sample_db_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline() == "held\n"
    saved = module.COMMAND_WAIT
    module.COMMAND_WAIT = 0.2
    try:
        assert main(["import", "--db", str(sample_db_path), str(tracker)]) == 1
        assert main(["export", "--db", str(sample_db_path), "--agency", "SCC", "--out", str(out)]) == 1
    finally:
        module.COMMAND_WAIT = saved
        holder.stdin.close()
        holder.wait(30)
    err = capsys.readouterr().err
    assert err.count("is being written by a restore in process") == 2  # each said it waits…
    assert err.count("is being written by another SCR Desk command (a restore in process") == 2  # …then gave up
    assert not out.exists() and not (sample_db_path.parent / "backups").exists()
