"""Tracker layouts read by principle (an outside reader's second held-out set taught them): a
recommendation laid out as a block of labelled rows whose first label carries its number; a label
column saying what each row holds (a rating row and an update row per recommendation across
period columns)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from tests.trackers.golden_helpers import action, golden, rec, review
from tests.trackers.layouts_a import Q1, Q2, Q3, _rows

COUNCIL, POLICE, HEALTH = "Eastbrook Council", "Eastbrook Police", "Eastbrook Health Trust"


def numbered_label_blocks(path: Path) -> dict[str, Any]:
    """No table: each recommendation a block of 'label | value' rows, its first label carrying its
    number ('Recommendation 2:'), the next block starting straight after (no blank row); a key line
    under the last block."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    _rows(sheet, 1, [
        ["Eastbrook Safeguarding Adults Board"],
        ["SAR 'Hilda' – action plan"],
        [],
        ["Recommendation 1:", "Agencies should check that carers are offered an assessment"],
        ["Lead:", COUNCIL],
        ["Due:", date(2026, 12, 31)],
        ["RAG:", "Green"],
        ["Update:", "Carers' prompt added to the assessment form"],
        ["Recommendation 2:", "The police should share welfare-check outcomes with the GP"],
        ["Lead:", POLICE],
        ["Due:", date(2027, 3, 31)],
        ["RAG:", "Red"],
        ["Update:", "Information-sharing agreement not yet drafted"],
        ["Recommendation 3:", "Hospital discharge letters should name the carer"],
        ["Lead:", HEALTH],
        ["Due:", date(2026, 9, 30)],
        ["RAG:", "Blue"],
        ["Update:", "Letter template changed and audited"],
        [],
        ["Key: Blue – done; Green – on track; Amber – at risk; Red – off track"],
    ])
    book.save(path)
    return golden([review("Hilda", "Safeguarding Adults Review", [
        rec("1", "Agencies should check that carers are offered an assessment", rag="Green", target="2026-12-31",
            lead=COUNCIL, updates=[[Q3, "Carers' prompt added to the assessment form"]]),
        rec("2", "The police should share welfare-check outcomes with the GP", rag="Red", target="2027-03-31",
            lead=POLICE, updates=[[Q3, "Information-sharing agreement not yet drafted"]]),
        rec("3", "Hospital discharge letters should name the carer", status="Complete", rag="Blue",
            target="2026-09-30", lead=HEALTH, updates=[[Q3, "Letter template changed and audited"]]),
    ])], [COUNCIL, POLICE, HEALTH])


def rating_rows_across_months(path: Path) -> dict[str, Any]:
    """Columns are months (June, September, December); each recommendation takes two rows, labelled
    in a column of their own: 'Update' first, then 'Rating'. The recommendation's cells are on its
    first row only (no merges); the latest month rated is its current RAG."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Monitoring"
    _rows(sheet, 1, [
        ["LCSPR 'Ezra' – monitoring 2026/27"],
        ["No.", "Recommendation", "Owner", "Row", "June 2026", "September 2026", "December 2026"],
        ["1", "Schools should record who collects a child at the end of the day", COUNCIL, "Update",
         "Template drafted", "Template piloted in four schools", "In use in every primary school"],
        [None, None, None, "Rating", "R", "A", "G"],
        ["2", "Health visitors should see the child alone at every contact", HEALTH, "Update",
         None, "Audit planned", "Audit found 60% seen alone"],
        [None, None, None, "Rating", None, "A", "R"],
    ])
    book.save(path)
    return golden([review("Ezra", "Local Child Safeguarding Practice Review", [
        rec("1", "Schools should record who collects a child at the end of the day", rag="Green", lead=COUNCIL,
            updates=[[Q1, "Template drafted"], [Q2, "Template piloted in four schools"],
                     [Q3, "In use in every primary school"]]),
        rec("2", "Health visitors should see the child alone at every contact", rag="Red", lead=HEALTH,
            updates=[[Q2, "Audit planned"], [Q3, "Audit found 60% seen alone"]]),
    ])], [COUNCIL, HEALTH])


def verdicts_under_any_heading(path: Path) -> dict[str, Any]:
    """An export's details as keys beside values above the header ('Exported by | …', 'Export ID |
    …'): no one's agency. 'Outcome' holds audit verdicts (Met / Partially met / Not met): the status,
    whatever its heading. A totals row of labelled counts ('Met 1 / Not met 1') is no update."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SAR Nell"
    _rows(sheet, 1, [
        ["Exported by", "Quality team"],
        ["Export ID", "QX-77-AB"],
        ["Export date", "03/11/2026"],
        [],
        ["Ref", "Recommendation", "Lead", "Due", "Outcome", "Comments"],
        ["1", "Practitioners should check who else lives at the address", COUNCIL, date(2026, 10, 31), "Met",
         "Checklist in use and audited"],
        ["2", "Police should flag repeat missing episodes to the social worker", POLICE, date(2027, 1, 31),
         "Partially met", "Flag built; not yet used in every team"],
        ["3", "Health staff should ask about carers at every home visit", HEALTH, date(2027, 3, 31), "Not met"],
        [None, None, None, "Totals", "Met 1 / Partially met 1 / Not met 1"],
    ])
    book.save(path)
    return golden([review("Nell", "Safeguarding Adults Review", [
        rec("1", "Practitioners should check who else lives at the address", status="Complete", target="2026-10-31",
            lead=COUNCIL, updates=[[Q3, "Checklist in use and audited"]]),
        rec("2", "Police should flag repeat missing episodes to the social worker", target="2027-01-31",
            lead=POLICE, updates=[[Q3, "Flag built; not yet used in every team"]]),
        rec("3", "Health staff should ask about carers at every home visit", status="Not started",
            target="2027-03-31", lead=HEALTH),
    ])], [COUNCIL, POLICE, HEALTH])


