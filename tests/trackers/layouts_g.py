"""Tracker layouts as partnerships publish them (part seven), written after an outside reader's
held-out trackers: a parent number beside its children's references, a key to the right of the table
past an empty column, a totals row of counts, a version line that dates the plan after an earlier
meeting date, a sheet named by initials under a title naming the review; a rating and a commentary
repeated per period under each period's heading, with the latest period sometimes left blank; three
levels numbered in one column under theme headings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from tests.trackers.golden_helpers import action, golden, rec, review
from tests.trackers.layouts_a import Q1, Q2, Q3, _rows

ASC, HOUSING = "Northby Adult Social Care", "Northby Housing"
ICB, SCHOOLS = "Eastmere ICB", "Eastmere Education Service"


def parent_numbers_and_a_key_beside(path: Path) -> dict[str, Any]:
    """'Item' (1, 1, 2) beside 'Step' (1.1, 1.2, 2.1): the items are the learning points, the steps
    their actions; a key of the Status column's words in J:K past the empty column I, running on
    below the table; a 'Total steps' row of counts; 'v4, 02/11/2026' dates the plan, not the meeting
    of 14/03/2026; the sheet 'QAP' is named by initials, its title names the review."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "QAP"
    _rows(sheet, 1, [
        ["Northby Safeguarding Adults Board"],
        ["Safeguarding Adults Review 'Adult K' – quality assurance plan"],
        ["Agreed at the Board on 14/03/2026 · v4, 02/11/2026"],
        [],
        ["Item", "Learning point", "Step", "What we will do", "Lead", "By when", "Progress", "Status", None, "Code",
         "Meaning"],
        [1, "Staff recognise self-neglect early", "1.1", "Self-neglect briefing for home care staff", ASC,
         "30/09/2026", "Briefing delivered to 40 staff", "Done", None, "Done", "Step finished and checked"],
        [1, "Staff recognise self-neglect early", "1.2", "Add self-neglect prompts to the review form", ASC,
         "31/12/2026", "Form redesign started", "Ongoing", None, "Ongoing", "Under way"],
        [2, "Housing and care share concerns", "2.1", "Joint visits where hoarding is found", HOUSING,
         "31/01/2027", None, "Not started", None, "Not started", "Not yet begun"],
        ["Total steps", None, None, 3, None, None, None, "Done 1 / Ongoing 1 / Not started 1"],
        [None] * 9 + ["Withdrawn", "No longer needed"],
    ])
    book.save(path)
    return golden([review("Adult K", "Safeguarding Adults Review", [
        rec("1", "Staff recognise self-neglect early", lead=ASC, actions=[
            action("1", "Self-neglect briefing for home care staff", status="Complete", target="2026-09-30",
                   agency=ASC, updates=[[Q3, "Briefing delivered to 40 staff"]]),
            action("2", "Add self-neglect prompts to the review form", target="2026-12-31", agency=ASC,
                   updates=[[Q3, "Form redesign started"]])]),
        rec("2", "Housing and care share concerns", status="Not started", lead=HOUSING, actions=[
            action("1", "Joint visits where hoarding is found", status="Not started", target="2027-01-31",
                   agency=HOUSING)]),
    ])], [ASC, HOUSING])


def period_ratings_and_commentary(path: Path) -> dict[str, Any]:
    """Each month a group heading over 'Progress' and 'Rating': each rating is its month's update's;
    the recommendation's rating is the latest month's that has one (R1's November is blank)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Child P"
    _rows(sheet, 1, [
        ["CSPR Child P – recommendations"],
        ["Rec", "Recommendation", "Lead", "Jun 2026", None, "Sep 2026", None, "Nov 2026", None],
        [None, None, None, "Progress", "Rating", "Progress", "Rating", "Progress", "Rating"],
        ["R1", "GPs flag the children of parents in drug treatment", ICB, "Search written", "Amber",
         "Flag live in 12 practices", "Green", None, None],
        ["R2", "Schools record who may collect each child", SCHOOLS, None, None, "Letter sent to heads", "Red",
         "Policy agreed by heads", "Amber"],
    ])
    for first in ("D", "F", "H"):
        last = chr(ord(first) + 1)
        sheet.merge_cells(f"{first}2:{last}2")
    for column in "ABC":
        sheet.merge_cells(f"{column}2:{column}3")
    book.save(path)
    return golden([review("Child P", "Local Child Safeguarding Practice Review", [
        rec("1", "GPs flag the children of parents in drug treatment", rag="Green", lead=ICB,
            updates=[[Q1, "Search written"], [Q2, "Flag live in 12 practices"]]),
        rec("2", "Schools record who may collect each child", rag="Amber", lead=SCHOOLS,
            updates=[[Q2, "Letter sent to heads"], [Q3, "Policy agreed by heads"]]),
    ])], [ICB, SCHOOLS])


def themes_over_recommendations_and_actions(path: Path) -> dict[str, Any]:
    """Three levels numbered in one column: '1' a theme row holding only its words, '1.1' the
    recommendation (its number kept whole), '1.1.1' its action; the theme is no recommendation. The
    title names a thematic review by its theme, in more words than a case's name takes."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    _rows(sheet, 1, [
        ["Joint Thematic Review: hearing the voice of disabled children in child protection – plan"],
        [],
        ["No.", "Area, recommendation or action", "Owner", "Due", "RAG", "Where we are"],
        ["1", "Communication"],
        ["1.1", "Practitioners should use the child's own way of communicating", ICB],
        ["1.1.1", "Buy communication kits for each locality team", ICB, "31/12/2026", "G",
         "Kits ordered from the supplier in October; delivery expected before Christmas"],
        ["1.1.2", "Train social workers in using the kits", SCHOOLS, "31/03/2027", "A",
         "Two training dates set for February with the speech and language team"],
        ["2", "Recording"],
        ["2.1", "Records should say how the child's views were gathered", SCHOOLS],
        ["2.1.1", "Add a 'how we heard the child' field to the assessment form", SCHOOLS, "30/11/2026", "R",
         None],
    ])
    sheet.merge_cells("B4:F4")
    sheet.merge_cells("B8:F8")
    book.save(path)
    return golden([review("hearing the voice of disabled children in child protection", "Thematic review", [
        rec("1.1", "Practitioners should use the child's own way of communicating", lead=ICB, actions=[
            action("1", "Buy communication kits for each locality team", rag="Green", target="2026-12-31",
                   agency=ICB, updates=[[Q3, "Kits ordered from the supplier in October; delivery expected before "
                                              "Christmas"]]),
            action("2", "Train social workers in using the kits", rag="Amber", target="2027-03-31",
                   agency=SCHOOLS, updates=[[Q3, "Two training dates set for February with the speech and language "
                                                 "team"]])]),
        rec("2.1", "Records should say how the child's views were gathered", status="Not started", lead=SCHOOLS,
            actions=[action("1", "Add a 'how we heard the child' field to the assessment form", rag="Red",
                            status="Not started", target="2026-11-30", agency=SCHOOLS)]),
    ])], [ICB, SCHOOLS])
