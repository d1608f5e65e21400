"""The lead corrects what the tracker reader decided, in the import preview, through its widgets:
a row's role (Rows tab), a sheet's header row, a column's role and the review a sheet belongs to
(Reading tab), a review's partnership, a cell's agencies and two rows claiming one reference
(Questions tab). Each change re-plans at once; Reset returns to how the file was read; Apply
imports what was chosen; and the corrections are remembered for the next file laid out the same
way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot

from scr_desk.services.dump import dump_records
from scr_desk.services.imports.plan import Outcome
from scr_desk.ui.main_window import MainWindow
from tests.trackers.corrections import two_reviews_tracker
from tests.ui.window_helpers import import_dialog, trigger

AGENCIES = "agencies:kingsmere police; kingsmere council adult social care"


def _open(qtbot: QtBot, window: MainWindow, path: Path) -> Any:
    window.prompts.answers["open_workbook_paths"] = [path]
    trigger(window, "import")
    qtbot.waitUntil(lambda: import_dialog(window) is not None and import_dialog(window).isVisible(), timeout=10000)
    return import_dialog(window)


def _row(dialog: Any, sheet: str, number: int) -> Any:
    return next(r for r in dialog.plan.rows if (r.sheet, r.row) == (sheet, number))


def _select(dialog: Any, *rows: tuple[str, int]) -> None:
    """Select the table's rows for (sheet, row) of the file, as a click and Ctrl+clicks would."""
    dialog.table.clearSelection()
    current = QItemSelectionModel.SelectionFlag.NoUpdate
    for proxy_row in range(dialog.filter.rowCount()):
        planned = dialog.model.planned(dialog.filter.mapToSource(dialog.filter.index(proxy_row, 0)).row())
        if (planned.sheet, planned.row) in rows:
            dialog.table.selectionModel().select(
                dialog.filter.index(proxy_row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
            dialog.table.selectionModel().setCurrentIndex(dialog.filter.index(proxy_row, 0), current)


def _recommendations(window: MainWindow, review: str) -> list[str]:
    reviews = {r["name"]: r for r in dump_records(window.sessions)["reviews"]}
    return [r["text"] for r in reviews[review]["recommendations"]]


def test_a_rows_role_is_corrected_reset_and_remembered(qtbot: QtBot, make_window: Any, empty_db_path: Path,
                                                       tmp_path: Path, qtmodeltester: Any) -> None:
    window = make_window(empty_db_path)
    dialog = _open(qtbot, window, two_reviews_tracker(tmp_path / "Adult D and E.xlsx"))
    qtmodeltester.check(dialog.model)
    editor = dialog.row_roles
    # GIVEN a row read as an item ('Please note the board expects…' is really a note)
    _select(dialog, ("Adult D", 6))
    assert editor.box.isVisible() and "Read as <b>item" in editor.said.text()
    assert editor.combo.currentData() == "item" and not editor.reset.isEnabled()
    # WHEN the lead reads it as a note from the 'Read as' box, by keyboard
    editor.combo.setFocus()
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        qtbot.keyClicks(editor.combo, "N")
    # THEN the rows follow: it is no longer an item, and says why
    note = _row(dialog, "Adult D", 6)
    assert note.outcome is Outcome.SKIPPED and note.reading["role"] == "note"
    assert editor.selected() == [note] and "Read as <b>note</b>: as corrected" in editor.said.text()  # still on it
    assert note.reading["reason"] == "as corrected" and dialog.plan.answers["row:Adult D:6"] == "note"
    qtmodeltester.check(dialog.model)
    # WHEN it is reset from the table's context menu, it is read as the file was read
    _select(dialog, ("Adult D", 6))
    assert editor.reset.isEnabled()
    editor._menu(dialog.table.visualRect(dialog.table.currentIndex()).center())
    reset = next(a for a in editor.menu.actions() if a.text().startswith("Reset"))
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        reset.trigger()
    assert _row(dialog, "Adult D", 6).reading["role"] == "item"
    # WHEN two rows are chosen at once and read as notes from the context menu
    _select(dialog, ("Adult D", 6), ("Adult E", 4))
    assert "2 rows selected" in editor.said.text()
    editor._menu(dialog.table.visualRect(dialog.table.currentIndex()).center())
    read_as = next(a for a in editor.menu.actions() if a.menu() is not None).menu()
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        next(a for a in read_as.actions() if a.text() == "Note").trigger()
    assert {_row(dialog, *r).reading["role"] for r in (("Adult D", 6), ("Adult E", 4))} == {"note"}
    # WHEN one of them is put back (the audit of hospital discharge is an item) and Apply pressed
    _select(dialog, ("Adult E", 4))
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        qtbot.mouseClick(editor.reset, Qt.MouseButton.LeftButton)
    assert _row(dialog, "Adult E", 4).reading["role"] == "item"
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: import_dialog(window) is None and window.model.rowCount() == 2, timeout=10000)
    # THEN the database holds the items and not the note
    assert not any(t.startswith("Please note") for t in _recommendations(window, "Adult D"))
    assert "Commission an independent audit of hospital discharge" in _recommendations(window, "Adult E")
    # AND a second file laid out the same way (next quarter's copy) is read with the correction
    dialog = _open(qtbot, window, two_reviews_tracker(tmp_path / "Adult D and E Q4.xlsx", progress="Now in place"))
    assert _row(dialog, "Adult D", 6).reading["role"] == "note"
    assert _row(dialog, "Adult E", 4).reading["role"] == "item"
    _select(dialog, ("Adult D", 6))
    assert dialog.row_roles.reset.isEnabled()  # remembered, and can still be reset
    dialog.reject()


def test_header_columns_and_review_corrected_in_the_reading_tab(qtbot: QtBot, make_window: Any,
                                                                empty_db_path: Path, tmp_path: Path) -> None:
    window = make_window(empty_db_path)
    dialog = _open(qtbot, window, two_reviews_tracker(tmp_path / "Adult D and E.xlsx"))
    panel = dialog.sheets_panel
    dialog.tabs.setCurrentWidget(panel)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Reading"
    header = panel.findChild(QSpinBox, "correct_header:Adult E")
    assert header.value() == 2 and header.accessibleName()
    # WHEN the lead says 'Adult E' is not a tracker (row 0), typed and confirmed with Enter
    header.setFocus()
    header.selectAll()
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        qtbot.keyClicks(header, "0")
        qtbot.keyClick(header, Qt.Key.Key_Enter)
    assert not any(r.sheet == "Adult E" and r.outcome is Outcome.NEW_ITEM for r in dialog.plan.rows)
    assert dialog.apply_button.isEnabled()  # Enter confirmed the row; it did not press Apply (which disables it)
    # AND Reset reads it as it was read
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        qtbot.mouseClick(panel.resets["header:Adult E"], Qt.MouseButton.LeftButton)
    assert panel.findChild(QSpinBox, "correct_header:Adult E").value() == 2
    assert sum(r.sheet == "Adult E" and r.outcome is Outcome.NEW_ITEM for r in dialog.plan.rows) == 2
    # WHEN column F of 'Adult D' ('Progress update') is read as evidence, one of the new roles
    column = panel.findChild(QComboBox, "correct_column:Adult D:F")
    assert column.currentData() == "update" and column.findData("raised") >= 0 and column.findData("text") >= 0
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        column.setCurrentIndex(column.findData("evidence"))

    assert dialog.plan.answers["column:Adult D:F"] == "evidence"
    assert panel.findChild(QComboBox, "correct_column:Adult D:F").currentData() == "evidence"
    assert panel.resets["column:Adult D:F"].isEnabled()
    # WHEN 'Adult E' is said to be the same review as 'Adult D' (typed, then Enter)
    review = panel.findChild(QComboBox, "correct_review_of:Adult E")
    line = review.lineEdit()
    assert isinstance(line, QLineEdit)
    line.setFocus()
    line.selectAll()
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        qtbot.keyClicks(line, "Adult D")
        qtbot.keyClick(line, Qt.Key.Key_Return)
    assert [q["id"] for q in dialog.plan.questions if q["kind"] == "review"] == ["review:Adult D"]
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: import_dialog(window) is None and window.model.rowCount() == 1, timeout=10000)
    # THEN one review holds both sheets' recommendations, and F's words are evidence, not updates
    reviews = dump_records(window.sessions)["reviews"]
    assert [r["name"] for r in reviews] == ["Adult D"]
    texts = [r["text"] for r in reviews[0]["recommendations"]]
    assert "Train front-door staff in recognising coercive control" in texts and len(texts) == 6
    first = reviews[0]["recommendations"][0]
    assert all(u["narrative"] != "Training plan agreed" for u in first["updates"])


