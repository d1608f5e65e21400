"""Tracker layouts as partnerships publish them (part two): Word tables, CSV files, numbering in
one column, a review column, committee dates, several sheets, sections in column A."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import docx
import openpyxl

from tests.trackers.golden_helpers import action, golden, rec, review
from tests.trackers.layouts_a import Q3, _rows

NHS, POLICE = "Anytown NHS Trust", "Anytown Police"


def dhr_word_table(path: Path) -> dict[str, Any]:
    """The action plan as a table in the review's Word report, the recommendation cell merged
    down over its actions, and a 'Date of completion and outcome' column."""
    document = docx.Document()
    document.add_paragraph("Anytown Community Safety Partnership")
    document.add_paragraph("Domestic Homicide Review – Mrs A")
    document.add_paragraph("Action plan agreed by the panel")
    rows = [["Recommendation", "Action to be taken", "Lead agency", "Target date", "Date of completion and outcome"],
            ["1. Routine enquiry about domestic abuse in maternity", "Train midwives in routine enquiry", NHS,
             "31/12/2026", "15/07/2026 – 90% of midwives trained"],
            ["", "Add routine enquiry to the booking form", NHS, "TBC", ""],
            ["2. Police check the history of both parties", "Briefing for response officers", POLICE, "Immediate",
             "Briefing issued 01/09/2026"]]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 0).text = rows[1][0]
    document.add_paragraph("Signed off by the CSP chair.")
    document.save(str(path))
    return golden([review("Mrs A", "Domestic Homicide Review", [
        rec("1", "Routine enquiry about domestic abuse in maternity", lead=NHS, actions=[
            action("1", "Train midwives in routine enquiry", status="Complete", target="2026-12-31", agency=NHS,
                   updates=[["2026-27 Q2", "Outcome: 90% of midwives trained"]]),
            action("2", "Add routine enquiry to the booking form", status="Not started", note="TBC", agency=NHS)]),
        rec("2", "Police check the history of both parties", lead=POLICE, actions=[
            action("1", "Briefing for response officers", status="Complete", note="Immediate", agency=POLICE,
                   updates=[["2026-27 Q2", "Outcome: Briefing issued 01/09/2026"]])]),
    ])], [NHS, POLICE])


def csv_semicolon_cp1252(path: Path) -> dict[str, Any]:
    """A CSV saved by Excel on Windows: semicolons, Windows-1252, curly quotes; status words."""
    text = ("Rec No;Recommendation;Lead agency;Target;Status;Progress update\r\n"
            "1;Agencies ask about coercive control – ‘every contact’;Anytown Police;Mar-27;Partially met;"
            "Training rolled out to 60% of staff\r\n"
            "2;GPs record disclosures;Anytown Integrated Care Board;30/06/2026;Achieved;"
            "Template live in all practices\r\n"
            "3;Housing staff trained;Anytown Council Housing;Q1 2027-28;Not yet started;\r\n")
    path.write_bytes(text.encode("cp1252"))
    icb, housing = "Anytown Integrated Care Board", "Anytown Council Housing"
    return golden([review("Jo", "Domestic Homicide Review", [
        rec("1", "Agencies ask about coercive control – ‘every contact’", target="2027-03-31", note="month only",
            lead=POLICE, updates=[[Q3, "Training rolled out to 60% of staff"]]),
        rec("2", "GPs record disclosures", status="Complete", target="2026-06-30", lead=icb,
            updates=[[Q3, "Template live in all practices"]]),
        rec("3", "Housing staff trained", status="Not started", target="2027-06-30", lead=housing),
    ])], [POLICE, icb, housing])


def numbering_in_one_column(path: Path) -> dict[str, Any]:
    """'1', '1a', '1b', '2 (i)', 'R3', 'R3.1' in one 'Recommendation / action' column; % complete;
    target words (a month, a quarter, 'End of year' with no year known, notes in place of a date)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Child G"
    csc, mh, lscp = ("Anytown Council Children's Services", "Anytown Mental Health Trust",
                     "Anytown Safeguarding Children Partnership")
    _rows(sheet, 1, [
        ["LCSPR – Child G: recommendations and actions"],
        ["Ref", "Recommendation / action", "Lead agency", "Timescale", "Status", "% complete", "Update"],
        ["1", "Practitioners understand the impact of parental mental health", csc],
        ["1a", "Joint training with adult mental health services", mh, "Sept 2026", "Complete", "100%",
         "Two sessions held"],
        ["1b", "Practice guidance updated", csc, "31.12.26", "In progress", "50%", "Draft with legal"],
        ["2", "Escalation policy is known", lscp],
        ["2 (i)", "Re-launch the escalation policy", lscp, "Q3 2026/27", "Ongoing", "25%", "Launch date set"],
        ["2 (ii)", "Audit use of escalation", lscp, "End of year", "Not yet started"],
        ["R3", "Health visitors see fathers", NHS, "Quarterly from July 2026", "On hold", None,
         "Paused pending restructure"],
        ["R3.1", "Invite fathers to every contact", NHS, "6 months from publication", "Deferred"],
    ])
    book.save(path)
    return golden([review("Child G", "Local Child Safeguarding Practice Review", [
        rec("1", "Practitioners understand the impact of parental mental health", lead=csc, actions=[
            action("1", "Joint training with adult mental health services", status="Complete", target="2026-09-30",
                   note="month only", agency=mh, updates=[[Q3, "Two sessions held"]]),
            action("2", "Practice guidance updated", target="2026-12-31", agency=csc,
                   updates=[[Q3, "Draft with legal"]])]),
        rec("2", "Escalation policy is known", lead=lscp, actions=[
            action("1", "Re-launch the escalation policy", target="2026-12-31", agency=lscp,
                   updates=[[Q3, "Launch date set"]]),
            action("2", "Audit use of escalation", status="Not started", note="End of year", agency=lscp)]),
        rec("3", "Health visitors see fathers", status="On hold", note="Quarterly from July 2026", lead=NHS,
            updates=[[Q3, "Paused pending restructure"]], actions=[
                action("1", "Invite fathers to every contact", status="On hold", note="6 months from publication",
                       agency=NHS)]),
    ])], [csc, mh, lscp, NHS])


