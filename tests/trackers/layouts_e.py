"""Tracker layouts as partnerships publish them (part five): shapes written after the engine read
the 25 shared trackers, to see whether its rules were principles or lists. A trust's plan of
findings merged across the table over numbered actions; a workbook with its recommendations on one
sheet and their actions on another; a list exported from a shared site (a 'Title' column, a review
column, system timestamps); a board report whose second table runs on over a page break; labelled
'Recommendation 1' / 'Action 1a' rows; ticks under 'Completed?' and dated headings; ratings as
emoji with a percentage done."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import docx
import openpyxl
from openpyxl.styles import Font, PatternFill

from tests.trackers.golden_helpers import action, golden, rec, review
from tests.trackers.layouts_a import Q2, Q3, _rows

TRUST, CSC, POLICE, ICB = ("Northvale NHS Foundation Trust", "Northvale Children's Services", "Northvale Police",
                           "Northvale ICB")


def findings_merged_across(path: Path) -> dict[str, Any]:
    """A trust's own plan: 'Finding' rows numbered 1 and 2, their words merged across the table in
    bold, over actions 1.1, 1.2; two leads (a post each); BRAG letters; 'Date closed'. The trust the
    title names leads every item; the review is named in quotes in the second title line."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action Plan"
    _rows(sheet, 1, [
        [TRUST],
        ["Action plan following Safeguarding Adults Review 'Connor'"],
        ["Version 3 – reviewed at Safeguarding Committee 14/10/2026"],
        [],
        ["Ref", "Finding", "Action required", "Executive lead", "Operational lead", "Target date", "BRAG",
         "Assurance / evidence", "Date closed"],
        ["1", "Discharge planning did not consider self-neglect"],
        ["1.1", None, "Add a self-neglect prompt to the discharge checklist", "Chief Nurse",
         "Named Nurse Safeguarding Adults", date(2026, 9, 30), "B", "Checklist v2 on the intranet", date(2026, 9, 12)],
        ["1.2", None, "Audit 20 discharges for the prompt", "Chief Nurse", "Safeguarding Adults Lead",
         date(2027, 1, 31), "A", "Audit tool drafted"],
        ["2", "Staff did not escalate missed appointments"],
        ["2.1", None, "Was Not Brought policy to include adults at risk", "Medical Director", "Head of Outpatients",
         date(2026, 12, 31), "G", "Policy at consultation"],
    ])
    for row in (6, 9):
        sheet.cell(row, 2).font = Font(bold=True)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=9)
    book.save(path)
    return golden([review("Connor", "Safeguarding Adults Review", [
        rec("1", "Discharge planning did not consider self-neglect", lead=TRUST, actions=[
            action("1", "Add a self-neglect prompt to the discharge checklist", status="Complete", rag="Blue",
                   target="2026-09-30", owner="Chief Nurse", agency=TRUST, updates=[[Q2, "Completed"]]),
            action("2", "Audit 20 discharges for the prompt", rag="Amber", target="2027-01-31", owner="Chief Nurse",
                   agency=TRUST, updates=[["2026-27 Q3", "Operational lead: Safeguarding Adults Lead"]])]),
        rec("2", "Staff did not escalate missed appointments", lead=TRUST, actions=[
            action("1", "Was Not Brought policy to include adults at risk", rag="Green", target="2026-12-31",
                   owner="Medical Director", agency=TRUST,
                   updates=[["2026-27 Q3", "Operational lead: Head of Outpatients"]])]),
    ])], [TRUST])


def recommendations_and_actions_on_two_sheets(path: Path) -> dict[str, Any]:
    """Recommendations on one sheet under the review's title, their actions on another keyed by the
    recommendation's number: one review. 'Lead' and 'Owner' hold agencies ('Northvale SCP': a place
    and a body's initials); status words in the plan's own phrases ('Not due yet', 'Closed -
    superseded by new plan')."""
    book = openpyxl.Workbook()
    recs = book.active
    recs.title = "Recommendations"
    _rows(recs, 1, [
        ["Thematic review of neglect – Northvale SCP"],
        [],
        ["No", "Recommendation", "Lead"],
        [1, "Partners should use one neglect screening tool", "Northvale SCP"],
        [2, "Neglect training should be multi-agency", "Northvale SCP"],
    ])
    actions = book.create_sheet("Actions")
    _rows(actions, 1, [
        ["Rec", "Action", "Owner", "Due", "Status", "Comment"],
        [1, "Adopt the screening tool", CSC, "Dec 2026", "In hand", "Pilot in two localities"],
        [1, "Audit use of the tool", CSC, "Jun 2027", "Not due yet"],
        [2, "Evaluate the training", "Northvale SCP", "Sep 2027", "Closed - superseded by new plan",
         "Folded into the workforce plan"],
    ])
    book.save(path)
    scp = "Northvale SCP"
    return golden([review("neglect", "Thematic review", [
        rec("1", "Partners should use one neglect screening tool", lead=scp, actions=[
            action("1", "Adopt the screening tool", target="2026-12-31", note="month only", agency=CSC,
                   updates=[[Q3, "Pilot in two localities"]]),
            action("2", "Audit use of the tool", status="Not started", target="2027-06-30", note="month only",
                   agency=CSC, updates=[[Q3, "Status: Not due yet"]])]),
        rec("2", "Neglect training should be multi-agency", lead=scp, actions=[
            action("1", "Evaluate the training", status="Superseded", target="2027-09-30", note="month only",
                   agency=scp, updates=[[Q3, "Folded into the workforce plan"]])]),
    ])], [CSC, scp])


