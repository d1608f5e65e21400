"""The panel report as PDF (read back by OCR), and the dashboard and reporting flow in the window."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scr_desk.db.engine import Database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import AssuranceDecision, Status
from scr_desk.rendering.report_pdf import write_pdf
from scr_desk.services import items, updates
from scr_desk.services.reports import build_report
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.report_dialog import ReportRequest
from tests.ui.window_helpers import dashboards_shown, item_page, trigger

TOOLS = shutil.which("pdftoppm") and shutil.which("tesseract") and shutil.which("pdftotext")


@pytest.mark.skipif(not TOOLS, reason="poppler-utils and tesseract-ocr are not installed here")
def test_pdf_first_page_shows_the_recommendations(qapp: Any, sample_db: Database, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pages = write_pdf(build_report(sample_db.sessions, as_of=date(2020, 12, 3)), pdf)
    assert pages == 2
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    image = next(tmp_path.glob("page*.png"))
    seen = subprocess.run(["tesseract", str(image), "-"], capture_output=True, text=True, check=True).stdout
    for number in ("1", "3", "4"):
        assert f"Recommendation {number}" in seen, seen
    assert "Scrutiny Panel" in seen
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Page 1 of 2" in text and "Page 2 of 2" in text
    assert text.count("Southampton Safeguarding Children Partnership — Children and Families Scrutiny Panel") == 2


def test_dashboard_opens_the_most_overdue_item(qtbot: QtBot, qtmodeltester: Any, window: MainWindow) -> None:
    ids = {n.reference: n.id for n in window.model.tree.walk()}
    items.update_recommendation(window.sessions, ids["CLARE-R4"], {"target_date": "01/01/2021"})
    items.update_recommendation(window.sessions, ids["CLARE-R3"], {"target_date": "01/06/2022"})
    updates.add_update(window.sessions, ItemKey.recommendation(ids["CLARE-R1"]),
                       {"narrative": "Rated this quarter", "rag": "Amber"})
    window.reload_tree()
    qtbot.waitUntil(lambda: window.loads >= 2, timeout=5000)
    shown = dashboards_shown(window)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.right_tabs.currentWidget() is window.dashboard
    # the figures are worked out on a worker and drawn in one go
    qtbot.waitUntil(lambda: dashboards_shown(window) > shown, timeout=5000)
    table = window.dashboard.overdue
    qtmodeltester.check(table.model())
    assert table.model().rowCount() == 2 and table.model().index(0, 1).data() == "CLARE-R4"
    assert "Clare (SCR)" in window.dashboard.review_bars.accessibleDescription()
    assert window.dashboard.quarter_bars.rows[-1][1].get("Amber") == 1
    rect = table.visualRect(table.model().index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # select the row
    qtbot.keyClick(table, Qt.Key.Key_Return)  # and open it
    assert window.right_tabs.currentWidget() is window.detail
    assert window.detail.current_key() == ItemKey.recommendation(ids["CLARE-R4"])
    # the dashboard follows the tree's filter
    window.right_tabs.setCurrentWidget(window.dashboard)
    shown = dashboards_shown(window)
    window.filter_bar.text.setText("camhs")
    window.filter_bar.apply_now()
    qtbot.waitUntil(lambda: dashboards_shown(window) > shown and window.dashboard.overdue.model().rowCount() == 1,
                    timeout=5000)
    assert "filter" in window.dashboard.caption.text()


def test_report_then_record_the_meeting(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    ids = {n.reference: n.id for n in window.model.tree.walk()}
    window.prompts.answers["report_request"] = ReportRequest(("Clare",), date(2020, 12, 3), "", tmp_path / "r.docx")
    window.prompts.answers["confirm"] = True  # yes, record the meeting now

    def minute(previous: Any) -> Any:
        assert [ref.id for ref in window.prompts.decide] == [ids["CLARE-R1"], ids["CLARE-R3"], ids["CLARE-R4"]]
        return ({"body": previous.body, "held_on": "04/03/2021", "agenda_item": "7", "notes": ""},
                list(previous.attendees),
                [(ItemKey.recommendation(ids["CLARE-R1"]), AssuranceDecision.CLOSED, "Assured by the audit."),
                 (ItemKey.recommendation(ids["CLARE-R3"]), AssuranceDecision.CHALLENGED, "Caseloads?"),
                 (ItemKey.recommendation(ids["CLARE-R4"]), AssuranceDecision.ACCEPTED, "")])
    window.prompts.answers["meeting_details"] = minute
    window.select_key(ItemKey.recommendation(ids["CLARE-R3"]))
    trigger(window, "report")
    qtbot.waitUntil(lambda: (tmp_path / "r.docx").exists(), timeout=10000)
    qtbot.waitUntil(lambda: items.get_recommendation(window.sessions, ids["CLARE-R1"]).status is Status.ASSURED,
                    timeout=10000)
    timeline = updates.list_updates(window.sessions, ItemKey.recommendation(ids["CLARE-R3"]))
    assert timeline[0].narrative == "Panel decision: Challenged. Caseloads?"
    assert "Children and Families Scrutiny Panel, 04/03/2021, item 7" in timeline[0].source_detail
    qtbot.waitUntil(lambda: "Panel decision: Challenged" in
                    item_page(window).timeline.toPlainText(), timeout=5000)
