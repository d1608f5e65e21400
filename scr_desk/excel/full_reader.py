"""Reading the full workbook back into records: columns by header text, long text reassembled."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from scr_desk.domain.wording import the_columns
from scr_desk.excel.guard import WorkbookError
from scr_desk.excel.layout import FORMAT_VERSION, FULL_SHEETS, META_SHEET, OVERFLOW_SHEET
from scr_desk.excel.reader import WorkbookData
from scr_desk.excel.safe import restore_nonchars
from scr_desk.excel.values import as_text

__all__ = ["FullRecord", "RowValues", "parse_full"]


class RowValues(Mapping[str, Any]):
    """A row's cells by column key, read from the row as the reader gave it: a full workbook has
    more than a million rows, and a dict for each would hold several gigabytes."""

    __slots__ = ("_row", "_places")

    def __init__(self, row: list[Any], places: dict[str, int]) -> None:
        self._row = row
        self._places = places  # column key -> 0-based index, one dict for the whole sheet

    def __getitem__(self, key: str) -> Any:
        index = self._places[key]
        return self._row[index] if index < len(self._row) else None

    def __setitem__(self, key: str, value: Any) -> None:
        index = self._places[key]
        if index >= len(self._row):
            self._row.extend([None] * (index + 1 - len(self._row)))
        self._row[index] = value

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    @property
    def cells(self) -> list[Any]:
        """The row itself (the fastest way to read a million records' cells: by index)."""
        return self._row

    def __len__(self) -> int:
        return len(self._places)


@dataclass(frozen=True, slots=True)
class FullRecord:
    sheet: str
    row: int
    values: RowValues  # column key -> raw value
    columns: dict[str, int]  # column key -> 1-based column (for naming cells in errors)


def parse_full(book: WorkbookData, facts: dict[str, Any]) -> dict[str, list[FullRecord]]:
    if not facts:
        raise WorkbookError(book.path, "this is laid out as a full SCR Desk workbook but its hidden part is missing, "
                                       "so it was changed after it was written or made by another program; "
                                       "export it again from SCR Desk")
    if facts.get("format_version") != FORMAT_VERSION:
        raise WorkbookError(book.path, f"this workbook was written in format version {facts.get('format_version')}, "
                                       f"and this version of SCR Desk reads version {FORMAT_VERSION}", sheet=META_SHEET)
    # Text too long for one cell, in parts: (sheet, uid) -> field -> [(part, text)]
    overflow: dict[tuple[str, str], dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    long_text = book.sheet(OVERFLOW_SHEET)
    if long_text is not None:
        for row in long_text.rows[1:]:
            if len(row) >= 5 and row[0] is not None:
                overflow[(as_text(row[0]), as_text(row[1]))][as_text(row[2])].append((int(row[3]), row[4] or ""))
    records: dict[str, list[FullRecord]] = {}
    for name, spec in FULL_SHEETS.items():
        sheet = book.sheet(name)
        if sheet is None:
            raise WorkbookError(book.path, f"the {name!r} sheet is missing from this full workbook")
        header = [as_text(v) for v in (sheet.rows[0] if sheet.rows else [])]
        columns = {c.key: header.index(c.header) + 1 for c in spec if c.header in header}
        missing = [c.header for c in spec if c.key not in columns and not c.optional]
        if missing:
            raise WorkbookError(book.path, the_columns(missing) + " missing",
                                sheet=name, row=1)
        found = []
        places = {key: col - 1 for key, col in columns.items()}
        indexes = list(places.values())
        first = indexes[0] if indexes else 0  # the uid's column: filled in every record
        escaped = "_x"  # restore_nonchars' mark: most text has none, so most cells skip it
        for number, row in enumerate(sheet.rows[1:], start=2):
            width = len(row)
            if (first >= width or row[first] is None) and all(i >= width or row[i] is None for i in indexes):
                continue  # a row with nothing in the workbook's columns
            values = RowValues(row, places)
            if overflow:
                for field, parts in overflow.get((name, as_text(values.get("uid"))), {}).items():
                    if field in values:
                        values[field] = (values[field] or "") + "".join(text for _, text in sorted(parts))
            for index, value in enumerate(row):
                if value.__class__ is str and escaped in value:
                    row[index] = restore_nonchars(value)
            found.append(FullRecord(name, number, values, columns))
        records[name] = found
    return records
