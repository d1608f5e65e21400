"""Trackers kept outside Excel: a table in a Word document (.docx) appended to the review's
report, or a .csv file (UTF-8 or Windows-1252, comma or semicolon). Each table becomes a sheet
of the same shape the workbook reader gives, so the same planner reads it."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from scr_desk.excel.guard import WorkbookError, check_archive, check_plain_file
from scr_desk.excel.reader import MAX_COLUMNS, MAX_DATA_ROWS, SheetData, WorkbookData

__all__ = ["TITLE_PARAGRAPHS", "is_tabular", "read_csv", "read_docx", "read_tabular"]


TITLE_PARAGRAPHS = 4  # paragraphs just above a Word table often name the review


def is_tabular(path: Path) -> bool:
    return Path(path).suffix.lower() in (".csv", ".docx")


def read_tabular(path: Path) -> WorkbookData:
    path = Path(path)
    check_plain_file(path, "tracker")
    if path.suffix.lower() == ".csv":
        return read_csv(path)
    return read_docx(path)


def read_csv(path: Path) -> WorkbookData:
    data = path.read_bytes()
    if data.startswith(b"PK") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(path, "this is an Excel workbook saved under a .csv name; rename it to .xlsx "
                                  "and import that")
    if b"\x00" in data[:4096]:
        raise WorkbookError(path, "this is not a text (CSV) file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = "\n".join(text.splitlines()[:20])
    delimiter = ";" if sample.count(";") > sample.count(",") else "," if "," in sample or ";" not in sample else ";"
    if sample.count("\t") > max(sample.count(","), sample.count(";")):
        delimiter = "\t"
    rows: list[list[Any]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            values: list[Any] = [v.strip() or None for v in record[:MAX_COLUMNS]]
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
            if len(rows) > MAX_DATA_ROWS:
                raise WorkbookError(path, f"more than {MAX_DATA_ROWS:,} rows of data, which no tracker has")
    except csv.Error as exc:
        raise WorkbookError(path, f"the CSV file could not be read ({exc})") from None
    while rows and not rows[-1]:
        rows.pop()
    return WorkbookData(path, False, [SheetData(path.stem, True, rows)])


def read_docx(path: Path) -> WorkbookData:
    _check_docx(path)
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a broken file
        raise WorkbookError(path, f"the Word document could not be read ({' '.join(str(exc).split())[:120]})") from None
    sheets = []
    opening: list[str] = []  # the document's first paragraphs: its title, for every table
    titles: list[str] = []  # the paragraphs just above a table
    body = document.element.body
    number = 0
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = " ".join("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")).split())
            if text:
                titles = (titles + [text])[-TITLE_PARAGRAPHS:]
                if number == 0 and len(opening) < TITLE_PARAGRAPHS:
                    opening.append(text)
        elif tag == "tbl":
            number += 1
            table = docx.table.Table(child, document)
            above = list(dict.fromkeys(opening + titles)) if number > 1 else titles
            try:
                sheets.append(_table_sheet(path, table, f"Table {number}", above))
            except WorkbookError:
                raise
            except Exception as exc:  # a table python-docx cannot lay out (a damaged merge, say)
                raise WorkbookError(path, f"the table could not be read ({' '.join(str(exc).split())[:120]})",
                                    sheet=f"Table {number}") from None
            titles = []
    if not sheets:
        raise WorkbookError(path, "the Word document holds no table; an action plan is imported from its table")
    return WorkbookData(path, False, sheets)


def _check_docx(path: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise WorkbookError(path, "this is not a Word document (.docx) that can be read; an old-style .doc "
                                  "must be saved as .docx first")
    if check_archive(path, "tracker").kind != "docx":  # every part and table cell counted before python-docx
        raise WorkbookError(path, "this is a zip archive but not a Word document")


def _table_sheet(path: Path, table: Any, name: str, titles: list[str]) -> SheetData:
    """A Word table as rows; cells merged across or down become merged ranges, as in a workbook."""
    rows: list[list[Any]] = [[t] for t in titles]
    merged: list[tuple[int, int, int, int]] = []
    above: list[Any] = []
    starts: dict[int, int] = {}  # column -> row (0-based) where the cell merged down began
    offset = len(titles)
    for r, row in enumerate(table.rows):
        if r > MAX_DATA_ROWS:
            raise WorkbookError(path, f"more than {MAX_DATA_ROWS:,} rows in one table", sheet=name)
        cells = list(row.cells)[:MAX_COLUMNS]
        values: list[Any] = []
        span_start = 0
        for c, cell in enumerate(cells):
            same_left = c > 0 and cell._tc is cells[c - 1]._tc
            same_above = c < len(above) and cell._tc is above[c]
            text = "\n".join(p.text for p in cell.paragraphs).strip()
            if same_left:
                values.append(None)
                if c == len(cells) - 1 or cells[c + 1]._tc is not cell._tc:
                    merged.append((offset + r, span_start, offset + r, c))
                continue
            span_start = c
            if same_above:
                values.append(None)
                starts.setdefault(c, r - 1)
                continue
            if c in starts:
                merged.append((offset + starts.pop(c), c, offset + r - 1, c))
            values.append(text or None)
        for c in [c for c in starts if c >= len(cells) or cells[c]._tc is not above[c]]:
            merged.append((offset + starts.pop(c), c, offset + r - 1, c))
        above = [cell._tc for cell in cells]
        while values and values[-1] is None:
            values.pop()
        rows.append(values)
    last = offset + len(table.rows) - 1
    for c, start in starts.items():
        merged.append((offset + start, c, last, c))
    while rows and not rows[-1]:
        rows.pop()
    return SheetData(name, True, rows, merged)
