"""Principles an outside reader's second held-out set taught the tracker importer, each on a small
tracker of its own (the golden trackers of tests/trackers/layouts_k.py show the rest)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scr_desk.db.engine import Database
from scr_desk.domain.enums import Rag, Status
from scr_desk.excel.tracker_readings import read_rag, read_status, read_target
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


@pytest.mark.parametrize(("written", "first", "revised"), [
    ("31/03/26 (rev. 30/06/26)", date(2026, 3, 31), date(2026, 6, 30)),
    ("30/09/25 (rev. 31/12/25) (rev. 31/05/26)", date(2025, 9, 30), date(2026, 5, 31)),
    ("31/03/2026 (revised 31/03/2027)", date(2026, 3, 31), date(2027, 3, 31)),
    ("31/03/2026 (see 30/06/2026 minutes)", date(2026, 3, 31), None),  # a later date not marked a revision
])
def test_a_later_date_marked_as_a_revision_is_the_revised_target(written: str, first: date,
                                                                  revised: date | None) -> None:
    reading = read_target(written, date1904=False, fiscal_year=None)
    assert (reading.when, reading.revised, reading.note) == (first, revised, written)


@pytest.mark.parametrize(("written", "status", "rag"), [
    ("Heb ddechrau / Not started", Status.NOT_STARTED, None),
    ("Not started / Heb ddechrau", Status.NOT_STARTED, None),
    ("Ar waith\nIn progress", Status.IN_PROGRESS, None),
    ("Glas / Blue", Status.COMPLETE, Rag.BLUE),
])
def test_a_value_in_two_languages_reads_on_either_half(written: str, status: Status, rag: Rag | None) -> None:
    reading = read_status(written)
    assert (reading.status, reading.rag, reading.partial) == (status, rag, False)


def test_two_halves_that_both_read_are_no_translation() -> None:
    assert read_rag("Amber / Green").rag is Rag.AMBER and read_status("Amber / Green").status is None


def test_strike_through_means_nothing_until_the_sheet_says_so(db: Database, tmp_path: Path) -> None:
    from openpyxl.styles import Font

    from scr_desk.services.imports.together import apply_plan
    from tests.trackers.golden_helpers import projection

    # GIVEN a recommendation struck through, and no key or note saying what striking means
    book = openpyxl.Workbook()
    book.active.title = "SAR Ada"
    for row in (["No.", "Recommendation", "Progress"], ["1", "Carers should be assessed", "Form changed"]):
        book.active.append(row)
    book.active["B2"].font = Font(strike=True)
    book.save(tmp_path / "ada.xlsx")
    apply_plan(db, plan_import(db, tmp_path / "ada.xlsx", today=TODAY))
    # THEN the formatting alone completes nothing
    [found] = projection(db.sessions)["reviews"]
    assert found["recommendations"][0]["status"] == "In progress"
    # AND once a note under the table says struck through is done, the same row is complete
    book.active["A4"] = "Struck through = completed"
    book.save(tmp_path / "ada.xlsx")
    plan = plan_import(db, tmp_path / "ada.xlsx", today=TODAY)
    apply_plan(db, plan)
    [found] = projection(db.sessions)["reviews"]
    assert found["recommendations"][0]["status"] == "Complete"
