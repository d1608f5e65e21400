"""Tracker layouts as partnerships publish them (part one), each with what a careful person says
it holds. Written to files by tests/trackers/build_trackers.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color

from tests.trackers.golden_helpers import action, golden, rec, review

Q1, Q2, Q3 = "2026-27 Q1", "2026-27 Q2", "2026-27 Q3"
NHS, ICB = "Anytown NHS Trust", "Anytown Integrated Care Board"


def _rows(sheet: Any, start: int, rows: list[list[Any]]) -> None:
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(start + offset, column, value)


def lscp_sections(path: Path, *, next_quarter: bool = False) -> dict[str, Any]:
    """Three reviews on one sheet under section headers merged across, with the same
    recommendation numbers; two quarterly update columns (three in next quarter's copy)."""
    book = openpyxl.Workbook()
    sheet = book.active
    width = "I" if next_quarter else "H"
    sheet["A1"] = "Anytown Safeguarding Children Partnership"
    sheet["A2"] = "Case review action plans – position at 30/09/2026"
    sheet.merge_cells(f"A1:{width}1")
    sheet.merge_cells(f"A2:{width}2")
    header = ["No.", "Recommendation", "Action", "Lead agency", "Target date", "RAG", "Update Q1 2026/27",
              "Update Q2 2026/27"] + (["Update Q3 2026/27"] if next_quarter else [])
    rows: list[list[Any]] = [
        header,
        ["LCSPR Leo"],
        [1, "Health visitors check who lives in the household", "Revise the new birth visit checklist", NHS,
         "March 2027", "G", "Draft checklist shared", "Checklist in use from August", "Checklist audited"],
        [None, None, "Audit twenty records", NHS, "Q3 2026/27", "A", None, "Audit booked for October", None],
        [2, "Schools share attendance concerns with social care", "Attendance protocol agreed by all schools",
         "Anytown Council Education", "Ongoing", "Amber", "Protocol drafted", "Consultation with heads closed", None],
        ["Rapid Review Baby N"],
        [1, "Safe sleep advice given at every contact", "Safe sleep briefing for all frontline staff", NHS,
         date(2026, 12, 31), "Complete", "Briefings delivered to 400 staff", "Evaluation done", None],
        [2, "GP records flag the father's history", "GP practices add a flag", ICB, "TBC", "R", None,
         "No progress: system supplier delayed", "Supplier fix installed"],
        ["SCR Child D"],
        [1, "Neglect toolkit used by all agencies", "Relaunch the neglect toolkit",
         "Anytown Safeguarding Children Partnership", "Q4 2026/27", "G", "Relaunch planned",
         "Relaunched at conference", None],
        [],
        ["NB: ratings agreed by the Case Review Group on 30/09/2026"],
    ]
    if not next_quarter:
        rows = [r[:8] for r in rows]
    _rows(sheet, 4, rows)
    for first in (5, 9, 12):
        sheet.merge_cells(f"A{first}:{width}{first}")
    for column in "AB":
        sheet.merge_cells(f"{column}6:{column}7")
    book.save(path)
    q3 = [[Q3, "Checklist audited"]] if next_quarter else []
    q3_gp = [[Q3, "Supplier fix installed"]] if next_quarter else []
    return golden([
        review("Leo", "Local Child Safeguarding Practice Review", [
            rec("1", "Health visitors check who lives in the household", lead=NHS, actions=[
                action("1", "Revise the new birth visit checklist", rag="Green", target="2027-03-31",
                       note="month only", agency=NHS,
                       updates=[[Q1, "Draft checklist shared"], [Q2, "Checklist in use from August"], *q3]),
                action("2", "Audit twenty records", rag="Amber", target="2026-12-31", agency=NHS,
                       updates=[[Q2, "Audit booked for October"]])]),
            rec("2", "Schools share attendance concerns with social care", lead="Anytown Council Education", actions=[
                action("1", "Attendance protocol agreed by all schools", rag="Amber", note="Ongoing",
                       agency="Anytown Council Education",
                       updates=[[Q1, "Protocol drafted"], [Q2, "Consultation with heads closed"]])])]),
        review("Baby N", "Rapid Review", [
            rec("1", "Safe sleep advice given at every contact", lead=NHS, actions=[
                action("1", "Safe sleep briefing for all frontline staff", status="Complete", rag="Blue",
                       target="2026-12-31", agency=NHS,
                       updates=[[Q1, "Briefings delivered to 400 staff"], [Q2, "Evaluation done"]])]),
            rec("2", "GP records flag the father's history", lead=ICB, actions=[
                action("1", "GP practices add a flag", rag="Red", note="TBC", agency=ICB,
                       updates=[[Q2, "No progress: system supplier delayed"], *q3_gp])])]),
        review("Child D", "Serious Case Review", [
            rec("1", "Neglect toolkit used by all agencies", lead="Anytown Safeguarding Children Partnership", actions=[
                action("1", "Relaunch the neglect toolkit", rag="Green", target="2027-03-31",
                       agency="Anytown Safeguarding Children Partnership",
                       updates=[[Q1, "Relaunch planned"], [Q2, "Relaunched at conference"]])])]),
    ], [NHS, ICB, "Anytown Council Education", "Anytown Safeguarding Children Partnership"])


def sab_two_row_header(path: Path) -> dict[str, Any]:
    """A group heading merged over Q1/Q2/Q3, numbering 1.1/1.2/2.1, BRAG, a key and a footer."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SAR Adult F"
    sheet["A1"] = "Westshire Safeguarding Adults Board"
    asc, fire = "Westshire Council Adult Social Care", "Westshire Fire and Rescue Service"
    _rows(sheet, 3, [
        ["Ref", "Recommendation", "Agreed actions", "Lead", "Target date", "Progress updates 2026/27", None, None,
         "BRAG"],
        [None, None, None, None, None, "Q1", "Q2", "Q3", None],
        ["1.1", "Self-neglect guidance is used by all partners", "Publish multi-agency self-neglect guidance", asc,
         "30/06/2026", "Drafted", "Published in June", "Briefings held", "B"],
        ["1.2", None, "Audit use of the guidance", "J Smith", "Dec-26", None, "Audit tool agreed", None, "A/G"],
        ["2.1", "Hoarding cases are escalated", "Escalation route for hoarding", fire, "End of Q4", "Not started",
         "Scoping meeting held", None, "R"],
        [],
        ["Key:"],
        ["B", "Complete"],
        ["R", "Not on track"],
        ["Last updated 14/10/2026"],
    ])
    for column in "ABCDEI":
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.merge_cells("F3:H3")
    sheet.merge_cells("B5:B6")
    book.save(path)
    return golden([review("Adult F", "Safeguarding Adults Review", [
        rec("1", "Self-neglect guidance is used by all partners", lead=asc, actions=[
            action("1", "Publish multi-agency self-neglect guidance", status="Complete", rag="Blue",
                   target="2026-06-30", agency=asc,
                   updates=[[Q1, "Drafted"], [Q2, "Published in June"], [Q3, "Briefings held"]]),
            action("2", "Audit use of the guidance", rag="Amber", target="2026-12-31", note="month only",
                   owner="J Smith", updates=[[Q2, "Audit tool agreed"]])]),
        rec("2", "Hoarding cases are escalated", lead=fire, actions=[
            action("1", "Escalation route for hoarding", rag="Red", target="2027-03-31", agency=fire,
                   updates=[[Q1, "Not started"], [Q2, "Scoping meeting held"]])]),
    ])], [asc, fire])


def theme_fills(path: Path) -> dict[str, Any]:
    """RAG given only by fill colours: theme colours with tint, an indexed colour; targets as a
    date cell, an Excel serial typed as a number and text; a generic sheet name under a title."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Appendix 1"
    hospital, asc, board = "Westshire Hospitals NHS Trust", "Westshire Council Adult Social Care", \
        "Westshire Safeguarding Adults Board"
    _rows(sheet, 1, [["Westshire Safeguarding Adults Board"], ["Safeguarding Adults Review: 'Mr K' – action plan"], [],
                     ["No", "Recommendation", "Lead agency", "Target date", "RAG", "Progress"],
                     [1, "Discharge planning includes carers", hospital, date(2026, 10, 31), None,
                      "Carers' checklist in use"],
                     [2, "Hospital social workers attend ward rounds", asc, 46203, None, "Pilot on two wards"],
                     [3, "Self-neglect training", asc, "30/09/2026", None, "Trainer not yet found"],
                     [4, "Assurance report to the Board", board, "31/03/2027", None, "Report presented"]])
    fills = {5: Color(theme=6), 6: Color(theme=9, tint=0.4), 7: Color(indexed=10), 8: Color(theme=4, tint=-0.25)}
    for row, colour in fills.items():
        sheet.cell(row, 5).fill = PatternFill("solid", fgColor=colour)
    book.save(path)
    return golden([review("Mr K", "Safeguarding Adults Review", [
        rec("1", "Discharge planning includes carers", rag="Green", target="2026-10-31", lead=hospital,
            updates=[[Q3, "Carers' checklist in use"]]),
        rec("2", "Hospital social workers attend ward rounds", rag="Amber", target="2026-06-30", lead=asc,
            updates=[[Q3, "Pilot on two wards"]]),
        rec("3", "Self-neglect training", rag="Red", target="2026-09-30", lead=asc,
            updates=[[Q3, "Trainer not yet found"]]),
        rec("4", "Assurance report to the Board", status="Complete", rag="Blue", target="2027-03-31", lead=board,
            updates=[[Q3, "Report presented"]]),
    ])], [hospital, asc, board])


def notes_and_totals(path: Path) -> dict[str, Any]:
    """A numeric rating with its key typed under the table, spacer rows, a totals row, a note and
    a 'Last updated' footer; the review named only by the file name."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tracker Q3"
    trust, csc, police, edu = ("Lowtown NHS Trust", "Lowtown Council Children's Services", "Lowtown Police",
                               "Lowtown Council Education")
    _rows(sheet, 1, [
        ["Lowtown Safeguarding Children Partnership"],
        ["Rec", "Recommendation", "Lead agency", "Deadline", "Rating", "Comments", "Date updated"],
        [1, "Midwives ask about previous children", trust, "31/01/2027", 3, "Question added to booking", "05/10/2026"],
        [],
        [2, "Social workers see children alone", csc, "28/02/2027", 2, "Audit shows 70%", "05/10/2026"],
        [3, "Police share domestic abuse notifications within 24 hours", police, "30/11/2026", 4, "Done; now daily",
         date(2026, 10, 1)],
        [4, "Schools attend strategy meetings", edu, "N/A", 1, "Meeting with heads booked", "05/10/2026"],
        ["Total", 4],
        [],
        ["Key"],
        ["1 = Red"], ["2 = Amber"], ["3 = Green"], ["4 = Blue"],
        ["NB: ratings agreed at the Practice Review Group"],
        ["Last updated 05/10/2026"],
    ])
    book.save(path)
    return golden([review("Sam", "Serious Case Review", [
        rec("1", "Midwives ask about previous children", rag="Green", target="2027-01-31", lead=trust,
            updates=[[Q3, "Question added to booking"]]),
        rec("2", "Social workers see children alone", rag="Amber", target="2027-02-28", lead=csc,
            updates=[[Q3, "Audit shows 70%"]]),
        rec("3", "Police share domestic abuse notifications within 24 hours", status="Complete", rag="Blue",
            target="2026-11-30", lead=police, updates=[[Q3, "Done; now daily"]]),
        rec("4", "Schools attend strategy meetings", rag="Red", note="N/A", lead=edu,
            updates=[[Q3, "Meeting with heads booked"]]),
    ])], [trust, csc, police, edu])
