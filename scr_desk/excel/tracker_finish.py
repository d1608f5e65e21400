"""The last steps of reading a tracker, once every row is read: each update's period and day (named
by its column, its sheet, its own date; columns numbered 'Update 1, 2, 3' as consecutive quarters up
to the tracker's date; else the tracker's date, asked), each item's state from its latest row, status
from what its latest update says, and reviews that hold no item dropped."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from scr_desk.domain.enums import Rag, Status
from scr_desk.domain.rules import Period, parse_period, period_of
from scr_desk.excel.tracker_asks import Question, Questions
from scr_desk.excel.tracker_model import ReadItem, ReadUpdate, TrackerReading
from scr_desk.excel.tracker_read import GridContext
from scr_desk.excel.tracker_readings import heading_period
from scr_desk.excel.tracker_values import leading_status

if TYPE_CHECKING:
    from scr_desk.excel.tracker_build import Builder


def finish(reading: TrackerReading, builder: Builder, contexts: dict[str, GridContext], asks: Questions,
           today: date) -> None:
    as_at = reading.as_at or today
    numbered = _numbered_columns(reading, as_at)
    for item in reading.items.values():
        for update in item.updates:
            _date(update, contexts.get(update.grid), numbered, asks, as_at, today)
        item.updates.sort(key=lambda u: (u.as_at or date.max, u.period.start_year if u.period else 0))
        kept: list[ReadUpdate] = []
        for update in item.updates:  # the same words again in a later period are no new progress
            if kept and update.narrative and _words(update.narrative) == _words(kept[-1].narrative):
                kept[-1].status = update.status or kept[-1].status
                kept[-1].rag = update.rag or kept[-1].rag
                continue
            kept.append(update)
        item.updates = kept
    for item in reading.items.values():
        _state(item, builder.held.get(item.key, []))
        if item.level == "recommendation" and item.values.get("success_measure"):
            measure = item.values.pop("success_measure")
            if item.updates:
                item.updates[-1].narrative = "\n".join(x for x in (item.updates[-1].narrative,
                                                                    f"Success measure: {measure}") if x)
            else:
                item.kept.append(f"Success measure: {measure}")
    used = {item.review for item in reading.items.values()}
    reading.reviews = {k: v for k, v in reading.reviews.items() if k in used}


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def _numbered_columns(reading: TrackerReading, as_at: date) -> dict[tuple[str, str], Period]:
    """'Update 1', 'Update 2', 'Update 3' naming no period: consecutive quarters up to the tracker's date."""
    found: dict[tuple[str, str], Period] = {}
    for summary in reading.grids:
        for layout in summary.layouts:
            unnamed = [c for c in layout.updates if c.period is None]
            if len(unnamed) < 2:
                continue
            period = period_of(as_at)
            for column in reversed(unnamed):
                found[(summary.grid, column.heading)] = period
                period = period.previous()
    return found


def _date(update: ReadUpdate, context: GridContext | None, numbered: dict[tuple[str, str], Period],
          asks: Questions, as_at: date, today: date) -> None:
    update.dated = (update.as_at is not None or update.period is not None) and not update.guessed
    if update.period is not None and update.as_at is not None:
        return
    quarter, _ = heading_period(update.column, period_of(update.as_at or as_at).start_year) \
        if update.period is None and update.column else (None, None)
    if update.as_at is not None and quarter is None:
        update.period = period_of(update.as_at)
        return
    named = update.period or quarter  # 'Update Q2' naming no year: the quarter of the tracker's year, asked
    guessed = update.period is None
    default = named or (context.period if context is not None and context.period else None) or numbered.get(
        (update.grid, update.column)) or period_of(as_at)
    heading = update.column or "no heading"  # never a heading the file does not have
    said = f"in {heading!r}" if update.column else "under no heading"
    question = asks.ask(Question(f"period:{update.grid}:{heading}", "period", "update",
                                 f"Which reporting period do the updates {said} belong to?",
                                 str(default), [], asked=guessed and not (context and context.period),
                                 where=update.where))
    try:
        period = parse_period(str(question.value))
    except ValueError:
        period = default
    update.period = period
    if update.as_at is None:  # within its period, and never after today (a quarter still running)
        update.as_at = as_at if period.first_day <= as_at <= period.last_day else \
            min(period.last_day, max(period.first_day, today))


def _state(item: ReadItem, held: list[tuple[int, list[Any], Any, Any]]) -> None:
    """The item's status and RAG: those of its latest row (by its updates' dates, then its place)."""
    if held:
        def key(entry: tuple[int, list[Any], Any, Any]) -> tuple[Any, ...]:
            order, updates, _, _ = entry
            latest = max((u.as_at for u in updates if u.as_at), default=date.min)
            return (latest, order)
        _, _, status, rag = max(held, key=key)
        if status is not None:
            item.values["status"] = status
        elif "status" in item.values and rag is not None:
            pass
        if rag is not None:
            item.values["rag"] = rag
    if item.values.get("status") is None and item.updates:
        said = leading_status(item.updates[-1].narrative)
        if said is not None:
            item.values["status"] = said
            if item.updates[-1].status is None:
                item.updates[-1] = replace(item.updates[-1], status=said)
    if item.values.get("rag") is None and item.updates and item.updates[-1].rag is not None:
        item.values["rag"] = item.updates[-1].rag  # the rating its latest update gives
    if item.values.get("rag") is Rag.BLUE and item.values.get("status") in (None, Status.IN_PROGRESS,
                                                                           Status.NOT_STARTED):
        item.values["status"] = Status.COMPLETE
