"""A hand-made tracker sheet's mapping as the preview shows it and the user corrects it: the
header row, which column gives which field, and the review the sheet names. The reading itself
is in tracker_layout (header), tracker_rows (rows), tracker_readings (values) and tracker_naming."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from scr_desk.excel.reader import SheetData
from scr_desk.excel.tracker_layout import (
    FIELDS,
    HeaderReading,
    heading_field,
    normalise_heading,
    read_header,
)
from scr_desk.excel.tracker_naming import (
    guess_review_type,
    is_generic_sheet,
    review_name,
    title_review,
)
from scr_desk.excel.values import as_text

__all__ = [
    "FIELDS", "SheetMapping", "choose_review", "detect_mapping", "guess_review_type", "heading_field",
    "mapping_review_type", "normalise_heading",
]


@dataclass
class SheetMapping:
    sheet: str
    header_row: int  # 1-based
    columns: dict[str, int]  # field -> 1-based column
    headers: dict[int, str]  # column -> heading text, for the mapping view
    title: str = ""
    review_name: str = ""
    review_source: str = ""  # column, sheet, title or file
    ignored: list[str] = field(default_factory=list)  # notes about columns kept as text
    header: HeaderReading | None = None
    title_lines: list[str] = field(default_factory=list)

    @property
    def layout_key(self) -> str:
        """The same headings in the same places: a layout whose corrections are remembered."""
        text = "|".join(f"{c}:{normalise_heading(h)}" for c, h in sorted(self.headers.items()))
        return hashlib.sha1(f"{self.header_row}|{text}".encode()).hexdigest()[:16]

    def as_json(self) -> dict[str, Any]:
        found = {"header_row": self.header_row, "review": self.review_name, "review_from": self.review_source,
                 "columns": {name: self.headers.get(col, "") for name, col in self.columns.items()}}
        if self.header is not None and len(self.header.updates) > 1:
            found["update_columns"] = [u.heading for u in self.header.updates]
        return found


def detect_mapping(sheet: SheetData, file_stem: str, hidden: set[int] | None = None,
                   fiscal_hint: int | None = None) -> SheetMapping | None:
    header = read_header(sheet, hidden, fiscal_hint)
    if header is None:
        return None
    mapping = SheetMapping(sheet.name, header.header_row, dict(header.columns), dict(header.headers),
                           ignored=list(header.notes), header=header)
    mapping.title_lines = [" ".join(as_text(v).split()) for row in sheet.rows[:header.first_row - 1]
                           for v in row if as_text(v)]
    mapping.title = mapping.title_lines[0] if mapping.title_lines else ""
    choose_review(mapping, file_stem)
    return mapping


def choose_review(mapping: SheetMapping, file_stem: str) -> None:
    """A review column; else the sheet's name unless generic; else the title lines; else the file name."""
    if "review" in mapping.columns:
        mapping.review_name, mapping.review_source = "", "column"
    elif not is_generic_sheet(mapping.sheet.strip()):
        mapping.review_name, mapping.review_source = review_name(mapping.sheet.strip()), "sheet"
    elif name := title_review(mapping.title_lines):
        mapping.review_name, mapping.review_source = name, "title"
    else:
        mapping.review_name, mapping.review_source = review_name(file_stem) or file_stem, "file"


def mapping_review_type(mapping: SheetMapping, file_stem: str) -> str:
    return guess_review_type(mapping.review_name, mapping.sheet, *mapping.title_lines, file_stem)
