"""Reading a return workbook back: rows by their hidden key, columns by their header text (so a
partner may sort, filter, hide or insert rows and columns). The workbook says which export it
is and carries a signature; everything else about what was sent comes from the database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from scr_desk.excel.guard import WorkbookError
from scr_desk.excel.layout import RETURN_COLUMNS, RETURN_HEADERS, RETURN_INPUT_KEYS, RETURN_KEY_PATTERN, RETURNS_SHEET
from scr_desk.excel.reader import SheetData, WorkbookData
from scr_desk.excel.values import as_text, cell_name

HEADER_SEARCH_ROWS = 50
# A sheet whose header row holds this many of the return's own headings is laid out as a return.
RETURN_LIKE_HEADINGS = 8
KEY_SEARCH_ROWS = 200


@dataclass(frozen=True)
class ReturnRow:
    row: int
    values: dict[str, Any]  # column key -> raw cell value
    above_header: bool = False  # a row sorted above the heading row: it is not read as data

    @property
    def key(self) -> str:
        """The row's key as written in the hidden column ("" where it has none): see return_key."""
        return as_text(self.values.get("key"))


@dataclass
class ParsedReturn:
    facts: dict[str, Any]
    sheet: str
    columns: dict[str, int]  # column key -> 1-based column number
    rows: list[ReturnRow]
    other_sheets: dict[str, bool] = field(default_factory=dict)  # another sheet laid out as a return -> has input
    uncalculated: set[tuple[int, int]] = field(default_factory=set)  # (row, column) of formulas with no result


def find_header(sheet: SheetData) -> tuple[int, dict[str, list[int]]]:
    """(row number, column key -> columns) of the row holding the most return headings."""
    header_row, columns = 0, dict[str, list[int]]()
    for number, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
        found: dict[str, list[int]] = defaultdict(list)
        for index, value in enumerate(row, start=1):
            key = RETURN_HEADERS.get(as_text(value).casefold())
            if key:
                found[key].append(index)
        if len(found) > len(columns):
            header_row, columns = number, dict(found)
    return header_row, columns


def _holds_keys(sheet: SheetData) -> bool:
    return any(isinstance(v, str) and RETURN_KEY_PATTERN.match(v.strip()) for row in sheet.rows[:KEY_SEARCH_ROWS]
               for v in row[:30])


def looks_like_a_return(book: WorkbookData) -> bool:
    """Laid out as a return (its headings, or its hidden keys), whatever its hidden parts say."""
    return any(len(find_header(sheet)[1]) >= RETURN_LIKE_HEADINGS or _holds_keys(sheet) for sheet in book.sheets)


def parse_return(book: WorkbookData, facts: dict[str, Any]) -> ParsedReturn:
    candidates = [s for s in book.sheets if len(find_header(s)[1]) >= RETURN_LIKE_HEADINGS]
    sheet = book.sheet(RETURNS_SHEET) or (candidates[0] if candidates else None)
    if sheet is None:
        raise WorkbookError(book.path, f"the {RETURNS_SHEET!r} sheet is missing, and no other sheet has a return's "
                                       "headings (were they renamed?)")
    header_row, found = find_header(sheet)
    if not header_row:
        raise WorkbookError(book.path, f"no row in the first {HEADER_SEARCH_ROWS} holds the return's headings "
                                       "('Key (do not edit)', 'Reference', 'Update this period', …)", sheet=sheet.name)
    twice = [key for key, where in found.items() if len(where) > 1 and (key == "key" or key in RETURN_INPUT_KEYS)]
    if twice:
        key = twice[0]
        letters = " and ".join(cell_name(header_row, c)[:-len(str(header_row))] for c in found[key])
        header = next(c.header for c in RETURN_COLUMNS if c.key == key)
        raise WorkbookError(book.path, f"the column {header!r} appears more than once (columns {letters}); keep one, "
                                       "with every update in it", sheet=sheet.name, row=header_row)
    columns = {key: where[0] for key, where in found.items()}
    missing = [c.header for c in RETURN_COLUMNS if c.key not in columns and (c.key == "key" or not c.locked)]
    if missing:
        raise WorkbookError(book.path, "the column(s) " + ", ".join(repr(m) for m in missing) + " are missing; "
                                       "columns may be moved but not deleted or renamed", sheet=sheet.name,
                            row=header_row)
    rows = []
    for number in range(1, len(sheet.rows) + 1):
        if number == header_row:
            continue
        values = {key: sheet.cell(number, column) for key, column in columns.items()}
        if number < header_row:  # a title, or rows sorted above the headings: only the latter count
            if any(as_text(values.get(k)) for k in ("key", *RETURN_INPUT_KEYS)):
                rows.append(ReturnRow(number, values, above_header=True))
        elif any(v is not None and as_text(v) != "" for v in values.values()):
            rows.append(ReturnRow(number, values))
    others = {s.name: _has_input(s) for s in candidates if s is not sheet}
    return ParsedReturn(facts, sheet.name, columns, rows, others)


def _has_input(sheet: SheetData) -> bool:
    header_row, found = find_header(sheet)
    inputs = [where[0] for key, where in found.items() if key in RETURN_INPUT_KEYS]
    return any(as_text(sheet.cell(r, c)) for r in range(header_row + 1, len(sheet.rows) + 1) for c in inputs)
