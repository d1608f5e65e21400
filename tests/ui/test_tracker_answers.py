"""The import preview of a hand-made tracker shows each question with its default; the user
changes a value's meaning, a review's name, code and type and an update column's period, the
rows follow at once (re-planned in the background), and Apply imports what was chosen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from scr_desk.services.dump import dump_records
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.tracker_answers import TrackerAnswersPanel
from tests.trackers.build_trackers import FILES
from tests.ui.window_helpers import import_dialog, trigger


def _open(qtbot: QtBot, window: MainWindow, path: Path) -> Any:
    window.prompts.answers["open_workbook_paths"] = [path]
    trigger(window, "import")
    qtbot.waitUntil(lambda: import_dialog(window) is not None and import_dialog(window).isVisible(), timeout=10000)
    return import_dialog(window)


def test_questions_answered_in_the_preview(qtbot: QtBot, make_window: Any, empty_db_path: Path) -> None:
    window = make_window(empty_db_path)
    dialog = _open(qtbot, window, FILES / "SAR sections.xlsx")
    panel = dialog.answers_panel
    assert isinstance(panel, TrackerAnswersPanel)
    dialog.tabs.setCurrentWidget(panel)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Questions"
    assert "Cells: 30 mapped, 0 kept as text, 6 skipped" in panel.summary.text()
    # GIVEN the built-in readings, each shown with its default
    yellow = panel.findChild(QComboBox, "answer_rag:yellow")
    on_track = panel.findChild(QComboBox, "answer_rag:on track")
    assert yellow.currentText() == "Amber" and on_track.currentText() == "Green"
    # WHEN the user says 'On track' means Amber in this partnership's trackers
    on_track.setFocus()
    qtbot.keyClicks(on_track, "A")
    assert on_track.currentText() == "Amber"
    # THEN the rows follow: the plan is made again with that answer
    qtbot.waitUntil(lambda: dialog.plan.answers.get("rag:on track") == "Amber", timeout=10000)
    # WHEN the user renames a review, gives it a code and a type, and sets the updates' period
    editor = panel.reviews["review:Adult C"]
    editor.name.setFocus()
    editor.name.selectAll()
    qtbot.keyClicks(editor.name, "Adult C (2025)")
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)  # confirms the name; it must not press Apply
    qtbot.waitUntil(lambda: "review:Adult C" in dialog.plan.answers, timeout=10000)
    assert import_dialog(window) is dialog and dump_records(window.sessions)["reviews"] == []
    editor = panel.reviews["review:Adult C"]
    editor.code.setText("SARC")
    editor.type.setCurrentText("SAR in Rapid Time")
    qtbot.waitUntil(lambda: dialog.plan.answers.get("review:Adult C", {}).get("type") == "SAR in Rapid Time",
                    timeout=10000)
    period = panel.findChild(QComboBox, "answer_period:SAR action plans:Progress")
    period.setCurrentText("2026-27 Q1")
    qtbot.waitUntil(lambda: dialog.plan.answers.get("period:SAR action plans:Progress") == "2026-27 Q1",
                    timeout=10000)
    assert any(r.reference.startswith("Adult C (2025)") for r in dialog.plan.rows)
    # AND Apply imports what was chosen
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: import_dialog(window) is None and window.model.rowCount() == 2, timeout=10000)
    reviews = {r["name"]: r for r in dump_records(window.sessions)["reviews"]}
    adult_c = reviews["Adult C (2025)"]
    assert (adult_c["code"], adult_c["review_type"]) == ("SARC", "SAR in Rapid Time")
    capacity = adult_c["recommendations"][1]["actions"][0]
    assert capacity["rag"] == "Amber" and capacity["updates"][0]["period"] == "2026-27 Q1"
    # AND the answers are remembered: the next preview of the tracker shows them
    dialog = _open(qtbot, window, FILES / "SAR sections.xlsx")
    assert dialog.answers_panel.findChild(QComboBox, "answer_rag:on track").currentText() == "Amber"
    assert dialog.answers_panel.reviews["review:Adult C"].code.text() == "SARC"
    dialog.reject()
