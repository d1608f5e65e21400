"""A hand-made tracker's header: which row (or two rows) holds the headings, which column gives
which field, and which columns are quarterly updates. Pure reading, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scr_desk.domain.rules import Period
from scr_desk.excel.reader import SheetData
from scr_desk.excel.tracker_readings import fiscal_year_in, heading_period
from scr_desk.excel.values import as_text

FIELDS: dict[str, str] = {
    "review": "Review", "rec_number": "Recommendation number", "rec_text": "Recommendation",
    "rec_or_action": "Recommendation / action", "action_number": "Action number", "action_text": "Action",
    "lead_agency": "Lead agency", "owner": "Lead officer / owner", "target_date": "Target date",
    "revised_target_date": "Revised target date", "rag": "RAG", "status": "Status", "update": "Progress update",
    "evidence": "Evidence", "update_date": "Date of update", "completion": "Date of completion and outcome",
    "percent": "% complete", "scope": "Scope", "success_measure": "Success measure",
}
EXACT = {
    "rec no": "rec_number", "rec": "rec_number", "no": "rec_number", "ref": "rec_number", "number": "rec_number",
    "rec ref": "rec_number", "reference": "rec_number", "ref no": "rec_number", "item": "rec_number",
    "recommendation": "rec_text", "recommendations": "rec_text", "action": "action_text", "actions": "action_text",
    "action s": "action_text", "lead agency": "lead_agency", "agency": "lead_agency", "lead officer": "owner",
    "lead": "owner", "owner": "owner", "by whom": "owner", "responsibility": "owner", "identified lead": "owner",
    "who": "owner", "target date": "target_date", "target": "target_date", "rag": "rag", "rag rating": "rag",
    "brag": "rag", "b rag": "rag", "rating": "rag", "rag status": "rag", "status": "status",
    "progress update": "update", "update": "update", "progress": "update", "evidence": "evidence",
    "date": "date", "review": "review", "case": "review", "scope": "scope", "outcome": "success_measure",
    "action taken": "update", "actions taken": "update", "actions completed": "update",
    "recommendation action": "rec_or_action", "recommendations actions": "rec_or_action",
    "recommendation and action": "rec_or_action", "recommendations and actions": "rec_or_action",
}
PROGRESS_HEADING = re.compile(r"^(actions? (taken|completed|achieved|undertaken)|key milestones|milestones|"
                              r"what has been (done|achieved)|work (completed|undertaken))\b")
PERIOD_ONLY = re.compile(r"^(?:(?:q|quarter )[1-4](?: \d{2,4}){0,2}|(?:\d{2,4} ){1,2}(?:q|quarter )[1-4]|"
                         r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{2,4}|"
                         r"\d{1,2} \d{1,2} \d{2,4}|(?:end of )?(?:q|quarter )[1-4])$")
HEADER_SEARCH_ROWS = 30
ITEM_FIELDS = {"rec_text", "action_text", "rec_number", "rec_or_action"}
REPEATABLE = {"update"}  # several columns each give their own value
LATEST_WINS = {"rag", "status"}  # several quarterly columns: the rightmost is today's


def normalise_heading(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text.casefold()).split())


def heading_field(text: str) -> str | None:
    """The field a column heading names, or None ('Rec No.' -> rec_number, 'Update Q3' -> update)."""
    if text.strip() in ("#", "No", "No.", "Ref.", "Ref"):
        return "rec_number"
    h = normalise_heading(text)
    if not h:
        return None
    if h in EXACT:
        return EXACT[h]
    words = set(h.split())
    dated = bool(words & {"date", "when", "timescale", "timescales", "deadline", "timeframe", "timeframes"})
    rules: list[tuple[bool, str]] = [
        ("%" in h or "percent" in words or "percentage" in words, "percent"),
        ("scope" in words and not words & {"date", "action", "actions"}, "scope"),
        (bool(words & {"rag", "brag", "rating"}) or h.startswith("b rag"), "rag"),
        (dated and bool(words & {"completed", "achieved"}), "completion"),  # 'Date completed
        ("completion" in words and "outcome" in words, "completion"),
        (bool(PROGRESS_HEADING.match(h)) or " to date" in f" {h}", "update"),  # 'Action taken' is progress
        ("revised" in words and dated | ("target" in words), "revised_target_date"),
        (dated and h in {"date of update", "update date", "date updated", "date of progress update"}, "update_date"),
        (dated, "target_date" if words & {"target", "due", "deadline", "completion", "complete", "by", "timescale",
                                          "timescales", "when", "original", "timeframe", "timeframes"}
         else "update_date"),
        (bool(words & {"evidence", "impact"}), "evidence"),
        (h.endswith("status") and not words & {"update", "updates"}, "status"),
        (bool(words & {"update", "updates", "progress", "comments", "commentary", "committee", "narrative"}),
         "update"),
        (bool(words & {"rec", "recommendation"}) and bool(words & {"no", "number", "ref", "num"}), "rec_number"),
        ("action" in words and bool(words & {"no", "number", "ref", "num"}), "action_number"),
        (bool(words & {"recommendation", "recommendations"}) and bool(words & {"action", "actions"})
         and not words & {"owner", "lead", "officer", "agency"}, "rec_or_action"),
        (bool(words & {"agency", "agencies", "organisation", "organisations", "organization"}), "lead_agency"),
        (bool(words & {"owner", "officer", "responsible", "responsibility", "person"}) or h in (
            "action by", "actioned by", "action lead", "lead for action"), "owner"),
        (bool(words & {"action", "actions", "activity", "activities", "task", "tasks"}), "action_text"),
        (bool(words & {"recommendation", "recommendations", "learning", "finding", "findings"}), "rec_text"),
        (bool(words & {"agency", "agencies", "organisation", "organisations", "organization", "partner",
                       "service"}), "lead_agency"),
        (bool(words & {"officer", "owner", "lead", "responsible", "responsibility", "person", "manager"}), "owner"),
        ("status" in words, "status"),
        (bool(words & {"outcome", "outcomes", "measure", "measures", "success"}), "success_measure"),
        (bool(words & {"review", "case", "scr", "sar", "dhr", "lcspr"}), "review"),
    ]
    found = next((name for matched, name in rules if matched), None)
    if found is None and PERIOD_ONLY.match(h):  # 'Q1 2026/27', 'June 2024': a quarter's update column
        return "update"
    return found


@dataclass(frozen=True)
class UpdateColumn:
    column: int
    heading: str
    period: Period | None  # named by the heading (or its group), else None: asked
    day: date | None = None  # a day named by the heading ('Update 03/12/2020')
    guessed: bool = False  # 'Update Q2' with no year anywhere: the year is the tracker's date's, and asked


@dataclass
class HeaderReading:
    header_row: int  # the last row of the header (1-based)
    first_row: int  # the first row of the header (two-row headers: one less)
    columns: dict[str, int]
    headers: dict[int, str]
    updates: list[UpdateColumn] = field(default_factory=list)
    extra: dict[int, str] = field(default_factory=dict)  # headed columns no field takes: kept as text
    notes: list[str] = field(default_factory=list)  # what the preview should say about the header
    fiscal_year: int | None = None


def _horizontal_merges(sheet: SheetData, row: int) -> dict[int, tuple[int, int]]:
    """1-based column -> (first, last) column of a merge across `row` (spanning more than one column)."""
    found = {}
    for r0, c0, r1, c1 in sheet.merged:
        if r0 + 1 <= row <= r1 + 1 and c1 > c0:
            for c in range(c0 + 1, c1 + 2):
                found[c] = (c0 + 1, c1 + 1)
    return found


def _is_heading(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= 80 or isinstance(value, date)


def _heading_text(value: Any) -> str:
    """A heading as text; a date typed as a heading heads an update column ('Update 31/03/2027')."""
    if isinstance(value, date):
        return f"Update {value:%d/%m/%Y}"
    return " ".join(as_text(value).split())


def _headings(sheet: SheetData, row: int) -> tuple[dict[int, str], bool]:
    """Column -> heading for a header at `row`, combined with the row below when that row holds
    sub-headings under a group heading merged over them. Returns (headings, two_rows)."""
    top = sheet.rows[row - 1] if row <= len(sheet.rows) else []
    below = sheet.rows[row] if row < len(sheet.rows) else []
    merges = _horizontal_merges(sheet, row)
    texts = {c: _heading_text(v) for c, v in enumerate(top, 1) if _is_heading(v)}
    subs = {c: _heading_text(v) for c, v in enumerate(below, 1) if as_text(v)}
    grouped = [c for c in subs if c in merges and merges[c][0] in texts and merges[c][1] > merges[c][0]]
    if len(grouped) < 2 or not all(_is_heading(below[c - 1]) for c in subs):
        return texts, False
    if any(c not in grouped and c in texts for c in subs):  # a data row fills columns headed above it
        return texts, False
    combined = dict(texts)
    for column, sub in subs.items():
        if column in merges and merges[column][0] in texts:
            combined[column] = f"{texts[merges[column][0]]} – {sub.removeprefix('Update ')}"
        elif column not in texts:
            combined[column] = sub
    # the row below is sub-headings only if reading it names at least as many fields (not data)
    if len(_named_fields(combined)) < len(_named_fields(texts)):
        return texts, False
    return combined, True


def _named_fields(headings: dict[int, str]) -> set[str]:
    return {name for t in headings.values() if (name := heading_field(t))}


def read_header(sheet: SheetData, hidden: set[int] | None = None,
                fiscal_hint: int | None = None) -> HeaderReading | None:
    """The header is the row (in the first 30) whose headings name the most fields."""
    hidden = hidden or set()
    best: tuple[int, HeaderReading] | None = None
    for number in range(1, min(HEADER_SEARCH_ROWS, len(sheet.rows)) + 1):
        headers, two_rows = _headings(sheet, number)
        named = {c: heading_field(t) for c, t in headers.items()}
        fields = {f for f in named.values() if f}
        # two fields will do when the row is a real header of several columns (not 'Status: …' notes)
        if len(fields) < 2 or not fields & ITEM_FIELDS or len(fields) == 2 and len(headers) < 3:
            continue
        score = len(fields)
        if best is None or score > best[0]:
            last = number + 1 if two_rows else number
            found = assign_header(headers, named, hidden, last, number, sheet, fiscal_hint)
            if _items_in_words(found, sheet):
                best = (score, found)
    return best[1] if best else None


def assign_header(headers: dict[int, str], named: dict[int, str | None], hidden: set[int], header_row: int,
            first_row: int, sheet: SheetData, fiscal_hint: int | None) -> HeaderReading:
    reading = HeaderReading(header_row, first_row, {}, headers)
    titles = " ".join(as_text(v) for r in sheet.rows[:first_row - 1] for v in r if as_text(v))
    reading.fiscal_year = fiscal_year_in(titles) or next(
        (y for t in headers.values() if (y := fiscal_year_in(t))), None) or fiscal_hint
    update_columns: list[int] = []
    # visible columns first, so that a hidden column never wins over a visible one
    for column in sorted(headers, key=lambda c: (c in hidden, c)):
        name = named[column]
        if name is None:
            reading.extra[column] = headers[column]
            continue
        if name == "update":
            update_columns.append(column)
            continue
        if name in LATEST_WINS and name in reading.columns and column not in hidden:
            earlier = reading.columns[name]  # an earlier quarter's rating: kept as text in its update
            reading.extra[earlier] = headers[earlier]
            reading.columns[name] = column
            continue
        if name in reading.columns:
            reading.extra[column] = headers[column]
            reading.notes.append(f"the column {headers[column]!r} was kept as text (the column "
                                 f"{headers[reading.columns[name]]!r} gives {FIELDS.get(name, name)})")
            continue
        reading.columns[name] = column
    for column in sorted(update_columns):
        period, day = heading_period(headers[column], reading.fiscal_year)
        reading.updates.append(UpdateColumn(column, headers[column], period, day))
    if reading.updates:
        reading.columns["update"] = reading.updates[-1].column
    if "date" in reading.columns:
        _judge_date_column(reading, sheet)
    _numbers_in_text_columns(reading, sheet, named)
    return reading


def _items_in_words(reading: HeaderReading, sheet: SheetData) -> bool:
    """A tracker's recommendations or actions are words; a summary table of counts is not one."""
    columns = [reading.columns[f] for f in ("rec_text", "action_text", "rec_or_action") if f in reading.columns]
    for row in sheet.rows[reading.header_row:reading.header_row + 300]:
        for column in columns:
            if column <= len(row) and re.search(r"[^\W\d_]{3,}", as_text(row[column - 1])):
                return True
    return False


