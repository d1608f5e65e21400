"""Each row of a grid for what the whole row is: a title above the table, the header, an item, the
continuation of the row above, a section naming a review, a group heading (an agency's, a theme's),
a note, a key whose meanings are used, totals, a spacer, the headings repeated, or the header of
another table. A row's role comes from all of its cells and where they stand, never from the first
words of one cell. Pure reading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scr_desk.excel.tracker_agencies import stands_alone
from scr_desk.excel.tracker_header import Layout, build_layout, header_score, merged_down
from scr_desk.excel.tracker_legend import Legend, entries, is_key_heading
from scr_desk.excel.tracker_naming import looks_like_agency
from scr_desk.excel.tracker_refs import leading_ref
from scr_desk.excel.tracker_source import Grid
from scr_desk.excel.tracker_titles import review_from_line
from scr_desk.excel.tracker_vocab import ITEM_ROLES, heading_scores, normalise_heading
from scr_desk.excel.values import as_text

IDENTITY = ITEM_ROLES | {"rec_number", "action_number"}
TEXT_COLUMNS = ITEM_ROLES | {"update", "evidence", "success_measure", "completion", "text"}
ROLES = ("title", "header", "item", "continuation", "section", "group", "note", "legend", "totals", "spacer",
         "heading")  # the roles a row can be given (and corrected to)
COUNT = re.compile(r"^(?:\s*(?:\d[\d,]*\s*%?\s+[A-Za-z][A-Za-z' -]{0,30}?|"
                   r"[A-Za-z][A-Za-z' -]{0,30}?\s*[:=]\s*\d[\d,]*%?)"
                   r"\s*[,/;|]?\s*)+$")
FOOTER = re.compile(r"\b(updated|as at|position (?:at|as at)|version|printed|produced|prepared|issued|date of|"
                    r"last reviewed|correct at)\b", re.IGNORECASE)
DATE_IN = re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\b\d{1,2}(?:st|nd|rd|th)? [A-Za-z]{3,9} \d{4}\b|"
                     r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}\b", re.IGNORECASE)
# counts by label in one cell ('R 1 / A 1 / G 4 / B 1', 'Red 2, Amber 3'): two or more, each a label and its count
# 'R 1 / A 1 / G 4', 'Met 1 / Partially met 1 / Not met 2': two or more labels each with its count
LABELLED_COUNTS = re.compile(r"^\s*[A-Za-z][A-Za-z' -]{0,20}?\s*[:=]?\s*\d[\d,]*%?"
                             r"(?:\s*[,/;|]\s*[A-Za-z][A-Za-z' -]{0,20}?\s*[:=]?\s*\d[\d,]*%?)+\s*$")
NOTE_START = re.compile(r"^\s*(n\.?b\.?|note|notes|please|\*|source|guidance|instructions?)\b", re.IGNORECASE)


@dataclass
class RowReading:
    row: int
    role: str
    reason: str = ""
    layout: Layout | None = None
    own: dict[int, Any] = field(default_factory=dict)  # the row's own non-empty cells in the table
    inherited: dict[int, Any] = field(default_factory=dict)  # values of cells merged down into this row
    beside: dict[int, Any] = field(default_factory=dict)  # cells beside the table (a key), skipped
    text: str = ""  # the row's words, for the account of rows that are not items
    corrected: bool = False

    @property
    def filled(self) -> int:
        return len(self.own) + len(self.beside)


@dataclass
class GridRows:
    grid: Grid
    layouts: list[Layout]
    rows: list[RowReading]
    legend: Legend
    footers: list[str]  # 'Last updated 15/10/2026': the tracker's own date


def segment(grid: Grid, first: Layout, fiscal_hint: int | None) -> list[Layout]:
    """The grid's tables: the first, and each later one under headings of its own."""
    layouts = [first]
    labels = {normalise_heading(t) for t in first.labels.values()}
    row = first.header_row + 1
    while row <= len(grid.rows):
        placed = [(c, v) for c, v in enumerate(grid.rows[row - 1], 1) if as_text(v)]
        cells = [v for _, v in placed]
        if len(cells) >= 3 and all(isinstance(v, str) and len(v.split()) <= 8 for v in cells):
            texts = {normalise_heading(as_text(v)) for v in cells}
            named = [max(found.values()) for c, v in placed if not _a_value(as_text(v), layouts[-1], c)
                     and (found := heading_scores(as_text(v)))]
            if len(texts - labels) >= 2 and sum(1 for n in named if n >= 2) >= max(3, 0.6 * len(cells)):
                score, headings, two_rows = header_score(grid, row)
                if score >= 6.0:
                    layouts[-1].last_row = row - 1
                    layout = build_layout(grid, row, headings, two_rows, len(grid.rows), layouts[-1].fiscal_year
                                          or fiscal_hint)
                    if layout.has_items:
                        layouts.append(layout)
                        labels = {normalise_heading(t) for t in layout.labels.values()}
                        row = layout.header_row + 1
                        continue
                    layouts[-1].last_row = len(grid.rows)
        row += 1
    return layouts