def list_export(path: Path) -> dict[str, Any]:
    """A list exported from a shared site as CSV: the item's words under 'Title' (no heading names
    them), the review in a column, ISO dates and system timestamps ('Modified'), the person who
    modified it ('Modified By'); a row with no words of progress keeps who touched it."""
    rows = [["Title", "Review", "Recommendation Number", "Lead Organisation", "Due Date", "Status", "Latest Update",
             "Modified", "Modified By"],
            ["Escalation policy refresh", "SAR Quinn", "3", CSC, "2026-12-31", "In Progress",
             "Draft to board in December", "2026-10-14T09:32:00Z", "Smith, Jane"],
            ["GP record flags", "SAR Quinn", "4", ICB, "2026-09-30", "Overdue", "IT supplier delay",
             "2026-10-02T15:01:00Z", "Patel, Raj"],
            ["Risk assessment training", "DHR Ruth", "1", POLICE, "2027-03-31", "Not Started", "",
             "2026-08-20T11:00:00Z", "Smith, Jane"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return golden([
        review("Quinn", "Safeguarding Adults Review", [
            rec("3", "Escalation policy refresh", target="2026-12-31", lead=CSC,
                updates=[[Q3, "Draft to board in December"]]),
            rec("4", "GP record flags", target="2026-09-30", lead=ICB, updates=[[Q3, "IT supplier delay"]])]),
        review("Ruth", "Domestic Homicide Review", [
            rec("1", "Risk assessment training", status="Not started", target="2027-03-31", lead=POLICE,
                updates=[[Q2, "Modified By: Smith, Jane"]])]),
    ], [CSC, ICB, POLICE])


def board_report_over_a_page_break(path: Path) -> dict[str, Any]:
    """A board report: each appendix heading names a review; the second appendix's table runs on in
    a second table straight after it (its headings repeated); 'Progress (RAG)' holds progress led
    by its rating ('Amber – policy in draft')."""
    document = docx.Document()
    document.add_heading("Northvale Safeguarding Adults Board", 0)
    document.add_paragraph("Report to the Board, 3 November 2026: progress on review action plans.")
    headings = ["No.", "Learning", "What we will do", "Who", "By when", "Progress (RAG)"]

    def table(rows: list[list[str]]) -> None:
        found = document.add_table(rows=1 + len(rows), cols=len(headings))
        for r, values in enumerate([headings, *rows]):
            for c, value in enumerate(values):
                found.cell(r, c).text = value

    document.add_heading("Appendix A: SAR 'Violet' action plan", 1)
    table([["1", "Carers were not offered assessments", "Carers' assessment offered at every review", CSC,
            "Dec 2026", "Amber – policy in draft"]])
    document.add_heading("Appendix B: DHR 'Sian'", 1)
    table([["1", "Coercive control was not recognised by GPs", "IRIS training for all practices", ICB, "Mar 2027",
            "Red – funding not agreed"]])
    table([["2", "Housing did not share tenancy concerns", "Information sharing agreement signed", POLICE,
            "Jan 2027", "Green – signed"]])
    document.save(str(path))
    as_at = "2026-27 Q3"
    return golden([
        review("Violet", "Safeguarding Adults Review", [
            rec("1", "Carers were not offered assessments", lead=CSC, actions=[
                action("1", "Carers' assessment offered at every review", rag="Amber", target="2026-12-31",
                       note="month only", agency=CSC, updates=[[as_at, "Amber – policy in draft"]])])]),
        review("Sian", "Domestic Homicide Review", [
            rec("1", "Coercive control was not recognised by GPs", lead=ICB, actions=[
                action("1", "IRIS training for all practices", rag="Red", target="2027-03-31", note="month only",
                       agency=ICB, updates=[[as_at, "Red – funding not agreed"]])]),
            rec("2", "Housing did not share tenancy concerns", lead=POLICE, actions=[
                action("1", "Information sharing agreement signed", rag="Green", target="2027-01-31",
                       note="month only", agency=POLICE, updates=[[as_at, "Green – signed"]])])]),
    ], [CSC, ICB, POLICE])


def labelled_rows(path: Path) -> dict[str, Any]:
    """'Recommendation 1' and 'Action 1a' typed in an 'Item' column, the words under 'Detail';
    'Owner' holding services; a dated log with two-digit years and initials; an item with no
    progress and no status has not started."""
    book = openpyxl.Workbook()
    sheet = book.active
    _rows(sheet, 1, [
        ["Rapid Review – Baby Z – Northvale SCP"],
        ["Item", "Detail", "Owner", "Timescale", "Updates"],
        ["Recommendation 1", "Safe sleep advice must be repeated at every contact"],
        ["Action 1a", "Safe sleep leaflet in every red book", "Health Visiting", "Nov 2026",
         "12/09/26 – JS: leaflet approved\n03/10/26 – JS: printing ordered"],
        ["Action 1b", "Safe sleep in the midwifery discharge talk", "Maternity", "Dec 2026"],
        ["Recommendation 2", "Co-sleeping risk assessment should include alcohol"],
        ["Action 2a", "Update the risk assessment tool", "Health Visiting", "Jan 2027"],
    ])
    book.save(path)
    visiting = "Health Visiting"
    return golden([review("Baby Z", "Rapid Review", [
        rec("1", "Safe sleep advice must be repeated at every contact", lead=visiting, actions=[
            action("1", "Safe sleep leaflet in every red book", target="2026-11-30", note="month only",
                   agency=visiting, updates=[[Q2, "12/09/26 – JS: leaflet approved"],
                                             [Q3, "03/10/26 – JS: printing ordered"]]),
            action("2", "Safe sleep in the midwifery discharge talk", status="Not started", target="2026-12-31",
                   note="month only",
                   agency="Maternity")]),
        rec("2", "Co-sleeping risk assessment should include alcohol", status="Not started", lead=visiting, actions=[
            action("1", "Update the risk assessment tool", status="Not started", target="2027-01-31",
                   note="month only", agency=visiting)]),
    ])], [visiting, "Maternity"])


def ticks_and_dated_headings(path: Path) -> dict[str, Any]:
    """Updates under dated headings; an unheaded column of fills only (the ratings); 'Completed?'
    answered Yes/No; 'Date completed' falling within the latest update's quarter (it completes that
    update, it is no update of its own)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "DHR Ivy"
    _rows(sheet, 1, [
        ["Ref", "Recommendation", "Responsible", "Update 30.06.2026", "Update 30.09.2026", None, "Completed?",
         "Date completed"],
        ["DHR1", "Police should review risk after every call-out", POLICE, "Audit scoped", "Audit done; 40 cases",
         None, "Yes", date(2026, 9, 20)],
        ["DHR2", "GPs should ask about coercive control", ICB, "Not started", "Training booked", None, "No"],
    ])
    for row, colour in ((2, "FF00B050"), (3, "FFFFC000")):
        sheet.cell(row, 6).fill = PatternFill("solid", fgColor=colour)
    book.save(path)
    return golden([review("Ivy", "Domestic Homicide Review", [
        rec("1", "Police should review risk after every call-out", status="Complete", rag="Green", lead=POLICE,
            updates=[["2026-27 Q1", "Audit scoped"], [Q2, "Audit done; 40 cases"]]),
        rec("2", "GPs should ask about coercive control", rag="Amber", lead=ICB,
            updates=[["2026-27 Q1", "Not started"], [Q2, "Training booked"]]),
    ])], [ICB, POLICE])


def emoji_ratings(path: Path) -> dict[str, Any]:
    """Ratings typed as emoji with words ('🟢 On track', '✅ Done'), a percentage done, 'Agency' and
    'Deadline' headings; a long heading whose qualifier names evidence ('Commentary, including any
    evidence of impact' is the progress)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LCSPR Amara"
    _rows(sheet, 1, [
        ["Rec no", "Recommendation", "Agency", "Deadline", "% complete", "Rating",
         "Please describe progress this quarter, including any evidence of impact"],
        [1, "Schools should record all disclosures", CSC, "31/12/2026", 0.75, "🟢 On track",
         "Three quarters of schools live"],
        [2, "The partnership should audit neglect cases", "Northvale SCP", "30/06/2026", 0, "🔴 Off track",
         "Auditor on long-term sick"],
        [3, "Police should notify schools the next day", POLICE, "30/09/2026", 1, "✅ Done", "Live since August"],
    ])
    for row in range(2, 5):
        sheet.cell(row, 5).number_format = "0%"
    book.save(path)
    return golden([review("Amara", "Local Child Safeguarding Practice Review", [
        rec("1", "Schools should record all disclosures", rag="Green", target="2026-12-31", lead=CSC,
            updates=[[Q3, "Three quarters of schools live"]]),
        rec("2", "The partnership should audit neglect cases", rag="Red", target="2026-06-30", lead="Northvale SCP",
            updates=[[Q3, "Auditor on long-term sick"]]),
        rec("3", "Police should notify schools the next day", status="Complete", rag="Blue", target="2026-09-30",
            lead=POLICE, updates=[[Q3, "Live since August"]]),
    ])], [CSC, "Northvale SCP", POLICE])
