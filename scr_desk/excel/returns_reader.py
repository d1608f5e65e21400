"""Reading a return workbook back: rows by their hidden key, columns by their header text (so a
partner may sort, filter, hide or insert rows and columns). The workbook says which export it
is and carries a signature; everything else about what was sent comes from the database.

The input cells are typed here, as the layout spec says (status, RAG, date, text): the planner
gets a `ReturnInputs` per row, and for a cell that cannot be typed a `CellProblem` naming it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from scr_desk.domain.dates import DateError, check_date_range
from scr_desk.domain.enums import AGENCY_STATUSES, Rag, Status
from scr_desk.domain.wording import the_columns
from scr_desk.excel.guard import WorkbookError
from scr_desk.excel.layout import (
    RETURN_COLUMNS,
    RETURN_HEADERS,
    RETURN_INPUT_KEYS,
    RETURN_KEY_PATTERN,
    RETURN_LOCKED_KEYS,
    RETURNS_SHEET,
)
from scr_desk.excel.reader import SheetData, WorkbookData
from scr_desk.excel.values import as_date, as_text, cell_name, column_letters, normalise

__all__ = [
    "CellProblem", "HEADERS", "HEADER_SEARCH_ROWS", "KEY_SEARCH_ROWS", "ParsedReturn", "RETURN_LIKE_HEADINGS",
    "ReturnInputs", "ReturnRow", "find_header", "looks_like_a_return", "parse_return", "read_inputs",
]


_T = TypeVar("_T")
HEADER_SEARCH_ROWS = 50
# A sheet whose header row holds this many of the return's own headings is laid out as a return.
RETURN_LIKE_HEADINGS = 8
KEY_SEARCH_ROWS = 200
HEADERS = {c.key: c.header for c in RETURN_COLUMNS}


@dataclass(frozen=True, kw_only=True, slots=True)
class CellProblem:
    """A cell whose value is not what its column holds: where, and what is wrong, in one sentence."""

    cell: str  # "Proposed RAG (P7)": the heading and the cell, as the preview and error log show it
    message: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ReturnInputs:
    """A row's input cells, typed per the layout spec; a cell that could not be typed is None
    here and is named in `problems` (every such cell, in the order of the columns), so a row with
    several mistakes is reported whole, not one mistake per import."""

    update: str
    evidence: str
    proposed_status: Status | None
    proposed_rag: Rag | None
    revised_target: date | None
    completed_by: str
    filled: bool  # anything at all written in an input cell, typed or not
    written: tuple[str, ...]  # the input cells as written, normalised: what identifies the row's content
    problems: tuple[CellProblem, ...] = ()

    @property
    def problem(self) -> CellProblem | None:
        """The first cell that could not be typed, if any."""
        return self.problems[0] if self.problems else None


@dataclass(frozen=True, slots=True)
class ReturnRow:
    row: int
    values: dict[str, Any]  # column key -> raw cell value
    inputs: ReturnInputs
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

    @cached_property
    def locked_keys(self) -> tuple[str, ...]:
        """The columns SCR Desk fills that this sheet still has (a partner may delete one)."""
        return tuple(key for key in RETURN_LOCKED_KEYS if key in self.columns)

    def cell(self, row: int, key: str) -> str:
        """A cell named for the user: its column's heading and its address, "Proposed RAG (P7)"."""
        return f"{HEADERS[key]} ({column_letters(self.columns[key])}{row})"


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
        raise WorkbookError(book.path, f"the column {HEADERS[key]!r} appears more than once (columns {letters}); "
                                       "keep one, with every update in it", sheet=sheet.name, row=header_row)
    columns = {key: where[0] for key, where in found.items()}
    missing = [c.header for c in RETURN_COLUMNS if c.key not in columns and (c.key == "key" or not c.locked)]
    if missing:
        raise WorkbookError(book.path, the_columns(missing) + " missing; "
                                       "columns may be moved but not deleted or renamed", sheet=sheet.name,
                            row=header_row)
    parsed = ParsedReturn(facts, sheet.name, columns, [])
    places = [(key, column - 1) for key, column in columns.items()]
    for number, row in enumerate(sheet.rows, start=1):
        if number == header_row:
            continue
        width = len(row)
        values = {key: row[index] if index < width else None for key, index in places}
        if number < header_row:  # a title, or rows sorted above the headings: only the latter count
            if any(as_text(values.get(k)) for k in ("key", *RETURN_INPUT_KEYS)):
                parsed.rows.append(ReturnRow(number, values, read_inputs(parsed, number, values, book.date1904),
                                             above_header=True))
        elif any(v is not None and (v.__class__ is not str or not v.isspace()) for v in values.values()):
            parsed.rows.append(ReturnRow(number, values, read_inputs(parsed, number, values, book.date1904)))
    parsed.other_sheets = {s.name: _has_input(s) for s in candidates if s is not sheet}
    return parsed


