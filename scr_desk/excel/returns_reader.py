"""Reading a return workbook back: rows by their hidden key, columns by their header text (so a
partner may sort, filter, hide or insert rows and columns), and the export's own record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scr_desk.excel.detect import read_facts
from scr_desk.excel.guard import WorkbookError
from scr_desk.excel.layout import FORMAT_VERSION, META_SHEET, RETURN_COLUMNS, RETURNS_SHEET
from scr_desk.excel.reader import WorkbookData
from scr_desk.excel.values import as_text

HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Baseline:
    version: int
    locked: dict[str, str]  # column key -> value as exported (normalised text)


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
    baseline: dict[str, Baseline] = field(default_factory=dict)


def parse_return(book: WorkbookData, facts: dict[str, Any]) -> ParsedReturn:
    version = facts.get("format_version")
    if version != FORMAT_VERSION:
        raise WorkbookError(book.path, f"this return was written in format version {version}, and this version of "
                                       f"SCR Desk reads version {FORMAT_VERSION}; export a fresh return to send out",
                            sheet=META_SHEET)
    sheet = book.sheet(RETURNS_SHEET)
    if sheet is None:
        raise WorkbookError(book.path, f"the {RETURNS_SHEET!r} sheet is missing (was it renamed or deleted?)")
    headers = {c.header.casefold(): c.key for c in RETURN_COLUMNS}
    header_row, columns = 0, {}
    for number, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
        found = {headers[as_text(v).casefold()]: i for i, v in enumerate(row, start=1)
                 if as_text(v).casefold() in headers}
        if len(found) > len(columns):
            header_row, columns = number, found
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
    return ParsedReturn(facts, sheet.name, columns, rows, _baseline(book))


def _baseline(book: WorkbookData) -> dict[str, Baseline]:
    meta = book.sheet(META_SHEET)
    assert meta is not None
    facts = read_facts(meta)
    start = len(facts) + 2  # a blank row, then the table's header row
    header = [as_text(v) for v in (meta.rows[start - 1] if len(meta.rows) >= start else [])]
    if header[:2] != ["key", "version"]:
        return {}
    baseline = {}
    for row in meta.rows[start:]:
        if not row or row[0] is None:
            continue
        locked = {name: as_text(row[i]) if i < len(row) else "" for i, name in enumerate(header) if i >= 2}
        baseline[as_text(row[0])] = Baseline(int(row[1] or 0), locked)
    return baseline
