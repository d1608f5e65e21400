"""Tracker fixtures whose hierarchy is held by links between rows, not by their order or a column of
review names (the held-out performance-system export of round 3 taught it, in another layout)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from tests.trackers.golden_helpers import action, golden, rec, review
from tests.trackers.layouts_a import Q3, _rows

HOUSING, ICB, POLICE = "Eastmere Housing", "Eastmere ICB", "Eastmere Police"


def parent_linked_project_list(path: Path) -> dict[str, Any]:
    """A project-list export: 'ID | Parent ID' link each row to the row above it in the tree (two
    reviews' titles at the top, their learning points, then tasks), a 'Level' column the depth alone
    decides, rows out of tree order (a task listed after the other review's rows): the parent codes
    are links to rows, never review names."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Export"
    _rows(sheet, 1, [
        ["Level", "Item", "ID", "Parent ID", "Lead", "Target", "Commentary"],
        ["Case review", "SAR 'Marcus' learning plan", "RV12", None, "Eastmere SAB", None, None],
        ["Learning point", "Hospital discharge should include a housing check", "RV12.01", "RV12", HOUSING,
         date(2027, 3, 31), None],
        ["Task", "Add a housing question to the discharge checklist", "RV12.01.01", "RV12.01", ICB,
         date(2026, 12, 31), "Checklist redrafted"],
        ["Case review", "LCSPR Child K learning plan", "RV15", None, "Eastmere SCP", None, None],
        ["Learning point", "Police should share missing episodes with schools", "RV15.01", "RV15", POLICE,
         date(2027, 1, 31), None],
        ["Task", "Daily missing-episode list sent to schools", "RV15.01.01", "RV15.01", POLICE,
         date(2026, 11, 30), "Pilot in two schools"],
        ["Task", "Housing officers trained on the checklist", "RV12.01.02", "RV12.01", HOUSING,
         date(2027, 2, 28), None],
    ])
    book.save(path)
    return golden([
        review("Marcus", "Safeguarding Adults Review", [
            rec("1", "Hospital discharge should include a housing check", target="2027-03-31", lead=HOUSING,
                actions=[
                    action("1", "Add a housing question to the discharge checklist", target="2026-12-31",
                           agency=ICB, updates=[[Q3, "Checklist redrafted"]]),
                    action("2", "Housing officers trained on the checklist", status="Not started",
                           target="2027-02-28", agency=HOUSING)])]),
        review("Child K", "Local Child Safeguarding Practice Review", [
            rec("1", "Police should share missing episodes with schools", target="2027-01-31", lead=POLICE,
                actions=[
                    action("1", "Daily missing-episode list sent to schools", target="2026-11-30", agency=POLICE,
                           updates=[[Q3, "Pilot in two schools"]])])]),
    ], [HOUSING, ICB, POLICE])
