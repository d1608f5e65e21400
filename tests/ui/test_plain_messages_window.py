"""What the window says in words: plurals that agree with their numbers, the filter's match
count, and status-bar messages that last until the next action replaces them."""

from __future__ import annotations

from pathlib import Path

from scr_desk.db.engine import open_database
from scr_desk.services.imports.importer import plan_import
from scr_desk.ui.import_dialog import summary_html
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
