"""Dates as people write them in UK spreadsheets, read strictly: never a guess."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta

__all__ = [
    "DateError", "EARLIEST", "LATEST", "UnusualDateError", "check_date_range", "check_sane", "coerce_date",
    "format_uk", "from_excel_serial", "parse_uk_date", "unusual_dates_allowed",
]


_MONTHS = {
    name: index
    for index, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]+)\.?,?[\s\-]+(\d{2}|\d{4})$")

# Excel's 1900 system counts from 1899-12-30 (it believes 1900 was a leap year); the 1904
# system, used by old Mac workbooks, counts from 1904-01-01.
_EPOCH_1900 = date(1899, 12, 30)
_EPOCH_1904 = date(1904, 1, 1)


class DateError(ValueError):
    """A date that cannot be read without guessing."""


# Every date in a case-review record falls in this century (EARLIEST..LATEST, below): a date
# outside it is a slip (a partner's 01/01/1000, a year typed 2202) and is refused wherever a date
# comes in, unless the lead says, in the window, that it is meant.
_unusual_allowed: ContextVar[bool] = ContextVar("unusual_dates_allowed", default=False)


class UnusualDateError(DateError):
    """A real date outside 2000-2100."""

    def __init__(self, value: date) -> None:
        self.value = value
        super().__init__(f"{format_uk(value)} is outside {EARLIEST.year}-{LATEST.year}; check the year")


@contextmanager
def unusual_dates_allowed() -> Iterator[None]:
    """Within this block a date outside 2000–2100 is accepted (the lead has said it is meant)."""
    token = _unusual_allowed.set(True)
    try:
        yield
    finally:
        _unusual_allowed.reset(token)


def check_sane(value: date | None, *, allow_any: bool = False) -> date | None:
    """`value`, or UnusualDateError when it falls outside 2000–2100 (and that is not allowed)."""
    if value is not None and not allow_any and not _unusual_allowed.get() and not EARLIEST <= value <= LATEST:
        raise UnusualDateError(value)
    return value


def format_uk(value: date | None) -> str:
    """dd/mm/yyyy, the form the interface shows; '' for no date."""
    return value.strftime("%d/%m/%Y") if value else ""


def parse_uk_date(text: str) -> date:
    """Read 03/12/2020, 3 Dec 2020, 3-December-20 or 2020-12-03 as 3 December 2020.

    Day-month-year is the UK order; a two-digit year means 20xx. Anything else, including
    an impossible day such as 31/02/2021 or a US-looking 12/31/2020, is an error.
    """
    cleaned = " ".join(str(text).split())
    if not cleaned:
        raise DateError("an empty date")
    try:
        if match := _ISO.match(cleaned):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.match(cleaned):
            day, month, year = int(match[1]), int(match[2]), _year(match[3])
            if month > 12 and day <= 12:
                raise DateError(f"{cleaned!r} looks like a US date (month first); write it as dd/mm/yyyy")
            return date(year, month, day)
        if match := _WORDS.match(cleaned):
            month_number = _MONTHS.get(match[2].casefold())
            if month_number is None:
                raise DateError(f"{cleaned!r}: {match[2]!r} is not a month")
            return date(_year(match[3]), month_number, int(match[1]))
    except DateError:
        raise
    except ValueError:
        raise DateError(f"{cleaned!r} is not a real date") from None
    raise DateError(f"{cleaned!r} is not a date in the form dd/mm/yyyy")


# A date in a safeguarding record falls in this century: anything else is a slip of the keyboard
# (01/01/1000) that would later break a workbook round trip.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def check_date_range(day: date | None) -> None:
    """Raise DateError (UnusualDateError) for a date outside 2000-2100."""
    check_sane(day)


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def from_excel_serial(serial: float, *, epoch_1904: bool = False) -> date:
    """Convert an Excel serial day number to a date, in either date system."""
    if serial != serial or serial < 1 or serial > 2958465:  # NaN, or beyond 31/12/9999
        raise DateError(f"{serial:g} is not a date (as an Excel date number it is out of range)")
    epoch = _EPOCH_1904 if epoch_1904 else _EPOCH_1900
    return epoch + timedelta(days=int(serial))


def coerce_date(value: object, *, epoch_1904: bool = False) -> date | None:
    """Any cell value to a date: date/datetime, serial number, or UK text; None if blank."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise DateError(f"{value!r} is not a date")
    if isinstance(value, int | float):
        return from_excel_serial(float(value), epoch_1904=epoch_1904)
    text = str(value).strip()
    if not text:
        return None
    return parse_uk_date(text)
