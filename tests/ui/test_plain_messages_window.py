"""What the window says in words: plurals that agree with their numbers, the filter's match
count, and status-bar messages that last until the next action replaces them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pytestqt.qtbot import QtBot

from scr_desk.db.engine import open_database
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.tree import TreeNode
from scr_desk.ui.import_dialog import summary_html
from scr_desk.ui.main_window import MainWindow
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
    window.filter_bar.text.setText("camhs")
    window.filter_bar.apply_now()
    # THEN the status bar counts CLARE-R4 alone, though its review is shown above it
    assert window.proxy.shown_count() == 2
    assert window.statusBar().currentMessage() == "1 item matches"
    # AND a review that matches by name counts with the items shown under it
    review = window.model.tree.reviews[0]
    window.filter_bar.text.setText(review.reference)
    window.filter_bar.apply_now()
    under = sum(1 for _ in _walk(review))
    assert under > 2
    assert window.statusBar().currentMessage() == f"{under} items match"


def _walk(node: TreeNode) -> Iterator[TreeNode]:
    yield node
    for child in node.children:
        yield from _walk(child)
