"""What the window says in words: plurals that agree with their numbers, the filter's match
count, and status-bar messages that last until the next action replaces them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pytestqt.qtbot import QtBot

from scr_desk.db.engine import open_database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.tree import TreeNode
from scr_desk.ui.import_dialog import summary_html
from scr_desk.ui.main_window import MainWindow
from tests.ui.window_helpers import filter_now, trigger
from tests.workbooks import legacy_tracker


def test_the_preview_summary_counts_in_words(empty_db_path: Path, tmp_path: Path) -> None:
    database = open_database(empty_db_path)
    try:
        plan = plan_import(database, legacy_tracker(tmp_path / "tracker.xlsx"))
    finally:
        database.close()
    summary = summary_html(plan)
    assert "(s)" not in summary
    assert " rows: " in summary and "0 conflicts, 0 errors." in summary


def test_the_match_count_counts_matches_not_the_reviews_above_them(qtbot: QtBot, window: MainWindow) -> None:
    # GIVEN the sample database, where only CLARE-R4 mentions CAMHS
    # WHEN the lead types it in the filter
    filter_now(qtbot, window, "camhs")
    # THEN the status bar counts CLARE-R4 alone, though its review is shown above it
    assert window.proxy.shown_count() == 2
    assert window.statusBar().currentMessage() == "1 item matches"
    # AND a review that matches by name counts with the items shown under it
    review = window.model.tree.reviews[0]
    filter_now(qtbot, window, review.reference)
    under = sum(1 for _ in _walk(review))
    assert under > 2
    assert window.statusBar().currentMessage() == f"{under} items match"


def _walk(node: TreeNode) -> Iterator[TreeNode]:
    yield node
    for child in node.children:
        yield from _walk(child)


def test_status_messages_last_until_the_next_action_replaces_them(qtbot: QtBot, window: MainWindow,
                                                                 tmp_path: Path) -> None:
    from scr_desk.services import agencies, updates
    status = window.statusBar().currentMessage
    review = window.model.tree.reviews[0]
    rec1 = next(c for c in review.children if c.reference == "CLARE-R1")
    # GIVEN a refused delete of an agency still named on records
    solent = next(a for a in agencies.list_agencies(window.sessions) if a.code == "SOLENT")
    window.prompts.answers["agency_choice"] = [("delete", solent.id, None)]
    trigger(window, "agencies")
    assert status() == "deletion of agency Solent NHS Trust failed"
    # WHEN the lead records a meeting, THEN the message says so in place of the failure
    window.select_key(ItemKey(ItemKind.REVIEW, review.id))
    window.prompts.answers["meeting_details"] = lambda previous: (
        {"body": previous.body, "held_on": "04/03/2021", "agenda_item": "12", "notes": ""},
        list(previous.attendees[:2]), [])
    trigger(window, "record_meeting")
    assert status() == "Saved: recording of a meeting."
    # AND undo says what it undid
    window.undo_stack.undo()
    assert status() == "Undone: recording of a meeting."
    # AND correcting an update says so too
    window.select_key(ItemKey.recommendation(rec1.id))
    first = updates.list_updates(window.sessions, ItemKey.recommendation(rec1.id))[-1]
    window.prompts.answers["update_correction"] = {"narrative": "Corrected wording"}
    window.editor.correct_update(first.id)
    assert status() == "Saved: correction of an update on CLARE-R1."
    # AND a menu command that says nothing (File > New database, cancelled) clears the old message
    window.prompts.answers["new_database_path"] = None
    trigger(window, "new_db")
    assert status() == ""
