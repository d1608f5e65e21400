"""Cell values out of a checked workbook, fast (python-calamine), with row numbers as Excel
shows them, and with a hard limit on how much of a sheet is read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine as calamine

from scr_desk.excel.guard import CheckedWorkbook, WorkbookError, check_workbook_file
from scr_desk.excel.layout import FULL_SHEETS, META_SHEET

__all__ = [
    "EMPTY_RUN_LIMIT", "MAX_COLUMNS", "MAX_DATA_ROWS", "MAX_FULL_DATA_ROWS", "SheetData", "WorkbookData",
    "read_workbook",
]


MAX_DATA_ROWS = 250_000
# A workbook laid out as SCR Desk's full workbook holds a partnership's whole record: 1.2 million
# updates on one sheet at ten times the large data set. (What it may hold in all is the archive
# guard's to judge, against the file's size.)
MAX_FULL_DATA_ROWS = 3_000_000
MAX_COLUMNS = 200
EMPTY_RUN_LIMIT = 5_000  # this many empty rows in a row end the sheet (phantom formatted rows)


@dataclass
class SheetData:
    name: str
    visible: bool
    rows: list[list[Any]]  # rows[0] is Excel row 1; trailing empty rows dropped
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1), 0-based

    def cell(self, row: int, column: int) -> Any:
        """Value at 1-based (row, column), or None."""
        if 0 < row <= len(self.rows) and 0 < column <= len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1]
        return None


@dataclass
class WorkbookData:
    path: Path
    date1904: bool
    sheets: list[SheetData]
    # The archive guard's finding, for each worksheet part it inflated: whether it holds a cell
    # formula (None: not known, as for a workbook read without the guard's summary).
    formulas: Mapping[str, bool] | None = None

    def sheet(self, name: str) -> SheetData | None:
        return next((s for s in self.sheets if s.name == name), None)


def _clean_row(raw: list[Any]) -> list[Any]:
    """Each cell as a person reads it: calamine gives every number as a float (a whole one
    becomes an int) and an empty cell as '' (None here). Written as one comprehension: it runs
    once per cell of every workbook read."""
    return [None if value == "" else int(value) if value.__class__ is float and value.is_integer()
            and -_EXACT < value < _EXACT else value for value in raw[:MAX_COLUMNS]]


_EXACT = float(2**53)  # integers beyond this are not exact as floats: left as read


def read_workbook(path: Path, checked: CheckedWorkbook | None = None,
                  only: set[str] | None = None) -> WorkbookData:
    """Every sheet's values (or only the named sheets'); raises WorkbookError."""
    checked = checked or check_workbook_file(path)
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise WorkbookError(path, "the workbook is protected with a password; remove the password in Excel, "
                                  "save it and import that copy") from None
    except Exception as exc:  # calamine raises several error types; each is a broken file for us
        raise WorkbookError(path, f"the workbook could not be read ({_short(exc)})") from None
    sheets = []
    try:
        names = {meta.name for meta in book.sheets_metadata}
        limit = MAX_FULL_DATA_ROWS if all(name in names for name in (*FULL_SHEETS, META_SHEET)) else MAX_DATA_ROWS
        for meta in book.sheets_metadata:
            if only is not None and meta.name not in only:
                continue
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            sheets.append(_read_sheet(path, book, meta, limit))
    finally:
        book.close()
    return WorkbookData(Path(path), checked.date1904, sheets, checked.formulas)


def _read_sheet(path: Path, book: Any, meta: Any, max_rows: int) -> SheetData:
    try:
        sheet = book.get_sheet_by_name(meta.name)
        rows: list[list[Any]] = []
        empty_run = 0
        last_data = 0
        for raw in sheet.iter_rows():
            values = _clean_row(raw)
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
            if values:
                empty_run = 0
                last_data = len(rows)
                if last_data > max_rows:
                    raise WorkbookError(path, f"more than {max_rows:,} rows of data, which no tracker has",
                                        sheet=meta.name)
            else:
                empty_run += 1
                if empty_run > EMPTY_RUN_LIMIT:
                    break
        del rows[last_data:]
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
    except WorkbookError:
        raise
    except Exception as exc:
        raise WorkbookError(path, f"the sheet could not be read ({_short(exc)})", sheet=meta.name) from None
    return SheetData(meta.name, meta.visible == calamine.SheetVisibleEnum.Visible, rows, merged)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text[:160] + "…") if len(text) > 160 else text or type(exc).__name__
