"""The shortcuts the imports take at scale find what the longer way found: a formula the archive
guard saw while counting a sheet's cells, and a status the database holds that this version does
not know, read as its stored text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from sqlalchemy import select, text

from scr_desk.db.engine import Database
from scr_desk.db.models import Recommendation
from scr_desk.domain.enums import ItemKind
from scr_desk.excel.formulas import uncalculated_cells
from scr_desk.excel.guard import check_workbook_file
from scr_desk.excel.layout import return_key
from scr_desk.excel.zip_guard import BLOCK
from scr_desk.services.imports.return_items import load_targets

SHEET_PART = "xl/worksheets/sheet1.xml"


def _long_sheet(path: Path, formula_at: int | None) -> Path:
    """A sheet of more than one block of XML, with a formula (saved without its result, as
    openpyxl saves one) in its last row when asked."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Returns"
    for row in range(1, 20_001):
        sheet.cell(row, 1).value = f"Row {row}: training delivered to every team, audit planned for spring."
    if formula_at:
        sheet.cell(formula_at, 2).value = "=1+1"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET_PART).file_size > 2 * BLOCK  # the formula is not in the first block
    return path


def test_a_formula_far_down_a_sheet_is_found_in_the_guards_pass_and_named(tmp_path: Path) -> None:
    path = _long_sheet(tmp_path / "formula.xlsx", formula_at=20_000)
    checked = check_workbook_file(path)
    assert checked.formulas[SHEET_PART] is True
    assert uncalculated_cells(path, "Returns", checked.formulas) == {(20_000, 2)}
    assert uncalculated_cells(path, "Returns") == {(20_000, 2)}  # the same without the guard's finding
    # A finding is believed only for the part it names: told nothing of this part, the check
    # reads it, as it did before the guard looked for formulas.
    assert uncalculated_cells(path, "Returns", {"xl/worksheets/sheet9.xml": False}) == {(20_000, 2)}


def test_a_sheet_the_guard_found_no_formula_in_is_not_read_again(tmp_path: Path) -> None:
    path = _long_sheet(tmp_path / "plain.xlsx", formula_at=None)
    checked = check_workbook_file(path)
    assert checked.formulas[SHEET_PART] is False
    assert uncalculated_cells(path, "Returns", checked.formulas) == set()


def test_a_status_this_version_does_not_know_reads_as_an_unknown_status_in_a_returns_items(
        with_actions: Database) -> None:
    with with_actions.sessions.begin() as session:
        session.execute(text("UPDATE recommendation SET status = 'Paused by a later version', rag = 'Purple' "
                             "WHERE id = 1"))
    with with_actions.sessions() as session:
        uid = session.scalar(select(Recommendation.uid).where(Recommendation.id == 1))
        assert uid is not None
        key = return_key(ItemKind.RECOMMENDATION, uid)
        target = load_targets(session, {key}, agency_id=1)[key]
        stored = session.get(Recommendation, 1)
        assert stored is not None
        for read, as_the_model_reads in ((target.status, stored.status), (target.rag, stored.rag)):
            assert getattr(read, "unknown", False) and getattr(as_the_model_reads, "unknown", False)
            assert read.value == as_the_model_reads.value
        assert target.status.value == "Paused by a later version" and target.rag is not None
