"""Exporting from the window: background work with progress, cancel, and a report."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from scr_desk.services import returns_export
from scr_desk.ui.export_dialog import ExportReturnsDialog, ReturnsRequest
from scr_desk.ui.main_window import MainWindow
from tests.ui.window_helpers import trigger


def test_export_returns_from_the_menu(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    window.prompts.answers["returns_request"] = lambda _: ReturnsRequest(
        "2020-21 Q4", date(2021, 4, 14), tuple(a[0] for a in window.prompts.export_choices if a[3]), folder)
    trigger(window, "export_returns")
    assert [a[2] for a in window.prompts.export_choices][:4] == ["HC", "CCG", "SOLENT", "SCC"]
    qtbot.waitUntil(lambda: any(name == "written" for name, _ in window.prompts.asked), timeout=10000)
    report = next(detail for name, detail in window.prompts.asked if name == "written")
    assert "4 return workbooks and 4 email drafts written" in report  # a draft beside each, by default
    files = sorted(p.name for p in folder.glob("*.xlsx"))
    assert "2020-21 Q4 return - SCC - Southampton City Council Children's Services.xlsx" in files
    assert openpyxl.load_workbook(folder / files[0])["Returns"].max_row >= 2
    assert window.progress.isHidden()
    # Exporting again asks before replacing the returns already there; declining keeps them.
    written = {p: p.stat().st_mtime_ns for p in folder.iterdir()}
    window.prompts.answers["confirm"] = False
    trigger(window, "export_returns")
    question = window.prompts.asked[-1]
    assert question[0] == "confirm" and question[1].startswith("4 returns for 2020-21 Q4 already are in")
    assert {p: p.stat().st_mtime_ns for p in folder.iterdir()} == written
    assert window.statusBar().currentMessage() == "Export cancelled; the existing returns were kept."
    # Accepting replaces them, and "Open folder" opens where they are.
    window.prompts.answers["confirm"] = True
    window.prompts.answers["written"] = "folder"
    asked = len(window.prompts.asked)
    trigger(window, "export_returns")
    qtbot.waitUntil(lambda: any(name == "written" for name, _ in window.prompts.asked[asked:]), timeout=10000)
    assert window.prompts.opened == folder


def test_cancelling_an_export(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    real = returns_export.export_return

    def slow(*args: object, **kwargs: object) -> object:
        release.wait(5)  # hold the worker until the user has pressed Cancel
        return real(*args, **kwargs)
    monkeypatch.setattr(returns_export, "export_return", slow)
    folder = tmp_path / "returns"
    window.prompts.answers["returns_request"] = lambda _: ReturnsRequest(
        "2020-21 Q4", date(2021, 4, 14), tuple(a[0] for a in window.prompts.export_choices), folder)
    trigger(window, "export_returns")
    assert window.progress.isVisible()
    window.tree.setFocus()  # the window stays usable meanwhile
    qtbot.mouseClick(window.progress.cancel, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: window.progress.isHidden(), timeout=10000)
    assert "cancelled" in window.statusBar().currentMessage()
    assert len(list(folder.iterdir())) <= 1  # the agency in hand finishes; no more are started
    assert not any(name == "written" for name, _ in window.prompts.asked)


def test_export_full_workbook_from_the_menu(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.prompts.answers["save_workbook_path"] = tmp_path / "everything.xlsx"
    trigger(window, "export_full")
    qtbot.waitUntil(lambda: any(name == "written" for name, _ in window.prompts.asked), timeout=10000)
    assert "Recommendations" in openpyxl.load_workbook(tmp_path / "everything.xlsx").sheetnames


def test_export_dialog_checks_its_choices(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = ExportReturnsDialog([(1, "Hampshire Constabulary", "HC", 2), (2, "Schools", "SCH", 0)],
                                 "2020-21 Q4", date(2021, 4, 14), tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.request() == ReturnsRequest("2020-21 Q4", date(2021, 4, 14), (1,), tmp_path)
    dialog.period.setText("Q4")
    assert dialog.request() is None and "2020-21 Q3" in dialog.error.text()
    dialog.period.setText("2020/21 q4")
    dialog.agencies.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.request() is None and dialog.error.text() == "Tick at least one agency."


def test_select_all_and_none_in_the_export_and_report_dialogs(qtbot: QtBot, tmp_path: Path) -> None:
    from scr_desk.ui.report_dialog import ReportDialog
    export = ExportReturnsDialog([(1, "Hampshire Constabulary", "HC", 2), (2, "Schools", "SCH", 0)],
                                 "2020-21 Q4", date(2021, 4, 14), tmp_path)
    report = ReportDialog(["Clare", "Adult D"], "Clare", "", tmp_path)
    for dialog, checklist in ((export, export.agencies), (report, report.reviews)):
        qtbot.addWidget(dialog)
        qtbot.mouseClick(dialog.findChild(QPushButton, "select_all"), Qt.MouseButton.LeftButton)
        assert all(checklist.item(i).checkState() == Qt.CheckState.Checked for i in range(checklist.count()))
        qtbot.mouseClick(dialog.findChild(QPushButton, "select_none"), Qt.MouseButton.LeftButton)
        assert all(checklist.item(i).checkState() == Qt.CheckState.Unchecked for i in range(checklist.count()))
    assert export.request() is None and export.error.text() == "Tick at least one agency."
