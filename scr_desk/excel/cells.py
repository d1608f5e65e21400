"""Writing one value into a cell the safe way, in normal and in write-only worksheets."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment

from scr_desk.excel.safe import escape, needs_quote_prefix

__all__ = ["DATE_FORMAT", "EXCEL_FIRST_YEAR", "TOP", "WRAP", "set_value", "write_only_value"]


DATE_FORMAT = "dd/mm/yyyy"
EXCEL_FIRST_YEAR = 1900
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def set_value(cell: Any, value: object) -> None:
    """Put `value` in a normal worksheet's cell: text as text, dates as dates."""
    if isinstance(value, str):
        text = escape(value)
        cell.value = text
        cell.data_type = "s"  # never a formula, whatever it starts with
        if needs_quote_prefix(text):
            cell.quotePrefix = True
    elif isinstance(value, datetime):
        cell.value = value.isoformat(sep=" ")
        cell.data_type = "s"
    elif isinstance(value, date) and value.year < EXCEL_FIRST_YEAR:
        cell.value = value.isoformat()  # Excel has no dates before 1900: kept as ISO text
        cell.data_type = "s"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value


def write_only_value(sheet: Any, value: object) -> object:
    """What to append to a write-only sheet for `value`: plain where that is safe (fast), a
    styled WriteOnlyCell where a string could be taken for a formula or a date needs a format."""
    if isinstance(value, str):
        text = escape(value)
        if not needs_quote_prefix(text):
            return text
        cell = WriteOnlyCell(sheet, text)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date) and value.year < EXCEL_FIRST_YEAR:
        return value.isoformat()  # Excel has no dates before 1900: kept as ISO text
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    return value
