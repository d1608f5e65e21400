"""Tracker layouts as partnerships publish them (part eight), written after an outside reader's
held-out trackers: a workbook with a tab per agency, each tab's title naming the one review and a
recommendation typed again on every tab that acts on it (the tab names the agency, the title the
review); a plan whose progress is kept on a separate log sheet, a row per dated update keyed by the
item's reference (the log is the items' history, and a contents sheet's words are counted, not lost)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from tests.trackers.golden_helpers import action, golden, rec, review
from tests.trackers.layouts_a import Q2, Q3, _rows

ASC, HOUSING, TRUST = "Adult Social Care", "Housing Services", "Marlow Community Health Trust"


def tab_per_agency(path: Path) -> dict[str, Any]:
    """Three tabs named for the agencies ('Adult Social Care', 'Housing Services', 'Marlow Community
    Health Trust'), each titled "Safeguarding Adults Review 'Mabel' – <agency>" over its own table;
    recommendation R2 on two tabs in the same words is one recommendation with two actions (led by no
    one agency: two act on it), R1 and R3 led by the one agency whose tab holds them."""
    book = openpyxl.Workbook()
    header = ["Recommendation no.", "Recommendation wording", "What we will do", "Due", "RAG", "Progress"]
    tabs = {
        ASC: [["R1", "Carers should be offered an assessment when a hospital discharge relies on them",
               "Carers assessment prompt in the discharge checklist", date(2026, 12, 31), "A", "Checklist drafted"],
              ["R2", "Self-neglect concerns should be discussed at a multi-agency meeting",
               "Self-neglect meeting referral route published", date(2026, 10, 31), "G", "Route on the intranet"]],
        HOUSING: [["R2", "Self-neglect concerns should be discussed at a multi-agency meeting",
                   "Tenancy officers trained to refer self-neglect", date(2027, 1, 31), "A", "First cohort booked"]],
        TRUST: [["R3", "Community nurses should record who lives with a patient",
                 "Household field added to the nursing record", date(2027, 3, 31), "R", "Supplier quote awaited"]],
    }
    for number, (agency, rows) in enumerate(tabs.items()):
        sheet = book.active if number == 0 else book.create_sheet()
        sheet.title = agency
        _rows(sheet, 1, [[f"Safeguarding Adults Review 'Mabel' – {agency}"], [], header, *rows])
    book.save(path)
    return golden([review("Mabel", "Safeguarding Adults Review", [
        rec("1", "Carers should be offered an assessment when a hospital discharge relies on them", lead=ASC, actions=[
            action("1", "Carers assessment prompt in the discharge checklist", rag="Amber", target="2026-12-31",
                   agency=ASC, updates=[[Q3, "Checklist drafted"]])]),
        rec("2", "Self-neglect concerns should be discussed at a multi-agency meeting", actions=[
            action("1", "Self-neglect meeting referral route published", rag="Green", target="2026-10-31",
                   agency=ASC, updates=[[Q3, "Route on the intranet"]]),
            action("2", "Tenancy officers trained to refer self-neglect", rag="Amber", target="2027-01-31",
                   agency=HOUSING, updates=[[Q3, "First cohort booked"]])]),
        rec("3", "Community nurses should record who lives with a patient", lead=TRUST, actions=[
            action("1", "Household field added to the nursing record", rag="Red", target="2027-03-31",
                   agency=TRUST, updates=[[Q3, "Supplier quote awaited"]])]),
    ])], [ASC, HOUSING, TRUST])


def progress_on_a_log_sheet(path: Path) -> dict[str, Any]:
    """A contents sheet of prose; the plan ('Recommendations', references R1-R3 beside their words, no update
    column); a 'Progress' sheet, a row per update ('Ref | Progress note | Updated on | By'), dates
    written as text, one reference twice, one reference ('R9') the plan does not hold."""
    book = openpyxl.Workbook()
    contents = book.active
    contents.title = "Contents"
    _rows(contents, 1, [["DHR 'Lorna' – recommendations and progress"],
                        ["The recommendations are listed on one sheet; progress is logged on the next."]])
    plan = book.create_sheet("Recommendations")
    _rows(plan, 1, [
        ["Ref", "Recommendation", "Lead", "Target"],
        ["R1", "GP practices should record disclosures of domestic abuse", "Marlow ICB", "31/01/2027"],
        ["R2", "The refuge should offer follow-up after a stay", "Marlow Refuge", "31/03/2027"],
        ["R3", "Police should share call-outs with the GP", "Marlow Police", "30/06/2027"],
    ])
    log = book.create_sheet("Progress")
    _rows(log, 1, [
        ["Ref", "Progress note", "Updated on", "By"],
        ["R1", "Template for recording disclosures agreed", "12/08/2026", "P. Hale"],
        ["R2", "Follow-up call offered to every leaver since August", "01/10/2026", "K. Rowe"],
        ["R1", "Template live in 12 of 20 practices", "20/10/2026", "P. Hale"],
        ["R9", "Not a recommendation of this plan", "21/10/2026", "K. Rowe"],
    ])
    book.save(path)
    return golden([review("Lorna", "Domestic Homicide Review", [
        rec("1", "GP practices should record disclosures of domestic abuse", target="2027-01-31", lead="Marlow ICB",
            updates=[[Q2, "Template for recording disclosures agreed"], [Q3, "Template live in 12 of 20 practices"]]),
        rec("2", "The refuge should offer follow-up after a stay", target="2027-03-31", lead="Marlow Refuge",
            updates=[[Q3, "Follow-up call offered to every leaver since August"]]),
        rec("3", "Police should share call-outs with the GP", status="Not started", target="2027-06-30",
            lead="Marlow Police"),
    ])], ["Marlow ICB", "Marlow Police", "Marlow Refuge"])


def recommendation_words_between_heading_and_table(path: Path) -> dict[str, Any]:
    """A Word plan: the title line names the review (a thematic SAR), then a line asking leads to
    update it before a meeting ('… before the SAR Panel on 03/02/2027'); each
    recommendation a bare heading ('R1') with its words in two paragraphs below, then its table of
    actions numbered '1.1', '1.2' (no recommendation column); a closing note after the last table."""
    import docx
    document = docx.Document()
    document.add_heading("Thematic Safeguarding Adults Review: Self-neglect in later life – action plan", level=1)
    document.add_paragraph("Leads are asked to update their actions before the SAR Panel on 03/02/2027.")
    plan = [("R1", ["Practitioners should ask about the person's history before closing a case of self-neglect.",
                    "This includes contact with their family."],
             [("1.1", "History prompt in the closure form", ASC, "31/03/2027", "Prompt drafted")]),
            ("R2", ["Housing should refer hoarding to the multi-agency panel."],
             [("2.1", "Hoarding referral pathway", HOUSING, "31/01/2027", "Pathway agreed"),
              ("2.2", "Briefing for tenancy officers", HOUSING, "28/02/2027", "")])]
    for heading, words, rows in plan:
        document.add_heading(heading, level=2)
        for paragraph in words:
            document.add_paragraph(paragraph)
        table = document.add_table(rows=len(rows) + 1, cols=5)
        for column, text in enumerate(["No.", "Action", "Lead", "Due", "Progress"]):
            table.cell(0, column).text = text
        for row, values in enumerate(rows, start=1):
            for column, text in enumerate(values):
                table.cell(row, column).text = text
    document.add_paragraph("Agreed by the SAB executive; progress is reported each quarter.")
    document.save(str(path))
    return golden([review("Self-neglect in later life", "Safeguarding Adults Review", [
        rec("1", "Practitioners should ask about the person's history before closing a case of self-neglect. "
                 "This includes contact with their family.", lead=ASC, actions=[
            action("1", "History prompt in the closure form", target="2027-03-31", agency=ASC,
                   updates=[[Q3, "Prompt drafted"]])]),
        rec("2", "Housing should refer hoarding to the multi-agency panel.", lead=HOUSING, actions=[
            action("1", "Hoarding referral pathway", target="2027-01-31", agency=HOUSING,
                   updates=[[Q3, "Pathway agreed"]]),
            action("2", "Briefing for tenancy officers", status="Not started", target="2027-02-28",
                   agency=HOUSING)]),
    ])], [ASC, HOUSING])


def system_export_with_stamps(path: Path) -> dict[str, Any]:
    """A case management system's export: each action with its comment and, beside it, the comment's
    timestamp ('CommentedAt'); the system's record ids, the user who commented and the export's one
    timestamp on every row. The timestamp dates the comment; the ids, log-ins and export stamp are
    not progress words; an action nobody commented on gets no update."""
    import csv
    import io
    rows = [["RecordID", "SAR", "Rec", "Recommendation", "Action", "Lead", "Due", "Comment", "CommentedAt",
             "CommentBy", "ExportedAt"],
            ["700431", "SAR Adult T", "1", "Agencies should record the person's own view of risk",
             "Risk view field in the case record", "Adult Social Care", "2027-01-31", "Field specified",
             "2026-08-14 10:12:03", "a.shah", "2026-11-30 23:00:01"],
            ["700432", "SAR Adult T", "1", "Agencies should record the person's own view of risk",
             "Audit of the field's use", "Adult Social Care", "2027-05-31", "", "", "", "2026-11-30 23:00:01"],
            ["700433", "SAR Adult T", "2", "GPs should be told of a safeguarding enquiry's outcome",
             "Outcome letter to the GP", "Marlow ICB", "2026-12-31", "Letter template live",
             "2026-10-02 16:40:55", "k.lowe", "2026-11-30 23:00:01"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return golden([review("Adult T", "Safeguarding Adults Review", [
        rec("1", "Agencies should record the person's own view of risk", lead=ASC, actions=[
            action("1", "Risk view field in the case record", target="2027-01-31", agency=ASC,
                   updates=[[Q2, "Field specified"]]),
            action("2", "Audit of the field's use", status="Not started", target="2027-05-31", agency=ASC)]),
        rec("2", "GPs should be told of a safeguarding enquiry's outcome", lead="Marlow ICB", actions=[
            action("1", "Outcome letter to the GP", target="2026-12-31", agency="Marlow ICB",
                   updates=[[Q3, "Letter template live"]])]),
    ])], [ASC, "Marlow ICB"])


def trust_plan_after_an_inspection(path: Path) -> dict[str, Any]:
    """A health trust's own plan after an inspection its title names by the inspectorate and what
    was inspected ('CQC unannounced safeguarding inspection'), a line saying the plan is reported to
    the adults board (which does not own it), and a table of actions alone."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    _rows(sheet, 1, [
        [TRUST],
        ["CQC unannounced safeguarding inspection – action plan"],
        ["Reported to the Marlow Safeguarding Adults Board; position at 31/10/2026."],
        ["No.", "Action", "Lead", "Due", "Progress"],
        ["1", "Safeguarding supervision for all community nurses", "Named Nurse", "31/03/2027",
         "Supervision groups set up in two localities"],
        ["2", "Mental Capacity Act audit in district nursing", "Named Nurse", "31/01/2027", "Audit tool agreed"],
    ])
    book.save(path)
    return golden([review("CQC unannounced safeguarding inspection", "Other", [
        rec("1", "Safeguarding supervision for all community nurses", target="2027-03-31", lead=TRUST,
            updates=[[Q3, "Supervision groups set up in two localities"]]),
        rec("2", "Mental Capacity Act audit in district nursing", target="2027-01-31", lead=TRUST,
            updates=[[Q3, "Audit tool agreed"]]),
    ])], [TRUST])


