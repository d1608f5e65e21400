"""Principles an outside reader's second held-out set taught the tracker importer, each on a small
tracker of its own (the golden trackers of tests/trackers/layouts_k.py show the rest)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from scr_desk.db.engine import Database
from scr_desk.services.imports.importer import plan_import

TODAY = date(2026, 11, 26)


def test_two_rows_read_as_one_reference_are_asked_with_each_rows_own_reference(db: Database,
                                                                                tmp_path: Path) -> None:
    # GIVEN recommendations '2a' and '2b' (read as recommendation 2) with different words
    book = openpyxl.Workbook()
    book.active.title = "SAR Pat"
    for row in (["Ref", "Recommendation", "Action", "Status"],
                ["2a", "Carers should be offered an assessment", "Prompt in the form", "Complete"],
                ["2b", "Discharge letters should name the carer", "Change the template", "Not started"]):
        book.active.append(row)
    book.save(tmp_path / "pat.xlsx")
    # WHEN it is planned
    plan = plan_import(db, tmp_path / "pat.xlsx", today=TODAY)
    # THEN the question quotes each row's own reference, not the second's twice
    [asked] = [w.message for w in plan.warnings if "claim the recommendation" in w.message]
    assert "Rows 2 (SAR Pat) and 3 (SAR Pat) claim the recommendation '2a' and '2b'" in asked
    assert "both claim the recommendation '2b'" not in asked
