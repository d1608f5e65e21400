"""Small hand-made trackers written for the preview's tests: what each correction needs to be seen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
from openpyxl import Workbook

HEADINGS = ["Ref", "Recommendation", "Lead agency", "Target date", "RAG", "Progress update"]


def two_reviews_tracker(path: Path, progress: str = "Training plan agreed") -> Path:
    """Two sheets, a review each; a cell naming two agencies, and one read as one agency although it
    has an 'and'; two rows claiming 'R2' with different words; a row whose first words read like a
    note."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Adult D"
    first.append(["Kingsmere Safeguarding Adults Board – Safeguarding Adults Review: Adult D – action plan"])
    first.append(HEADINGS)
    first.append(["R1", "Improve the sharing of risk information between agencies", "Kingsmere Police; Kingsmere "
                  "Council Adult Social Care", "31/03/2027", "Amber", progress])
    first.append(["R2", "Review the self-neglect pathway with housing providers", "Kingsmere Council Adult Social Care",
                  "30/06/2027", "Green", "Pathway redrafted"])
    first.append(["R2", "Audit the use of the escalation protocol across partners", "Kingsmere Police", "30/09/2027",
                  "Red", "Audit not started"])
    first.append(["R3", "Please note the board expects every agency to report quarterly on training",
                  "Kingsmere Council Adult Social Care", "31/12/2027", "Amber", "First report due"])
    second = book.create_sheet("Adult E")
    second.append(["Kingsmere Safeguarding Adults Board – Safeguarding Adults Review: Adult E – action plan"])
    second.append(HEADINGS)
    second.append(["R1", "Train front-door staff in recognising coercive control", "Fennimoor and Brantwick ICB",
                   "31/01/2027", "Green", "Sessions booked"])
    second.append(["R2", "Commission an independent audit of hospital discharge", "Kingsmere Hospitals NHS Trust",
                   "31/05/2027", "Amber", progress])
    book.save(path)
    return path


def four_row_tracker(path: Path) -> Path:
    """Four recommendations, an action each, the progress on the actions (the issue's new user's file)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet.append(["Rec No.", "Recommendation", "Action", "Lead agency", "Target date", "RAG", "Progress update"])
    sheet.append([1, "Strengthen the front door", "Audit MASH referrals", "Police", date(2027, 3, 31), "Red",
                  "Audit delayed by vacancies"])
    sheet.append([2, "Train staff on neglect", "Deliver neglect training", "Children's Services",
                  date(2026, 12, 31), "Amber", "Two sessions held"])
    sheet.append([3, "Improve information sharing", "Agree a protocol", "Health", date(2027, 3, 31), "Green",
                  "Draft protocol circulated"])
    sheet.append([4, "Hear the voice of the child", "Revise the assessment template", "Children's Services",
                  date(2026, 9, 30), "Amber", "Template in consultation"])
    book.save(path)
    return path
