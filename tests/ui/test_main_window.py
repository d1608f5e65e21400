"""The window as a new user drives it: keyboard and mouse through qtbot, real database files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from scr_desk.domain.dto import AttendeeRow, ItemKey
from scr_desk.domain.enums import AssuranceDecision, ItemKind, Rag, Status
from scr_desk.services import items, updates
from scr_desk.services.dump import dump_records
from scr_desk.ui import main_window as main_window_module
from scr_desk.ui import tree_navigation
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.tree_model import ReviewTreeModel
from tests.ui.window_helpers import field, item_form, item_page


def selected_reference(window: MainWindow) -> str | None:
    node = window.tree.model().data(window.tree.currentIndex(), ReviewTreeModel.NodeRole)
    return node.reference if node else None


def find(qtbot: QtBot, window: MainWindow, text: str) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.filter_bar.text
    qtbot.keyClicks(window.filter_bar.text, text)
    qtbot.waitUntil(lambda: window.proxy.criteria.text == text, timeout=2000)


def test_find_read_update_undo_redo_reopen(qtbot: QtBot, make_window: Callable[..., MainWindow],
                                           sample_db_path: Path, qtmodeltester: Any) -> None:
    window = make_window(sample_db_path)
    # Find recommendation 3 of Clare by typing "domestic" in the filter.
    find(qtbot, window, "domestic")
    qtbot.waitUntil(lambda: selected_reference(window) == "CLARE-R3", timeout=2000)
    page = item_page(window)
    assert window.detail.currentWidget() is page
    assert page.title.text() == "CLARE-R3 · Recommendation 3 of Clare"
    # Read its updates.
    assert "Research had been done on Domestic Violence" in page.timeline.toPlainText()
    assert "Minuted: Children and Families Scrutiny Panel, 03/12/2020, item 24" in page.timeline.toPlainText()
    # Add this quarter's update with a status and a RAG, by keyboard and mouse.
    form = page.add_form
    qtbot.mouseClick(form.narrative, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.narrative, "Domestic abuse training delivered to all assessment teams.")
    qtbot.keyClicks(form.evidence, "Training register, Q3")
    form.status.setFocus()
    qtbot.keyClicks(form.status, "Complete")
    form.rag.setFocus()
    qtbot.keyClicks(form.rag, "Green")
    assert (form.status.value(), form.rag.value()) == (Status.COMPLETE, Rag.GREEN)
    qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
    rec_id = page.item_id
    stored = items.get_recommendation(window.sessions, rec_id)
    assert (stored.status, stored.rag) == (Status.COMPLETE, Rag.GREEN)
    assert page.timeline.toPlainText().index("Domestic abuse training delivered") < \
        page.timeline.toPlainText().index("Research had been done")
    assert form.narrative.toPlainText() == ""  # the form is ready for the next update
    index = window.tree.currentIndex()
    assert window.tree.model().data(index.siblingAtColumn(ReviewTreeModel.COL_STATUS)) == "Complete"
    qtmodeltester.check(window.model)
    # Undo it, then redo it, with the standard shortcuts.
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(updates.list_updates(window.sessions, ItemKey.recommendation(rec_id))) == 1
    assert items.get_recommendation(window.sessions, rec_id).status is Status.IN_PROGRESS
    assert "Domestic abuse training delivered" not in page.timeline.toPlainText()
    qtbot.keyClick(window.tree, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    timeline = updates.list_updates(window.sessions, ItemKey.recommendation(rec_id))
    assert len(timeline) == 2 and timeline[0].evidence == "Training register, Q3"
    assert items.get_recommendation(window.sessions, rec_id).status is Status.COMPLETE
    # Close the app and reopen it: the update is there.
    window.close()
    again = make_window(sample_db_path)
    find(qtbot, again, "domestic")
    qtbot.waitUntil(lambda: selected_reference(again) == "CLARE-R3", timeout=2000)
    assert "Domestic abuse training delivered" in item_page(again).timeline.toPlainText()


def test_editing_fields_in_place_with_undo(qtbot: QtBot, window: MainWindow) -> None:
    find(qtbot, window, "camhs")
    qtbot.waitUntil(lambda: selected_reference(window) == "CLARE-R4", timeout=2000)
    form = item_form(window)
    number = form.editors["number"]
    number.setFocus()
    number.selectAll()
    qtbot.keyClicks(number, "4a")
    qtbot.keyClick(number, Qt.Key.Key_Return)
    rec_id = item_page(window).item_id
    assert items.get_recommendation(window.sessions, rec_id).number == "4a"
    qtbot.waitUntil(lambda: selected_reference(window) == "CLARE-R4a", timeout=2000)
    rag = form.editors["rag"]
    rag.setFocus()
    qtbot.keyClick(rag, Qt.Key.Key_Down)  # — (not rated) -> Red
    assert not window.prompts.errors(), window.prompts.errors()
    assert items.get_recommendation(window.sessions, rec_id).rag is Rag.RED
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert items.get_recommendation(window.sessions, rec_id).number == "4"
    assert items.get_recommendation(window.sessions, rec_id).rag is None
    # A refused value springs back and says why.
    number.setFocus()
    number.selectAll()
    qtbot.keyClicks(number, "3")  # recommendation 3 already exists
    qtbot.keyClick(number, Qt.Key.Key_Return)
    assert "already a recommendation numbered '3'" in window.prompts.errors()[-1]
    assert number.text() == "4"
    assert items.get_recommendation(window.sessions, rec_id).number == "4"


def test_new_items_delete_with_confirmation_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    before = dump_records(window.sessions)
    window.select_key(ItemKey(ItemKind.REVIEW, window.model.tree.reviews[0].id))
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: selected_reference(window) == "CLARE-R5", timeout=3000)
    qtbot.keyClick(window.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: selected_reference(window) == "CLARE-R5-A1", timeout=3000)
    window.select_key(ItemKey(ItemKind.REVIEW, window.model.tree.reviews[0].id))
    window.prompts.answers["confirm"] = False
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Delete)
    assert window.prompts.asked[-1] == ("confirm", "Delete the review 'Clare', with 4 recommendations, 1 action and "
                                        "3 updates?\n\nYou can undo this with Edit > Undo.")
    assert len(window.model.tree.reviews) == 1
    window.prompts.answers["confirm"] = True
    qtbot.keyClick(window.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=3000)
    for _ in range(3):
        window.undo_stack.undo()
    assert window.prompts.errors() == []
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and window.model.rowCount(window.model.index(0, 0)) == 3,
                    timeout=3000)
    assert dump_records(window.sessions) == before
    window.undo_stack.redo()  # the recommendation comes back with the same key
    qtbot.waitUntil(lambda: window.model.rowCount(window.model.index(0, 0)) == 4, timeout=3000)


def test_move_recommendations(qtbot: QtBot, window: MainWindow) -> None:
    find(qtbot, window, "camhs")
    qtbot.waitUntil(lambda: selected_reference(window) == "CLARE-R4", timeout=2000)
    window.filter_bar.reset()
    window.select_key(window.model.tree.reviews[0].children[2].key)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: [c.reference for c in window.model.tree.reviews[0].children]
                    == ["CLARE-R1", "CLARE-R4", "CLARE-R3"], timeout=3000)
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: [c.reference for c in window.model.tree.reviews[0].children]
                    == ["CLARE-R1", "CLARE-R3", "CLARE-R4"], timeout=3000)


def test_filters_by_combo_and_checkbox(qtbot: QtBot, window: MainWindow) -> None:
    bar = window.filter_bar
    bar.agency.setFocus()
    qtbot.keyClicks(bar.agency, "Solent")
    # the database answers on the filter's own thread: the tree shows the answer when it comes
    qtbot.waitUntil(lambda: window.proxy.criteria.agency_id is not None, timeout=2000)
    assert window.tree.model().rowCount(window.tree.model().index(0, 0)) == 1
    qtbot.mouseClick(bar.clear, Qt.MouseButton.LeftButton)
    assert not window.proxy.criteria.active  # clearing needs no answer
    assert window.tree.model().rowCount(window.tree.model().index(0, 0)) == 3
    qtbot.mouseClick(bar.overdue, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.proxy.criteria.overdue_only, timeout=2000)
    assert window.tree.model().rowCount() == 0  # nothing in the sample has a target date


def test_agency_added_from_a_field(qtbot: QtBot, window: MainWindow) -> None:
    window.select_key(window.model.tree.reviews[0].children[0].key)
    window.prompts.answers["agency_details"] = {"name": "Southampton Schools Forum", "code": "",
                                                "contact_name": "", "contact_email": ""}
    combo = field(window, "lead_agency_id")
    combo.setFocus()
    qtbot.keyClicks(combo, "New agency")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(a.name == "Southampton Schools Forum" for a in window.agencies), timeout=3000)
    rec = items.get_recommendation(window.sessions, window.model.tree.reviews[0].children[0].id)
    new_id = next(a.id for a in window.agencies if a.name == "Southampton Schools Forum")
    assert rec.lead_agency_id == new_id


def test_meetings_on_the_review_page(qtbot: QtBot, window: MainWindow) -> None:
    window.select_key(ItemKey(ItemKind.REVIEW, window.model.tree.reviews[0].id))
    page = window.detail.review_page
    assert "Derek Benson, Independent Chair" in page.meetings.toPlainText()
    rec3 = next(c for c in window.model.tree.reviews[0].children if c.reference == "CLARE-R3")

    def fill(previous: Any) -> Any:
        assert previous is not None and len(previous.attendees) == 7  # prefilled from the last meeting
        assert ("CLARE-R3", ItemKey.recommendation(rec3.id)) in [
            (label.split()[0], ref) for label, ref in window.prompts.decision_items]
        return ({"body": previous.body, "held_on": "04/03/2021", "agenda_item": "12", "notes": ""},
                list(previous.attendees[:3]),
                [(ItemKey.recommendation(rec3.id), AssuranceDecision.CLOSED, "Training evidence seen.")])
    window.prompts.answers["meeting_details"] = fill
    qtbot.mouseClick(page.findChild(QPushButton, "add_meeting"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "04/03/2021" in page.meetings.toPlainText(), timeout=3000)
    assert "CLARE-R3: Closed — Training evidence seen." in page.meetings.toPlainText()
    assert items.get_recommendation(window.sessions, rec3.id).status is Status.ASSURED
    timeline = updates.list_updates(window.sessions, ItemKey.recommendation(rec3.id))
    assert timeline[0].narrative == "Panel decision: Closed. Training evidence seen."
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: "04/03/2021" not in page.meetings.toPlainText(), timeout=3000)
    assert items.get_recommendation(window.sessions, rec3.id).status is Status.IN_PROGRESS
    assert len(updates.list_updates(window.sessions, ItemKey.recommendation(rec3.id))) == 1
    window.undo_stack.redo()
    qtbot.waitUntil(lambda: "04/03/2021" in page.meetings.toPlainText(), timeout=3000)
    assert items.get_recommendation(window.sessions, rec3.id).status is Status.ASSURED


def test_meeting_dialog_collects_attendees_and_decisions(qtbot: QtBot) -> None:
    from scr_desk.domain.dto import AgencyRow
    from scr_desk.ui.dialogs import MeetingDialog
    police = AgencyRow(1, "u1", "Hampshire Constabulary", "HC")
    dialog = MeetingDialog([police], None, [("CLARE-R1 MASH", ItemKey.recommendation(7))])
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.body, "Children and Families Scrutiny Panel")
    dialog.add_attendee(AttendeeRow("Kelly Whiting", "District Commander", 1))
    qtbot.mouseClick(dialog.findChild(QPushButton, "add_decision"), Qt.MouseButton.LeftButton)
    assert dialog.attendees() == [AttendeeRow("Kelly Whiting", "District Commander", 1)]
    assert dialog.new_decisions() == []  # a new decision row starts at "No decision"
    decision = dialog.decisions.cellWidget(0, 1)
    decision.setCurrentIndex(decision.findData(AssuranceDecision.ACCEPTED))
    assert dialog.new_decisions() == [(ItemKey.recommendation(7), AssuranceDecision.ACCEPTED, "")]
    assert dialog.values()["body"] == "Children and Families Scrutiny Panel"
    dialog.body.clear()
    dialog.accept()
    assert dialog.error.text() == "A meeting needs a body and a date."


def test_layout_and_recent_databases_are_remembered(qtbot: QtBot, make_window: Callable[..., MainWindow],
                                                    sample_db_path: Path) -> None:
    window = make_window(sample_db_path)
    window.resize(800, 560)  # within the offscreen screen, so nothing is clamped on restore
    height = window.height()
    window.splitter.setSizes([500, 300])
    splitter = window.splitter.sizes()
    window.tree.header().resizeSection(1, 111)
    window.close()
    again = make_window(sample_db_path)
    assert again.height() == height
    # the window manager may hand back the width a pixel or two apart; the split itself is kept
    assert all(abs(a - b) <= 4 for a, b in zip(again.splitter.sizes(), splitter, strict=True))
    assert again.tree.header().sectionSize(1) == 111
    assert again.settings.recent_databases()[0] == sample_db_path.resolve()
    assert again.settings.last_database() == sample_db_path.resolve()


def test_typing_on_keeps_the_item_shown_without_reading_it_again(qtbot: QtBot, window: MainWindow,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN CLARE-R3 found and shown
    find(qtbot, window, "dom")
    qtbot.waitUntil(lambda: selected_reference(window) == "CLARE-R3", timeout=2000)
    reads: list[object] = []
    real = main_window_module.show_detail
    monkeypatch.setattr(main_window_module, "show_detail", lambda *args: (reads.append(args[2]), real(*args)))
    # WHEN the user types on, and the filter still keeps it
    qtbot.keyClicks(window.filter_bar.text, "estic")
    qtbot.waitUntil(lambda: window.proxy.criteria.text == "domestic", timeout=2000)
    # THEN it stays selected and shown, and the detail pane did not read it again on each keystroke
    assert selected_reference(window) == "CLARE-R3"
    assert item_page(window).title.text().startswith("CLARE-R3")
    assert reads == []
    # AND when the words leave it out, the pane moves with the selection (or empties)
    qtbot.keyClicks(window.filter_bar.text, " nothing matches this")
    qtbot.waitUntil(lambda: window.proxy.shown_count() == 0, timeout=2000)
    assert window.detail.currentWidget() is not item_page(window)


def test_clearing_the_filter_puts_back_what_was_open(qtbot: QtBot, make_window: Callable[..., MainWindow],
                                                      sample_db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a tree too large to open every review (the limit lowered so the sample counts as large)
    monkeypatch.setattr(tree_navigation, "EXPAND_LIMIT", 2)
    window = make_window(sample_db_path)
    review = window.tree.model().index(0, 0)
    assert not window.tree.isExpanded(review)  # a large tree starts with its reviews closed
    # WHEN the user filters (the matches are opened to be seen) and then clears the filter
    find(qtbot, window, "camhs")
    qtbot.waitUntil(lambda: selected_reference(window) == "CLARE-R4", timeout=2000)
    window.tree.clearSelection()
    window.tree.setCurrentIndex(window.tree.model().index(0, 0))  # the review itself, so nothing below needs opening
    window.filter_bar.reset()
    # THEN the reviews are as the user left them, closed, not every one opened
    qtbot.waitUntil(lambda: not window.proxy.criteria.active, timeout=2000)
    assert not window.tree.isExpanded(window.tree.model().index(0, 0))