def review_column(path: Path) -> dict[str, Any]:
    """A Review column naming three reviews whose recommendation numbers repeat; Scope,
    Responsibility (an agency or an officer), original and revised target dates, status words."""
    book = openpyxl.Workbook()
    sheet = book.active
    asc, fire = "Westshire Council Adult Social Care", "Westshire Fire and Rescue Service"
    _rows(sheet, 1, [
        ["Review", "Rec no", "Recommendation", "Scope", "Responsibility", "Original target date",
         "Revised target date", "Status", "Update"],
        ["SAR Adult B", 1, "Self-neglect pathway", "Local", asc, "30/06/2026", "31/12/2026", "On hold",
         "Paused while the pathway is rewritten"],
        ["SAR Adult B", 2, "Hoarding protocol", "Regional", fire, "31/03/2026", None, "Superseded",
         "Replaced by the regional protocol"],
        ["DHR Jo", 1, "Coercive control training", "National", POLICE, "30/09/2026", None, "Withdrawn",
         "National programme instead"],
        ["DHR Jo", 2, "GP disclosures", "Local", "Dr K Patel", "31/12/2026", None, "Overdue", "Template delayed"],
        ["LCSPR Leo", 1, "Fathers seen at every visit", "local", NHS, "TBC", None, "Paused"],
    ])
    book.save(path)
    return golden([
        review("Adult B", "Safeguarding Adults Review", [
            rec("1", "Self-neglect pathway", status="On hold", target="2026-06-30", revised="2026-12-31", lead=asc,
                updates=[[Q3, "Paused while the pathway is rewritten"]]),
            rec("2", "Hoarding protocol", status="Superseded", target="2026-03-31", scope="Regional", lead=fire,
                updates=[[Q3, "Replaced by the regional protocol"]])]),
        review("Jo", "Domestic Homicide Review", [
            rec("1", "Coercive control training", status="Withdrawn", target="2026-09-30", scope="National",
                lead=POLICE, updates=[[Q3, "National programme instead"]]),
            rec("2", "GP disclosures", target="2026-12-31", updates=[[Q3, "Template delayed"]])]),
        review("Leo", "Local Child Safeguarding Practice Review", [
            rec("1", "Fathers seen at every visit", status="On hold", note="TBC", lead=NHS)]),
    ], [asc, fire, POLICE, NHS])


