"""The return workbook one partner agency fills in: instructions, a returns sheet whose agency
columns are shaded, and a very hidden sheet carrying only the export id and its signature.

The Returns sheet is not protected: LibreOffice refuses Sort and Insert Rows on a protected sheet
whatever its flags say, and Excel sorts only unlocked cells, yet partners are told they may sort,
filter and insert rows. What guards the locked columns is the database's own record of what was
sent: an edit to one is found and reported on import, never applied."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scr_desk.domain.colours import GRID, HEADING, INPUT, INPUT_HEADING, RAG_SWATCHES, rgb
from scr_desk.domain.dates import format_uk
from scr_desk.domain.enums import ImportKind
from scr_desk.domain.wording import words
from scr_desk.excel.cells import WRAP, set_value
from scr_desk.excel.layout import (
    INSTRUCTIONS_SHEET,
    META_SHEET,
    RETURN_COLUMNS,
    RETURN_FORMAT_VERSION,
    RETURNS_SHEET,
    ReturnHeader,
    ReturnItem,
)
from scr_desk.excel.safe import truncate_for_display

__all__ = [
    "BORDER", "HEADER_FILL", "HEADER_FONT", "HEADER_PART_CHARS", "INPUT_FILL", "INPUT_HEADER_FILL",
    "MAX_VALIDATED_ROWS", "RAG_BY_NAME", "THIN", "header_text", "row_height", "write_return",
]


HEADER_FILL = PatternFill("solid", fgColor=HEADING.fill_rgb)
HEADER_FONT = Font(bold=True, color=HEADING.ink_rgb)
INPUT_FILL = PatternFill("solid", fgColor=INPUT.fill_rgb)  # the agency's columns: pale yellow
INPUT_HEADER_FILL = PatternFill("solid", fgColor=INPUT_HEADING.fill_rgb)
THIN = Side(style="thin", color=rgb(GRID))
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MAX_VALIDATED_ROWS = 2000  # drop-downs reach past the data, for rows a partner inserts
RAG_BY_NAME = {rag.value: swatch for rag, swatch in RAG_SWATCHES.items()}  # as the sheet spells them


def write_return(path: Path, header: ReturnHeader, items: Sequence[ReturnItem],
                 progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Write the workbook to `path`; returns warnings (text shortened for display)."""
    warnings: list[str] = []
    book = Workbook()
    instructions = book.active
    instructions.title = INSTRUCTIONS_SHEET
    _instructions(instructions, header, len(items))
    sheet = book.create_sheet(RETURNS_SHEET)
    _returns(sheet, header, items, warnings, progress)
    _metadata(book.create_sheet(META_SHEET), header)
    book.active = 1
    book.save(path)
    return warnings


def _instructions(ws: Worksheet, header: ReturnHeader, count: int) -> None:
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 72
    ws["A1"] = "Quarterly return"
    ws["A1"].font = Font(bold=True, size=16)
    lines: list[tuple[str, str]] = [
        ("Partnership", header.partnership or "—"), ("Agency", header.agency_name),
        ("Reporting period", header.period), ("Please return by", format_uk(header.deadline)),
        ("Items", f"{count:,} open {words(count, 'item')}: the recommendations and actions your agency leads or "
                  "contributes to"),
        ("", ""),
        ("What to fill in", "On the Returns sheet, fill the shaded columns for each row: the update for this "
                            "period, the evidence, and a proposed status and RAG if they have changed. Give a "
                            "revised target date only if one has been agreed."),
        ("What not to change", "The other columns show the record as it stands: changes to them are not "
                               "taken. You may sort, filter, hide and insert rows; keep each update on its "
                               "item's row, and do not delete the hidden Key column (A)."),
        ("Saving", "Save the file as .xlsx (Excel or LibreOffice) and send it back. Dates as dd/mm/yyyy."),
        ("", ""),
    ]
    lines += [(f"Column: {c.header}", c.help) for c in RETURN_COLUMNS if c.help and c.key != "key"]
    lines += [("", ""), ("Status", "Meaning")] + list(header.statuses)
    lines += [("", ""), ("RAG", "Meaning")] + list(header.rags)
    for row, (label, text) in enumerate(lines, start=3):
        set_value(ws.cell(row, 1), label)
        set_value(ws.cell(row, 2), text)
        ws.cell(row, 1).font = Font(bold=True)
        ws.cell(row, 1).alignment = WRAP
        ws.cell(row, 2).alignment = WRAP
        if label == "RAG" or label == "Status":
            ws.cell(row, 2).font = Font(bold=True)
        if header.rags and (swatch := RAG_BY_NAME.get(label)):
            ws.cell(row, 1).fill = PatternFill("solid", fgColor=swatch.fill_rgb)
            ws.cell(row, 1).font = Font(bold=True, color=swatch.ink_rgb)
        ws.row_dimensions[row].height = row_height([(text, 72)])
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _returns(ws: Worksheet, header: ReturnHeader, items: Sequence[ReturnItem], warnings: list[str],
             progress: Callable[[int, int], None] | None) -> None:
    for index, column in enumerate(RETURN_COLUMNS, start=1):
        cell = ws.cell(1, index)
        set_value(cell, column.header)
        cell.font = HEADER_FONT if column.locked else Font(bold=True)
        cell.fill = HEADER_FILL if column.locked else INPUT_HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.column_dimensions["A"].hidden = True
    ws.row_dimensions[1].height = 30
    for row, item in enumerate(items, start=2):
        values = {"key": item.key, "reference": item.reference, "review": item.review,
                  "rec_number": item.rec_number, "rec_text": item.rec_text, "action_text": item.action_text,
                  "owner": item.owner, "target": item.shown_target, "status": item.status, "rag": item.rag,
                  "last_update_date": item.last_update_date, "last_update": item.last_update}
        for index, column in enumerate(RETURN_COLUMNS, start=1):
            cell = ws.cell(row, index)
            value = values.get(column.key)
            if isinstance(value, str) and column.locked:
                value, cut = truncate_for_display(value)
                if cut:
                    warnings.append(f"{item.reference}: the {column.header.lower()} is longer than a cell "
                                    "holds and was shortened in the return (the record is unchanged).")
            if value not in (None, ""):
                set_value(cell, value)
            cell.alignment = WRAP
            cell.border = BORDER
            if not column.locked:
                cell.fill = INPUT_FILL
                cell.protection = Protection(locked=False)
                if column.kind == "date":
                    cell.number_format = "dd/mm/yyyy"
        # Neither openpyxl nor LibreOffice sizes wrapped rows on load: estimate the height.
        ws.row_dimensions[row].height = row_height(
            [(str(values.get(c.key) or ""), c.width) for c in RETURN_COLUMNS if c.kind == "long" or c.key == "owner"])
        if progress and row % 50 == 0:
            progress(row - 1, len(items))
    last = max(len(items) + 1, 2)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(RETURN_COLUMNS))}{last}"
    _validations(ws, [name for name, _ in header.statuses])
    _rag_formatting(ws, last)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3  # seventeen columns: A4 would need a magnifier
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    # In headers and footers '&' starts a code (&P is the page number): a name's own '&' is doubled.
    ws.oddFooter.left.text = f"{header_text(header.agency_name)} — {header_text(header.period)}"
    ws.oddFooter.right.text = "Page &P of &N"
    ws.oddHeader.center.text = (f"Quarterly return {header_text(header.period)}: please return by "
                                f"{format_uk(header.deadline)}")


