"""Tracker layouts as partnerships publish them (part four): the shapes the issue names, each with
what a careful person says it holds. An inspection's improvement plan whose areas for improvement and
recommendations share numbers; the same plan on a sheet per quarter; closed actions archived on a
sheet of their own; a performance system's export in UTF-16; a Word paper with two reports' tables
(one a table of recommendations, then one of their actions); dated logs, several agencies in a cell, a
wrapped row, a link, a comment and two rows claiming one reference."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import docx
import openpyxl
from openpyxl.comments import Comment

from tests.trackers.golden_helpers import action, golden, rec, review
from tests.trackers.layouts_a import Q1, Q2, Q3, _rows

COUNCIL, POLICE, HEALTH = "Anytown Council Children's Services", "Anytown Police", "Anytown Community Health"


def inspection_plan(path: Path) -> dict[str, Any]:
    """Recommendations 'R1', 'R2' and areas for improvement 'AFI1', 'AFI2' in one plan under
    headings never seen before; inspection status words; a rating 1-3 whose key is typed under the
    table and used; a link in the evidence and a comment on a cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Improvement plan"
    _rows(sheet, 1, [
        ["Anytown Children's Services – improvement plan after the ILACS inspection (May 2026)"],
        [],
        ["Ref", "What the inspectors asked for", "What we will do", "Who", "When", "How we will know",
         "Where we are now", "Rating"],
        ["R1", "Leaders should make sure that supervision is regular and reflective", "Supervision audit each month",
         COUNCIL, "30/09/2026", "Audit reports", "Audit in place; 92% of staff supervised.", 1],
        ["R2", "Leaders should strengthen the quality of plans for children in need", "Plans training for all teams",
         COUNCIL, "Q4 2026/27", "", "Training booked for January.", 2],
        ["AFI1", "The timeliness of return home interviews", "Commission a new return home service",
         HEALTH, "March 2027", "", "Tender out.", 3],
        ["AFI2", "The use of the neglect toolkit by health visitors", "Toolkit briefings for health visitors",
         HEALTH, date(2026, 12, 31), "", "Two of six briefings held.", 2],
        [],
        ["Rating: 1 = Met; 2 = Partially met; 3 = Not met"],
    ])
    sheet["F4"].hyperlink = "https://example.org/audit/supervision"
    sheet["G5"].comment = Comment("Dates agreed at the board", "PM")
    book.save(path)
    return golden([review("ILACS inspection", "Other", [
        rec("1", "Leaders should make sure that supervision is regular and reflective", lead=COUNCIL, actions=[
            action("1", "Supervision audit each month", status="Complete", rag="Blue", target="2026-09-30",
                   agency=COUNCIL, updates=[[Q3, "Audit in place; 92% of staff supervised."]])]),
        rec("2", "Leaders should strengthen the quality of plans for children in need", lead=COUNCIL, actions=[
            action("1", "Plans training for all teams", target="2027-03-31", agency=COUNCIL,
                   updates=[[Q3, "Training booked for January."]])]),
        rec("AFI1", "The timeliness of return home interviews", lead=HEALTH, actions=[
            action("1", "Commission a new return home service", status="Not started", target="2027-03-31",
                   note="month only", agency=HEALTH, updates=[[Q3, "Tender out."]])]),
        rec("AFI2", "The use of the neglect toolkit by health visitors", lead=HEALTH, actions=[
            action("1", "Toolkit briefings for health visitors", target="2026-12-31", agency=HEALTH,
                   updates=[[Q3, "Two of six briefings held."]])]),
    ])], [COUNCIL, HEALTH])


