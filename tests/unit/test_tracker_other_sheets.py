"""Sheets beside a plan's table: a tab per agency is that agency's part of the one review its title
names; a log of dated updates keyed by reference is its items' history; and every non-empty cell of
every sheet is counted (mapped, kept as text, or skipped with its reason)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from scr_desk.db.engine import Database
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import Outcome
from tests.trackers.build_trackers import FILES, TODAY


def _non_empty_cells(path: Path, below: dict[str, int]) -> int:
    """The non-empty cells of every sheet, below its header row where it has a table (`below`)."""
    book = openpyxl.load_workbook(path)
    return sum(1 for sheet in book for row in sheet.iter_rows(min_row=below.get(sheet.title, 0) + 1,
                                                                 values_only=True)
               for v in row if v is not None and str(v).strip())


def test_a_log_sheet_is_its_items_history_and_a_reference_it_cannot_join_is_said(db: Database) -> None:
    path = FILES / "Marlow DHR Lorna plan and progress.xlsx"
    plan = plan_import(db, path, today=TODAY)
    assert plan.counts()["created_recommendations"] == 3 and plan.counts()["new_updates"] == 3
    by_row = {(r.sheet, r.row): r for r in plan.rows}
    # the log's rows join the recommendations their references name
    assert "joined by its reference" in by_row[("Progress", 2)].message
    assert by_row[("Progress", 4)].reading["item"] == by_row[("Progress", 2)].reading["item"]
    # 'R9' names no recommendation of the plan: skipped, saying which reference, and said in a warning
    unjoined = by_row[("Progress", 5)]
    assert unjoined.outcome is Outcome.SKIPPED and "'R9'" in unjoined.message
    assert any("'R9'" in w.message and "Progress" in w.message for w in plan.warnings)
    # the contents sheet's prose is counted as skipped, with the reason
    assert by_row[("Contents", 2)].message.startswith("not an item: on a sheet that holds no items")
    # AND no sheet's words vanish: every non-empty cell under the tables' headings, and every one of
    # the contents sheet, is counted once
    assert plan.mapping["Progress"]["review_from"] == "references"
    assert sum(plan.cells.values()) == _non_empty_cells(path, {"Recommendations": 1, "Progress": 1}) == 30


def test_agency_tabs_titled_with_one_review_are_one_review(db: Database) -> None:
    path = FILES / "SAR Mabel agency tabs.xlsx"
    plan = plan_import(db, path, today=TODAY)
    counts = plan.counts()
    assert (counts["created_reviews"], counts["created_recommendations"], counts["created_actions"]) == (1, 3, 4)
    assert {m["review"] for m in plan.mapping.values()} == {"Mabel"}
    assert sum(plan.cells.values()) == _non_empty_cells(path, {sheet: 3 for sheet in plan.mapping}) == 24
