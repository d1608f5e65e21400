"""The updates a tracker row gives: one per update column, in the period its heading names; a
dated log inside a cell ('14/10/26 – Draft…\\n12/07/26 – Working group…') as one dated update per
entry, oldest first; a completion date and outcome; the row's words kept as text, its comments and
links, in its latest update, which also carries the row's status and RAG."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from scr_desk.domain.rules import period_of
from scr_desk.excel.tracker_header import Column
from scr_desk.excel.tracker_model import ReadUpdate
from scr_desk.excel.tracker_readings import read_target
from scr_desk.excel.values import as_text

NO_UPDATE = re.compile(r"^\s*(-+|–|—|n/?a|none|nil|tbc|no update|no updates|no update (this|provided)\b.*|"
                       r"not applicable|\.+)\s*\.?\s*$", re.IGNORECASE)
ENTRY_START = re.compile(
    r"(?:^|(?<=[\n.;]))[ \t•*\-–]*(?P<date>\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|"
    r"\d{1,2}(?:st|nd|rd|th)? [A-Za-z]{3,9},? \d{4}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{4})\s*(?:[:–—)]|\s-\s|-\s)",
    re.IGNORECASE)


def log_entries(text: str, date1904: bool) -> list[tuple[date | None, str]]:
    """A cell's dated entries, oldest first: each begins with its date; words before the first
    date, or a cell with no dated entry, are one entry without a date."""
    starts = [(m.start(), m["date"]) for m in ENTRY_START.finditer(text)]
    found: list[tuple[date | None, str]] = []
    dated = []
    for index, (start, written) in enumerate(starts):
        when = read_target(written, date1904=date1904, fiscal_year=None).when
        if when is None:
            continue
        dated.append((start, when, starts[index + 1][0] if index + 1 < len(starts) else len(text)))
    if not dated:
        return [(None, text.strip())]
    if dated[0][0] > 0 and text[:dated[0][0]].strip():
        found.append((None, text[:dated[0][0]].strip()))
    for position, (start, when, _end) in enumerate(dated):
        end = dated[position + 1][0] if position + 1 < len(dated) else len(text)
        entry = text[start:end].strip(" \n;")
        if entry:
            found.append((when, entry))
    return found  # as written: the reading orders every item's updates by their dates


def column_updates(column: Column, value: Any, where: str, grid: str, date1904: bool,
                   comment: str = "", link: str = "") -> tuple[list[ReadUpdate], str]:
    """The updates one update cell gives, and why it gives none (it says there is no update)."""
    text = as_text(value)
    if NO_UPDATE.match(text):
        return [], f"{column.heading!r} {text!r} says there is no update"
    entries = log_entries(text, date1904)
    found = []
    for when, words in entries:
        period = period_of(when) if when else column.period
        found.append(ReadUpdate(words, as_at=when or column.day, period=period, guessed=column.guessed and not when,
                                column=column.heading, where=where, grid=grid))
    if comment:
        found[-1].narrative += f"\nComment: {comment}"
    if link:
        found[-1].narrative += f" ({link})"
    return found, ""


def order_updates(updates: list[ReadUpdate]) -> list[ReadUpdate]:
    """Oldest first: by the day given, else by the period, else as the columns stand."""
    def key(pair: tuple[int, ReadUpdate]) -> tuple[Any, ...]:
        index, update = pair
        day = update.as_at or (update.period.last_day if update.period else None)
        return (day is None, day or date.max, index)
    return [u for _, u in sorted(enumerate(updates), key=key)]