HEADER_PART_CHARS = 100  # Excel allows 255 characters for a whole header or footer


def header_text(text: str) -> str:
    """Text for a printed header or footer, whatever is stored: nothing a header cannot hold
    (a control character stopped every later return's export), clipped to fit, '&' (which
    introduces a code there) doubled."""
    from scr_desk.domain.names import clean_name
    text = clean_name(text)
    if len(text) > HEADER_PART_CHARS:
        text = text[:HEADER_PART_CHARS - 1].rstrip() + "…"
    return text.replace("&", "&&")


def row_height(texts: Sequence[tuple[str, float]], line_points: float = 12.75, most_lines: int = 12) -> float:
    """Points for a row whose wrapped cells hold `texts` in columns of the given widths.

    Capped so one very long update does not make a page-high row; the cell keeps all its text.
    """
    lines = 1
    for text, width in texts:
        chars_per_line = max(int(width * 1.15), 1)
        wanted = sum(max(1, -(-len(part) // chars_per_line)) for part in text.split("\n")) if text else 1
        lines = max(lines, wanted)
    return round(min(lines, most_lines) * line_points + 3, 2)


def _column_letter(key: str) -> str:
    return str(get_column_letter(next(i for i, c in enumerate(RETURN_COLUMNS, 1) if c.key == key)))


def _validations(ws: Worksheet, statuses_offered: Sequence[str]) -> None:
    from scr_desk.domain.enums import Rag
    statuses = DataValidation(type="list", formula1='"' + ",".join(statuses_offered) + '"', allow_blank=True,
                              showErrorMessage=True, errorTitle="Status",
                              error="Choose a status from the list: " + ", ".join(statuses_offered) + ".")
    rags = DataValidation(type="list", formula1='"' + ",".join(r.value for r in Rag) + '"', allow_blank=True,
                          showErrorMessage=True, errorTitle="RAG", error="Choose Red, Amber, Green or Blue.")
    dates = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                           showErrorMessage=True, errorTitle="Revised target date",
                           error="Enter a date after 01/01/2000 as dd/mm/yyyy.")
    for validation, key in ((statuses, "proposed_status"), (rags, "proposed_rag"), (dates, "revised_target")):
        letter = _column_letter(key)
        validation.add(f"{letter}2:{letter}{MAX_VALIDATED_ROWS}")
        ws.add_data_validation(validation)


def _rag_formatting(ws: Worksheet, last: int) -> None:
    for key in ("rag", "proposed_rag"):
        letter = _column_letter(key)
        target = f"{letter}2:{letter}{max(last, MAX_VALIDATED_ROWS if key == 'proposed_rag' else last)}"
        for name, swatch in RAG_BY_NAME.items():
            ws.conditional_formatting.add(target, FormulaRule(
                formula=[f'${letter}2="{name}"'],
                fill=PatternFill("solid", fgColor=swatch.fill_rgb, bgColor=swatch.fill_rgb),
                font=Font(color=swatch.ink_rgb, bold=True)))


def _metadata(ws: Worksheet, header: ReturnHeader) -> None:
    """Which export this is, and its signature: all the import needs to find the database's own
    record of what was sent (agency, period, rows, versions, locked values). Nothing else here is
    read back, so nothing a partner edits here can change what an import believes."""
    facts = [("format", "scr_desk"), ("kind", ImportKind.RETURNS.value), ("format_version", RETURN_FORMAT_VERSION),
             ("export_id", header.export_id), ("signature", header.signature),
             ("database", header.database_uid), ("database_name", header.database_name)]
    for row, (name, value) in enumerate(facts, start=1):
        set_value(ws.cell(row, 1), name)
        set_value(ws.cell(row, 2), value)
    ws.sheet_state = "veryHidden"
