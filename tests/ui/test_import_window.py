"""Importing from the window: preview, mapping correction with a live preview, conflicts,
apply, undo, history and dropped files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QPushButton, QRadioButton
from pytestqt.qtbot import QtBot

from scr_desk.domain.search import FilterCriteria
from scr_desk.services import items
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import ConflictChoice, Outcome
from scr_desk.services.returns_export import export_return
from scr_desk.services.search import find
from scr_desk.services.tree import load_tree
from scr_desk.ui.import_model import OutcomeFilter, PlanTableModel
from scr_desk.ui.main_window import MainWindow
from tests.ui.window_helpers import import_dialog, trigger
from tests.workbooks import legacy_tracker


def preview(qtbot: QtBot, window: MainWindow) -> Any:
    qtbot.waitUntil(lambda: import_dialog(window) is not None and import_dialog(window).isVisible(), timeout=10000)
    return import_dialog(window)


def test_last_quarters_tracker_with_a_corrected_column(qtbot: QtBot, make_window: Any, empty_db_path: Path,
                                                       tmp_path: Path) -> None:
    window = make_window(empty_db_path)
    tracker = legacy_tracker(tmp_path / "tracker.xlsx")
    window.prompts.answers["open_workbook_paths"] = [tracker]
    trigger(window, "import")
    dialog = preview(qtbot, window)
    assert "a hand-made tracker" in dialog.header.text()
    assert dialog.tabs.count() == 5  # the rows, the reading, the questions, and a mapping tab for each sheet
    # The user corrects a column: Adult B's update should come from "Update Q2".
    combo = dialog.mapping_combos["Adult B"]["update"]
    assert combo.currentText() == "G: Update Q3"
    dialog.tabs.setCurrentIndex(2)
    combo.setFocus()
    qtbot.keyClicks(combo, "F")
    assert combo.currentText() == "F: Update Q2"
    qtbot.waitUntil(lambda: dialog.plan.mapping["Adult B"]["columns"]["update"] == "Update Q2", timeout=10000)
    assert any(r.outcome is Outcome.NEW_ITEM for r in dialog.plan.rows)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: import_dialog(window) is None and window.model.rowCount() == 2, timeout=10000)
    qtbot.waitUntil(lambda: window.backup_label.text().startswith("Last backup: "))  # the import's own backup
    adult_b_r1 = next(u for u in load_tree(window.sessions).walk() if u.reference == "ADULTB-R1")
    assert adult_b_r1.key in find(window.sessions, FilterCriteria(text="old news")).found  # its update, indexed
    # Undo the import from the Edit menu; then import again: the corrected mapping is remembered.
    trigger(window, "undo_import")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=10000)
    trigger(window, "import")
    dialog = preview(qtbot, window)
    assert dialog.mapping_combos["Adult B"]["update"].currentText() == "F: Update Q2"
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10000)


def test_a_return_with_a_conflict_dropped_on_the_window(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    sent = tmp_path / "scc.xlsx"
    export_return(window.sessions, "SCC", sent, period="2020-21 Q4", deadline=date(2021, 4, 14))
    book = openpyxl.load_workbook(sent)
    sheet = book["Returns"]
    sheet["M3"], sheet["O3"] = "All staff trained", "Complete"  # CLARE-R3
    sheet["M2"] = "MASH audit done"  # CLARE-R1
    book.save(sent)
    rec3 = next(n for n in window.model.tree.walk() if n.reference == "CLARE-R3")
    items.update_recommendation(window.sessions, rec3.id, {"status": "On hold"})  # changed since the export
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sent))])
    # Qt drops synthetic drop events when no real drag is under way, so the window's handlers get the
    # events directly (a drag from a file manager cannot be made on the offscreen platform).
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    window.dropEvent(QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: import_dialog(window) is not None or bool(window.prompts.asked), timeout=10000)
    assert window.prompts.asked == []
    dialog = preview(qtbot, window)
    # The header says whose return it is, for which period, from the database's own record
    assert "Southampton City Council" in dialog.header.text() and "2020-21 Q4" in dialog.header.text()
    assert dialog.filter.index(0, 0).data().startswith("Conflict")  # what needs a decision comes first
    assert not dialog.boxes[Outcome.UNCHANGED].isChecked()  # unchanged rows are hidden until asked for
    for outcome, box in dialog.boxes.items():  # show only conflicts
        box.setChecked(outcome is Outcome.CONFLICT)
    assert dialog.filter.rowCount() == 1
    dialog.table.setCurrentIndex(dialog.filter.index(0, 0))
    detail = dialog.detail.toPlainText()
    assert dialog.choice_box.isVisible() and "As sent" in detail and "In progress" in detail and "On hold" in detail
    assert "All staff trained" in detail  # what the partner wrote
    [conflict] = [r for r in dialog.plan.rows if r.outcome is Outcome.CONFLICT]
    button = dialog.findChild(QRadioButton, "choose_file")
    # a radio button answers clicks on its circle and label, not the empty width beside them
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert conflict.choice is ConflictChoice.FILE
    # the choice stays on the selected row, in view
    assert dialog.table.currentIndex().row() == 0 and dialog.choice_box.isVisible()
    assert dialog.findChild(QRadioButton, "choose_file").isChecked()
    assert dialog.filter.index(0, 0).data() == "Conflict: taking the file's"
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: import_dialog(window) is None, timeout=10000)
    assert items.get_recommendation(window.sessions, rec3.id).status.value == "Complete"


def test_history_lists_and_undoes(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from scr_desk.services.imports.together import apply_plan
    apply_plan(window.workspace.database, plan_import(window.workspace.database, legacy_tracker(tmp_path / "t.xlsx")))
    trigger(window, "history")
    dialog = window.importer.history_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert dialog.table.item(0, 0).text() == "t.xlsx" and "1 new review" in dialog.table.item(0, 3).text()
    assert dialog.table.item(0, 1).text() == "Tracker"  # never the code's word, "legacy"
    dialog.table.setCurrentCell(0, 0)
    qtbot.mouseClick(dialog.findChild(QPushButton, "undo_selected_import"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.importer.batches()[0].undone_at is not None, timeout=10000)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10000)


def test_a_broken_file_is_explained(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_text("Rec,Status\n1,Open\n")
    window.importer.import_files([tmp_path / "x.xlsx"])
    qtbot.waitUntil(lambda: bool(window.prompts.errors()), timeout=10000)
    assert "x.xlsx: this is a text (CSV) file" in window.prompts.errors()[0]


def test_plan_model_passes_the_model_tester(qtmodeltester: Any, sample_db: Any, tmp_path: Path) -> None:
    plan = plan_import(sample_db, legacy_tracker(tmp_path / "t.xlsx"))
    model = PlanTableModel()
    model.set_plan(plan)
    qtmodeltester.check(model)
    proxy = OutcomeFilter()
    proxy.setSourceModel(model)
    proxy.set_shown({Outcome.WARNING})
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 0 and model.rowCount() == len(plan.rows)


def test_a_locked_edit_on_an_unchanged_row_is_in_view(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    # GIVEN a return where the partner only retyped a column SCR Desk fills
    from tests.returns_kit import export, fill
    sent = fill(export(window.workspace.database, tmp_path), {"CLARE-R1": {"owner": "Someone else"}})
    window.prompts.answers["open_workbook_paths"] = [sent]
    trigger(window, "import")
    dialog = preview(qtbot, window)
    # THEN that row is shown although unchanged rows are hidden, and says why
    assert not dialog.boxes[Outcome.UNCHANGED].isChecked() and dialog.filter.rowCount() == 1
    assert dialog.filter.index(0, 0).data() == "Unchanged, with a note"
    dialog.table.setCurrentIndex(dialog.filter.index(0, 0))
    assert "Lead / owner" in dialog.detail.toPlainText()
    assert "Importing it would give: nothing new." in dialog.summary.text()
    dialog.reject()
