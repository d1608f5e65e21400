"""Sheets and paragraphs that are not a plan's table but still hold its words. A sheet whose rows each carry an
item's reference, a date and words (an update log: 'Date | Ref | Agency | Update | Entered by') is
those items' history, joined to them by reference, though it has no column of recommendations. Every
other sheet that is not a tracker (a cover, a read-me, a summary of counts, a key) has its non-empty
cells counted as skipped, with the reason, so no sheet's words vanish from the import's account."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from scr_desk.excel.tracker_header import Layout
from scr_desk.excel.tracker_model import Account, GridSummary, ReadItem, ReadUpdate, TrackerReading
from scr_desk.excel.tracker_readings import read_status, read_target
from scr_desk.excel.tracker_refs import parse_ref
from scr_desk.excel.tracker_source import Grid, TrackerBook
from scr_desk.excel.values import as_text, cell_name

REFERENCE_ROLES = ("action_number", "rec_number")
HISTORY_REASON = "a log of dated updates, each to the item its reference names"


@dataclass
class History:
    """A grid read as a log of dated updates, and its one table."""

    grid: Grid
    layout: Layout


def is_history(layout: Layout) -> bool:
    """A table with a reference, a date and update words but no item's own words: the items' history."""
    return not layout.has_items and layout.of("update") is not None and layout.of("update_date") is not None \
        and any(layout.of(role) is not None for role in REFERENCE_ROLES)


def _key(text: str) -> str:
    return re.sub(r"[\s.\-]+", ".", text.casefold()).strip(".")


def _references(reading: TrackerReading) -> dict[str, ReadItem]:
    """Each item by the references a log would write for it: its own as written, and an action's
    full path ('1.2' for action 2 of recommendation 1). Actions first: the deepest item wins."""
    found: dict[str, ReadItem] = {}
    items = sorted(reading.items.values(), key=lambda i: i.level != "action")
    for item in items:
        names = [item.ref.written] if item.ref is not None else []
        parent = reading.items.get(item.parent) if item.parent else None
        if item.level == "action" and parent is not None and parent.number and item.number:
            names.append(f"{parent.number}.{item.number}")
        elif item.level == "recommendation" and item.number:
            names.append(item.number)
        for name in names:
            found.setdefault(_key(name), item)
    return found


def join_history(reading: TrackerReading, history: History, date1904: bool) -> None:
    """Each row of the log as a dated update of the item its reference names; a row naming no item
    of the plan is counted as skipped, with its reference in the reason."""
    grid, layout = history.grid, history.layout
    references = _references(reading)
    columns = layout.columns
    for number in range(1, layout.header_row + 1):  # as a tracker's title and headings: shown, not counted
        words = " · ".join(as_text(v) for v in grid.rows[number - 1] if as_text(v))
        title = number < layout.first_header
        if words:
            reading.accounts.append(Account(grid.name, number, "title" if title else "header",
                                            "a title above the table" if title else "the headings", words))
    for number in range(layout.header_row + 1, len(grid.rows) + 1):
        row = grid.rows[number - 1]
        values = {c: row[c - 1] for c in columns if c - 1 < len(row) and as_text(row[c - 1])}
        filled = sum(1 for v in row if as_text(v))
        if not filled:
            continue
        text = " · ".join(as_text(v) for v in row if as_text(v))
        written = " ".join(as_text(values.get(_column(layout, REFERENCE_ROLES), "")).split())
        words = " ".join(as_text(values.get(layout.of("update") or 0, "")).split())
        ref = parse_ref(written) if written else None
        item = references.get(_key(ref.written if ref else written)) if written else None
        if item is None or not words:
            why = f"an update to {written!r}, which no row of the plan holds" if written and words else \
                "a row of the log with no reference or no words"
            reading.accounts.append(Account(grid.name, number, "note", why, text, cells=filled, skipped=filled))
            if written and words:
                reading.losses.append(f"Sheet {grid.name!r}, row {number}: {why}; its words are not imported.")
            continue
        reading.accounts.append(Account(grid.name, number, "continuation",
                                        f"a dated update to {written}, joined by its reference", text,
                                        item=item.key, cells=filled))
        item.updates.append(_update(layout, values, words, grid.name, number, date1904))


def _column(layout: Layout, roles: tuple[str, ...]) -> int:
    return next((c for role in roles if (c := layout.of(role)) is not None), 0)


def _update(layout: Layout, values: dict[int, Any], words: str, grid: str, row: int, date1904: bool) -> ReadUpdate:
    def text(role: str) -> str:
        column = layout.of(role)
        return " ".join(as_text(values.get(column or 0, "")).split())

    column = layout.of("update") or 0
    when = read_target(values.get(layout.of("update_date") or 0), date1904=date1904, fiscal_year=None).when
    status = read_status(text("status")) if text("status") else None
    rating = read_status(text("rag")) if text("rag") else None
    return ReadUpdate(words, as_at=when, column=layout.columns[column].heading, author=text("owner"),
                      agency=text("lead_agency"), where=f"sheet {grid!r}, {cell_name(row, column)}", grid=grid,
                      status=status.status if status is not None else None,
                      rag=rating.rag if rating is not None else None)


def account_other_grid(reading: TrackerReading, grid: Grid, summary: GridSummary) -> None:
    """Every non-empty row of a sheet that is not a tracker, counted as skipped with the reason."""
    role = "legend" if summary.role == "legend" else "note"
    for number in range(1, len(grid.rows) + 1):
        _skip_row(reading, grid, number, role, f"on a sheet that holds no items: {summary.reason}")


def _skip_row(reading: TrackerReading, grid: Grid, number: int, role: str, reason: str) -> None:
    row = grid.rows[number - 1] if number - 1 < len(grid.rows) else []
    cells = [as_text(v) for v in row if as_text(v)]
    if cells:
        reading.accounts.append(Account(grid.name, number, role, reason, " · ".join(cells), cells=len(cells),
                                        skipped=len(cells)))


PARAGRAPHS = "Paragraphs"  # where a Word document's paragraphs are accounted, numbered in document order


def account_paragraphs(reading: TrackerReading, book: TrackerBook, used: dict[tuple[str, int], str]) -> None:
    """Every paragraph of a Word document outside its tables, counted once: the words of the
    recommendation it sits above (joined to it), else skipped with what it is (a title or heading,
    a line of prose or instruction)."""
    number = 0
    places = [(grid.name, grid.above) for grid in book.grids] + [("", book.closing)]
    for table, paragraphs in places:
        for index, paragraph in enumerate(paragraphs):
            number += 1
            item = used.get((table, index), "")
            if item:
                reading.accounts.append(Account(PARAGRAPHS, number, "continuation",
                                                f"the words of the recommendation above {table}", paragraph.text,
                                                item=item, cells=1))
                continue
            where = f"above {table}" if table else "after the last table"
            role, what = ("title", "a heading") if paragraph.heading else ("note", "a paragraph")
            reading.accounts.append(Account(PARAGRAPHS, number, role, f"{what} of the document {where}, outside "
                                            "any table", paragraph.text, cells=1, skipped=1))
