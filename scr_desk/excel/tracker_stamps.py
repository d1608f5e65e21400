"""Columns a system writes beside the words a person wrote: the date of each update, and the
system's own identifiers and stamps. A column of dates or timestamps standing beside an update column
dates that update (never an update whose words are a timestamp); a column of database ids, sequence
numbers, user log-ins or the extract's one timestamp on every row is not progress words: its cells
are skipped with the reason, never appended to an update or made an update of their own."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from scr_desk.excel.tracker_header import Layout
from scr_desk.excel.values import as_text

SYSTEM_FIELD = "a system's identifier or stamp"  # the Column.source of such a column
MACHINE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")  # 'rec_seq', 'owner_user': a database's name
LOG_IN = re.compile(r"^[a-z][a-z0-9]*[._@][a-z0-9._@-]+$", re.IGNORECASE)  # 'j.patel', 'r_khan'
NUMBER = re.compile(r"^\d+$")


def _values(rows: list[list[Any]], first: int, last: int, column: int) -> list[str]:
    found = []
    for row in rows[first - 1:last]:
        text = " ".join(as_text(row[column - 1]).split()) if column <= len(row) else ""
        if text:
            found.append(text)
    return found


def date_beside_update(layout: Layout, profiles: dict[int, Any]) -> None:
    """A column of dates kept as text beside an update column, when the table has no date of
    update: each update's date. One date on every row stamps the extract, not each update."""
    if layout.of("update_date") is not None:
        return
    updates = {u.column for u in layout.updates}
    for column in sorted(layout.columns):
        col, profile = layout.columns[column], profiles.get(column)
        if col.role != "text" or profile is None or profile.filled < 1:
            continue
        beside = column - 1 in updates or column + 1 in updates
        varies = profile.distinct > 1 or profile.filled == 1
        if beside and varies and profile.frac("date", "datetime") >= 0.9:
            layout.columns[column] = replace(col, role="update_date", source="dates beside the update column")
            return


def system_fields(layout: Layout, rows: list[list[Any]], profiles: dict[int, Any]) -> None:
    """Columns kept as text that hold a system's identifiers or stamps, not words: skipped."""
    for column in sorted(layout.columns):
        col, profile = layout.columns[column], profiles.get(column)
        guessed_scale = col.role == "rag" and col.source == "values"  # a few numbers read as a 1-4 scale
        if col.role != "text" and not guessed_scale or profile is None or profile.filled < 2:
            continue
        values = _values(rows, layout.header_row + 1, layout.last_row, column)
        if guessed_scale and not all(NUMBER.match(v) and len(v) >= 3 for v in values):
            continue  # small numbers may be a rating scale; '700431' never is
        if values and _is_system_field(col.heading, values, profile):
            layout.columns[column] = replace(col, role="text", source=SYSTEM_FIELD)


def _is_system_field(heading: str, values: list[str], profile: Any) -> bool:
    machine = bool(MACHINE_NAME.match(heading.strip()))
    if all(NUMBER.match(v) for v in values):  # ids unique to each row, long ids, or a database's sequence
        return len(set(values)) == len(values) or any(len(v) >= 4 for v in values) or machine
    if profile.frac("date", "datetime") == 1.0:  # the extract's one timestamp on every row
        return len(set(values)) == 1
    return all(LOG_IN.match(v) for v in values)  # user log-ins ('j.patel')