def _numbers_in_text_columns(reading: HeaderReading, sheet: SheetData, named: dict[int, str | None]) -> None:
    """'Recommendation' heading a column of numbers beside 'Recommendation detail': the first gives
    the numbers, the second the text."""
    from scr_desk.excel.tracker_readings import split_number
    for text_field, number_field in (("rec_text", "rec_number"), ("action_text", "action_number")):
        column = reading.columns.get(text_field)
        if column is None or number_field in reading.columns:
            continue
        values = [r[column - 1] for r in sheet.rows[reading.header_row:reading.header_row + 200]
                  if len(r) >= column and as_text(r[column - 1])]
        numeric = [v for v in values if len(as_text(v)) <= 8 and split_number(v)]
        if len(values) < 2 or len(numeric) < 0.8 * len(values):
            continue
        other = next((c for c, name in sorted(named.items()) if name == text_field and c != column
                      and c in reading.extra), None)
        reading.columns[number_field] = column
        if other is not None:
            reading.columns[text_field] = other
            reading.extra.pop(other, None)
        else:
            del reading.columns[text_field]


def _judge_date_column(reading: HeaderReading, sheet: SheetData) -> None:
    """A column headed only 'Date': the date of the update when it stands after the update
    column and its values are past, else the target date."""
    column = reading.columns.pop("date")
    after_update = bool(reading.updates) and column > reading.updates[0].column
    words = sum(1 for r in sheet.rows[reading.header_row:] if len(r) >= column and isinstance(r[column - 1], str)
                and not re.search(r"\d", r[column - 1]))
    name = "update_date" if after_update and not words else "target_date"
    if name in reading.columns:
        name = "update_date" if name == "target_date" else "target_date"
    if name in reading.columns:
        reading.extra[column] = reading.headers[column]
        return
    reading.columns[name] = column
    reading.notes.append(f"the column headed {reading.headers[column]!r} was read as the "
                         f"{'date of each update' if name == 'update_date' else 'target date'}")
