"""Input that is safe: the wheel, Tab and Ctrl+Return sent as real events; status and RAG set in
the form land in the timeline and the report; undo names what it undoes and refuses to
overwrite a change made since."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QAction, QFont, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, Rag, Status
from scr_desk.services import items, updates
from scr_desk.services.reports import build_report
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.settings import UiSettings
from tests.ui.window_helpers import action, field, filter_now, import_dialog, item_form, item_page, trigger
from tests.workbooks import legacy_tracker


def _select(qtbot: QtBot, window: MainWindow, reference: str) -> int:
    ids = {n.reference: n.id for n in window.model.tree.walk()}
    assert window.select_key(ItemKey.recommendation(ids[reference]))
    qtbot.waitUntil(lambda: window.detail.current_key() == ItemKey.recommendation(ids[reference]), timeout=2000)
    return ids[reference]


def _wheel(widget: QWidget, notches: int = -1) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_never_changes_a_field_without_focus(qtbot: QtBot, window: MainWindow) -> None:
    rec_id = _select(qtbot, window, "CLARE-R3")
    form = item_form(window)
    before = items.get_recommendation(window.sessions, rec_id)
    window.tree.setFocus()
    for name in ("status", "rag", "lead_agency_id"):
        combo = form.editors[name]
        shown = combo.currentIndex()
        _wheel(combo)
        _wheel(combo, 1)
        assert combo.currentIndex() == shown, name
    _wheel(form.editors["target_date"].edit)
    after = items.get_recommendation(window.sessions, rec_id)
    assert (after.status, after.rag, after.lead_agency_id, after.target_date) == \
        (before.status, before.rag, before.lead_agency_id, before.target_date)
    assert window.undo_stack.count() == 0
    # Once the user has chosen the field, the wheel does turn it.
    status = form.editors["status"]
    status.setFocus()
    qtbot.waitUntil(status.hasFocus, timeout=1000)
    _wheel(status)
    assert status.currentIndex() != status.findData(before.status)


def test_tab_moves_through_empty_dates_and_leaves_no_undo_entry(qtbot: QtBot, window: MainWindow) -> None:
    rec_id = _select(qtbot, window, "CLARE-R3")
    form = item_form(window)
    revised = form.editors["revised_target_date"]
    assert revised.value() is None  # an empty date
    revised.edit.setFocus()
    qtbot.waitUntil(revised.edit.hasFocus, timeout=1000)
    qtbot.keyClick(revised.edit, Qt.Key.Key_Tab)
    assert not revised.edit.hasFocus()
    assert QApplication.focusWidget() is revised.clear_button  # then on to the next field
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.more  # the rest of the fields are folded under it
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert revised.edit.hasFocus()
    qtbot.keyClick(revised.edit, Qt.Key.Key_Backtab)
    assert not revised.edit.hasFocus()
    assert window.undo_stack.count() == 0
    assert items.get_recommendation(window.sessions, rec_id).revised_target_date is None


def test_ctrl_return_adds_the_update(qtbot: QtBot, window: MainWindow) -> None:
    rec_id = _select(qtbot, window, "CLARE-R4")
    page = item_page(window)
    assert not page.add_form.isVisible()  # folded: the timeline has the room
    window.tree.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert page.add_form.isVisible() and page.add_form.narrative.hasFocus()
    qtbot.keyClicks(page.add_form.narrative, "Audit of CAMHS referrals started")
    qtbot.keyClick(page.add_form.narrative, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    timeline = updates.list_updates(window.sessions, ItemKey.recommendation(rec_id))
    assert timeline[0].narrative == "Audit of CAMHS referrals started"
    assert window.undo_stack.undoText() == "update added to CLARE-R4"
    assert not page.add_form.isVisible()


def test_rag_set_in_the_form_is_in_the_timeline_and_the_report(qtbot: QtBot, window: MainWindow) -> None:
    rec_id = _select(qtbot, window, "CLARE-R4")
    form = item_form(window)
    rag = form.editors["rag"]
    rag.setFocus()
    rag.setCurrentIndex(rag.findData(Rag.GREEN))
    rag.activated.emit(rag.currentIndex())
    assert items.get_recommendation(window.sessions, rec_id).rag is Rag.GREEN
    assert action(window, "undo").text() == "&Undo change of RAG on CLARE-R4"
    # the toolbar keeps its fixed label (it never shifts); what it would undo is in the tooltip
    toolbar_undo = window.findChild(QAction, "toolbar_undo")
    assert toolbar_undo.text() == "Undo" and toolbar_undo.toolTip() == "Undo change of RAG on CLARE-R4 (Ctrl+Z)"
    timeline = updates.list_updates(window.sessions, ItemKey.recommendation(rec_id))
    assert timeline[0].rag is Rag.GREEN and timeline[0].as_at == date.today()
    assert "RAG changed from not rated to Green" in timeline[0].narrative
    assert "typed in" in timeline[0].source_detail
    report = build_report(window.sessions, as_of=date.today())
    line = next(line for review in report.sections for line in review.lines if line.reference == "CLARE-R4")
    assert line.rag is Rag.GREEN  # the report agrees with the tree
    # Completing it shows Blue in the tree and in the timeline.
    status = form.editors["status"]
    status.setCurrentIndex(status.findData(Status.COMPLETE))
    status.activated.emit(status.currentIndex())
    node = window.model.node(window.model.index_for(ItemKey.recommendation(rec_id)))
    assert node.rag is Rag.BLUE
    assert form.editors["rag"].value() == Rag.BLUE and not form.editors["rag"].isEnabled()  # the form too
    assert "RAG: B Blue" in " ".join(item_page(window).timeline.toPlainText().split())
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert items.get_recommendation(window.sessions, rec_id).rag is None
    assert len(updates.list_updates(window.sessions, ItemKey.recommendation(rec_id))) == len(timeline) - 1


def test_undo_refuses_to_overwrite_a_change_made_since(qtbot: QtBot, window: MainWindow) -> None:
    rec_id = _select(qtbot, window, "CLARE-R4")
    note = field(window, "target_note")
    note.setFocus()
    qtbot.keyClicks(note, "After the audit")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    assert items.get_recommendation(window.sessions, rec_id).target_note == "After the audit"
    assert window.undo_stack.undoText() == "change of target note on CLARE-R4"
    # Something else (an import, say) changes the same field meanwhile.
    items.update_recommendation(window.sessions, rec_id, {"target_note": "When the partner says"})
    window.undo_stack.undo()
    assert items.get_recommendation(window.sessions, rec_id).target_note == "When the partner says"
    assert "has changed since" in window.prompts.errors()[-1]


def test_edit_undo_after_an_import_offers_the_import(qtbot: QtBot, make_window: Any, empty_db_path: Path,
                                                      tmp_path: Path) -> None:
    window = make_window(empty_db_path)
    window.prompts.answers["open_workbook_paths"] = [legacy_tracker(tmp_path / "tracker.xlsx")]
    trigger(window, "import")
    qtbot.waitUntil(lambda: import_dialog(window) is not None and import_dialog(window).isVisible(), timeout=10000)
    qtbot.mouseClick(import_dialog(window).apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2 and not window.runner.busy, timeout=10000)
    assert action(window, "undo").text().startswith("&Undo import of tracker.xlsx (")
    assert "new update" in action(window, "undo").text()
    # the message about the import stays after the tree has reloaded
    assert window.statusBar().currentMessage().startswith("Imported tracker.xlsx")
    # declining keeps the import, and its entry stays to be offered again; accepting undoes it and
    # the entry leaves the stack
    window.prompts.answers["confirm"] = False
    trigger(window, "undo")
    assert window.model.rowCount() == 2
    qtbot.waitUntil(lambda: window.undo_stack.canUndo(), timeout=2000)
    assert window.undo_stack.undoText().startswith("import of tracker.xlsx")
    window.prompts.answers["confirm"] = True
    trigger(window, "undo")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and not window.runner.busy, timeout=10000)
    assert window.undo_stack.count() == 0


def test_new_records_put_the_cursor_in_their_words_and_confirmations_name_them(
        qtbot: QtBot, window: MainWindow) -> None:
    review_id = window.model.tree.reviews[0].id
    window.select_key(ItemKey(ItemKind.REVIEW, review_id))
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = item_page(window)
    qtbot.waitUntil(lambda: page.form.editors["text"].hasFocus(), timeout=3000)
    qtbot.keyClicks(page.form.editors["text"], "Audit thirty referrals")
    page.form.editors["text"].clearFocus()  # commits
    qtbot.waitUntil(lambda: "CLARE-R5" in {n.reference for n in window.model.tree.walk()}, timeout=3000)
    window.select_key(next(n.key for n in window.model.tree.walk() if n.reference == "CLARE-R5"))
    window.prompts.answers["confirm"] = False
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Delete)
    assert window.prompts.asked[-1][1].startswith("Delete CLARE-R5 'Audit thirty referrals'?")
    # a new review: the cursor is in its name, and its code follows the name until typed by hand
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_R,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    name = field(window, "name", ItemKind.REVIEW)
    qtbot.waitUntil(name.hasFocus, timeout=3000)
    qtbot.keyClicks(name, "Adult E")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(r.reference == "ADULTE" for r in window.model.tree.reviews), timeout=3000)
    assert window.undo_stack.undoText() == "renaming of New review to Adult E"
    code = field(window, "code", ItemKind.REVIEW)
    code.setFocus()
    code.selectAll()
    qtbot.keyClicks(code, "SAR-E")
    qtbot.keyClick(code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(r.reference == "SAR-E" for r in window.model.tree.reviews), timeout=3000)
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "Adult E (SAR)")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(r.title.startswith("Adult E (SAR)") for r in window.model.tree.reviews),
                    timeout=3000)
    assert any(r.reference == "SAR-E" for r in window.model.tree.reviews)  # typed by hand: it stays


def test_help_and_the_last_selection_restored_at_start(qtbot: QtBot, make_window: Any,
                                                       sample_db_path: Path) -> None:
    window = make_window(sample_db_path)
    trigger(window, "shortcuts")
    title, page = window.prompts.asked[-1][1]
    assert title == "Keyboard shortcuts" and "Ctrl+U" in page and "Add update" in page and "Ctrl+Return" in page
    trigger(window, "guide")
    assert "Export returns (Ctrl+E)" in window.prompts.asked[-1][1][1]
    rec_id = _select(qtbot, window, "CLARE-R4")
    window.close()
    again = make_window(sample_db_path)
    assert again.selected_key() == ItemKey.recommendation(rec_id)
    assert again.detail.current_key() == ItemKey.recommendation(rec_id)


def test_change_history_and_a_corrected_update(qtbot: QtBot, qtmodeltester: Any, window: MainWindow) -> None:
    rec_id = _select(qtbot, window, "CLARE-R4")
    page = item_page(window)
    rag = page.form.editors["rag"]
    rag.setCurrentIndex(rag.findData(Rag.AMBER))
    rag.activated.emit(rag.currentIndex())
    page.form.set_folded(False)  # the target note is among the fields folded away
    note = page.form.editors["target_note"]
    note.setFocus()
    qtbot.keyClicks(note, "After the audit")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    # the Changes tab, one click away, lists each change with before, after, who and where from
    qtbot.mouseClick(page.bottom_tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=page.bottom_tabs.tabBar().tabRect(1).center())
    model = page.changes.model
    qtmodeltester.check(model)
    rows = [model.row_values(r) for r in range(model.rowCount())]
    assert rows[0][1:3] == ("target note", "After the audit") and rows[0][3].endswith(", typed in")
    assert ("RAG", "Amber") in [r[1:3] for r in rows]
    assert any(r[1] == "update added" for r in rows)
    # a corrected update says so in the timeline, with what it said before
    first = updates.list_updates(window.sessions, ItemKey.recommendation(rec_id))[-1]
    window.prompts.answers["update_correction"] = {"narrative": "Corrected wording"}
    window.editor.correct_update(first.id)
    timeline = " ".join(page.timeline.toPlainText().split())
    assert "Corrected wording" in timeline
    assert f"before, it said: “{' '.join(first.narrative.split())[:60]}" in timeline
    what, change = page.changes.model.row_values(0)[1:3]
    assert what == "update text" and change.startswith(first.narrative[:200])
    assert change.endswith("… → Corrected wording")
    assert page.changes.model.row_values(0)[3].endswith(", correction")


def test_agencies_edited_merged_and_deleted_when_unused(qtbot: QtBot, qtmodeltester: Any, window: MainWindow) -> None:
    from scr_desk.services import agencies
    from scr_desk.ui.agencies_dialog import AgenciesDialog
    rows = {a.code: a for a in agencies.list_agencies(window.sessions)}
    spare = agencies.create_agency(window.sessions, "Hampshire Police", "HPOL")
    window.reload_agencies()
    # the dialog: unused agencies can be deleted, used ones only merged
    listing = [(a, 0 if a.id == spare.id else 3) for a in agencies.list_agencies(window.sessions)]
    dialog = AgenciesDialog(listing)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    used_row = next(i for i, (a, n) in enumerate(listing) if n)
    dialog.table.selectRow(used_row)
    assert not dialog.buttons["delete"].isEnabled() and "merge it" in dialog.buttons["delete"].toolTip()
    dialog.table.selectRow(next(i for i, (a, n) in enumerate(listing) if not n))
    assert dialog.buttons["delete"].isEnabled()
    # merging moves what names one agency to the other; the duplicate goes
    rec = next(n for n in window.model.tree.walk() if n.reference == "CLARE-R4")
    items.update_recommendation(window.sessions, rec.id, {"lead_agency_id": spare.id})
    window.prompts.answers["agency_choice"] = [("merge", spare.id, rows["HC"].id)]
    trigger(window, "agencies")
    assert items.get_recommendation(window.sessions, rec.id).lead_agency_id == rows["HC"].id
    assert "HPOL" not in {a.code for a in agencies.list_agencies(window.sessions)}
    qtbot.waitUntil(lambda: window.backup_label.text().startswith("Last backup: "))  # (read on a worker)
    assert window.undo_stack.undoText() == "merge of agency Hampshire Police into Hampshire Constabulary"
    window.undo_stack.undo()  # the merge is undone from the window too (services/edits tests it in full)
    assert items.get_recommendation(window.sessions, rec.id).lead_agency_id == spare.id
    window.undo_stack.redo()
    assert items.get_recommendation(window.sessions, rec.id).lead_agency_id == rows["HC"].id
    # editing an agency is undoable
    window.prompts.answers["agency_choice"] = [("edit", rows["HC"].id, None)]
    window.prompts.answers["agency_details"] = {"name": "Hampshire and IOW Constabulary", "code": "HC",
                                                "contact_name": "", "contact_email": ""}
    trigger(window, "agencies")
    assert any(a.name == "Hampshire and IOW Constabulary" for a in agencies.list_agencies(window.sessions))
    window.undo_stack.undo()
    assert any(a.name == "Hampshire Constabulary" for a in agencies.list_agencies(window.sessions))
    # an agency nothing names can be deleted, and the deletion undone
    unused = agencies.create_agency(window.sessions, "Youth Offending Team", "YOT")
    window.prompts.answers["agency_choice"] = [("delete", unused.id, None)]
    trigger(window, "agencies")
    assert "YOT" not in {a.code for a in agencies.list_agencies(window.sessions)}
    assert window.undo_stack.undoText() == "deletion of agency Youth Offending Team"
    window.undo_stack.undo()
    assert "YOT" in {a.code for a in agencies.list_agencies(window.sessions)}


def test_themes_are_picked_from_those_in_use(qtbot: QtBot, window: MainWindow) -> None:
    rec_id = _select(qtbot, window, "CLARE-R4")
    themes = field(window, "themes")
    completer = themes.completer()
    in_use = set(window.model.tree.themes)
    assert "Professional curiosity" in in_use
    themes.setFocus()
    themes.selectAll()
    qtbot.keyClicks(themes, "Mental health; profess")
    assert completer.currentIndex().data() == "Professional curiosity"
    assert completer.pathFromIndex(completer.currentIndex()) == "Mental health; Professional curiosity"
    themes.setText(completer.pathFromIndex(completer.currentIndex()))
    themes.setModified(True)
    qtbot.keyClick(themes, Qt.Key.Key_Return)
    assert items.get_recommendation(window.sessions, rec_id).themes == ("Mental health", "Professional curiosity")


def test_matches_are_highlighted_and_a_match_in_the_updates_says_so(qtbot: QtBot, window: MainWindow) -> None:
    from scr_desk.ui.tree_model import MATCH_COLOUR
    filter_now(qtbot, window, "caseloads")  # only in CLARE-R3's update, not in what the tree shows
    r3 = next(n.key for n in window.model.tree.walk() if n.reference == "CLARE-R3")
    index = window.navigation.to_view(window.model.index_for(r3))
    assert index.data(Qt.ItemDataRole.BackgroundRole) == MATCH_COLOUR
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    assert "update history" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert "only in its updates" in window.statusBar().currentMessage()
    review = window.navigation.to_view(window.model.index_for(window.model.tree.reviews[0].key))
    assert review.data(Qt.ItemDataRole.BackgroundRole) != MATCH_COLOUR  # shown as the way to the match
    filter_now(qtbot, window, "domestic")  # in the recommendation's own words
    index = window.navigation.to_view(window.model.index_for(r3))
    assert index.data(Qt.ItemDataRole.BackgroundRole) == MATCH_COLOUR
    assert not (index.data(Qt.ItemDataRole.FontRole) or QFont()).italic()
    # nothing matches: said so, and the detail pane no longer shows an item
    filter_now(qtbot, window, "zzzz no such words")
    assert window.statusBar().currentMessage() == "No items match"
    assert window.detail.current_key() is None and "No items match" in window.detail.empty.text()


def test_the_remembered_selection_comes_back_as_a_typed_key(tmp_path: Path) -> None:
    # GIVEN an action remembered as the selection of a database
    db = tmp_path / "records.sqlite"
    UiSettings().remember_selection(db, ItemKey.action(12))
    # WHEN it is read back by a new settings object (as at the next start)
    key = UiSettings().last_selection(db)
    # THEN it is an ItemKey whose kind is the enum member, not the stored text
    assert key == ItemKey(ItemKind.ACTION, 12) and isinstance(key, ItemKey) and key.kind is ItemKind.ACTION
    # AND a stored kind this version does not know, or a damaged id, is ignored rather than selected
    store = QSettings()
    [slot] = [name for name in store.allKeys() if name.startswith("selection/")]
    for stored in ("meeting:12", "recommendation:x", "12", ""):
        store.setValue(slot, stored)
        store.sync()
        assert UiSettings().last_selection(db) is None, stored
    UiSettings().remember_selection(db, None)
    assert UiSettings().last_selection(db) is None
