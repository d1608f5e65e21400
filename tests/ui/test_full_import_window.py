"""A lead moving laptops imports the full workbook once: the status bar's progress bar follows
the records as they are checked and as they are written, and the tree shows them after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scr_desk.db.engine import open_database
from scr_desk.services.full_export import export_full
from scr_desk.services.synthetic import QUICK, add_synthetic_data
from tests.ui.window_helpers import import_dialog, trigger


def test_a_full_workbook_imports_with_a_progress_bar(qtbot: QtBot, make_window: Any, empty_db_path: Path,
                                                    sample_db_path: Path, tmp_path: Path) -> None:
    source = open_database(sample_db_path)
    add_synthetic_data(source.sessions, QUICK)
    export_full(source.sessions, tmp_path / "full.xlsx")
    source.close()
    window = make_window(empty_db_path)
    ranges: list[tuple[int, int]] = []
    window.progress.bar.valueChanged.connect(lambda value: ranges.append((value, window.progress.bar.maximum())))
    window.prompts.answers["open_workbook_paths"] = [tmp_path / "full.xlsx"]
    trigger(window, "import")
    qtbot.waitUntil(lambda: import_dialog(window) is not None and import_dialog(window).isVisible(), timeout=20000)
    dialog = import_dialog(window)
    records = len(dialog.plan.rows)
    assert records > 1500 and (records, records) in ranges  # checked, to the last record
    assert window.progress.label.text().startswith("Checking")
    ranges.clear()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: import_dialog(window) is None and window.model.rowCount() == 9, timeout=20000)
    assert (records, records) in ranges  # written, to the last record
    assert window.progress.isHidden()
