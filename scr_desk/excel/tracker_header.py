"""A grid's tables: where each header is (the row of labels above rows of data, possibly two rows
with group headings over sub-headings), which rows each table covers, and each column's role and,
for update columns, the period it reports. A title merged across the sheet above the header is a
title; a later row of labels laid out differently starts another table. Pure reading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from scr_desk.domain.enums import Rag
from scr_desk.domain.rules import Period
from scr_desk.excel.fills import classify
from scr_desk.excel.tracker_columns import Choice, assign_roles, value_scores
from scr_desk.excel.tracker_kin import column_blocks, keys_beside, number_parents, ratings_not_updates
from scr_desk.excel.tracker_profile import profile_columns
from scr_desk.excel.tracker_readings import fiscal_year_in, heading_period
from scr_desk.excel.tracker_source import Grid
from scr_desk.excel.tracker_vocab import ITEM_ROLES, heading_field, heading_scores, normalise_heading
from scr_desk.excel.values import as_text

HEADER_SEARCH_ROWS = 40
DATA_LOOKAHEAD = 12


@dataclass(frozen=True)
class Column:
    column: int
    heading: str
    role: str  # a role of tracker_vocab.ROLES, or "text" (kept as text)
    source: str  # "heading", "values", "heading and values", "kept as text", "corrected"
    period: Period | None = None  # an update column's period, named by its heading (or group)
    day: date | None = None  # a day named by the heading ('Update 03/12/2020')
    guessed: bool = False  # the period was worked out, not named: asked
    rating_of: int = 0  # a RAG or status column beside an update column: that update's rating
    mark_of: Rag | None = None  # one of several columns headed by a RAG ('R', 'A', 'G'): a mark in it rates the row


@dataclass
class Layout:
    """One table on a grid: its header rows, its rows, its columns."""

    grid: str
    first_header: int  # 1-based; two-row headers start a row earlier
    header_row: int
    last_row: int
    columns: dict[int, Column] = field(default_factory=dict)
    fiscal_year: int | None = None
    notes: list[str] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)  # the header's own texts, for repeated-heading rows

    def of(self, role: str) -> int | None:
        return next((c for c, col in self.columns.items() if col.role == role), None)

    def all_of(self, role: str) -> list[int]:
        return [c for c, col in self.columns.items() if col.role == role]

    @property
    def updates(self) -> list[Column]:
        return [c for c in self.columns.values() if c.role == "update"]

    @property
    def width(self) -> int:
        return max((c for c, col in self.columns.items() if col.role != "beside"), default=0)

    @property
    def has_items(self) -> bool:
        return any(c.role in ITEM_ROLES for c in self.columns.values())


def merged_down(grid: Grid) -> dict[tuple[int, int], int]:
    """(row, column) of a cell merged into the one above it -> the row holding the value."""
    found = {}
    for r0, c0, r1, _c1 in grid.merged:
        for r in range(r0 + 2, r1 + 2):
            found[(r, c0 + 1)] = r0 + 1
    return found


def merged_across(grid: Grid, row: int) -> dict[int, tuple[int, int]]:
    """1-based column -> (first, last) column of a merge across `row`."""
    found = {}
    for r0, c0, r1, c1 in grid.merged:
        if r0 + 1 <= row <= r1 + 1 and c1 > c0:
            for c in range(c0 + 1, c1 + 2):
                found[c] = (c0 + 1, c1 + 1)
    return found


def fill_rags(grid: Grid) -> dict[tuple[int, int], Rag]:
    return {cell: rag for cell, rgb in grid.fills.items() if (rag := classify(rgb)) is not None}


def is_label(value: Any) -> bool:
    """A heading: short words, not a sentence, not a value (a date typed as a heading counts)."""
    if isinstance(value, date):
        return True
    if not isinstance(value, str):
        return False
    text = " ".join(value.split())
    if not text or len(text) > 90 or len(text.split()) > 12:
        return False
    if re.fullmatch(r"[\d.,%/\- ]+", text):
        return False
    return not (text.endswith(".") and len(text.split()) > 3 and not text.endswith(("No.", "Ref.", "etc.")))


def _cells(grid: Grid, row: int) -> dict[int, Any]:
    values = grid.rows[row - 1] if 0 < row <= len(grid.rows) else []
    return {c: v for c, v in enumerate(values, 1) if as_text(v)}


def headings_at(grid: Grid, row: int) -> tuple[dict[int, str], bool]:
    """Column -> heading for a header at `row`, combined with the row below when that row holds
    sub-headings under group headings ('Progress updates 2026/27' over Q1, Q2, Q3). Returns
    (headings, two_rows)."""
    top = _cells(grid, row)
    texts = {c: _heading_text(v) for c, v in top.items() if is_label(v)}
    below = _cells(grid, row + 1)
    if not below or not all(is_label(v) for v in below.values()):
        return texts, False
    merges = merged_across(grid, row)
    groups: dict[int, int] = {}  # sub-heading column -> its group heading's column
    for column in below:
        if column in merges and merges[column][0] in texts and merges[column][1] > merges[column][0]:
            groups[column] = merges[column][0]
        elif column not in texts:  # under an empty top cell: the nearest heading to its left, if it spans
            left = max((c for c in texts if c < column), default=0)
            if left and all(c not in texts for c in range(left + 1, column)) and left + 1 in below:
                groups[column] = left
    if len(groups) < 2 or any(c in texts and c not in groups and c not in merges for c in below):
        return texts, False
    combined = dict(texts)
    for column, sub in below.items():
        sub_text = _heading_text(sub).removeprefix("Update ")
        if column in groups:
            combined[column] = f"{texts[groups[column]]} – {sub_text}"
        elif column not in texts:
            combined[column] = sub_text
    for column in set(groups.values()) - set(groups):  # a group heading over sub-headings names no column itself
        if column in below:
            continue
        combined.pop(column, None)
    after = _cells(grid, row + 2)
    if after and all(is_label(v) for v in after.values()) and len(after) >= len(below):
        return texts, False
    return combined, True


def _heading_text(value: Any) -> str:
    if isinstance(value, date):
        return f"Update {value:%d/%m/%Y}"
    return " ".join(as_text(value).split())


def header_score(grid: Grid, row: int) -> tuple[float, dict[int, str], bool]:
    """How much the row reads as a header: labels naming roles, above rows of data."""
    cells = _cells(grid, row)
    if len(cells) < 2:
        return 0.0, {}, False
    labels = [v for v in cells.values() if is_label(v)]
    if len(labels) < 0.8 * len(cells):
        return 0.0, {}, False
    headings, two_rows = headings_at(grid, row)
    named = [max(s.values()) for t in headings.values() if (s := heading_scores(t))]
    roles = {max(s.items(), key=lambda kv: kv[1])[0] for t in headings.values() if (s := heading_scores(t))}
    first_data = row + (2 if two_rows else 1)
    span = (min(headings, default=1), max(headings, default=1))
    data = 0
    looked = 0
    for number in range(first_data, min(len(grid.rows), first_data + DATA_LOOKAHEAD) + 1):
        found = _cells(grid, number)
        if not found:
            continue
        looked += 1
        inside = sum(1 for c in found if span[0] <= c <= span[1] + 1)
        wordy = any(isinstance(v, str) and len(v.split()) >= 4 for v in found.values())
        if inside >= 0.7 * len(found) and (wordy or len(found) >= 2) and not all(is_label(v) for v in found.values()):
            data += 1
    below = data / looked if looked else 0.0
    score = sum(named) + 0.3 * len(headings) + 3.0 * below
    if not roles & (ITEM_ROLES | {"rec_number", "update"}) and below < 0.5:
        score *= 0.5
    if below == 0.0:
        score *= 0.3
    return score, headings, two_rows


def find_header(grid: Grid, start: int = 1, stop: int | None = None) -> tuple[int, dict[int, str], bool] | None:
    """The header row from `start` (1-based) within the search window, or None: the first row that
    reads nearly as well as a header as the best one does (a later table's header, or the headings
    repeated at a page break, never hides the first table's)."""
    found: list[tuple[float, int, dict[int, str], bool]] = []
    last = min(len(grid.rows), stop or start + HEADER_SEARCH_ROWS - 1)
    for row in range(start, last + 1):
        score, headings, two_rows = header_score(grid, row)
        if score >= 3.0 and not any(_same_labels(headings, f[2]) for f in found):
            found.append((score, row, headings, two_rows))
    if not found:
        return None
    best = max(f[0] for f in found)
    first = next(f for f in found if f[0] >= 0.6 * best)
    return first[1], first[2], first[3]


def _same_labels(one: dict[int, str], other: dict[int, str]) -> bool:
    return bool(one) and {normalise_heading(t) for t in one.values()} == {normalise_heading(t) for t in other.values()}


def build_layout(grid: Grid, header_row: int, headings: dict[int, str], two_rows: bool, last_row: int,
                 fiscal_hint: int | None, chosen: dict[int, str] | None = None) -> Layout:
    """The layout of the table whose header is at `header_row` (its first row), its rows up to
    `last_row`; `chosen` gives corrected roles by column."""
    last_header = header_row + (1 if two_rows else 0)
    layout = Layout(grid.name, header_row, last_header, last_row, labels=dict(headings))
    titles = " ".join(as_text(v) for r in grid.rows[:header_row - 1] for v in r if as_text(v))
    layout.fiscal_year = fiscal_year_in(titles) or next(
        (y for t in headings.values() if (y := fiscal_year_in(t))), None) or fiscal_hint
    rows = grid.rows[:last_row]
    width = max([*headings, *(len(r) for r in rows[last_header:last_header + 400])], default=0)
    fills = fill_rags(grid)
    across = {r0 + 1 for r0, c0, r1, c1 in grid.merged if c1 - c0 + 1 >= max(2, len(headings) // 2)}
    profiles = profile_columns(rows, last_header + 1, list(range(1, width + 1)), merged_down(grid), fills, across)
    data_rows = max(1, last_row - last_header)
    roles = assign_roles(headings, {c: p for c, p in profiles.items() if c in headings or _inside(c, headings)},
                         data_rows, grid.hidden_columns)
    if not chosen:
        _items_named_in_words(roles, profiles)
        number_parents(roles, rows, last_header + 1, merged_down(grid))
        ratings_not_updates(roles, headings, profiles, data_rows)
    for column, role in (chosen or {}).items():
        roles[column] = Choice(role, 9.0, "corrected")
    for column, choice in roles.items():
        heading = headings.get(column, "")
        period, day = heading_period(heading, layout.fiscal_year) if choice.role == "update" else (None, None)
        layout.columns[column] = Column(column, heading, choice.role, choice.source, period, day)
    _beside_the_table(layout)
    keys_beside(layout, rows, last_header + 1)
    _judge_generic_date(layout, profiles)
    if not chosen:
        from scr_desk.excel.tracker_stamps import date_beside_update, system_fields
        date_beside_update(layout, profiles)
        system_fields(layout, rows, profiles)
    _ratings_beside_updates(layout, profiles, data_rows)
    _row_labels(layout, rows)
    _marked_ratings(layout, rows)
    return layout


TRACKING = {"rec_number", "action_number", "status", "rag", "target_date", "lead_agency", "owner", "update", "percent"}


def _items_named_in_words(roles: dict[int, Choice], profiles: dict[int, Any]) -> None:
    """A table that tracks items (numbers, statuses, targets, leads) with no column sure enough to
    be their words: its column of short distinct phrases names them ('Title' in a list export)."""
    if any(choice.role in ITEM_ROLES for choice in roles.values()):
        return
    if len({choice.role for choice in roles.values()} & TRACKING) < 3:
        return  # a summary of counts, a key, a cover
    from scr_desk.excel.tracker_columns import words_share

    def fit(column: int) -> float:
        p = profiles.get(column)
        if p is None or p.filled < 1 or p.avg_words < 2 or p.group_level:
            return 0.0
        named = p.frac("agency", "person", "review", "date", "status", "rag")
        return float(words_share(p) * (1.0 - named) * (p.distinct / p.filled) * min(1.0, p.avg_words / 3))

    kept = [c for c, choice in roles.items() if choice.role == "text"]
    best = max(kept, key=fit, default=None)
    if best is None or fit(best) < 0.5:
        return
    numbered = {choice.role for choice in roles.values()}
    role = "action_text" if "action_number" in numbered and "rec_number" not in numbered else "rec_text"
    roles[best] = Choice(role, 1.0, "values (the only words naming each row)")


def _beside_the_table(layout: Layout) -> None:
    """Columns past an empty column that give the table nothing ('Key' beside it): not its cells."""
    blocks = column_blocks(layout.columns)
    if len(blocks) < 2:
        return
    def weight(block: list[int]) -> int:
        return sum(1 for c in block if layout.columns[c].role not in ("text", "theme", "row_id"))
    main = max(blocks, key=weight)
    for block in blocks:
        if block is not main and weight(block) == 0:
            for column in block:
                layout.columns[column] = replace(layout.columns[column], role="beside", source="beside the table")


def _inside(column: int, headings: dict[int, str]) -> bool:
    """An unheaded column within the table (between headed ones, or one past the last): its values
    are the table's; a column further out, past an empty one, is beside the table (a key)."""
    return bool(headings) and min(headings) <= column <= max(headings) + 1


def _judge_generic_date(layout: Layout, profiles: dict[int, Any]) -> None:
    """A column headed only 'Date': the date of each update when it stands after the update
    column and its values are all past, else the target date (the preview says which)."""
    for column, col in list(layout.columns.items()):
        if normalise_heading(col.heading) not in ("date", "dates") or col.role not in ("target_date", "update_date"):
            continue
        profile = profiles.get(column)
        after_update = any(u.column < column for u in layout.updates)
        words = profile.frac("notdate", "month", "period") if profile else 0.0
        # a recommendation's reference repeated down rows that hold no actions: a log of its updates, dated
        logged = not any(c.role in ("action_text", "action_number") for c in layout.columns.values()) and any(
            (p := profiles.get(c)) is not None and p.repeats >= 1
            for c, other in layout.columns.items() if other.role == "rec_number")
        role = "update_date" if (after_update or logged) and words == 0 else "target_date"
        if any(c.role == role for c in layout.columns.values() if c.column != column):
            role = "target_date" if role == "update_date" else "update_date"
        layout.columns[column] = replace(col, role=role)
        layout.notes.append(f"the column headed {col.heading!r} was read as the "
                            f"{'date of each update' if role == 'update_date' else 'target date'}")


def _partner_update(layout: Layout, column: int, updates: list[int]) -> Column | None:
    """The update a rating column stands beside: the one whose heading names the same period
    ('RAG (Q1)' and 'Q1 comment'), else the one on the side the table puts its ratings (each before
    its update when the table repeats 'rating | update'), else the nearest on its left."""
    def tokens(heading: str) -> set[str]:
        return set(re.findall(r"\b(?:q[1-4]|quarter\s*[1-4]|\d{4}(?:[/-]\d{2,4})?)\b", heading.casefold()))
    named = tokens(layout.columns[column].heading)
    same = [u for u in updates if named and tokens(layout.columns[u].heading) & named and abs(u - column) <= 2]
    if same:
        return layout.columns[min(same, key=lambda u: abs(u - column))]
    rated = [c for c, col in layout.columns.items() if col.role in ("rag", "status") or c == column]
    # a repeated 'rating | update' pattern: two ratings before an update, one with no update on its left
    before = sum(1 for c in rated if c + 1 in updates) >= 2 and any(
        c + 1 in updates and c - 1 not in updates for c in rated)
    if before and column + 1 in updates:
        return layout.columns[column + 1]
    left = [u for u in updates if u < column]
    return layout.columns[left[-1]] if left and column - left[-1] <= 2 else None


def _ratings_beside_updates(layout: Layout, profiles: dict[int, Any], rows: int) -> None:
    """Several update columns, each with a rating beside it (or a rating column per period): each
    rating belongs to its update; today's is the latest's. The rating kept as the item's is the
    rightmost."""
    updates = sorted(u.column for u in layout.updates)
    if len(updates) < 2:
        return
    for column, col in list(layout.columns.items()):
        if col.role not in ("text", "rag", "status"):
            continue
        held = value_scores(profiles[column], rows) if column in profiles else {}
        kind = max(("rag", "status"), key=lambda k: held.get(k, 0.0))
        if held.get(kind, 0.0) < 1.5:
            continue
        period, _ = heading_period(col.heading, layout.fiscal_year)
        partner = next((u for u in layout.updates if period is not None and u.period == period), None)
        if partner is None:
            partner = _partner_update(layout, column, updates)
        if partner is None:
            continue
        layout.columns[column] = replace(col, role=col.role if col.role != "text" else kind, rating_of=partner.column)
    for kind in ("rag", "status"):
        rated = sorted(c for c, col in layout.columns.items() if col.role == kind)
        if len(rated) > 1:  # the latest period's rating is the item's; the others stay with their updates
            for column in rated[:-1]:
                layout.columns[column] = replace(layout.columns[column], role="text", source="a rating of its update")


def _row_labels(layout: Layout, rows: list[list[Any]]) -> None:
    """A column whose few values each name a field ('RAG', 'Commentary'), again for every item, beside
    several period columns: it says what each row holds, the field of the values across that row
    (tracker_row_values reads a rating row's periods as its updates' ratings)."""
    if len(layout.updates) < 2:
        return
    for column, col in list(layout.columns.items()):
        if col.role in ITEM_ROLES or col.role in ("update", "beside"):
            continue
        values = [" ".join(as_text(r[column - 1]).split()).casefold() for r in rows[layout.header_row:]
                  if len(r) >= column and as_text(r[column - 1])]
        distinct = set(values)
        fields = {heading_field(v) for v in distinct}
        if len(distinct) < 2 or len(values) < 2 * len(distinct) or None in fields \
                or not fields & {"rag", "status"} or not fields - {"rag", "status"}:
            continue
        layout.columns[column] = replace(col, role="row_label", source="values (each names what its row holds)")


MARKS = frozenset({"x", "✓", "✔", "√", "y", "yes", "1", "•", "●", "*", "tick", "true"})


def _marked_ratings(layout: Layout, rows: list[list[Any]]) -> None:
    """Columns side by side each headed by a RAG ('R' | 'A' | 'G' | 'B', or the colours' names)
    holding only marks ('X'): one RAG field, its value the heading of the column marked on each row
    (never an action's number, however roman an 'X' looks)."""
    from scr_desk.excel.tracker_readings import read_rag
    headed: dict[int, Rag] = {}
    for column, col in layout.columns.items():
        heading = " ".join(col.heading.split())
        rag = read_rag(heading).rag if heading else None
        if rag is not None and (len(heading) == 1 or heading.casefold() == rag.value.casefold()):
            headed[column] = rag
    runs: list[list[int]] = []
    for column in sorted(headed):
        if runs and column == runs[-1][-1] + 1:
            runs[-1].append(column)
        else:
            runs.append([column])
    for run in runs:
        values = [" ".join(as_text(r[c - 1]).split()).casefold() for r in rows[layout.header_row:]
                  for c in run if len(r) >= c and as_text(r[c - 1])]
        marks = [v for v in values if v in MARKS]
        if len(run) < 2 or len({headed[c] for c in run}) < len(run) or not marks or len(marks) < 0.6 * len(values):
            continue  # (a totals row may count the marks)
        for column in run:
            layout.columns[column] = replace(layout.columns[column], role="rag", mark_of=headed[column],
                                             source="heading (a mark under it rates the row)")