def committee_dates(path: Path) -> dict[str, Any]:
    """Update columns named by the committee meeting's month; targets 'Sept 2017', 'End of Q3',
    'End of year' in a tracker whose title names the financial year; a split rating."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SCR Child W"
    csc, police, health, lscb = ("Westshire Council Children's Services", "Westshire Police",
                                 "Westshire Community Health", "Westshire Safeguarding Children Board")
    _rows(sheet, 1, [
        ["Serious Case Review Child W – action plan 2017/18"],
        ["Recommendation number", "Recommendation", "Action", "Lead agency", "Timescales",
         "Progress presented to Committee Dec 2017", "Progress presented to Committee Jun 2018", "RAG rating"],
        [1, "Neglect strategy", "Publish the neglect strategy", csc, "Sept 2017", "Consultation complete",
         "Strategy published", "Blue"],
        [2, "Information sharing at the front door", "MASH information sharing agreement", police, "End of Q3",
         "Agreement drafted", "Signed by all partners", "green"],
        [3, "Supervision of health visitors", "Monthly safeguarding supervision", health, "End of year",
         "Pilot in one team", None, "Amber"],
        [4, "Training on bruising in non-mobile babies", "Bruising protocol training", lscb, "1/2/18",
         "Sessions booked", "80% of staff trained", "R/A"],
    ])
    book.save(path)
    dec, jun = "2017-18 Q3", "2018-19 Q1"
    return golden([review("Child W", "Serious Case Review", [
        rec("1", "Neglect strategy", lead=csc, actions=[action(
            "1", "Publish the neglect strategy", status="Complete", rag="Blue", target="2017-09-30", note="month only",
            agency=csc, updates=[[dec, "Consultation complete"], [jun, "Strategy published"]])]),
        rec("2", "Information sharing at the front door", lead=police, actions=[action(
            "1", "MASH information sharing agreement", rag="Green", target="2017-12-31", agency=police,
            updates=[[dec, "Agreement drafted"], [jun, "Signed by all partners"]])]),
        rec("3", "Supervision of health visitors", lead=health, actions=[action(
            "1", "Monthly safeguarding supervision", rag="Amber", target="2018-03-31", agency=health,
            updates=[[dec, "Pilot in one team"]])]),
        rec("4", "Training on bruising in non-mobile babies", lead=lscb, actions=[action(
            "1", "Bruising protocol training", rag="Red", target="2018-02-01", agency=lscb,
            updates=[[dec, "Sessions booked"], [jun, "80% of staff trained"]])]),
    ])], [csc, police, health, lscb])


def several_sheets(path: Path) -> dict[str, Any]:
    """An overview sheet that is not a tracker, two review sheets; 'Action taken' is progress; a
    column headed 'Date' judged by its values; a hidden stale RAG column after the visible one."""
    book = openpyxl.Workbook()
    overview = book.active
    overview.title = "Overview"
    overview["A1"] = "This workbook holds the action plans of two reviews."
    leo = book.create_sheet("Leo")
    csc = "Anytown Council Children's Services"
    _rows(leo, 1, [["No.", "Recommendation", "Lead agency", "Date", "Action taken", "RAG", "RAG"],
                   [1, "Pre-birth assessments start by 20 weeks", csc, date(2027, 1, 31),
                    "Pre-birth pathway relaunched",
                    "G", "R"],
                   [2, "Midwives share concerns with the GP", NHS, "31/03/2027", "Letter template agreed", "A", "R"]])
    leo.column_dimensions["G"].hidden = True
    baby = book.create_sheet("Baby N")
    _rows(baby, 1, [["Ref", "Recommendation", "Lead agency", "Target date", "Status", "Update", "Date"],
                    [1, "Safe sleep assessment", NHS, "30/11/2026", "Complete", "Tool in use", "10/10/2026"]])
    book.save(path)
    return golden([
        review("Leo", "Other", [
            rec("1", "Pre-birth assessments start by 20 weeks", rag="Green", target="2027-01-31", lead=csc,
                updates=[[Q3, "Pre-birth pathway relaunched"]]),
            rec("2", "Midwives share concerns with the GP", rag="Amber", target="2027-03-31", lead=NHS,
                updates=[[Q3, "Letter template agreed"]])]),
        review("Baby N", "Other", [
            rec("1", "Safe sleep assessment", status="Complete", target="2026-11-30", lead=NHS,
                updates=[[Q3, "Tool in use"]])]),
    ], [csc, NHS])
