"""Turning raw cell values into text and dates, with errors that name the cell."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from scr_desk.domain.dates import DateError, check_sane, coerce_date

__all__ = ["as_date", "as_text", "cell_name", "column_letters", "normalise"]


@cache
def column_letters(column: int) -> str:
    """'A' for 1, 'AA' for 27, as spreadsheets name columns (without importing openpyxl: reading
    a workbook needs none of it)."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    return f"{column_letters(column)}{row}"


def as_text(value: Any) -> str:
    """What a person sees in the cell, as text (numbers without a spurious '.0')."""
    if value is None:
        return ""
    if value.__class__ is str:  # most cells: the checks below are for the rest
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta | time):
        return str(value)
    return str(value).strip()


def as_date(value: Any, *, date1904: bool, allow_any: bool = False) -> date | None:
    """A date from a date cell, a serial number (either date system) or UK text, within
    2000–2100 unless `allow_any`; raises DateError."""
    if isinstance(value, timedelta | time):
        raise DateError(f"{value!r} is a time, not a date")
    return check_sane(coerce_date(value, epoch_1904=date1904), allow_any=allow_any)


# U+FFFE, U+FFFF and lone surrogates cannot be written to a cell: the writer leaves them as the
# text _xFFFE_, which readers give back as written. Compared, each form is the same character.
_UNWRITABLE_FORMS = re.compile("[\ufffe\uffff\ud800-\udfff]|_x(?:[Ff]{3}[EeFf]|[Dd][89A-Fa-f][0-9A-Fa-f]{2})_")


def normalise(value: Any) -> str:
    """Comparable form of a locked cell: dates as ISO dates, text trimmed and space-folded, and a
    character no cell can hold the same whether it is in the database or read back as its escape."""
    if value is None:
        return ""
    if value.__class__ is str and value.isascii() and "_x" not in value:  # most cells: nothing to unify
        return " ".join(value.split())
    if isinstance(value, datetime | date):
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    return " ".join(_UNWRITABLE_FORMS.sub("\ufffd", as_text(value)).split())
