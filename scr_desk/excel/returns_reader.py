"""Reading a return workbook back: rows by their hidden key, columns by their header text (so a
partner may sort, filter, hide or insert rows and columns). The workbook says which export it
is and carries a signature; everything else about what was sent comes from the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scr_desk.excel.guard import WorkbookError
from scr_desk.excel.layout import RETURN_COLUMNS, RETURN_HEADERS, RETURNS_SHEET
from scr_desk.excel.reader import SheetData, WorkbookData
from scr_desk.excel.values import as_text

HEADER_SEARCH_ROWS = 10
# A sheet whose header row holds this many of the return's own headings is laid out as a return.
RETURN_LIKE_HEADINGS = 8


@dataclass(frozen=True)
class ReturnRow:
    row: int
    values: dict[str, Any]  # column key -> raw cell value


@dataclass
class ParsedReturn:
    facts: dict[str, Any]
    sheet: str
    columns: dict[str, int]  # column key -> 1-based column number
    rows: list[ReturnRow]


def find_header(sheet: SheetData) -> tuple[int, dict[str, int]]:
    """(row number, column key -> column) of the row holding the most return headings."""
    header_row, columns = 0, {}
    for number, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
        found = {RETURN_HEADERS[as_text(v).casefold()]: i for i, v in enumerate(row, start=1)
                 if as_text(v).casefold() in RETURN_HEADERS}
        if len(found) > len(columns):
            header_row, columns = number, found
    return header_row, columns


def looks_like_a_return(book: WorkbookData) -> bool:
    """Laid out as a return (its Returns sheet's headings), whatever its hidden parts say."""
    return any(len(find_header(sheet)[1]) >= RETURN_LIKE_HEADINGS for sheet in book.sheets)


def parse_return(book: WorkbookData, facts: dict[str, Any]) -> ParsedReturn:
    sheet = book.sheet(RETURNS_SHEET) or next(
        (s for s in book.sheets if len(find_header(s)[1]) >= RETURN_LIKE_HEADINGS), None)
    if sheet is None:
        raise WorkbookError(book.path, f"the {RETURNS_SHEET!r} sheet is missing (was it renamed or deleted?)")
    header_row, columns = find_header(sheet)
    missing = [c.header for c in RETURN_COLUMNS if c.key not in columns and (c.key == "key" or not c.locked)]
    if missing:
        raise WorkbookError(book.path, "the column(s) " + ", ".join(repr(m) for m in missing) + " are missing; "
                                       "columns may be moved but not deleted or renamed", sheet=sheet.name,
                            row=header_row or 1)
    rows = []
    for number in range(header_row + 1, len(sheet.rows) + 1):
        values = {key: sheet.cell(number, column) for key, column in columns.items()}
        if any(v is not None and as_text(v) != "" for v in values.values()):
            rows.append(ReturnRow(number, values))
    return ParsedReturn(facts, sheet.name, columns, rows)
