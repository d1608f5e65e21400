"""The return reader types a row's input cells as the layout spec says, so the planner reads
Status, Rag, date and text and never parses a cell itself; a cell that cannot be typed comes
back as a problem naming the cell, in the words the preview shows."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from scr_desk.domain.enums import Rag, Status
from scr_desk.excel.layout import RETURN_COLUMNS
from scr_desk.excel.reader import read_workbook
from scr_desk.excel.returns_reader import CellProblem, ReturnInputs, parse_return

COL = {c.key: i for i, c in enumerate(RETURN_COLUMNS, start=1)}
KEY = "action:" + "0" * 32


def _return(tmp_path: Path, rows: list[dict[str, object]], *, date1904: bool = False) -> list[ReturnInputs]:
    """A return sheet written as a partner's spreadsheet would save it, read back by the reader."""
    book = openpyxl.Workbook()
    if date1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    assert sheet is not None
    sheet.title = "Returns"
    sheet.append([c.header for c in RETURN_COLUMNS])
    for number, answers in enumerate(rows, start=2):
        sheet.cell(number, COL["key"]).value = KEY
        for key, value in answers.items():
            sheet.cell(number, COL[key]).value = value
    path = tmp_path / ("return-1904.xlsx" if date1904 else "return.xlsx")
    book.save(path)
    return [row.inputs for row in parse_return(read_workbook(path), {}).rows]


def test_input_cells_come_back_typed(tmp_path: Path) -> None:
    # GIVEN a row with every input filled in the loose ways partners write them
    [inputs] = _return(tmp_path, [{"update": "  Training delivered  ", "evidence": "Minutes", "completed_by": 42,
                                   "proposed_status": "in  progress", "proposed_rag": "g",
                                   "revised_target": "30/06/2025"}])
    # THEN the planner gets values of the columns' own types, and no problem
    assert inputs == ReturnInputs(update="Training delivered", evidence="Minutes", completed_by="42",
                                  proposed_status=Status.IN_PROGRESS, proposed_rag=Rag.GREEN,
                                  revised_target=date(2025, 6, 30), filled=True, written=inputs.written)
    assert inputs.written == ("Training delivered", "Minutes", "in progress", "g", "30/06/2025", "42")
    with pytest.raises(dataclasses.FrozenInstanceError):
        inputs.update = "changed"  # type: ignore[misc]


def test_a_status_the_panel_decides_is_still_a_status(tmp_path: Path) -> None:
    # Typing is the reader's; which statuses a return may propose is the planner's rule.
    [inputs] = _return(tmp_path, [{"proposed_status": "Assured"}])
    assert inputs.proposed_status is Status.ASSURED and inputs.problem is None


@pytest.mark.parametrize(("answers", "cell", "message"), [
    ({"proposed_status": "Nearly there"}, "Proposed status (O2)",
     "'Nearly there' is not a status; choose one from the list (Not started, In progress, Complete, On hold)"),
    ({"proposed_rag": "Purple"}, "Proposed RAG (P2)", "'Purple' is not a RAG rating; use Red, Amber, Green or Blue"),
    ({"revised_target": "soon"}, "Revised target date (Q2)", "'soon' is not a date in the form dd/mm/yyyy"),
    ({"revised_target": "01/07/2199"}, "Revised target date (Q2)",
     "01/07/2199 is outside 2000-2100; check the year; write the date as dd/mm/yyyy"),
    # Two bad cells: the first in column order is the one named.
    ({"proposed_rag": "Purple", "revised_target": "soon"}, "Proposed RAG (P2)",
     "'Purple' is not a RAG rating; use Red, Amber, Green or Blue"),
])
def test_a_cell_that_cannot_be_typed_is_named(tmp_path: Path, answers: dict[str, object], cell: str,
                                               message: str) -> None:
    [inputs] = _return(tmp_path, [answers])
    assert inputs.problem == CellProblem(cell=cell, message=message)
    assert inputs.filled


def test_a_date_number_is_read_in_the_workbook_own_date_system(tmp_path: Path) -> None:
    # GIVEN the same date number in a workbook of each date system (a Mac's 1904 system counts from 1904)
    [in_1900] = _return(tmp_path, [{"revised_target": 45900}])
    [in_1904] = _return(tmp_path, [{"revised_target": 45900}], date1904=True)
    # THEN each is read as its own system says: four years and a day apart
    assert in_1900.revised_target == date(2025, 8, 31)
    assert in_1904.revised_target == date(2029, 9, 1)


def test_an_empty_row_is_not_filled(tmp_path: Path) -> None:
    [inputs] = _return(tmp_path, [{"reference": "CLARE-R1", "update": "   "}])
    assert not inputs.filled and inputs.problem is None
    assert (inputs.proposed_status, inputs.proposed_rag, inputs.revised_target) == (None, None, None)