def quarterly_sheets(path: Path) -> dict[str, Any]:
    """The same plan on a sheet per quarter: one review, each sheet's words a dated update in that
    quarter, the item's rating and status from the latest sheet."""
    book = openpyxl.Workbook()
    for index, (name, rag, words) in enumerate([("Q1 2026-27", "A", ["Scoping started", "Nothing yet"]),
                                                 ("Q2 2026-27", "G", ["Pilot in two teams", "Nothing yet"])]):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        _rows(sheet, 1, [["Anytown SCP – LCSPR 'Noor' action plan"],
                         ["No.", "Recommendation", "Lead agency", "RAG", "Update"],
                         [1, "Practitioners ask about fathers at every contact", HEALTH, rag, words[0]],
                         [2, "Schools share attendance concerns with health", COUNCIL, "R", words[1]]])
    book.save(path)
    return golden([review("Noor", "Local Child Safeguarding Practice Review", [
        rec("1", "Practitioners ask about fathers at every contact", rag="Green", lead=HEALTH,
            updates=[[Q1, "Scoping started"], [Q2, "Pilot in two teams"]]),
        rec("2", "Schools share attendance concerns with health", rag="Red", lead=COUNCIL,
            updates=[[Q1, "Nothing yet"]]),
    ])], [COUNCIL, HEALTH])


def archive_sheet(path: Path) -> dict[str, Any]:
    """Open actions on one sheet, closed ones archived on another: one review, the archived items
    its completed ones."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Open actions"
    header = ["Ref", "Recommendation", "Action", "Lead agency", "Target date", "Status", "Progress"]
    rec1 = "Agencies should recognise financial abuse of older people"
    _rows(sheet, 1, [["SAR 'Mr Q' – action plan (open actions)"], header,
                     ["1.2", rec1, "Bank staff briefing", POLICE, "31/03/2027", "Ongoing", "Bank contacted"]])
    closed = book.create_sheet("Closed actions")
    _rows(closed, 1, [["SAR 'Mr Q' – closed actions"], header,
                      ["1.1", rec1, "Financial abuse guidance", COUNCIL, "30/06/2026", "Complete", "Published June"]])
    book.save(path)
    return golden([review("Mr Q", "Safeguarding Adults Review", [
        rec("1", rec1, lead=POLICE, actions=[
            action("1", "Financial abuse guidance", status="Complete", target="2026-06-30",
                   agency=COUNCIL, updates=[[Q3, "Published June"]]),
            action("2", "Bank staff briefing", target="2027-03-31", agency=POLICE, updates=[[Q3, "Bank contacted"]]),
        ]),
    ])], [COUNCIL, POLICE])


def performance_export(path: Path) -> dict[str, Any]:
    """A performance system's export saved as 'Unicode text' (UTF-16, tabs): its own headings, a
    progress percentage, a status icon's words, the latest note and its date."""
    rows = [["Action Code", "Action Title", "Assigned To", "Due Date", "Status Icon", "Progress %", "Latest Note",
             "Latest Note Date"],
            ["DHR7-R1", "Routine enquiry in drug and alcohol services", "Anytown Recovery Service", "31/03/2027",
             "On target", "40%", "Question added to the assessment", "01/10/2026"],
            ["DHR7-R2", "Interpreters for every safeguarding conversation", "Anytown Council", "30/06/2026",
             "Completed", "100%", "Policy reissued", "02/07/2026"]]
    path.write_bytes("\r\n".join("\t".join(r) for r in rows).encode("utf-16"))
    recovery, council = "Anytown Recovery Service", "Anytown Council"
    return golden([review("DHR 7", "Domestic Homicide Review", [
        rec("1", "Routine enquiry in drug and alcohol services", rag="Green", target="2027-03-31", lead=recovery,
            updates=[[Q3, "Question added to the assessment"]]),
        rec("2", "Interpreters for every safeguarding conversation", status="Complete", rag="Blue",
            target="2026-06-30", lead=council, updates=[[Q2, "Policy reissued"]]),
    ])], [council, recovery])


