"""Tracker layouts as partnerships publish them (part three): section headers typed in column A
with the headings repeated, a group heading over each quarter's update and RAG, a UTF-8 CSV
with a title above its table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from tests.trackers.golden_helpers import action, golden, rec, review
from tests.trackers.layouts_a import Q1, Q2, Q3, _rows

ASC, FIRE, HOSPITAL = ("Westshire Council Adult Social Care", "Westshire Fire and Rescue Service",
                       "Westshire Hospitals NHS Trust")


def sections_in_column_a(path: Path) -> dict[str, Any]:
    """'SAR – Adult C' and 'SAR – Adult D' typed in column A over their rows, the headings repeated
    under the second; numbers written into the recommendation text; RAG words people use."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SAR action plans"
    heading = ["Recommendation", "Action", "Identified lead", "By when", "RAG status", "Progress"]
    _rows(sheet, 1, [
        heading,
        ["SAR – Adult C"],
        ["1. Carers assessments offered", "Offer a carer's assessment at discharge", ASC, "31/12/2026", "Yellow",
         "Leaflet drafted"],
        ["2. Mental capacity assessments recorded", "Capacity recording template", HOSPITAL, "31/03/2027", "On track",
         "Template in test"],
        ["SAR – Adult D"],
        heading,
        ["1. Self-neglect escalation", "Escalation flowchart", ASC, "30/09/2026", "Off track", "Flowchart not agreed"],
        ["2. Fire safety visits for smokers", "Fire safety referral route", FIRE, "31/01/2027", "Not started"],
        [None, "Home safety training for carers", FIRE, "31/03/2027", "Y", "Dates agreed"],
    ])
    book.save(path)
    return golden([
        review("Adult C", "Safeguarding Adults Review", [
            rec("1", "Carers assessments offered", lead=ASC, actions=[
                action("1", "Offer a carer's assessment at discharge", rag="Amber", target="2026-12-31", agency=ASC,
                       updates=[[Q3, "Leaflet drafted"]])]),
            rec("2", "Mental capacity assessments recorded", lead=HOSPITAL, actions=[
                action("1", "Capacity recording template", rag="Green", target="2027-03-31", agency=HOSPITAL,
                       updates=[[Q3, "Template in test"]])])]),
        review("Adult D", "Safeguarding Adults Review", [
            rec("1", "Self-neglect escalation", lead=ASC, actions=[
                action("1", "Escalation flowchart", rag="Red", target="2026-09-30", agency=ASC,
                       updates=[[Q3, "Flowchart not agreed"]])]),
            rec("2", "Fire safety visits for smokers", lead=FIRE, actions=[
                action("1", "Fire safety referral route", status="Not started", target="2027-01-31", agency=FIRE),
                action("2", "Home safety training for carers", rag="Amber", target="2027-03-31", agency=FIRE,
                       updates=[[Q3, "Dates agreed"]])])]),
    ], [ASC, HOSPITAL, FIRE])


