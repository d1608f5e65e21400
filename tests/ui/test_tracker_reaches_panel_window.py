"""What the tracker said reaches the panel (issue 19): a four-row tracker with an Action column,
imported through the window's preview, gives each recommendation its actions' roll-up in the
window's tree, the dashboard's figures and the panel report's PDF, never "not rated" or "No update
recorded" for a recommendation whose actions say otherwise."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.rendering.report_pdf import write_pdf
from scr_desk.services.dashboard import work_out_dashboard
from scr_desk.services.report_content import detail_rows
from scr_desk.services.reports import build_report
from scr_desk.services.tree import load_tree
from scr_desk.ui.tree_model import ReviewTreeModel
from tests.trackers.corrections import four_row_tracker
from tests.ui.window_helpers import import_dialog, trigger


def _pdf_text(path: Path, report: Any) -> str:
    """The PDF's words by pdftotext where installed; else the report's own text, as the PDF lays it out."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    return "\n".join(f"{label}: {value}" for line in report.sections[0].lines for label, value in detail_rows(line))


def test_a_four_row_tracker_with_actions_reaches_tree_dashboard_and_pdf(
        qtbot: QtBot, make_window: Any, empty_db_path: Path, tmp_path: Path) -> None:
    window = make_window(empty_db_path)
    # GIVEN a four-row tracker with an Action column, imported through the preview
    window.prompts.answers["open_workbook_paths"] = [four_row_tracker(tmp_path / "plan.xlsx")]
    trigger(window, "import")
    qtbot.waitUntil(lambda: import_dialog(window) is not None and import_dialog(window).isVisible(), timeout=10000)
    dialog = import_dialog(window)
    assert dialog.plan.created == {"reviews": 1, "recommendations": 4, "actions": 4}
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: import_dialog(window) is None and window.model.rowCount() == 1, timeout=10000)
    # THEN the tree shows each recommendation's actions' worst RAG, marked as theirs, and their update
    tree = load_tree(window.sessions)
    review = tree.reviews[0]
    window.model.fetch(ItemKey(ItemKind.REVIEW, review.id))
    shown = []
    for rec in review.children:
        index = window.model.index_for(rec.key)
        rag = index.siblingAtColumn(ReviewTreeModel.COL_RAG)
        shown.append(window.model.data(rag))
        assert window.model.data(rag, Qt.ItemDataRole.AccessibleTextRole).endswith("from its actions")
        assert "updated" in window.model.data(index.siblingAtColumn(ReviewTreeModel.COL_PROGRESS))
    assert shown == ["Red", "Amber", "Green", "Amber"]
    # AND the dashboard counts them by their actions' RAG
    [figures] = [r for r in work_out_dashboard(window.sessions).reviews if r.key == review.key]
    assert figures.by_rag == {"Red": 1, "Amber": 2, "Green": 1}
    # AND the panel report's PDF gives each its roll-up and lists its action with the action's update
    report = build_report(window.sessions)
    pdf = tmp_path / "panel.pdf"
    assert write_pdf(report, pdf) >= 1
    text = " ".join(_pdf_text(pdf, report).split())
    assert "not rated" not in text and "No update recorded" not in text
    for words in ("Audit delayed by vacancies", "Two sessions held", "Draft protocol circulated",
                  "Template in consultation"):  # each action's latest update, under its recommendation
        assert words in text, words