VALUE_KINDS = {"lead_agency": {"agency"}, "owner": {"person", "agency"}, "rag": {"rag"}, "status": {"status", "rag"},
               "target_date": {"date", "month", "period", "notdate"},
               "revised_target_date": {"date", "month", "period"},
               "rec_number": {"ref", "number"}, "action_number": {"ref", "number"}, "percent": {"percent", "number"},
               "review": {"review"}}


def _a_value(text: str, layout: Layout, column: int) -> bool:
    """A cell that reads as a value, not a label: one its column holds ('Anytown NHS Trust' under
    'Lead agency', 'Q3 2026/27' under 'Target date'), a date, a status, a rating."""
    from scr_desk.excel.tracker_profile import text_kinds
    from scr_desk.excel.tracker_readings import read_status, read_target
    held = layout.columns.get(column)
    if held is not None and VALUE_KINDS.get(held.role, set()) & text_kinds(text):
        return True
    said = read_status(text)
    if said.known and (said.status or said.rag) and not said.partial:
        return True
    day = read_target(text, date1904=False, fiscal_year=None)
    return day.when is not None and not day.how  # a whole date ('June 2026' may head a month's column)


def read_rows(grid: Grid, layouts: list[Layout], corrected: dict[int, str] | None = None) -> GridRows:
    """Every row of the grid with its role; `corrected` gives roles the lead chose, by row."""
    corrected = corrected or {}
    down = merged_down(grid)
    result = GridRows(grid, layouts, [], Legend(), [])
    for number in range(1, layouts[0].first_header):
        line = RowReading(number, "title", "a title above the table", text=_joined(grid.rows[number - 1]))
        result.rows.append(_blank(line) if not line.text else line)
    for index, layout in enumerate(layouts):
        for number in range(layout.first_header, layout.header_row + 1):
            reason = "the headings" if index == 0 else "the headings of another table"
            line = RowReading(number, "header", reason, layout, text=_joined(grid.rows[number - 1]))
            if index:  # a later table's headings stand among the rows: their cells are counted (skipped)
                line.own = {c: v for c, v in enumerate(grid.rows[number - 1], 1) if as_text(v)}
            result.rows.append(line)
        _State(grid, layout, down, result).read(layout.header_row + 1, layout.last_row, corrected)
    return result


def _blank(line: RowReading) -> RowReading:
    line.role, line.reason = "spacer", "a blank row"
    return line


def _joined(values: list[Any]) -> str:
    texts = (as_text(v) for v in values if v is not None)
    return " · ".join(" ".join(t.split()) for t in texts if t)