def group_over_quarters(path: Path) -> dict[str, Any]:
    """'Progress updates 2026/27' merged over Q1–Q4 and 'RAG rating' merged over Q1–Q2: one update
    per quarter, today's rating from the latest quarter."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LCSPR Ava"
    youth, csc = "Anytown Youth Service", "Anytown Council Children's Services"
    _rows(sheet, 1, [
        ["Anytown Safeguarding Children Partnership – LCSPR Ava action plan 2026/27"],
        [],
        ["Rec", "Recommendation", "Lead agency", "Target date", "Progress updates 2026/27", None, None, None,
         "RAG rating", None],
        [None, None, None, None, "Q1", "Q2", "Q3", "Q4", "Q1", "Q2"],
        [1, "Youth workers trained in exploitation", youth, "Q4 2026/27", "Course commissioned", "First cohort trained",
         "Second cohort trained", None, "A", "G"],
        [2, "Return home interviews within 72 hours", csc, "31/12/2026", None, "Performance 60%", "Performance 85%",
         None, "R", "A"],
    ])
    for column in "ABCD":
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.merge_cells("E3:H3")
    sheet.merge_cells("I3:J3")
    book.save(path)
    return golden([review("Ava", "Local Child Safeguarding Practice Review", [
        rec("1", "Youth workers trained in exploitation", rag="Green", target="2027-03-31", lead=youth,
            updates=[[Q1, "Course commissioned"], [Q2, "First cohort trained"], [Q3, "Second cohort trained"]]),
        rec("2", "Return home interviews within 72 hours", rag="Amber", target="2026-12-31", lead=csc,
            updates=[[Q2, "Performance 60%"], [Q3, "Performance 85%"]]),
    ])], [youth, csc])


def csv_with_title(path: Path) -> dict[str, Any]:
    """A UTF-8 CSV with a title and a blank row above the headings, 'Learning point' recommendations
    without numbers, BRAG words, and a note under the table."""
    path.write_text("Rapid Review – Baby T,,,,,\n,,,,,\n"
                    "Learning point,Action,Agency,Target date,BRAG,Update\n"
                    "Safe sleep messages,Safe sleep campaign,Anytown Public Health,31/01/2027,G,Campaign launched\n"
                    "Bruising protocol,Protocol refresh,Anytown NHS Trust,Ongoing,Complete,"
                    "\"Refreshed protocol published, briefings held\"\n"
                    "\"Notes: BRAG agreed 01/11/2026\",,,,,\n", encoding="utf-8")
    health, nhs = "Anytown Public Health", "Anytown NHS Trust"
    return golden([review("Baby T", "Rapid Review", [
        rec("1", "Safe sleep messages", lead=health, actions=[
            action("1", "Safe sleep campaign", rag="Green", target="2027-01-31", agency=health,
                   updates=[[Q3, "Campaign launched"]])]),
        rec("2", "Bruising protocol", lead=nhs, actions=[
            action("1", "Protocol refresh", status="Complete", rag="Blue", note="Ongoing", agency=nhs,
                   updates=[[Q3, "Refreshed protocol published, briefings held"]])]),
    ])], [health, nhs])


def word_table_per_recommendation(path: Path) -> dict[str, Any]:
    """A Word report with one table of actions under each 'Recommendation N: …' paragraph."""
    import docx
    document = docx.Document()
    document.add_paragraph("Safeguarding Adults Review – Mr P")
    document.add_paragraph("Action plan")
    plan = [("Recommendation 1: Hospital discharge includes the carer",
             [("Discharge checklist", HOSPITAL, "31/03/2027", "Drafted")]),
            ("Recommendation 2: Carers are offered support",
             [("Carers leaflet", ASC, "Ongoing", "In print"), ("Carers training", ASC, "June 2027", "")])]
    for heading, rows in plan:
        document.add_paragraph(heading)
        table = document.add_table(rows=len(rows) + 1, cols=4)
        for column, text in enumerate(["Action", "Lead agency", "Target date", "Progress"]):
            table.cell(0, column).text = text
        for row, values in enumerate(rows, start=1):
            for column, text in enumerate(values):
                table.cell(row, column).text = text
    document.save(str(path))
    return golden([review("Mr P", "Safeguarding Adults Review", [
        rec("1", "Hospital discharge includes the carer", lead=HOSPITAL, actions=[
            action("1", "Discharge checklist", target="2027-03-31", agency=HOSPITAL, updates=[[Q3, "Drafted"]])]),
        rec("2", "Carers are offered support", lead=ASC, actions=[
            action("1", "Carers leaflet", note="Ongoing", agency=ASC, updates=[[Q3, "In print"]]),
            action("2", "Carers training", status="Not started", target="2027-06-30", note="month only", agency=ASC)]),
    ])], [HOSPITAL, ASC])


def instructions_and_numbered_updates(path: Path) -> dict[str, Any]:
    """An instructions sheet before the tracker; 'Update 1/2/3' naming no period (consecutive
    quarters up to the tracker's date, asked); a role as the owner; a status with words after it."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Instructions"
    _rows(notes, 1, [["Column", "What to enter"], ["Recommendation", "Recommendation number and text"],
                     ["Status", "Progress status (RAG)"], ["Update", "Progress update this quarter"]])
    sheet = book.create_sheet("SAR Adult M")
    _rows(sheet, 1, [
        ["Rec", "Recommendation", "Action owner", "Target", "Update 1", "Update 2", "Update 3", "Progress status"],
        [1, "Make safeguarding personal", "Jo Bloggs", "Summer 2027", "Started", "Half way", "Nearly",
         "Amber – slipped"],
        [2, "Carers' assessments", "Head of Service, Adult Social Care", "31/03/2027", None, "Offered to all", None,
         "Completed"],
    ])
    book.save(path)
    return golden([review("Adult M", "Safeguarding Adults Review", [
        rec("1", "Make safeguarding personal", rag="Amber", note="Summer 2027",
            updates=[[Q1, "Started"], [Q2, "Half way"], [Q3, "Nearly"]]),
        rec("2", "Carers' assessments", status="Complete", target="2027-03-31", updates=[[Q2, "Offered to all"]]),
    ])], [])


def summary_sheet_and_split_heading(path: Path) -> dict[str, Any]:
    """A summary sheet of counts (not a tracker) before the action plan; 'Recommendation' merged
    over 'No.' and 'Detail'; 'Date completed' (it dates the row's progress); 'Progress/RAG' holding
    progress words (an update) beside the rating; the tracker's date in its title ('Updated: October 2026')."""
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "Summary"
    _rows(summary, 1, [["Review", "Total recommendations", "Complete", "Outstanding"], ["SAR Adult A", 2, 1, 1]])
    sheet = book.create_sheet("SAR Adult A")
    _rows(sheet, 1, [
        ["Westshire SAB – SAR Adult A action plan. Updated: October 2026"],
        ["Recommendation", None, "Agreed action", "Lead", "Target date", "Date completed", "Progress/RAG",
         "Progress rating"],
        ["No.", "Detail"],
        [1, "Mental capacity is assessed and recorded", "MCA audit", ASC, "30/09/2026", "15/09/2026",
         "Audit done (Green)", "Blue"],
        [2, "Carers are assessed", "Carer assessment", ASC, "31/03/2027", None, "Delayed by restructure", "Amber"],
    ])
    sheet.merge_cells("A2:B2")
    for column in "CDEFGH":
        sheet.merge_cells(f"{column}2:{column}3")
    book.save(path)
    return golden([review("Adult A", "Safeguarding Adults Review", [
        rec("1", "Mental capacity is assessed and recorded", lead=ASC, actions=[
            action("1", "MCA audit", status="Complete", rag="Blue", target="2026-09-30", agency=ASC,
                   updates=[["2026-27 Q2", "Audit done (Green)"]])]),
        rec("2", "Carers are assessed", lead=ASC, actions=[
            action("1", "Carer assessment", rag="Amber", target="2027-03-31", agency=ASC,
                   updates=[[Q3, "Delayed by restructure"]])]),
    ])], [ASC])
