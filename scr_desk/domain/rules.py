"""Business rules: overdue, roll-up of actions, reporting periods, references."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from scr_desk.domain.enums import DONE_STATUSES, Rag, Status
from scr_desk.domain.wording import of_total

__all__ = [
    "ActionItemState", "Period", "ReturnDatesError", "RollUp", "action_reference", "check_return_dates",
    "days_overdue", "effective_target", "is_overdue", "natural_key", "next_number", "parse_period", "period_of",
    "recommendation_reference", "reference_number", "review_code", "roll_up", "shown_rag",
]


def effective_target(target: date | None, revised: date | None) -> date | None:
    """The date an item is due: the revised target where one was agreed, else the original."""
    return revised or target


def is_overdue(status: Status, target: date | None, revised: date | None, today: date) -> bool:
    """Past its (revised) target date and not complete."""
    due = effective_target(target, revised)
    return due is not None and due < today and not status.is_closed


def days_overdue(status: Status, target: date | None, revised: date | None, today: date) -> int:
    """How many days past due an open item is; 0 when it is not overdue."""
    if not is_overdue(status, target, revised, today):
        return 0
    due = effective_target(target, revised)
    assert due is not None
    return (today - due).days


def shown_rag(status: Status, rag: Rag | None) -> Rag | None:
    """Completed items show Blue whatever they were last rated; others show their rating."""
    if status in DONE_STATUSES:
        return Rag.BLUE
    return rag


@dataclass(frozen=True)
class ActionItemState:
    """What the roll-up needs to know of one action."""

    status: Status
    rag: Rag | None
    overdue: bool


@dataclass(frozen=True)
class RollUp:
    """A recommendation's actions summarised, shown beside its own status."""

    total: int
    done: int
    overdue: int
    by_status: dict[Status, int]
    worst_rag: Rag | None
    status: Status | None

    @property
    def label(self) -> str:
        if not self.total:
            return ""
        text = of_total(self.done, self.total, "action")
        if self.overdue:
            text += f", {self.overdue} overdue"
        return text


def roll_up(actions: Iterable[ActionItemState]) -> RollUp:
    """Summarise actions: counts, the worst RAG among open ones, and an implied status.

    The implied status is Complete only when every live action is done, Not started when
    none has begun, and In progress otherwise; superseded and withdrawn actions are ignored.
    """
    items = list(actions)
    by_status = Counter(a.status for a in items)
    live = [a for a in items if a.status not in (Status.SUPERSEDED, Status.WITHDRAWN)]
    done = sum(1 for a in live if a.status in DONE_STATUSES)
    open_rags = [a.rag for a in live if a.status not in DONE_STATUSES and a.rag is not None]
    worst = min(open_rags, key=_rag_rank) if open_rags else (Rag.BLUE if live and done == len(live) else None)
    if not live:
        implied = None
    elif done == len(live):
        implied = min((a.status for a in live), key=_status_rank)
    elif all(a.status == Status.NOT_STARTED for a in live):
        implied = Status.NOT_STARTED
    else:
        implied = Status.IN_PROGRESS
    return RollUp(
        total=len(items),
        done=done,
        overdue=sum(1 for a in items if a.overdue),
        by_status=dict(by_status),
        worst_rag=worst,
        status=implied,
    )


def _rag_rank(rag: Rag) -> int:
    return [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE].index(rag)


def _status_rank(status: Status) -> int:
    return [Status.COMPLETE, Status.ASSURED, Status.EMBEDDED].index(status)


# --- Reporting periods -------------------------------------------------------------------
# Partnerships report by the UK financial year (April to March): 2020-21 Q3 is Oct-Dec 2020.

