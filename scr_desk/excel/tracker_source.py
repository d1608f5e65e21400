"""A hand-made tracker as grids of cells, whatever the file: each sheet of a workbook (.xlsx, .xls,
.ods), each table of a Word document, or a CSV/text file is one grid, with what a person also sees
beside the values: fills, links, comments, bold, hidden rows and columns, and (in Word) the
paragraphs just above a table. Pure reading: no database, no decisions about meaning."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scr_desk.excel.guard import OLE_MAGIC, CheckedWorkbook, WorkbookError, check_archive, check_plain_file
from scr_desk.excel.reader import SheetData, WorkbookData, read_workbook

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
CALAMINE_ONLY = (".xls", ".ods")  # read by python-calamine alone: values, no formatting


@dataclass(frozen=True)
class Paragraph:
    """A line of a document outside any table: its text, and whether it is a heading or title."""

    text: str
    heading: bool = False


@dataclass
class Grid(SheetData):
    """One table: a sheet, a Word table or a text file. Cells are addressed 1-based (row, column)."""

    kind: str = "sheet"  # "sheet", "table" (Word) or "text" (CSV)
    index: int = 0  # its order in the file
    above: list[Paragraph] = field(default_factory=list)  # Word: the paragraphs since the previous table
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # a solid fill's colour, RRGGBB
    links: dict[tuple[int, int], str] = field(default_factory=dict)  # a hyperlink's address
    comments: dict[tuple[int, int], str] = field(default_factory=dict)  # a cell comment's words
    bold: set[tuple[int, int]] = field(default_factory=set)
    struck: set[tuple[int, int]] = field(default_factory=set)  # cells whose words are struck through
    hidden_columns: set[int] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)

    def text(self, row: int, column: int) -> str:
        from scr_desk.excel.values import as_text
        return as_text(self.cell(row, column))

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class TrackerBook(WorkbookData):
    """Every grid of the file, the document's own opening lines (a Word document's title, its page
    header; a cover sheet is a grid of its own) and what the format could not give."""

    opening: list[Paragraph] = field(default_factory=list)
    losses: list[str] = field(default_factory=list)
    closing: list[Paragraph] = field(default_factory=list)  # Word: the paragraphs after the last table

    @property
    def grids(self) -> list[Grid]:
        return [s for s in self.sheets if isinstance(s, Grid)]


def is_tracker_only(path: Path) -> bool:
    """Formats only a hand-made tracker comes in (a return or a full workbook is always .xlsx)."""
    return Path(path).suffix.lower() in (*TEXT_SUFFIXES, ".docx")


def open_tracker(path: Path) -> TrackerBook:
    """A CSV, text or Word file as a tracker; raises WorkbookError when it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from scr_desk.excel.tracker_text import read_text_table
        return read_text_table(path)
    from scr_desk.excel.tracker_docx import read_docx
    return read_docx(path)


def read_calamine_only(path: Path) -> WorkbookData:
    """An .xls or .ods workbook's values, after the checks every file gets: its size, and for an
    .ods (a zip) the archive guard's look at every part and the cells it holds before anything is
    unpacked."""
    path = Path(path)
    check_plain_file(path, "tracker")
    with path.open("rb") as handle:
        head = handle.read(8)
    size = path.stat().st_size
    if path.suffix.lower() == ".ods" or head.startswith(b"PK"):
        checked = check_archive(path, "tracker")
        if checked.kind != "ods":
            raise WorkbookError(path, "this is not an OpenDocument spreadsheet (.ods) that can be read")
        size = checked.uncompressed_bytes
    elif head.startswith(OLE_MAGIC):
        _refuse_encrypted(path)
    else:
        raise WorkbookError(path, "this is not an Excel workbook (.xls) or an OpenDocument spreadsheet (.ods) "
                                  "that can be read")
    return read_workbook(path, CheckedWorkbook(path, False, size))


def _refuse_encrypted(path: Path) -> None:
    with path.open("rb") as handle:
        data = handle.read(4 * 1024 * 1024)
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise WorkbookError(path, "the workbook is protected with a password; open it in Excel, remove the "
                                  "password, save it and import that copy")


def as_grids(book: WorkbookData) -> TrackerBook:
    """A workbook's sheets as grids, with fills, links, comments, bold and hidden rows and columns
    read from an .xlsx (python-calamine gives values only); for .xls and .ods, say once what is lost."""
    if isinstance(book, TrackerBook):
        return book
    grids = [Grid(s.name, s.visible, s.rows, list(s.merged), kind="sheet", index=i) for i, s in enumerate(book.sheets)]
    tracker = TrackerBook(book.path, book.date1904, list(grids))
    suffix = book.path.suffix.lower()
    if suffix in CALAMINE_ONLY:
        tracker.losses.append(f"a {suffix} file gives its values only: cell colours (a RAG shown only by colour), "
                              "strike-through, hidden columns, links and comments were not read; save it as .xlsx "
                              "to keep them")
        return tracker
    from scr_desk.excel.tracker_xlsx_extras import add_extras
    add_extras(tracker)
    return tracker


def grid_cells(grid: Grid) -> list[tuple[int, int, Any]]:
    """(row, column, value) of every non-empty cell, 1-based."""
    return [(r, c, v) for r, row in enumerate(grid.rows, 1) for c, v in enumerate(row, 1)
            if v is not None and (not isinstance(v, str) or v.strip())]
