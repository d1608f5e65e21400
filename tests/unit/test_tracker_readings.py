"""The readings of a hand-made tracker's values, headings, numbers and names, as the issue lists
them: what each written form means, and which forms are questions rather than guesses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scr_desk.db.engine import Database
from scr_desk.domain.enums import Rag, Status
from scr_desk.excel.guard import WorkbookError
from scr_desk.excel.tracker_naming import guess_review_type, is_generic_sheet, looks_like_person, review_name
from scr_desk.excel.tracker_numbers import split_number
from scr_desk.excel.tracker_readings import heading_period, read_rag, read_status, read_target
from scr_desk.excel.tracker_vocab import heading_field
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from tests.trackers.golden_helpers import projection

pytestmark = pytest.mark.both_engines


@pytest.mark.parametrize(("written", "rag", "status", "warned"), [
    ("R", Rag.RED, None, False), (" amber ", Rag.AMBER, None, False), ("Yellow", Rag.AMBER, None, False),
    ("Y", Rag.AMBER, None, False), ("G", Rag.GREEN, None, False), ("b", Rag.BLUE, Status.COMPLETE, False),
    ("Amber/Green", Rag.AMBER, None, True), ("A/G", Rag.AMBER, None, True), ("R/A", Rag.RED, None, True),
    ("Red/Amber", Rag.RED, None, True), ("Complete", Rag.BLUE, Status.COMPLETE, False),
    ("Achieved", Rag.BLUE, Status.COMPLETE, False), ("Closed", Rag.BLUE, Status.COMPLETE, False),
    ("On track", Rag.GREEN, None, False), ("Off track", Rag.RED, None, False), ("Behind", Rag.RED, None, False),
    ("Not started", None, Status.NOT_STARTED, False), ("Amber - delays", Rag.AMBER, None, False),
])
def test_rag_words(written: str, rag: Rag | None, status: Status | None, warned: bool) -> None:
    reading = read_rag(written)
    assert (reading.known, reading.rag, reading.status, bool(reading.warning)) == (True, rag, status, warned)


@pytest.mark.parametrize("written", ["N/A", "-", "TBC", "n/a"])
def test_rag_words_meaning_no_rating(written: str) -> None:
    assert read_rag(written).empty


def test_numeric_scale_needs_its_key() -> None:
    assert read_rag(3, {1: Rag.RED, 3: Rag.GREEN}).rag is Rag.GREEN
    assert not read_rag(3).known and not read_rag("Purple").known


@pytest.mark.parametrize(("written", "status"), [
    ("Achieved", Status.COMPLETE), ("Fully met", Status.COMPLETE), ("Completed", Status.COMPLETE),
    ("Partially met", Status.IN_PROGRESS), ("Ongoing", Status.IN_PROGRESS), ("Underway", Status.IN_PROGRESS),
    ("On track", Status.IN_PROGRESS), ("Not yet started", Status.NOT_STARTED), ("Paused", Status.ON_HOLD),
    ("Deferred", Status.ON_HOLD), ("Overdue", Status.IN_PROGRESS), ("Off track", Status.IN_PROGRESS),
    ("Superseded", Status.SUPERSEDED), ("Withdrawn", Status.WITHDRAWN), ("Not accepted", Status.WITHDRAWN),
    ("Complete - evidence submitted", Status.COMPLETE),
])
def test_status_words_never_assured(written: str, status: Status) -> None:
    assert read_status(written).status is status


@pytest.mark.parametrize(("written", "when", "note"), [
    (date(2026, 12, 3), date(2026, 12, 3), ""), (46203, date(2026, 6, 30), ""),
    ("03/12/2026", date(2026, 12, 3), ""), ("3/12/26", date(2026, 12, 3), ""), ("03.12.26", date(2026, 12, 3), ""),
    ("3 Dec 2026", date(2026, 12, 3), ""), ("March 2027", date(2027, 3, 31), "month only"),
    ("Mar-27", date(2027, 3, 31), "month only"), ("Sept 2026", date(2026, 9, 30), "month only"),
    ("Q3 2026/27", date(2026, 12, 31), ""), ("Q1 2027-28", date(2027, 6, 30), ""),
    ("End of Q3", date(2026, 12, 31), ""),
    ("End of year", date(2027, 3, 31), ""), ("by 31/03/2027", date(2027, 3, 31), ""),
    ("Ongoing", None, "Ongoing"), ("TBC", None, "TBC"), ("To be confirmed", None, "To be confirmed"),
    ("Immediate", None, "Immediate"), ("N/A", None, "N/A"), ("6 months from publication", None,
                                                             "6 months from publication"),
    ("Quarterly from July 2026", None, "Quarterly from July 2026"),
    ("12/31/2026", date(2026, 12, 31), ""),  # month first is its only possible reading
    ("31/03/2026 (revised 31/03/2027)", date(2026, 3, 31), "31/03/2026 (revised 31/03/2027)"),
])
def test_targets_as_people_write_them(written: object, when: date | None, note: str) -> None:
    reading = read_target(written, date1904=False, fiscal_year=2026)
    assert (reading.known, reading.when, reading.note) == (True, when, note)


@pytest.mark.parametrize("written", ["31/02/2027", "2027", "31/13/2027"])
def test_impossible_or_ambiguous_targets_are_asked(written: str) -> None:
    assert not read_target(written, date1904=False, fiscal_year=2026).known


def test_end_of_year_without_a_known_year_is_asked() -> None:
    assert not read_target("End of year", date1904=False, fiscal_year=None).known


@pytest.mark.parametrize(("heading", "field"), [
    ("BRAG", "rag"), ("B-RAG", "rag"), ("RAG status", "rag"), ("Rating", "rag"), ("Action taken", "update"),
    ("Actions completed", "update"), ("Key milestones achieved in enacting recommendation", "update"),
    ("Date of completion and outcome", "completion"), ("Date of update", "update_date"), ("% complete", "percent"),
    ("Responsibility", "owner"), ("By whom", "owner"), ("Identified lead", "owner"), ("Reference", "rec_number"),
    ("Scope", "scope"), ("Original target date", "target_date"), ("Revised target date", "revised_target_date"),
    ("Recommendation / action", "rec_or_action"), ("Progress to date", "update"), ("Action owner", "owner"),
])
def test_headings_people_use(heading: str, field: str) -> None:
    assert heading_field(heading) == field


@pytest.mark.parametrize(("heading", "period"), [
    ("Update Q1 26/27", "2026-27 Q1"), ("Progress updates 2026/27 – Q2", "2026-27 Q2"),
    ("Progress presented to Committee Dec 2017", "2017-18 Q3"), ("Update Q3", None),
])
def test_periods_named_by_headings(heading: str, period: str | None) -> None:
    found, _ = heading_period(heading, None)
    assert (str(found) if found else None) == period


@pytest.mark.parametrize(("written", "parts"), [
    ("1a", ("1", "a")), ("1.2", ("1", "2")), ("R1", ("1", "")), ("R1.1", ("1", "1")), ("2 (i)", ("2", "i")),
    ("SAR1.2", ("1", "2")), ("Recommendation 3", ("3", "")), ("Police", None),
])
def test_numbering(written: str, parts: tuple[str, str] | None) -> None:
    assert split_number(written) == parts


def test_names_and_types() -> None:
    assert (review_name("LCSPR Leo"), guess_review_type("LCSPR Leo")) == (
        "Leo", "Local Child Safeguarding Practice Review")
    assert guess_review_type("Rapid Review Baby N") == "Rapid Review" and review_name("Rapid Review Baby N") == "Baby N"
    assert all(is_generic_sheet(n) for n in ("Sheet1", "Appendix 1", "Tracker Q3", "DHR action plans"))
    assert not is_generic_sheet("Adult B")
    long_name = "Safeguarding Adults Review of the circumstances of " + "a very long name " * 10
    assert review_name(long_name).endswith("name")  # never cut
    assert looks_like_person("J Watkins") and not looks_like_person("Southampton City Council")


def test_a_workbook_renamed_csv_and_a_document_without_a_table(db: Database, tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "book.xlsx")
    (tmp_path / "tracker.csv").write_bytes((tmp_path / "book.xlsx").read_bytes())
    with pytest.raises(WorkbookError, match="tracker.csv: this is an Excel workbook saved under a .csv name"):
        plan_import(db, tmp_path / "tracker.csv")
    import docx
    document = docx.Document()
    document.add_paragraph("Minutes")
    document.save(str(tmp_path / "minutes.docx"))
    with pytest.raises(WorkbookError, match="minutes.docx: the Word document holds no table"):
        plan_import(db, tmp_path / "minutes.docx")


def test_reviews_that_share_a_name_but_not_a_type_stay_apart(db: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["No.", "Recommendation", "Status"], ["LCSPR – Child A"], [1, "Neglect toolkit", "Ongoing"],
                ["Rapid Review – Child A"], [1, "Safe sleep", "Complete"]):
        sheet.append(row)
    book.save(tmp_path / "t.xlsx")
    apply_plan(db, plan_import(db, tmp_path / "t.xlsx", today=date(2026, 11, 26)))
    reviews = [(r["name"], r["type"]) for r in projection(db.sessions)["reviews"]]
    assert reviews == [("Child A", "Local Child Safeguarding Practice Review"),
                       ("Child A (Rapid Review)", "Rapid Review")]


def test_sheets_naming_no_review_stay_apart(db: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for index, sheet in enumerate([book.active, book.create_sheet()]):
        sheet.append(["No.", "Recommendation", "Status"])
        sheet.append([1, f"Recommendation of review {index}", "Ongoing"])
    book.save(tmp_path / "plans.xlsx")
    plan = plan_import(db, tmp_path / "plans.xlsx", today=date(2026, 11, 26))
    assert plan.counts()["created_reviews"] == 2 and plan.counts()["created_recommendations"] == 2


def test_columns_headed_only_by_a_period_are_update_columns(db: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "SCR Kim"
    for row in (["No.", "Recommendation", "Q1 2026/27", "Q2 2026/27", "June 2026"],
                [1, "Neglect toolkit relaunched", "Planned", "Launched", "Audit booked"]):
        book.active.append(row)
    book.save(tmp_path / "kim.xlsx")
    apply_plan(db, plan_import(db, tmp_path / "kim.xlsx", today=date(2026, 11, 26)))
    [found] = projection(db.sessions)["reviews"]
    assert sorted(found["recommendations"][0]["updates"]) == [["2026-27 Q1", "Audit booked"], ["2026-27 Q1", "Planned"],
                                                              ["2026-27 Q2", "Launched"]]


def test_a_row_that_runs_on_adds_to_the_row_above(db: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "SCR Kim"
    for row in (["No.", "Recommendation", "Action", "RAG", "Update"],
                [1, "Neglect toolkit relaunched", "Relaunch event", None, "Event held in May;"],
                [None, None, None, "G", "attended by 120 staff"]):
        book.active.append(row)
    book.save(tmp_path / "kim.xlsx")
    plan = plan_import(db, tmp_path / "kim.xlsx", today=date(2026, 11, 26))
    assert {r.row: r.message for r in plan.rows}[3].startswith("continues row 2")
    apply_plan(db, plan)
    [found] = projection(db.sessions)["reviews"]
    [action_found] = found["recommendations"][0]["actions"]
    assert action_found["rag"] == "Green" and len(action_found["updates"]) == 1
    assert plan.counts()["created_actions"] == 1


def test_a_second_table_under_its_own_headings_and_a_key_beside_the_table(db: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "SCR Kim"
    for row in (["No.", "Recommendation", "Lead agency", "RAG", "Update", None, "Key"],
                [1, "Neglect toolkit relaunched", "Kimtown Council", "G", "Launched", None, "G = on track"],
                [],
                ["Single agency actions"],
                ["Agency", "Ref", "Action", "Target date", "Progress"],
                ["Kimtown Police", "2", "Police neglect training", "31/03/2027", "Booked"]):
        book.active.append(row)
    book.save(tmp_path / "kim.xlsx")
    plan = plan_import(db, tmp_path / "kim.xlsx", today=date(2026, 11, 26))
    reasons = {r.row: r.message for r in plan.rows}
    assert reasons[5] == "not an item: the headings of another table"
    # skipped: 'G = on track' beside the table and the second table's 5 headings; the heading within the
    # sheet ('Single agency actions') is read as a heading of the rows below it
    assert plan.cells["skipped"] == 6 and reasons[4] == "not an item: a heading within the sheet (not a review)"
    apply_plan(db, plan)
    [found] = projection(db.sessions)["reviews"]
    first, second = found["recommendations"]
    assert first["updates"] == [["2026-27 Q3", "Launched"]]  # nothing from the key beside it
    assert (second["number"], second["actions"][0]["text"], second["actions"][0]["owner_agency"],
            second["actions"][0]["target_date"]) == ("2", "Police neglect training", "Kimtown Police", "2027-03-31")


def test_a_first_data_row_under_a_merged_heading_is_not_taken_for_sub_headings(db: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SCR Kim"
    for row in (["No.", "Recommendation", "Progress", None, "RAG"],
                [1, "Neglect toolkit relaunched", "Planned", "Launched", "G"],
                [2, "Supervision audited", "Booked", "Done", "B"]):
        sheet.append(row)
    sheet.merge_cells("C1:D1")
    book.save(tmp_path / "kim.xlsx")
    plan = plan_import(db, tmp_path / "kim.xlsx", today=date(2026, 11, 26))
    assert plan.mapping["SCR Kim"]["header_row"] == 1 and plan.counts()["created_recommendations"] == 2


def test_lettered_actions_under_a_numbered_recommendation(db: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "SCR Kim"
    for row in (["No.", "Recommendation / action", "Status"], [1, "Neglect is recognised early", None],
                ["a", "Relaunch the toolkit", "Complete"], ["b)", "Audit its use", "Ongoing"]):
        book.active.append(row)
    book.save(tmp_path / "kim.xlsx")
    apply_plan(db, plan_import(db, tmp_path / "kim.xlsx", today=date(2026, 11, 26)))
    [found] = projection(db.sessions)["reviews"]
    [only] = found["recommendations"]
    assert [(a["number"], a["text"], a["status"]) for a in only["actions"]] == [
        ("1", "Relaunch the toolkit", "Complete"), ("2", "Audit its use", "In progress")]


def test_update_cells_saying_nothing_and_updates_that_begin_with_their_date(db: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "SCR Kim"
    for row in (["No.", "Recommendation", "Update Q1 2026/27", "Progress"],
                [1, "Neglect toolkit relaunched", "-", "12/10/2026: relaunched at the conference"],
                [2, "Supervision audited", "N/A", "No update"]):
        book.active.append(row)
    book.save(tmp_path / "kim.xlsx")
    plan = plan_import(db, tmp_path / "kim.xlsx", today=date(2027, 2, 1))
    assert plan.cells["skipped"] == 3
    apply_plan(db, plan)
    first, second = projection(db.sessions)["reviews"][0]["recommendations"]
    assert first["updates"] == [["2026-27 Q3", "12/10/2026: relaunched at the conference"]] and second["updates"] == []