def rating_before_each_update(path: Path) -> dict[str, Any]:
    """Each period a rating then its commentary ('Last quarter RAG', 'Last quarter commentary', 'This
    quarter RAG', 'This quarter commentary'), the earlier pair hidden: each rating is its own
    period's update's (not the next update's), and the item's rating today is the latest period's."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "DHR Nia"
    _rows(sheet, 1, [
        ["Rec", "Recommendation", "Lead", "Last quarter RAG", "Last quarter commentary", "This quarter RAG",
         "This quarter commentary"],
        ["1", "Housing should ask about domestic abuse at every tenancy visit", HOUSING, "R", "Not started",
         "A", "Question added to the visit form"],
        ["2", "Adult social care should offer advocacy after a disclosure", ASC, "A", "Advocacy provider chosen",
         "G", "Advocacy offered in all cases since July"],
    ])
    for letter in ("D", "E"):
        sheet.column_dimensions[letter].hidden = True
    book.save(path)
    return golden([review("Nia", "Domestic Homicide Review", [
        rec("1", "Housing should ask about domestic abuse at every tenancy visit", rag="Amber", lead=HOUSING,
            updates=[[Q2, "Not started"], [Q3, "Question added to the visit form"]]),
        rec("2", "Adult social care should offer advocacy after a disclosure", rag="Green", lead=ASC,
            updates=[[Q2, "Advocacy provider chosen"], [Q3, "Advocacy offered in all cases since July"]]),
    ])], [ASC, HOUSING])