def test_partnership_agencies_and_a_repeated_reference_in_the_questions_tab(
        qtbot: QtBot, make_window: Any, empty_db_path: Path, tmp_path: Path) -> None:
    window = make_window(empty_db_path)
    dialog = _open(qtbot, window, two_reviews_tracker(tmp_path / "Adult D and E.xlsx"))
    panel = dialog.answers_panel
    dialog.tabs.setCurrentWidget(panel)
    # GIVEN the partnership read from the title, shown beside the review's name, code and type
    editor = panel.reviews["review:Adult D"]
    assert editor.partnership.text() == "Kingsmere Safeguarding Adults Board"
    # WHEN the lead gives the partnership's own name
    editor.partnership.setFocus()
    editor.partnership.selectAll()
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        qtbot.keyClicks(editor.partnership, "Kingsmere SAB")
        qtbot.keyClick(editor.partnership, Qt.Key.Key_Return)
    assert dialog.plan.answers["review:Adult D"]["partnership"] == "Kingsmere SAB"
    assert panel.resets["review:Adult D"].isEnabled()
    # WHEN the cell naming two agencies is said to name one (typed as the lead splits it)
    agencies = panel.findChild(QComboBox, f"answer_{AGENCIES}")
    assert agencies.isEditable() and agencies.currentText() == "Kingsmere Police; Kingsmere Council Adult Social Care"
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        agencies.setCurrentText("Kingsmere Police")
    # WHEN the two rows claiming R2 are said to be one recommendation
    duplicate = panel.findChild(QComboBox, "answer_duplicate:Adult D:5")
    question = next(q for q in dialog.plan.questions if q["id"] == "duplicate:Adult D:5")
    assert "Review the self-neglect pathway" in question["question"] and "Audit the use" in question["question"]
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        duplicate.setCurrentText("same")
    assert _row(dialog, "Adult D", 5).outcome is Outcome.SKIPPED
    # AND a reset of the partnership puts the title's name back
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        qtbot.mouseClick(panel.resets["review:Adult D"], Qt.MouseButton.LeftButton)
    assert panel.reviews["review:Adult D"].partnership.text() == "Kingsmere Safeguarding Adults Board"
    with qtbot.waitSignal(dialog.plan_shown, timeout=10000):
        editor = panel.reviews["review:Adult D"]
        editor.partnership.setText("Kingsmere SAB")
        editor.partnership.editingFinished.emit()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: import_dialog(window) is None and window.model.rowCount() == 2, timeout=10000)
    # THEN the database holds what the lead chose
    data = dump_records(window.sessions)
    names = {a["uid"]: a["name"] for a in data["agencies"]}
    adult_d = next(r for r in data["reviews"] if r["name"] == "Adult D")
    assert adult_d["partnership"] == "Kingsmere SAB"
    first = adult_d["recommendations"][0]
    assert names[first["lead_agency"]] == "Kingsmere Police" and first["contributors"] == []
    assert [r["text"][:20] for r in adult_d["recommendations"]] == [
        "Improve the sharing ", "Review the self-negl", "Please note the boar"]