def two_reports_in_word(path: Path) -> dict[str, Any]:
    """A board paper with two reviews, each under its own heading; the second review's plan is a
    table of recommendations then a table of their actions, keyed by number. Both reports have an
    'AFI1': another report's AFI1 is another item."""
    document = docx.Document()
    document.add_heading("Anytown Safeguarding Adults Board – case review actions", level=1)
    document.add_heading("SAR 'Adult K'", level=2)
    first = document.add_table(rows=2, cols=4)
    for r, values in enumerate([["Ref", "Finding", "Action", "Progress"],
                                ["AFI1", "Hoarding assessments were not shared", "Share hoarding assessments",
                                 "Protocol drafted"]]):
        for c, value in enumerate(values):
            first.cell(r, c).text = value
    document.add_heading("DHR 'Leah'", level=2)
    recs = document.add_table(rows=3, cols=2)
    for r, values in enumerate([["No.", "Recommendation"], ["AFI1", "Police should record coercive control"],
                                ["2", "GPs should ask about domestic abuse"]]):
        for c, value in enumerate(values):
            recs.cell(r, c).text = value
    document.add_paragraph("Actions")
    actions = document.add_table(rows=3, cols=4)
    for r, values in enumerate([["Rec no.", "Action", "Lead agency", "Progress"],
                                ["AFI1", "Coercive control training for officers", POLICE, "Half trained"],
                                ["2", "GP bulletin article", HEALTH, "Published"]]):
        for c, value in enumerate(values):
            actions.cell(r, c).text = value
    document.save(str(path))
    return golden([
        review("Adult K", "Safeguarding Adults Review", [
            rec("AFI1", "Hoarding assessments were not shared", actions=[
                action("1", "Share hoarding assessments", updates=[[Q3, "Protocol drafted"]])])]),
        review("Leah", "Domestic Homicide Review", [
            rec("AFI1", "Police should record coercive control", lead=POLICE, actions=[
                action("1", "Coercive control training for officers", agency=POLICE, updates=[[Q3, "Half trained"]])]),
            rec("2", "GPs should ask about domestic abuse", lead=HEALTH, actions=[
                action("1", "GP bulletin article", agency=HEALTH, updates=[[Q3, "Published"]])]),
        ])], [HEALTH, POLICE])


def logs_agencies_and_a_repeated_reference(path: Path) -> dict[str, Any]:
    """A dated log in a cell (one update per entry, oldest first); a cell naming two agencies (the first
    leads, the second contributes); a wrapped row; a link and a comment kept; two rows claiming 'R2'
    with different words (asked; by default two recommendations, the second numbered anew)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SCR Kit"
    _rows(sheet, 1, [
        ["No.", "Recommendation", "Lead agency", "Evidence", "Progress log"],
        ["R1", "Partners should share chronologies within ten days", f"{COUNCIL} / {POLICE}", "Audit report",
         "14/10/2026 – Audit of ten cases done\n12/07/2026 – Chronology template agreed"],
        [None, None, None, None, "and sent to every team"],
        ["R2", "Health visitors should see fathers", HEALTH, None, "Letters to fathers piloted"],
        ["R2", "Schools should record who collects children", COUNCIL, None, "Form drafted"],
    ])
    sheet["D2"].hyperlink = "https://example.org/audit"
    sheet["E4"].comment = Comment("Pilot in two areas only", "HV")
    book.save(path)
    return golden([review("Kit", "Serious Case Review", [
        rec("1", "Partners should share chronologies within ten days", lead=COUNCIL,
            updates=[["2026-27 Q2", "12/07/2026 – Chronology template agreed"],
                     [Q3, "14/10/2026 – Audit of ten cases done"]]),
        rec("2", "Health visitors should see fathers", lead=HEALTH, updates=[[Q3, "Letters to fathers piloted"]]),
        rec("3", "Schools should record who collects children", lead=COUNCIL, updates=[[Q3, "Form drafted"]]),
    ])], [COUNCIL, HEALTH, POLICE])
