"""What the window tells a lead, and where it leaves them: focus stays in the item after Add
update, the detail pane keeps the quarter's fields in view on a laptop, every Tab stop shows
focus, Correct… mends every part of an update, and a new meeting starts undecided."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from scr_desk.domain.dto import ItemKey
from scr_desk.services import updates
from scr_desk.ui.main_window import MainWindow
from tests.ui.window_helpers import item_page


def _select(qtbot: QtBot, window: MainWindow, reference: str) -> ItemKey:
    ids = {n.reference: n.key for n in window.model.tree.walk()}
    assert window.select_key(ids[reference])
    qtbot.waitUntil(lambda: window.detail.current_key() == ids[reference], timeout=2000)
    return ids[reference]


def _focused() -> object:
    return QApplication.focusWidget()


def test_focus_stays_in_the_item_after_add_update(qtbot: QtBot, window: MainWindow) -> None:
    # GIVEN a filter typed in the find box, and an update being written on CLARE-R3
    window.activateWindow()
    key = _select(qtbot, window, "CLARE-R3")
    page = item_page(window)
    for use_the_keyboard in (False, True):
        page.open_add_form()
        qtbot.waitUntil(page.add_form.narrative.hasFocus, timeout=2000)
        qtbot.keyClicks(page.add_form.narrative, "Training delivered to forty staff")
        before = len(updates.list_updates(window.sessions, key))
        after = before + 1
        # WHEN it is added, by the button or by Ctrl+Return
        if use_the_keyboard:
            qtbot.keyClick(page.add_form.narrative, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        else:
            page.add_form.button.click()
        qtbot.waitUntil(lambda: len(updates.list_updates(window.sessions, key)) == after, timeout=3000)  # noqa: B023
        qtbot.wait(50)  # let the refresh after the edit run
        # THEN focus is in the item's page (its new update on show), never in the find box
        focused = _focused()
        assert focused is not window.filter_bar.text, "focus jumped to the find box"
        assert focused is not None and page.isAncestorOf(focused), focused
        assert focused is page.timeline
        # AND the next keys do not replace the filter
        qtbot.keyClicks(focused, "abc")
        assert window.filter_bar.text.text() == ""
    # AND a typed update says once that it was typed in, and by whom
    said = " ".join(page.timeline.toPlainText().split())
    assert "Typed in by " in said and "Typed in (typed in" not in said


LAPTOP_PROBE = r'''
import json, sys
from pathlib import Path
from PySide6.QtCore import QPoint, QRect, QSettings
from PySide6.QtWidgets import QApplication
from scr_desk.app import make_application
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.services import items
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.workspace import open_workspace

db, shot, settings = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
app = make_application()
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)
window = MainWindow(open_workspace(db))
window.show()
while window.loads < 1:
    app.processEvents()
ids = {n.reference: n.id for n in window.model.tree.walk()}
items.update_recommendation(window.sessions, ids["CLARE-R3"], {"target_date": "31/12/2026",
                                                               "revised_target_date": "31/03/2027"})
window.select_key(ItemKey.recommendation(ids["CLARE-R3"]))
page = window.detail.pages[ItemKind.RECOMMENDATION]

def settle():
    for _ in range(40):
        app.processEvents()

def whole_in(widget, area):
    """The widget is shown, all of it inside `area` (a viewport): no row cut in half."""
    top_left = widget.mapTo(area, QPoint(0, 0))
    return widget.isVisible() and area.rect().contains(QRect(top_left, widget.size()))

def check(name):
    viewport = page.fields_scroll.viewport()
    shown = {field: whole_in(page.form.editors[field], viewport)
             for field in ("status", "rag", "target_date", "revised_target_date")}
    shown["more_details"] = whole_in(page.form.more, viewport)
    shown["fields_hbar"] = page.fields_scroll.horizontalScrollBar().isVisible()
    shown["page_fits"] = page.height() >= page.minimumSizeHint().height()
    return shown

settle()
result = {"folded": check("folded")}
page.open_add_form()
settle()
result["adding"] = check("adding")
area = page.add_scroll.viewport()
result["adding"]["progress_field"] = whole_in(page.add_form.narrative, area)  # where the cursor is
result["adding"]["add_button"] = whole_in(page.add_form.button, area)
page.add_scroll.ensureWidgetVisible(page.add_form.button)
settle()
result["adding"]["add_button_reached"] = whole_in(page.add_form.button, area)
window.grab().save(str(shot))
page.fold_add_form()
page.bottom_tabs.setCurrentIndex(1)
settle()
table = page.changes.table
header = table.horizontalHeader()
result["changes"] = {"rows": page.changes.model.rowCount(), "hbar": table.horizontalScrollBar().isVisible(),
                     "columns_fit": sum(header.sectionSize(c) for c in range(4)) <= table.viewport().width()}
window.grab().save(str(shot.with_name(shot.stem + "-changes.png")))
print("RESULT", json.dumps(result))
window.close()
'''


@pytest.mark.parametrize("scale", ["1", "1.5"])
def test_the_quarters_fields_stay_in_view_on_a_laptop(scale: str, sample_db_path: Path, tmp_path: Path) -> None:
    # GIVEN a 1280×800 laptop screen at 100 % and at 150 %
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 800,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": scale,
           "SCR_DESK_DATA_DIR": str(tmp_path / "data")}
    shot = tmp_path / f"detail-{scale}.png"
    done = subprocess.run([sys.executable, "-c", LAPTOP_PROBE, str(sample_db_path), str(shot),
                           str(tmp_path / "settings")], capture_output=True, text=True, env=env, timeout=120)
    line = next((out for out in done.stdout.splitlines() if out.startswith("RESULT ")), None)
    assert line, done.stderr[-2000:]
    result = json.loads(line.removeprefix("RESULT "))
    # THEN status, RAG, target and revised target show whole, above the fold, with Add update open
    # or not, and the rest of the fields are a click away; nothing is cut at the right
    fields = {"status": True, "rag": True, "target_date": True, "revised_target_date": True,
              "more_details": True, "fields_hbar": False, "page_fits": True}
    assert result["folded"] == fields, result
    # AND while an update is written its form is in view where the cursor is, and its button is
    # in view at 100 % and a scroll away at 150 % (the page never outgrows the screen)
    adding = dict(result["adding"])
    button_in_view = adding.pop("add_button")
    assert adding == {**fields, "progress_field": True, "add_button_reached": True}, result
    assert button_in_view or scale != "1", result
    # AND the Changes tab's columns share the pane's width: no sideways scrolling
    assert result["changes"]["rows"] > 0
    assert result["changes"]["columns_fit"] and not result["changes"]["hbar"], result["changes"]
    assert shot.exists() and shot.with_name(f"detail-{scale}-changes.png").exists()


def test_tab_from_the_details_tab_goes_straight_to_the_first_field(qtbot: QtBot, window: MainWindow) -> None:
    # GIVEN the Details tab focused, with a recommendation on show
    window.activateWindow()
    _select(qtbot, window, "CLARE-R3")
    tabs = window.right_tabs.tabBar()
    tabs.setFocus()
    qtbot.waitUntil(tabs.hasFocus, timeout=1000)
    # WHEN Tab is pressed
    qtbot.keyClick(tabs, Qt.Key.Key_Tab)
    # THEN the first field has the focus (a stop that shows no focus, such as the scroll area
    # around the fields, is never in between)
    assert _focused() is item_page(window).form.editors["status"], _focused()
    # AND likewise on a review's page
    review = window.model.tree.reviews[0].key
    assert window.select_key(review)
    qtbot.waitUntil(lambda: window.detail.current_key() == review, timeout=2000)
    tabs.setFocus()
    qtbot.keyClick(tabs, Qt.Key.Key_Tab)
    assert _focused() is window.detail.review_page.form.editors["name"], _focused()


def test_correct_changes_date_agency_status_and_rag_and_undoes(qtbot: QtBot, window: MainWindow) -> None:
    from datetime import date

    from scr_desk.domain.enums import Rag, Status
    from scr_desk.services import items
    from scr_desk.ui.dialogs import CorrectUpdateDialog
    key = _select(qtbot, window, "CLARE-R4")
    row = updates.add_update(window.sessions, key, {"as_at": "10/02/2021", "narrative": "Audit done",
                                                    "status": "Complete", "rag": "Green"})
    police = next(a for a in window.agencies if a.code == "HC")
    # GIVEN the Correct… dialog, with the date, agency, status and RAG changed in it
    dialog = CorrectUpdateDialog(row, window.agencies)
    qtbot.addWidget(dialog)
    dialog.as_at.set_value(date(2021, 4, 20))
    dialog.agency.set_value(police.id)
    dialog.status.set_value(Status.IN_PROGRESS)
    dialog.rag.set_value(Rag.AMBER)
    answer = dialog.values()
    assert answer == {"as_at": date(2021, 4, 20), "agency_id": police.id, "status": Status.IN_PROGRESS,
                      "rag": Rag.AMBER}  # only what was changed: the period follows the date
    # WHEN the correction is saved through the window
    window.prompts.answers["update_correction"] = answer
    window.show_selected()
    window.editor.correct_update(row.id)
    # THEN the update and the item say so, and one undo puts both back
    rec = items.get_recommendation(window.sessions, key.id)
    assert (rec.status, rec.rag) == (Status.IN_PROGRESS, Rag.AMBER)
    assert window.undo_stack.undoText() == "correction of an update on CLARE-R4"
    window.undo_stack.undo()
    rec = items.get_recommendation(window.sessions, key.id)
    assert (rec.status, rec.rag) == (Status.COMPLETE, Rag.GREEN)
    back = next(u for u in updates.list_updates(window.sessions, key) if u.id == row.id)
    assert (back.as_at, back.period, back.agency_id) == (row.as_at, row.period, row.agency_id)


def test_a_new_meeting_records_no_decision_the_panel_did_not_give(qtbot: QtBot, window: MainWindow) -> None:
    from scr_desk.domain.enums import AssuranceDecision
    from scr_desk.ui.dialogs import MeetingDialog
    recs = [(n.reference, n.key) for n in window.model.tree.walk() if n.kind == "recommendation"]
    # GIVEN a new meeting with a decision row ready for each recommendation, as after a report
    dialog = MeetingDialog(window.agencies, None, recs)
    qtbot.addWidget(dialog)
    for _, key in recs:
        dialog.add_decision(key)
    # THEN each starts at "No decision", saving records none, and the dialog says how many are open
    assert dialog.new_decisions() == []
    assert dialog.undecided_label.text().startswith("3 of 3 decisions still undecided")
    chosen = dialog.decisions.cellWidget(1, 1)
    chosen.setCurrentIndex(chosen.findData(AssuranceDecision.CHALLENGED))
    assert dialog.new_decisions() == [(recs[1][1], AssuranceDecision.CHALLENGED, "")]
    assert dialog.undecided_label.text().startswith("2 of 3 decisions still undecided")


def test_file_partnership_name_names_it_for_returns_and_reports(qtbot: QtBot, window: MainWindow) -> None:
    from scr_desk.services.settings import read_partnership_name
    from tests.ui.window_helpers import trigger
    window.prompts.answers["partnership_name"] = "Solent & Wight Partnership"
    trigger(window, "partnership")
    assert read_partnership_name(window.sessions) == "Solent & Wight Partnership"
    assert window.statusBar().currentMessage() == "The partnership is now named 'Solent & Wight Partnership'."
    window.undo_stack.undo()  # none set again: the name its review records is the one in use
    assert read_partnership_name(window.sessions) == "Southampton Safeguarding Children Partnership"
    with window.sessions() as session:
        from scr_desk.services.settings import stored_partnership_name
        assert stored_partnership_name(session) == ""


def test_the_progress_is_gone_before_the_result_is_reported(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """The race behind test_export_returns_from_the_menu failing about 1 run in 11: the work's
    result was handed over (and "Returns exported" asked) before the progress bar was told the
    work had ended, two queued events apart; a test looking between them saw the bar still up,
    and so, behind the message, did the user."""
    from datetime import date

    from scr_desk.ui.export_dialog import ReturnsRequest
    from tests.ui.window_helpers import trigger
    seen: list[bool] = []

    def written(_message: str) -> str:
        seen.append(window.progress.isHidden())
        return ""
    window.prompts.answers["written"] = written
    window.prompts.answers["returns_request"] = lambda _: ReturnsRequest(
        "2020-21 Q4", date(2021, 4, 14), tuple(a[0] for a in window.prompts.export_choices if a[3]),
        tmp_path / "returns")
    trigger(window, "export_returns")
    assert not window.progress.isHidden()  # the work has started, and says so
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert seen == [True]