class _State:
    def __init__(self, grid: Grid, layout: Layout, down: dict[tuple[int, int], int], result: GridRows) -> None:
        self.grid, self.layout, self.down, self.result = grid, layout, down, result
        self.in_key = False
        self.items_seen = False
        labels = [normalise_heading(t) for t in layout.labels.values()]
        self.labels = {t for t in labels if t}
        self.width = layout.width
        self.beside_columns = {c for c, col in layout.columns.items() if col.role == "beside"}
        self.spans: dict[int, int] = {}  # row -> the widest merge across it
        for r0, c0, r1, c1 in grid.merged:
            for row in range(r0 + 1, r1 + 2):
                self.spans[row] = max(self.spans.get(row, 1), c1 - c0 + 1)

    def read(self, first: int, last: int, corrected: dict[int, str]) -> None:
        for number in range(first, last + 1):
            line = self._cells(number)
            if number in corrected:
                line.role, line.reason, line.corrected = corrected[number], "as corrected", True
            else:
                self._role(line)
            if line.role == "item":
                self.items_seen = True
            self.result.rows.append(line)

    def _cells(self, number: int) -> RowReading:
        values = self.grid.rows[number - 1] if number <= len(self.grid.rows) else []
        line = RowReading(number, "item", layout=self.layout)
        for column, value in enumerate(values, 1):
            if not as_text(value):
                continue
            if column in self.beside_columns or column > self.width + 1 and column not in self.layout.columns:
                line.beside[column] = value
            else:
                line.own[column] = value
        for column in self.layout.columns:
            if column not in line.own and (number, column) in self.down:
                inherited = self.grid.cell(self.down[(number, column)], column)
                if as_text(inherited):
                    line.inherited[column] = inherited
        line.text = _joined([line.own[c] for c in sorted(line.own)] + [line.beside[c] for c in sorted(line.beside)])
        for value in line.beside.values():  # a key beside the table: its meanings are used
            for code, meaning in entries(as_text(value)):
                self.result.legend.add(code, meaning)
        return line

    def _role(self, line: RowReading) -> None:
        own = line.own
        if not own:
            if line.beside:
                line.role, line.reason = "note", "cells beside the table, not part of it (a key or a note)"
                self._key_cells(line)
            else:
                _blank(line)
                self.in_key = False
            return
        texts = [" ".join(as_text(v).split()) for _, v in sorted(own.items())]
        if len(own) >= 2 and sum(1 for t in texts if normalise_heading(t) in self.labels) >= max(2, len(own) - 1):
            line.role, line.reason = "heading", "the headings repeated"
            return
        labelled = [as_text(v) for c, v in own.items() if c in self.layout.columns
                    and self.layout.columns[c].role == "row_label"]
        if labelled and self.items_seen and len(own) >= 2 and not self._identity(line):
            line.role, line.reason = "continuation", f"the {labelled[0]!r} row of the item above"
            return
        single = len(set(texts)) == 1 or self._across(line.row) >= max(2, min(4, len(self.layout.columns) // 2))
        if single and len(set(texts)) > 1 and self._numbered(line):
            line.role = "item"  # '1 | Finding merged across the table': a numbered item, over its actions
            return
        if single:
            self._single(line, texts[0] if len(set(texts)) == 1 else " ".join(texts))
            return
        roles_of = [self.layout.columns[c].role if c in self.layout.columns else "text" for c, _ in sorted(own.items())]
        if _is_totals(list(zip(roles_of, texts, strict=True))):
            line.role, line.reason = "totals", "totals or counts, not an item"
            return
        if self.in_key and len(own) <= 3 and len(texts[0].split()) <= 3 and self._key_cells(line):
            line.role, line.reason = "legend", "a line of the key (its meaning is used)"
            return
        if is_key_heading(texts[0]) and len(texts[0].split()) <= 3 and (self._key_cells(line) or len(own) <= 2):
            line.role, line.reason = "legend", "a key to the ratings (its meanings are used)"
            self.in_key = True
            return
        self.in_key = False
        roles = {self.layout.columns[c].role for c in own if c in self.layout.columns}
        if roles & IDENTITY:
            line.role = "item"
            return
        if len(own) <= 2 and (named := review_from_line(texts[0])) and named.review_type != "Other" \
                and min(own) <= 2 and all(len(t.split()) <= 10 for t in texts):
            line.role, line.reason, line.text = "section", f"a section naming the review {named.name!r}", texts[0]
            return
        if self.items_seen:
            line.role, line.reason = "continuation", "continues the row above (no recommendation or action of its own)"
            return
        line.role, line.reason = "note", "no recommendation or action on this row"

    def _numbered(self, line: RowReading) -> bool:
        """A reference in a number column beside words in an item column."""
        from scr_desk.excel.tracker_refs import parse_ref
        roles = {c: self.layout.columns[c].role for c in line.own if c in self.layout.columns}
        numbered = any(role in ("rec_number", "action_number") and parse_ref(as_text(line.own[c])) is not None
                       for c, role in roles.items())
        return numbered and any(role in ITEM_ROLES for role in roles.values())

    def _identity(self, line: RowReading) -> bool:
        return any(self.layout.columns[c].role in IDENTITY for c in line.own if c in self.layout.columns)

    def _across(self, row: int) -> int:
        return self.spans.get(row, 1)

    def _key_cells(self, line: RowReading) -> bool:
        """Read each cell (and a code beside its meaning) into the legend; True when any was used."""
        used = False
        cells = [as_text(v) for _, v in sorted({**line.own, **line.beside}.items())]
        for text in cells:
            for code, meaning in entries(text):
                used = self.result.legend.add(code, meaning) or used
        if len(cells) >= 2 and len(cells[0].split()) <= 3:
            used = self.result.legend.add(cells[0], " ".join(cells[1:])) or used
        if self.in_key and len(cells) == 1 and (fill := self.grid.fills.get((line.row, min({**line.own,
                                                                                          **line.beside})))):
            from scr_desk.excel.fills import classify
            if (rag := classify(fill)) is not None:  # a coloured key cell with its meaning
                used = self.result.legend.add(rag.value, cells[0]) or used
        return used

    def _single(self, line: RowReading, text: str) -> None:
        column = min(line.own)
        role = self.layout.columns[column].role if column in self.layout.columns else "text"
        words = len(text.split())
        if is_key_heading(text) and words <= 6:
            line.role, line.reason = "legend", "a key to the ratings (its meanings are used)"
            self.in_key = True
            self._key_cells(line)
            return
        named = review_from_line(text) if words <= 14 else None
        if named is not None and (named.review_type != "Other" or role not in ITEM_ROLES | {"update"}) \
                and not leading_ref(text):
            line.role, line.reason = "section", f"a section naming the review {named.name!r}"
            self.in_key = False
            return
        if words <= 16 and DATE_IN.search(text) and (FOOTER.search(text) or self.items_seen and words <= 6):
            line.role, line.reason = "note", "a footer (the tracker's date is read from it)"
            self.result.footers.append(text)
            return
        if (self.in_key or words <= 12) and self._key_cells(line) and not leading_ref(text):
            line.role, line.reason = "legend", "a line of the key (its meaning is used)"
            return
        if self.in_key and entries(text):
            line.role, line.reason = "legend", "a line of the key"
            return
        self.in_key = False
        if _is_totals([("text", text)]):
            line.role, line.reason = "totals", "totals or counts, not an item"
            return
        found = leading_ref(text)
        spans = self._across(line.row) >= max(2, min(4, len(self.layout.columns) // 2))
        if found is not None and (spans or role in ITEM_ROLES or role in ("rec_number", "text")):
            line.role = "item"  # 'Recommendation 2: …' across the table, over its actions
            return
        if spans:  # words merged across the table are never one column's value
            if (agency := labelled_agency(text)) is not None:
                line.role, line.reason = "group", f"a heading naming an agency ({agency}): its rows' lead"
            elif NOTE_START.match(text) or words >= 10 or text.endswith("."):
                line.role, line.reason = "note", "a note"
            elif names_agency(text):
                line.role, line.reason = "group", f"a heading naming an agency ({text}): its rows' lead"
            else:
                line.role, line.reason = "group", "a heading within the sheet (not a review)"
            return
        if role in TEXT_COLUMNS and self.items_seen and role not in ("rec_text", "rec_or_action"):
            line.role, line.reason = "continuation", "continues the row above"
            return
        if role in ("rec_text", "rec_or_action", "action_text") and self.items_seen and _continues(text):
            line.role, line.reason = "continuation", "continues the row above"
            return
        if role in ("rec_text", "rec_or_action", "action_text") and words >= 4 and not NOTE_START.match(text):
            line.role = "item"
            return
        if NOTE_START.match(text) or words >= 8 or text.endswith("."):
            line.role, line.reason = "note", "a note"
            return
        if names_agency(text):
            line.role, line.reason = "group", f"a heading naming an agency ({text}): its rows' lead"
            return
        line.role, line.reason = "group", "a heading within the sheet (not a review)"


def names_agency(text: str) -> bool:
    """A heading that is an agency's name ('North Wendale Police'), not a labelled heading
    ('Theme 2: Practice', 'Section B – health')."""
    return stands_alone(text) and looks_like_agency(text) and not re.search(r"\d|[:–—]|\s-\s", text)


def labelled_agency(text: str) -> str | None:
    """The agency a labelled heading names ('Agency: Mereside Police', 'Lead – ICB'), else None."""
    from scr_desk.excel.tracker_vocab import heading_field
    match = re.fullmatch(r"([^:–—]{1,30}?)\s*[:–—]\s*(\S.{0,120})", " ".join(text.split()))
    if match is None or heading_field(match[1]) not in ("lead_agency", "owner"):
        return None
    return match[2].strip()


def _continues(text: str) -> bool:
    """Words that carry on a sentence from the row above (a wrapped cell)."""
    return bool(text) and (text[0].islower() or text[0] in ",;:–-)&")


def _is_totals(cells: list[tuple[str, str]]) -> bool:
    """Counts and their labels ('Total actions: 8', '5 recommendations / 6 actions', 'Complete: 3
    Overdue: 2'), with nothing that reads as an item (a reference's number is not a count)."""
    counts = numbers = 0
    for role, text in cells:
        if len(text.split()) > 14 or DATE_IN.search(text):
            return False
        if COUNT.fullmatch(text) or LABELLED_COUNTS.match(text):
            counts += 1
        elif re.fullmatch(r"\d[\d,]*%?", text) and role not in ("rec_number", "action_number", "row_id"):
            numbers += 1
        elif len(text.split()) > 3:
            return False
    totalled = bool(cells) and bool(re.match(r"(?i)^(grand )?(total|totals|summary|sum)\b", cells[0][1]))
    return counts >= 1 or totalled and numbers >= 1
