"""Faults while the window is open: the file locked by another program, or damaged; and
restoring from a backup through the menu. Nothing already saved is lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scr_desk.db import engine as engine_module
from scr_desk.services import items
from scr_desk.services.dump import dump_records
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from scr_desk.ui.main_window import MainWindow
from tests.ui.window_helpers import field, trigger
from tests.workbooks import legacy_tracker


def test_locked_by_another_program_while_open(qtbot: QtBot, make_window: Any, sample_db_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)  # wait less than the usual five seconds
    window = make_window(sample_db_path)
    rec = next(n for n in window.model.tree.walk() if n.reference == "CLARE-R4")
    window.select_key(rec.key)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys\n"
         f"c = sqlite3.connect({str(sample_db_path)!r}, isolation_level=None)\n"
         "c.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\nsys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        number = field(window, "number")
        number.setFocus()
        number.selectAll()
        qtbot.keyClicks(number, "4b")
        qtbot.keyClick(number, Qt.Key.Key_Return)
        assert "locked by another program" in window.prompts.errors()[-1]
        assert number.text() == "4"  # springs back to what is stored
    finally:
        holder.communicate("\n", timeout=10)
    number.selectAll()
    qtbot.keyClicks(number, "4b")
    qtbot.keyClick(number, Qt.Key.Key_Return)
    assert items.get_recommendation(window.sessions, rec.id).number == "4b"  # works again once released


def test_damaged_while_open(qtbot: QtBot, window: MainWindow, sample_db_path: Path) -> None:
    window.runner.wait()
    window.workspace.database.engine.dispose()
    data = bytearray(sample_db_path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # every page but the first (the schema)
    sample_db_path.write_bytes(bytes(data))
    window.select_key(window.model.tree.reviews[0].children[1].key)
    assert any("damaged" in e and "Restore it from a backup" in e for e in window.prompts.errors())


def test_restore_from_backup_in_the_window(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    before = dump_records(window.sessions)
    database = window.workspace.database
    apply_plan(database, plan_import(database, legacy_tracker(tmp_path / "tracker.xlsx")))
    window.reload_tree()
    qtbot.waitUntil(lambda: window.loads >= 2 and window.model.rowCount() == 2, timeout=5000)
    window.prompts.answers["choose_backup"] = lambda backups: backups[0][1]
    trigger(window, "restore")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    assert dump_records(window.sessions) == before
    assert "checked it: sound" in [d for n, d in window.prompts.asked if n == "info"][-1]


def test_the_windows_restore_names_the_backup_and_never_suggests_undoing_a_restore(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from scr_desk.db.backup import list_backups
    database = window.workspace.database
    apply_plan(database, plan_import(database, legacy_tracker(tmp_path / "tracker.xlsx")))
    window.reload_tree()
    qtbot.waitUntil(lambda: window.loads >= 2 and window.model.rowCount() == 2, timeout=5000)
    [before_import] = list_backups(window.workspace.path)
    window.prompts.answers["choose_backup"] = lambda backups: window.prompts.suggested_backup
    trigger(window, "restore")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    question = [d for n, d in window.prompts.asked if n == "confirm"][-1]
    assert f"with the backup {before_import.label}?" in question
    assert f"Backup file: {before_import.path.name}" in question
    # A second restore lists the copy the first one kept (newest), but suggests the import's backup.
    trigger(window, "restore")
    backups = window.prompts.backups
    assert backups[0].reason == "before-restore" and window.prompts.suggested_backup == before_import.path
