"""The rows under a tracker's header, each recognised for what it is: an item, a section header
naming a review, or a row that is not an item (a note, a key, a total, a footer, a spacer, the
headings repeated), which is skipped with its reason. Pure reading, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scr_desk.domain.enums import Rag
from scr_desk.excel.reader import SheetData
from scr_desk.excel.tracker_layout import (
    ITEM_FIELDS,
    HeaderReading,
    UpdateColumn,
    assign_header,
    heading_field,
    normalise_heading,
)
from scr_desk.excel.tracker_naming import names_a_review, names_review_type
from scr_desk.excel.tracker_readings import RAG_WORDS, leading_number, split_number
from scr_desk.excel.values import as_text, cell_name

SKIP_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(key|legend|rag key|rag rating key|brag key|key to)\b", re.I), "a key to the ratings"),
    (re.compile(r"^(n\.?b\.?|notes?|please note|\*|source|guidance|instructions?)\b", re.I), "a note"),
    (re.compile(r"^(grand )?totals?\b|^count\b|^number of\b", re.I), "a totals row"),
    (re.compile(r"^(last updated|updated|date updated|date of last update|version|page \d|document (owner|control)|"
                r"prepared by|produced by|owner of this document|review date|date of next review)\b", re.I),
     "a footer"),
]
THEME = re.compile(r"^(theme|priority|section|part|objective|strand|area|workstream|domain|key line of enquiry)\b",
                   re.I)
GENERIC_HEADING = re.compile(r"^(recommendations?|actions?|action plan|progress|completed( actions| items)?|"
                             r"closed( actions| items)?|open( actions| items)?|outstanding( actions)?|"
                             r"single agency( actions)?|multi[- ]agency( actions)?)$", re.I)
KEY_LINE = re.compile(r"^\s*(\d)\s*[=:\-–]\s*([A-Za-z/ ]+?)\b", re.I)
TYPE_WORDS = re.compile(r"\b(serious case review|safeguarding adults? review|domestic homicide review|local child "
                        r"safeguarding practice review|child safeguarding practice review|rapid review|"
                        r"sar in rapid time|scr|lcspr|cspr|sar|dhr|review)\b", re.I)


@dataclass
class TrackerRow:
    row: int
    kind: str  # "item", "section" (a review starts), "skip"
    values: dict[str, Any] = field(default_factory=dict)  # field -> value, merged cells filled down
    own: set[str] = field(default_factory=set)  # fields whose value is in this row's own cell
    extra: dict[str, Any] = field(default_factory=dict)  # heading -> value of a column no field takes
    updates: list[tuple[UpdateColumn, Any]] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)  # field -> cell name
    filled: int = 0  # non-empty cells of the row itself
    outside: int = 0  # cells beside the table (past an empty column), skipped
    reason: str = ""
    section: str = ""


@dataclass
class RowsReading:
    rows: list[TrackerRow]
    scale: dict[int, Rag]  # a numeric RAG scale from a key typed under the table
    as_at: str = ""  # 'Last updated …' footer text


def _vertical_fill(sheet: SheetData) -> dict[tuple[int, int], Any]:
    filled: dict[tuple[int, int], Any] = {}
    for r0, c0, r1, _c1 in sheet.merged:
        if r1 == r0:
            continue
        top_left = sheet.cell(r0 + 1, c0 + 1)
        for r in range(r0 + 2, r1 + 2):  # down the first column only: the value is that column's
            filled[(r, c0 + 1)] = top_left
    return filled


def _merge_width(sheet: SheetData, row: int) -> int:
    return max((c1 - c0 + 1 for r0, c0, r1, c1 in sheet.merged if r0 + 1 == row), default=1)


def _rag_word(text: str) -> Rag | None:
    words = " ".join(re.sub(r"[^a-z]+", " ", text.casefold()).split())
    found = RAG_WORDS.get(words.split(" ")[0] if words else "")
    return found[0] if found and words.split(" ")[0] in ("red", "amber", "green", "blue", "yellow") else None


def read_rows(sheet: SheetData, header: HeaderReading) -> RowsReading:
    fill = _vertical_fill(sheet)
    by_column = {col: name for name, col in header.columns.items()}
    update_at = {u.column: u for u in header.updates}
    heading_words = {normalise_heading(t) for t in header.headers.values()}
    width = max(header.headers) if header.headers else 1
    beside = _beside_the_table(header)
    result = RowsReading([], {})
    in_key = False
    for number in range(header.header_row + 1, len(sheet.rows) + 1):
        raw = sheet.rows[number - 1]
        own = [(c, v) for c, v in enumerate(raw, 1) if as_text(v)]
        line = TrackerRow(number, "item", filled=len(own))
        if not own:
            line.kind, line.reason = "skip", "a blank row"
            result.rows.append(line)
            continue
        first = as_text(own[0][1])
        reason = next((why for pattern, why in SKIP_PATTERNS if pattern.match(first)), "")
        key_line = KEY_LINE.match(first)
        if reason or (in_key and len(own) <= 3) or (len(own) <= 2 and (_rag_word(first) or key_line)
                                                    and (len(own) == 1 or len(first) <= 12 or key_line)):
            line.kind, line.reason = "skip", reason or "a key to the ratings"
            in_key = in_key or line.reason == "a key to the ratings"
            _read_key(own, result.scale)
            if line.reason == "a footer" and not result.as_at:
                result.as_at = " ".join(as_text(v) for _, v in own)
            result.rows.append(line)
            continue
        in_key = False
        if sum(1 for _, v in own if normalise_heading(as_text(v)) in heading_words) >= max(2, len(own) - 1):
            line.kind, line.reason = "skip", "the headings repeated"
            result.rows.append(line)
            continue
        if (another := another_header(sheet, number, header)) is not None:
            # a second table on the sheet under headings of its own: its rows are read by them
            header = another
            by_column = {col: name for name, col in header.columns.items()}
            update_at = {u.column: u for u in header.updates}
            heading_words = {normalise_heading(t) for t in header.headers.values()}
            width = max(header.headers) if header.headers else 1
            beside = _beside_the_table(header)
            line.kind, line.reason = "skip", "the headings of another table"
            result.rows.append(line)
            continue
        if (by_column.get(own[0][0]) == "rec_number" and len(own) <= 3 and names_review_type(first)
                and not split_number(first)):  # 'SAR Adult C' where the numbers go: a section
            _section(line, first)
            result.rows.append(line)
            continue
        if len(own) == 1 and isinstance(own[0][1], str):
            column = own[0][0]
            spans = _merge_width(sheet, number) >= min(3, width)
            field_name = by_column.get(column)
            names_review = names_a_review(first) and not leading_number(first)
            if spans or names_review or field_name not in ("rec_text", "action_text", "rec_or_action", "update",
                                                           "evidence") and column not in update_at:
                if not (spans and leading_number(first)):
                    _section(line, first)
                    result.rows.append(line)
                    continue
                line.values["rec_or_action"] = first  # 'Recommendation 1: …' merged across its actions
                line.own.add("rec_or_action")
                line.cells["rec_or_action"] = cell_name(number, column)
                result.rows.append(line)
                continue
        for column in range(1, max(len(raw), width) + 1):
            value = raw[column - 1] if column <= len(raw) else None
            inherited = value is None and (number, column) in fill
            if inherited:
                value = fill[(number, column)]
            if not as_text(value):
                continue
            if column in update_at:
                if not inherited:
                    line.updates.append((update_at[column], value))
            elif column in by_column:
                name = by_column[column]
                line.values[name] = value
                line.cells[name] = cell_name(number, column)
                if not inherited:
                    line.own.add(name)
            elif column in beside and not inherited:
                line.outside += 1
            elif column in header.extra and not inherited:
                line.extra[header.extra[column]] = value
            elif not inherited and (column > width + 1 or column in beside):
                line.outside += 1  # beside the table, past an empty column: a key or a note, not the row's
            elif not inherited:
                line.extra[f"column {cell_name(number, column).rstrip('0123456789')}"] = value
        result.rows.append(line)
    while result.rows and result.rows[-1].reason == "a blank row":
        result.rows.pop()
    return result


def _beside_the_table(header: HeaderReading) -> set[int]:
    """Headed columns past an empty column that give no field ('Key' beside the table)."""
    used = set(header.columns.values()) | {u.column for u in header.updates}
    blocks: list[list[int]] = []
    for column in sorted(header.headers):
        if blocks and column == blocks[-1][-1] + 1:
            blocks[-1].append(column)
        else:
            blocks.append([column])
    return {c for block in blocks[1:] if not set(block) & used for c in block}


def another_header(sheet: SheetData, number: int, header: HeaderReading) -> HeaderReading | None:
    """The row is the header of a second table: short headings naming three fields or more,
    one of them an item's, laid out differently from the first table's."""
    row = sheet.rows[number - 1]
    cells = {c: v for c, v in enumerate(row, 1) if as_text(v)}
    if len(cells) < 3 or not all(isinstance(v, str) and len(v) <= 60 for v in cells.values()):
        return None
    named = {c: heading_field(as_text(v)) for c, v in cells.items()}
    fields = {f for f in named.values() if f}
    if len(fields) < 3 or not fields & ITEM_FIELDS or sum(1 for f in named.values() if f) < len(cells) - 1:
        return None
    headers = {c: " ".join(as_text(v).split()) for c, v in cells.items()}
    found = assign_header(headers, named, set(), number, number, sheet, header.fiscal_year)
    return found if found.columns != header.columns else None


def _section(line: TrackerRow, text: str) -> None:
    if THEME.match(text) and not TYPE_WORDS.search(text) or GENERIC_HEADING.match(text.strip(" :-–")):
        line.kind, line.reason = "skip", "a heading within the sheet (not a review)"
    else:
        line.kind, line.section = "section", text


def _read_key(cells: list[tuple[int, Any]], scale: dict[int, Rag]) -> None:
    """'1 = Red', or a number beside a colour word: a numeric scale's key."""
    texts = [as_text(v) for _, v in cells]
    for text in texts:
        if (match := KEY_LINE.match(text)) and (rag := _rag_word(match[2])):
            scale[int(match[1])] = rag
    if len(texts) >= 2 and texts[0].isdigit() and (rag := _rag_word(texts[1])):
        scale[int(texts[0])] = rag
