"""The full workbook: every record, one sheet per entity, streamed with openpyxl's write-only
mode so memory stays flat however large the database; plus a summary with a native chart."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill

from scr_desk.domain.colours import HEADING, NOT_RATED, RAG_SWATCHES
from scr_desk.domain.enums import ImportKind
from scr_desk.excel.cells import write_only_value
from scr_desk.excel.layout import (
    FORMAT_VERSION,
    FULL_SHEETS,
    META_SHEET,
    OVERFLOW_COLUMNS,
    OVERFLOW_SHEET,
    SUMMARY_SHEET,
)
from scr_desk.excel.safe import escape_for_full, needs_quote_prefix, split_long

__all__ = ["HEADER_FILL", "HEADER_FONT", "RAG_ORDER", "Summary", "write_full"]


HEADER_FONT = Font(bold=True, color=HEADING.ink_rgb)
HEADER_FILL = PatternFill("solid", fgColor=HEADING.fill_rgb)
RAG_ORDER = ("Red", "Amber", "Green", "Blue", "Not rated")


@dataclass
class Summary:
    """Counts the Summary sheet shows; built by the export service."""

    statuses: Sequence[str]
    by_review_status: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    by_review_rag: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    by_agency: list[tuple[str, int, int, int]] = field(default_factory=list)  # name, open, overdue, complete
    overdue: list[tuple[str, str, str, object, int]] = field(default_factory=list)  # ref, text, lead, due, days


def _header(sheet: Any, headers: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def write_full(path: Path, meta: Mapping[str, object], sheets: Mapping[str, Iterable[Mapping[str, object]]],
               summary: Summary, progress: Callable[[int, str], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> int:
    """Write every sheet's rows in order; returns the number of data rows written."""
    book = Workbook(write_only=True)
    _summary(book.create_sheet(SUMMARY_SHEET), summary)
    overflow: list[tuple[str, str, str, int, str]] = []
    written = 0
    for name, columns in FULL_SHEETS.items():
        sheet = book.create_sheet(name)
        for index, column in enumerate(columns):
            sheet.column_dimensions[_letter(index)].width = column.width
            if column.kind == "key":
                sheet.column_dimensions[_letter(index)].outlineLevel = 1  # folded away, still there
        sheet.freeze_panes = "B2"
        sheet.append(_header(sheet, [c.header for c in columns]))
        for record in sheets.get(name, ()):
            row: list[object] = []
            for column in columns:
                value = record.get(column.key)
                if isinstance(value, str):
                    parts = split_long(escape_for_full(value))
                    if len(parts) > 1:  # the rest goes to the Long text sheet, reassembled on import
                        overflow += [(name, str(record["uid"]), column.key, n, part)
                                     for n, part in enumerate(parts[1:], start=2)]
                    value = parts[0]
                    row.append(_text_cell(sheet, value) if needs_quote_prefix(value) else value)
                    continue
                row.append(write_only_value(sheet, value))
            sheet.append(row)
            written += 1
            if written % 2000 == 0:
                if cancelled and cancelled():
                    raise InterruptedError("export cancelled")
                if progress:
                    progress(written, name)
    long_text = book.create_sheet(OVERFLOW_SHEET)
    long_text.append(_header(long_text, [c.header for c in OVERFLOW_COLUMNS]))
    for part in overflow:
        long_text.append([_text_cell(long_text, v) if isinstance(v, str) and needs_quote_prefix(v) else v
                          for v in part])
    meta_sheet = book.create_sheet(META_SHEET)
    facts = {"format": "scr_desk", "kind": ImportKind.FULL.value, "format_version": FORMAT_VERSION, **meta}
    for key, value in facts.items():
        meta_sheet.append([key, write_only_value(meta_sheet, value)])
    meta_sheet.sheet_state = "veryHidden"
    book.save(path)
    return written


def _text_cell(sheet: Any, already_escaped: str) -> WriteOnlyCell:
    """Text that could be taken for a formula: forced to a string cell with a quote prefix."""
    cell = WriteOnlyCell(sheet, already_escaped)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter
    return str(get_column_letter(index + 1))


def _summary(sheet: Any, summary: Summary) -> None:
    bold = Font(bold=True, size=13)
    row_number = 0

    def append(values: Sequence[object], header: bool = False) -> None:
        nonlocal row_number
        row_number += 1
        if header:
            sheet.append(_header(sheet, [str(v) for v in values]))
        else:
            sheet.append([write_only_value(sheet, v) for v in values])

    def title(text: str) -> None:
        nonlocal row_number
        cell = WriteOnlyCell(sheet, text)
        cell.font = bold
        sheet.append([cell])
        row_number += 1

    sheet.column_dimensions["A"].width = 34
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 14
    title("Recommendations by status, per review")
    append(["Review", *summary.statuses, "Total"], header=True)
    for review, counts in summary.by_review_status:
        append([review, *[counts.get(s, 0) for s in summary.statuses], sum(counts.values())])
    append([])
    title("Recommendations by RAG, per review")
    append(["Review", *RAG_ORDER], header=True)
    rag_first = row_number + 1
    for review, counts in summary.by_review_rag:
        append([review, *[counts.get(r, 0) for r in RAG_ORDER]])
    rag_last = row_number
    if summary.by_review_rag:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "RAG by review"
        chart.y_axis.title = "Recommendations"
        data = Reference(sheet, min_col=2, max_col=1 + len(RAG_ORDER), min_row=rag_first - 1, max_row=rag_last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=rag_first, max_row=rag_last))
        by_name = {rag.value: swatch for rag, swatch in RAG_SWATCHES.items()}
        swatches = [by_name.get(name, NOT_RATED) for name in RAG_ORDER]  # the series' order, by name
        for series, swatch in zip(chart.series, swatches, strict=True):
            series.graphicalProperties.solidFill = swatch.fill_rgb
        chart.height = max(7.5, 1.0 * len(summary.by_review_rag) + 4)
        chart.width = 18
        sheet.add_chart(chart, "L2")
    append([])
    title("Per agency (recommendations led and actions owned)")
    append(["Agency", "Open", "Overdue", "Complete"], header=True)
    for agency in summary.by_agency:
        append(list(agency))
    append([])
    title("Overdue items")
    append(["Reference", "Item", "Lead / owner", "Due", "Days overdue"], header=True)
    for overdue in summary.overdue:
        append(list(overdue))
