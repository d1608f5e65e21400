"""A tracker saved as text: CSV as Excel, LibreOffice and SharePoint write it (UTF-8 with or without
a byte-order mark, UTF-16 as Excel's "Unicode text" writes it, Windows-1252), separated by commas,
semicolons, tabs or bars. One grid of the same shape the workbook reader gives."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from scr_desk.excel.guard import WorkbookError, check_plain_file
from scr_desk.excel.reader import MAX_COLUMNS, MAX_DATA_ROWS
from scr_desk.excel.tracker_source import Grid, TrackerBook

SEPARATORS = (",", ";", "\t", "|")


def decode(path: Path, data: bytes) -> str:
    """The text, by its byte-order mark, else by the shape of its bytes: UTF-16 without a mark
    shows as a zero byte beside every ASCII letter; UTF-8 decodes cleanly; else Windows-1252."""
    if data.startswith(b"PK") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(path, f"this is an Excel workbook saved under a {path.suffix} name; rename it to .xlsx "
                                  "and import that")
    for mark, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(mark):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise WorkbookError(path, f"the text file says it is {encoding.upper()} but is not") from None
    sample = data[:4096]
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    if len(sample) >= 4 and max(zeros_even, zeros_odd) > len(sample) // 4:
        encoding = "utf-16-le" if zeros_odd > zeros_even else "utf-16-be"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    if b"\x00" in sample:
        raise WorkbookError(path, "this is not a text (CSV) file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def separator(text: str) -> str:
    """The separator that splits the first lines into the same number of cells most consistently."""
    lines = [line for line in text.splitlines()[:40] if line.strip()]
    best, best_score = ",", -1.0
    for candidate in SEPARATORS:
        try:
            widths = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=candidate)]
        except csv.Error:
            continue
        if not widths or max(widths) < 2:
            continue
        common = max(set(widths), key=widths.count)
        score = widths.count(common) / len(widths) * min(common, 12) + sum(1 for w in widths if w > 1) / len(widths)
        if score > best_score:
            best, best_score = candidate, score
    return best


def read_text_table(path: Path) -> TrackerBook:
    path = Path(path)
    check_plain_file(path, "tracker")
    text = decode(path, path.read_bytes())
    delimiter = separator(text)
    rows: list[list[Any]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            values: list[Any] = [_cell(v) for v in record[:MAX_COLUMNS]]
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
            if len(rows) > MAX_DATA_ROWS:
                raise WorkbookError(path, f"more than {MAX_DATA_ROWS:,} rows of data, which no tracker has")
    except csv.Error as exc:
        raise WorkbookError(path, f"the CSV file could not be read ({exc})") from None
    while rows and not rows[-1]:
        rows.pop()
    grid = Grid(path.stem, True, rows, [], kind="text")
    return TrackerBook(path, False, [grid])


def _cell(value: str) -> Any:
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None
