"""The import preview shows a contributor's proposal on an item changed since its export as a
conflict, left out until the lead chooses: never "Apply the proposal" over a newer change."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QRadioButton
from pytestqt.qtbot import QtBot

from scr_desk.domain.enums import Rag
from scr_desk.services import items
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import ConflictChoice, Outcome
from scr_desk.services.imports.together import apply_plan
from scr_desk.ui.main_window import MainWindow
from tests.returns_kit import export, fill
from tests.ui.window_helpers import import_dialog, trigger


def test_a_stale_proposal_in_the_preview_is_a_conflict_left_out(qtbot: QtBot, window: MainWindow,
                                                                tmp_path: Path) -> None:
    # GIVEN the police's return exported, then the council's return moving CLARE-R1 to Amber
    police = export(window.workspace.database, tmp_path, "HC")
    council = fill(export(window.workspace.database, tmp_path, "SCC"), {"CLARE-R1": {
        "update": "Front door audit slipped", "proposed_rag": "Amber"}})
    apply_plan(window.workspace.database, plan_import(window.workspace.database, council))
    police = fill(police, {"CLARE-R1": {"update": "Police training delivered", "proposed_rag": "Green"}})
    rec1 = next(n for n in window.model.tree.walk() if n.reference == "CLARE-R1")
    # WHEN the police's return is previewed in the window
    window.prompts.answers["open_workbook_paths"] = [police]
    trigger(window, "import")
    qtbot.waitUntil(lambda: import_dialog(window) is not None and import_dialog(window).isVisible(), timeout=10000)
    dialog = import_dialog(window)
    assert dialog is not None
    # THEN its row is a conflict shown first, with the three sides, and no "Apply the proposal"
    assert dialog.filter.index(0, 0).data().startswith("Conflict")
    dialog.table.setCurrentIndex(dialog.filter.index(0, 0))
    detail = dialog.detail.toPlainText()
    assert "As sent" in detail and "Amber" in detail and "Green" in detail
    assert dialog.choice_box.isVisible()
    offered = {b.text() for b in dialog.choice_box.findChildren(QRadioButton)}
    assert "Apply the proposal" not in offered
    [row] = [r for r in dialog.plan.rows if r.reference == "CLARE-R1"]
    assert row.outcome is Outcome.CONFLICT and row.choice is ConflictChoice.SKIP
    # AND as it stands there is nothing to apply (the one row is left out); the council's Amber stands
    assert not dialog.apply_button.isEnabled()
    dialog.reject()
    qtbot.waitUntil(lambda: import_dialog(window) is None, timeout=10000)
    assert items.get_recommendation(window.sessions, rec1.id).rag is Rag.AMBER