class _Untyped(Exception):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def read_inputs(parsed: ParsedReturn, row: int, values: dict[str, Any], date1904: bool) -> ReturnInputs:
    """The row's input cells typed: status, RAG and revised target as the layout spec says, the
    rest as text. Whether a status may be proposed in a return is the planner's rule, not a type."""
    raw = [values.get(key) for key in RETURN_INPUT_KEYS]
    texts = dict(zip(RETURN_INPUT_KEYS, map(as_text, raw), strict=True))
    problems: list[CellProblem] = []

    def typed(reader: Callable[[str], _T], given: Any) -> _T | None:
        try:
            return reader(given)
        except _Untyped as exc:
            problems.append(CellProblem(cell=parsed.cell(row, exc.key), message=str(exc)))
            return None
    # Every cell is read, in the order of the columns: each one that cannot be typed is named (an
    # empty one is not given, and most rows leave these empty: they cost nothing to read then).
    status_text, rag_text = texts["proposed_status"], texts["proposed_rag"]
    status = typed(_status, status_text) if status_text else None
    rag = _RAGS.get(rag_text) or typed(_rag, rag_text) if rag_text else None
    raw_target = values.get("revised_target")
    revised = None if raw_target is None else typed(lambda given: _revised_target(given, date1904), raw_target)
    return ReturnInputs(update=texts["update"], evidence=texts["evidence"], proposed_status=status,
                        proposed_rag=rag, revised_target=revised, completed_by=texts["completed_by"],
                        filled=any(texts.values()), written=tuple(map(normalise, raw)), problems=tuple(problems))


# A return's thousands of rows hold a handful of distinct statuses and RAGs: each text is read once.
_STATUSES: dict[str, Status | None] = {}
_RAGS: dict[str, Rag | None] = {}
_UNREAD = object()


def _read_once(readings: dict[str, Any], text: str, read: Callable[[str], Any]) -> Any:
    """read(text), remembered (None for a text that is not one); the memo stays small, so a file
    of free text typed into these columns cannot grow it."""
    found = readings.get(text, _UNREAD)
    if found is not _UNREAD:
        return found
    try:
        found = read(text)
    except ValueError:
        found = None
    if len(readings) >= 1000:
        readings.clear()
    readings[text] = found
    return found


def _status(text: str) -> Status:
    found: Status | None = _read_once(_STATUSES, text, Status.from_text)
    if found is None:
        raise _Untyped("proposed_status", f"{text!r} is not a status; choose one from the list ("
                       + ", ".join(s.value for s in AGENCY_STATUSES) + ")")
    return found


def _rag(text: str) -> Rag:
    found: Rag | None = _read_once(_RAGS, text, Rag.parse)
    if found is None:
        raise _Untyped("proposed_rag", f"{text!r} is not a RAG rating; use Red, Amber, Green or Blue")
    return found


def _revised_target(raw: Any, date1904: bool) -> date | None:
    try:
        revised = as_date(raw, date1904=date1904)
        check_date_range(revised)
    except (DateError, ValueError) as exc:
        advice = "" if "dd/mm/yyyy" in str(exc) else "; write the date as dd/mm/yyyy"
        raise _Untyped("revised_target", f"{exc}{advice}") from None
    return revised


def _has_input(sheet: SheetData) -> bool:
    header_row, found = find_header(sheet)
    inputs = [where[0] for key, where in found.items() if key in RETURN_INPUT_KEYS]
    return any(as_text(sheet.cell(r, c)) for r in range(header_row + 1, len(sheet.rows) + 1) for c in inputs)
