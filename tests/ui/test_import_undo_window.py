"""Undoing an import from the window's undo stack: what counts as later work is what fields hold
now, and an undo that is declined or refused leaves the import's entry on the stack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scr_desk.domain.enums import ItemKind
from scr_desk.services import items
from scr_desk.ui.main_window import MainWindow
from tests.ui.window_helpers import import_dialog, trigger
from tests.workbooks import legacy_tracker


def _imported(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> int:
    """Import the two-review tracker from the window; the id of its first recommendation."""
    window.prompts.answers["open_workbook_paths"] = [legacy_tracker(tmp_path / "tracker.xlsx")]
    trigger(window, "import")
    qtbot.waitUntil(lambda: import_dialog(window) is not None and import_dialog(window).isVisible(), timeout=10000)
    qtbot.mouseClick(import_dialog(window).apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2 and not window.runner.busy, timeout=10000)
    return next(n.id for n in window.model.tree.walk() if n.kind is ItemKind.RECOMMENDATION)


def test_an_import_undoes_after_an_edit_to_it_was_undone(qtbot: QtBot, make_window: Any, empty_db_path: Path,
                                                          tmp_path: Path) -> None:
    # GIVEN a tracker imported in the window, and a recommendation's number changed and changed back by undo
    window = make_window(empty_db_path)
    rec_id = _imported(qtbot, window, tmp_path)
    number = items.get_recommendation(window.sessions, rec_id).number
    window.editor.edit_field(ItemKind.RECOMMENDATION, rec_id, "number", "9")
    assert items.get_recommendation(window.sessions, rec_id).number == "9"
    trigger(window, "undo")
    assert items.get_recommendation(window.sessions, rec_id).number == number
    # WHEN the import is undone next
    assert window.undo_stack.undoText().startswith("import of tracker.xlsx")
    trigger(window, "undo")
    # THEN it is: nothing typed since would be lost
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and not window.runner.busy, timeout=10000)
    assert not window.prompts.errors()


def test_a_refused_import_undo_leaves_it_on_the_stack(qtbot: QtBot, make_window: Any, empty_db_path: Path,
                                                      tmp_path: Path) -> None:
    # GIVEN an import whose recommendation was reworded since (elsewhere: not on this window's stack)
    window = make_window(empty_db_path)
    rec_id = _imported(qtbot, window, tmp_path)
    items.update_recommendation(window.sessions, rec_id, {"text": "Reworded after the import"})
    # WHEN Undo offers the import and the lead accepts
    trigger(window, "undo")
    # THEN the undo is refused, and the import stays on the stack, still offered by Undo
    qtbot.waitUntil(lambda: bool(window.prompts.errors()) and not window.runner.busy, timeout=10000)
    assert "Undoing would lose that work" in window.prompts.errors()[-1]
    qtbot.waitUntil(lambda: window.undo_stack.canUndo(), timeout=2000)
    assert window.undo_stack.undoText().startswith("import of tracker.xlsx") and window.undo_stack.count() == 1
    assert window.model.rowCount() == 2