_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*Q\s*([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    """A quarter of the financial year that starts in April of `start_year`."""

    start_year: int
    quarter: int

    def __str__(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d} Q{self.quarter}"

    @property
    def first_day(self) -> date:
        month = 4 + 3 * (self.quarter - 1)
        year = self.start_year + (month - 1) // 12
        return date(year, (month - 1) % 12 + 1, 1)

    @property
    def last_day(self) -> date:
        following = self.next().first_day
        return date.fromordinal(following.toordinal() - 1)

    def next(self) -> Period:
        if self.quarter == 4:
            return Period(self.start_year + 1, 1)
        return Period(self.start_year, self.quarter + 1)

    def previous(self) -> Period:
        if self.quarter == 1:
            return Period(self.start_year - 1, 4)
        return Period(self.start_year, self.quarter - 1)


def period_of(day: date) -> Period:
    """The financial-year quarter a date falls in."""
    start_year = day.year if day.month >= 4 else day.year - 1
    quarter = ((day.month - 4) % 12) // 3 + 1
    return Period(start_year, quarter)


def parse_period(text: str) -> Period:
    """Read '2020-21 Q3' (also '2020/21 q3', '2020-2021 Q3')."""
    match = _PERIOD_RE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a reporting period like 2020-21 Q3")
    start, end, quarter = int(match[1]), match[2], int(match[3])
    follows = int(end) == start + 1 if len(end) == 4 else int(end) == (start + 1) % 100
    if not follows:
        raise ValueError(f"{text!r}: a financial year runs from one year into the next")
    return Period(start, quarter)


class ReturnDatesError(ValueError):
    """A return's period or deadline that cannot be meant; `field` says which ("period", "deadline")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_return_dates(period: Period, deadline: date | None) -> None:
    """Raise ReturnDatesError unless the period falls within 2000-2100 and the deadline (when
    given) falls within it too and not before the period begins. A deadline inside the period is
    allowed (a return asked for early); one before the period starts is a slip of the year."""
    from scr_desk.domain.dates import DateError, check_date_range, format_uk
    try:
        check_date_range(period.first_day)
        check_date_range(period.last_day)
    except DateError:
        raise ReturnDatesError("period", f"{period} is outside 2000-2100; check the year") from None
    if deadline is None:
        return
    try:
        check_date_range(deadline)
    except DateError as exc:
        raise ReturnDatesError("deadline", str(exc)) from None
    if deadline < period.first_day:
        raise ReturnDatesError("deadline", f"{format_uk(deadline)} is before {period} begins "
                                           f"({format_uk(period.first_day)}); check the year")


# --- References -----------------------------------------------------------------------

def review_code(name: str) -> str:
    """A short upper-case code for references, from a review's short name ('Clare' -> CLARE)."""
    code = re.sub(r"[^A-Za-z0-9]+", "", name.upper())
    return code[:12] or "REVIEW"


def recommendation_reference(code: str, number: str) -> str:
    return f"{code}-R{reference_number(number)}"


def action_reference(code: str, rec_number: str, action_number: str) -> str:
    return f"{code}-R{reference_number(rec_number)}-A{reference_number(action_number)}"


_NOT_IN_A_REFERENCE = re.compile(r"[^A-Za-z0-9.]+")


def reference_number(number: str) -> str:
    """A number as a reference shows it: '2a' stays, '(3)' becomes '3', nothing becomes '0'."""
    if number.isalnum() and number.isascii():  # '1', '12', '2a': most numbers, no pattern needed
        return number
    return _NOT_IN_A_REFERENCE.sub("", number) or "0"


def next_number(taken: Iterable[str]) -> str:
    """The number for a new recommendation or action: one past the largest whole number used
    ('1', '2a', '3' -> '4'), so a gap or a lettered number never leads to a clash."""
    numbers = [key for key, _ in map(natural_key, taken) if key < 10**9]
    return str(max(numbers, default=0) + 1)


def natural_key(number: str) -> tuple[int, str]:
    """Sort '2a' after '2' and '10' after '9'."""
    match = re.match(r"\s*(\d+)(.*)", number)
    if match:
        return int(match[1]), match[2].strip().casefold()
    return 10**9, number.casefold()
