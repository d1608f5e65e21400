"""A contributor's proposal in the import preview is decided by the words the lead reads: the
button that says "Apply the proposal" applies it, the one that says "Record the proposal only"
records it. (Tests that click a button by its object name would pass with the words swapped.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QRadioButton
from pytestqt.qtbot import QtBot

from scr_desk.domain.enums import Rag
from scr_desk.services import items
from scr_desk.services.imports.plan import ConflictChoice
from scr_desk.ui.main_window import MainWindow
from tests.returns_kit import export, fill
from tests.ui.window_helpers import import_dialog, trigger


def _click(qtbot: QtBot, dialog: Any, words: str) -> None:
    [button] = [b for b in dialog.choice_box.findChildren(QRadioButton) if b.text().startswith(words)]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def test_the_proposal_is_applied_by_the_button_that_says_so(qtbot: QtBot, window: MainWindow,
                                                             tmp_path: Path) -> None:
    # GIVEN the police, who contribute to CLARE-R1 (the council leads it), propose Green
    police = fill(export(window.workspace.database, tmp_path, "HC"), {"CLARE-R1": {
        "update": "Police training delivered", "proposed_rag": "Green"}})
    rec1 = next(n for n in window.model.tree.walk() if n.reference == "CLARE-R1")
    window.prompts.answers["open_workbook_paths"] = [police]
    trigger(window, "import")
    qtbot.waitUntil(lambda: import_dialog(window) is not None and import_dialog(window).isVisible(), timeout=10000)
    dialog = import_dialog(window)
    [row] = [r for r in dialog.plan.rows if r.reference == "CLARE-R1"]
    assert row.proposal and row.choice is ConflictChoice.DATABASE  # recorded only, until the lead says
    dialog.table.setCurrentIndex(next(
        dialog.filter.index(n, 0) for n in range(dialog.filter.rowCount())
        if dialog.model.planned(dialog.filter.mapToSource(dialog.filter.index(n, 0)).row()) is row))
    assert dialog.choice_box.isVisible()
    # WHEN the lead chooses by the words: first "Record…", then "Apply the proposal"
    _click(qtbot, dialog, "Record the proposal only")
    assert row.choice is ConflictChoice.DATABASE
    _click(qtbot, dialog, "Apply the proposal")
    assert row.choice is ConflictChoice.FILE
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: import_dialog(window) is None, timeout=10000)
    # THEN the proposal is applied: CLARE-R1 is Green
    assert items.get_recommendation(window.sessions, rec1.id).rag is Rag.GREEN