def ratings_marked_in_colour_columns(path: Path) -> dict[str, Any]:
    """Three columns headed by the colours ('Red' | 'Amber' | 'Green'), one marked 'x' on each row:
    one RAG field, the marked column's heading its value (an 'x' is no roman numeral); a totals row
    counts the marks."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "DHR Rosa"
    _rows(sheet, 1, [
        ["Ref", "Recommendation", "Owner", "Red", "Amber", "Green", "Update"],
        ["1", "GPs should ask about coercive control at every review", HEALTH, None, "x", None, "Prompt drafted"],
        ["2", "The police should refer every repeat victim to an advocate", POLICE, "x", None, None,
         "Referral pathway not agreed"],
        ["3", "The council should publish a single domestic abuse directory", COUNCIL, None, None, "x",
         "Directory published"],
        [None, "Totals", None, 1, 1, 1],
    ])
    book.save(path)
    return golden([review("Rosa", "Domestic Homicide Review", [
        rec("1", "GPs should ask about coercive control at every review", rag="Amber", lead=HEALTH,
            updates=[[Q3, "Prompt drafted"]]),
        rec("2", "The police should refer every repeat victim to an advocate", rag="Red", lead=POLICE,
            updates=[[Q3, "Referral pathway not agreed"]]),
        rec("3", "The council should publish a single domestic abuse directory", rag="Green", lead=COUNCIL,
            updates=[[Q3, "Directory published"]]),
    ])], [COUNCIL, POLICE, HEALTH])


def bilingual_halves(path: Path) -> dict[str, Any]:
    """Headings and values in two languages, English first this time ('Status / Statws', 'Not started /
    Heb ddechrau'): read on either half. The sheet's name is half a generic label ('Action plan -
    Cynllun'): the review the title names ('Nia') names the plan."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action plan - Cynllun"
    _rows(sheet, 1, [
        ["Rapid Review 'Nia' – action plan / Adolygiad Cyflym 'Nia' – cynllun gweithredu"],
        ["Ref / Cyf.", "Recommendation / Argymhelliad", "Lead / Arweinydd", "Status / Statws", "RAG / Statws RAG",
         "Update / Diweddariad"],
        ["1", "Midwives should ask every parent about safe sleep before discharge", HEALTH,
         "Complete / Wedi'i gwblhau", "Blue / Glas", "Checklist in use on both wards"],
        ["2", "Health visitors should repeat safe sleep advice at the first visit", HEALTH,
         "In progress / Ar waith", "Green / Gwyrdd", "Leaflet translated"],
        ["3", "The council should fund cots for families in temporary housing", COUNCIL,
         "Not started / Heb ddechrau", "Red / Coch"],
    ])
    book.save(path)
    return golden([review("Nia", "Rapid Review", [
        rec("1", "Midwives should ask every parent about safe sleep before discharge", status="Complete", rag="Blue",
            lead=HEALTH, updates=[[Q3, "Checklist in use on both wards"]]),
        rec("2", "Health visitors should repeat safe sleep advice at the first visit", rag="Green", lead=HEALTH,
            updates=[[Q3, "Leaflet translated"]]),
        rec("3", "The council should fund cots for families in temporary housing", status="Not started", rag="Red",
            lead=COUNCIL),
    ])], [COUNCIL, HEALTH])


def targets_revised_in_the_cell(path: Path) -> dict[str, Any]:
    """A later date marked as a revision in the target's own cell ('30/06/2026 (rev. 31/10/2026)') is
    the revised target; revised twice, the last; the cell's words are kept as the target's note."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SAR Olga"
    once, twice = "30/06/2026 (rev. 31/10/2026)", "31/05/26 (rev. 31/08/26) (rev. 30/11/26)"
    _rows(sheet, 1, [
        ["No.", "Recommendation", "Lead", "Target", "Progress"],
        ["1", "Hospital discharge should include a carers' check", HEALTH, once, "Checklist drafted"],
        ["2", "Police welfare checks should be shared with adult social care", POLICE, twice, "Pilot in one area"],
        ["3", "The council should record hoarding on the adult's record", COUNCIL, date(2026, 12, 31), "Field added"],
    ])
    book.save(path)
    return golden([review("Olga", "Safeguarding Adults Review", [
        rec("1", "Hospital discharge should include a carers' check", target="2026-06-30", revised="2026-10-31",
            note=once, lead=HEALTH, updates=[[Q3, "Checklist drafted"]]),
        rec("2", "Police welfare checks should be shared with adult social care", target="2026-05-31",
            revised="2026-11-30", note=twice, lead=POLICE, updates=[[Q3, "Pilot in one area"]]),
        rec("3", "The council should record hoarding on the adult's record", target="2026-12-31", lead=COUNCIL,
            updates=[[Q3, "Field added"]]),
    ])], [COUNCIL, POLICE, HEALTH])


def struck_through_when_done(path: Path) -> dict[str, Any]:
    """No status column: the key above the table says words struck through are done. A struck
    recommendation is complete; one not struck is in progress."""
    from openpyxl.styles import Font
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LCSPR Tom"
    _rows(sheet, 1, [
        ["Key: recommendations lined through have been achieved and signed off by the panel"],
        ["Rec", "Recommendation", "Owner", "Progress"],
        ["1", "Every school should name a deputy safeguarding lead", COUNCIL, "All schools have named one"],
        ["2", "GPs should record who attends with the child", HEALTH, "Template change requested"],
        ["3", "Police should share attendance at incidents with the school", POLICE, "Notifications live in May"],
    ])
    for row in (3, 5):
        for column in (1, 2, 3, 4):
            sheet.cell(row, column).font = Font(strike=True)
    book.save(path)
    return golden([review("Tom", "Local Child Safeguarding Practice Review", [
        rec("1", "Every school should name a deputy safeguarding lead", status="Complete", lead=COUNCIL,
            updates=[[Q3, "All schools have named one"]]),
        rec("2", "GPs should record who attends with the child", lead=HEALTH,
            updates=[[Q3, "Template change requested"]]),
        rec("3", "Police should share attendance at incidents with the school", status="Complete", lead=POLICE,
            updates=[[Q3, "Notifications live in May"]]),
    ])], [COUNCIL, POLICE, HEALTH])


def agency_rows_across_the_table(path: Path) -> dict[str, Any]:
    """Rows merged across the table labelled with the agency field ('Lead agency – Eastbrook Police'):
    the agency leads the actions beneath it, up to the next such row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SAR Iris"
    _rows(sheet, 1, [
        ["Rec", "Recommendation", "Action", "Due", "Progress"],
        [f"Lead agency – {POLICE}"],
        ["1", "Welfare checks should be shared with adult social care", "Share every welfare check within a day",
         date(2026, 12, 31), "Daily list set up"],
        [f"Lead agency – {HEALTH}"],
        ["1", "Welfare checks should be shared with adult social care", "Add a welfare-check alert to the record",
         date(2027, 3, 31), "Alert specified"],
        ["2", "Discharge letters should name the carer", "Change the discharge letter template",
         date(2026, 11, 30), "Template changed"],
    ])
    for row in (2, 4):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
    book.save(path)
    return golden([review("Iris", "Safeguarding Adults Review", [
        rec("1", "Welfare checks should be shared with adult social care", lead=POLICE, actions=[
            action("1", "Share every welfare check within a day", target="2026-12-31", agency=POLICE,
                   updates=[[Q3, "Daily list set up"]]),
            action("2", "Add a welfare-check alert to the record", target="2027-03-31", agency=HEALTH,
                   updates=[[Q3, "Alert specified"]])]),
        rec("2", "Discharge letters should name the carer", lead=HEALTH, actions=[
            action("1", "Change the discharge letter template", target="2026-11-30", agency=HEALTH,
                   updates=[[Q3, "Template changed"]])]),
    ])], [POLICE, HEALTH])
