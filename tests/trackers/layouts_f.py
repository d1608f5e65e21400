"""Tracker layouts as partnerships publish them (part six), written after part five read without
changes to see what still needed one: a log with a row per update (the reference repeated, each row
its own day); three levels of numbering (a step of an action keeps its path); a council's own
improvement plan after an inspection named by its initials (the council leads each item, the
inspection names the review); an audit's findings in a semicolon CSV whose statuses include 'Closed –
BAU'."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import PatternFill

from tests.trackers.golden_helpers import action, golden, rec, review
from tests.trackers.layouts_a import Q1, Q2, Q3, _rows

COUNCIL, SAB, ASC, HOUSING, ICB, POLICE = ("Southmoor Council", "Southmoor SAB", "Southmoor ASC",
                                           "Southmoor Housing", "Southmoor ICB", "Southmoor Police")


def update_log(path: Path) -> dict[str, Any]:
    """A row per update: 'R1' on three rows, its words on the first only, each row dated under
    'Date' (the day of the update, not a target) with its rating."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Update log"
    _rows(sheet, 1, [
        ["DHR Kez – update log"],
        ["Rec", "Recommendation", "Date", "Update", "RAG"],
        ["R1", "Police to refresh DASH training", date(2026, 6, 30), "Trainer sourced", "A"],
        ["R1", None, date(2026, 9, 30), "Half of officers trained", "A"],
        ["R1", None, date(2026, 10, 31), "All officers trained", "G"],
        ["R2", "GPs to ask about coercive control", date(2026, 9, 30), "Bulletin article drafted", "R"],
    ])
    book.save(path)
    return golden([review("Kez", "Domestic Homicide Review", [
        rec("1", "Police to refresh DASH training", rag="Green",
            updates=[[Q1, "Trainer sourced"], [Q2, "Half of officers trained"], [Q3, "All officers trained"]]),
        rec("2", "GPs to ask about coercive control", rag="Red", updates=[[Q2, "Bulletin article drafted"]]),
    ])], [])


def three_levels(path: Path) -> dict[str, Any]:
    """'1', '1.1', '1.1.1' in one 'Ref' column under a 'Description' heading that names nothing: the
    recommendations read 'should'; a step of an action ('1.1.2') is kept apart from the action
    '1.2' it would otherwise be taken for."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SAR Dora"
    _rows(sheet, 1, [
        ["Ref", "Description", "Lead", "Due", "Update"],
        ["1", "Self-neglect pathway should be reviewed", SAB],
        ["1.1", "Review the pathway with partners", ASC, "31/12/2026", "Workshop held"],
        ["1.1.1", "Workshop with housing", HOUSING, "31/10/2026", "Held 12/10"],
        ["1.1.2", "Workshop with health", ICB, "30/11/2026", "Booked"],
        ["2", "Hoarding protocol should include the fire service", SAB],
        ["2.1", "Protocol redrafted with the fire service", HOUSING, "31/01/2027", "Draft out"],
    ])
    book.save(path)
    return golden([review("Dora", "Safeguarding Adults Review", [
        rec("1", "Self-neglect pathway should be reviewed", lead=SAB, actions=[
            action("1", "Review the pathway with partners", target="2026-12-31", agency=ASC,
                   updates=[[Q3, "Workshop held"]]),
            action("1.1", "Workshop with housing", target="2026-10-31", agency=HOUSING, updates=[[Q3, "Held 12/10"]]),
            action("1.2", "Workshop with health", target="2026-11-30", agency=ICB, updates=[[Q3, "Booked"]])]),
        rec("2", "Hoarding protocol should include the fire service", lead=SAB, actions=[
            action("1", "Protocol redrafted with the fire service", target="2027-01-31", agency=HOUSING,
                   updates=[[Q3, "Draft out"]])]),
    ])], [ASC, HOUSING, ICB, SAB])


def council_plan_after_an_inspection(path: Path) -> dict[str, Any]:
    """A council's own plan, its title naming the council and the inspection by its initials; the
    sheet named only for the plan and its year; themes, priorities, milestones and an outcome
    measure beside a rating given by fills alone; the officers named with their posts."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Improvement Plan 2026-27"
    _rows(sheet, 1, [
        [f"{COUNCIL} – Children's Services Improvement Plan (following Ofsted ILACS, March 2026)"],
        ["Position as at 31 October 2026"],
        ["Priority area", "Ofsted recommendation", "Priority", "Milestones", "Lead officer", "Completion date", "RAG",
         "Outcome measure", "Progress narrative"],
        ["Practice quality", "Improve the quality of supervision so that it drives plans", "High",
         "Policy (Jun); audit (Sep)", "J. Patel, Head of Service", "30/09/2026", None,
         "80% of supervision audited good", "Policy issued; audit found 64% good"],
        ["Workforce", "Reduce reliance on agency social workers", "High", "Recruitment campaign",
         "L. Grant, HR Business Partner", "31/03/2027", None, "Agency rate under 15%",
         "Agency rate 22%, campaign launched"],
    ])
    for row, colour in ((4, "FFFFC000"), (5, "FFFF0000")):
        sheet.cell(row, 7).fill = PatternFill("solid", fgColor=colour)
    book.save(path)
    return golden([review("Ofsted ILACS", "Other", [
        rec("1", "Improve the quality of supervision so that it drives plans", rag="Amber", target="2026-09-30",
            lead=COUNCIL, updates=[[Q3, "Policy issued; audit found 64% good"]]),
        rec("2", "Reduce reliance on agency social workers", rag="Red", target="2027-03-31", lead=COUNCIL,
            updates=[[Q3, "Agency rate 22%, campaign launched"]]),
    ])], [COUNCIL])


def audit_findings_csv(path: Path) -> dict[str, Any]:
    """Findings 'F1'… with their agreed actions in a semicolon CSV saved by Excel in Windows-1252;
    audit statuses ('Met', 'Partially met', 'Closed – BAU': embedded); the update column dated by
    its heading ('Update – Oct 26')."""
    rows = [["Ref", "Finding", "Agreed action", "Lead", "Target", "Status", "Update – Oct 26"],
            ["F1", "Référral thresholds unclear", "Publish threshold guidance", "Southmoor MASH", "Sept 2026", "Met",
             "Published 1/9"],
            ["F2", "Strategy meetings late", "Daily strategy slot", POLICE, "Dec 2026", "Partially met",
             "Slot in 2 of 3 areas"],
            ["F3", "Health not at strategy meetings", "Health rota for strategy meetings", ICB, "Nov 2026",
             "Closed – BAU", "Now business as usual"]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    mash = "Southmoor MASH"
    return golden([review("MASH audit findings Southmoor", "Multi-agency audit", [
        rec("F1", "Référral thresholds unclear", lead=mash, actions=[
            action("1", "Publish threshold guidance", status="Complete", target="2026-09-30", note="month only",
                   agency=mash, updates=[[Q3, "Published 1/9"]])]),
        rec("F2", "Strategy meetings late", lead=POLICE, actions=[
            action("1", "Daily strategy slot", target="2026-12-31", note="month only", agency=POLICE,
                   updates=[[Q3, "Slot in 2 of 3 areas"]])]),
        rec("F3", "Health not at strategy meetings", lead=ICB, actions=[
            action("1", "Health rota for strategy meetings", status="Embedded", target="2026-11-30",
                   note="month only", agency=ICB, updates=[[Q3, "Now business as usual"]])]),
    ])], [ICB, mash, POLICE])
