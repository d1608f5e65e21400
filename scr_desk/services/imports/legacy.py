"""Last quarter's hand-made tracker: rows become reviews, recommendations, actions and updates.

A tracker is never refused over a value: what cannot be placed becomes a question with a safe
default (kept as text, the field left unset), shown in the preview and on the command line.
A tracker has no keys, so items are matched by review name and number within the review:
importing the same tracker twice, or next quarter's copy, adds only what is new.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.models import AppMeta, Review
from scr_desk.domain.dates import DateError, format_uk, parse_uk_date
from scr_desk.domain.enums import ReviewType
from scr_desk.domain.rules import period_of, review_code
from scr_desk.excel.legacy import SheetMapping, detect_mapping, mapping_review_type
from scr_desk.excel.reader import SheetData, WorkbookData
from scr_desk.excel.tracker_layout import UpdateColumn
from scr_desk.excel.tracker_naming import guess_review_type, review_name
from scr_desk.excel.tracker_readings import (
    fiscal_year_in,
    heading_period,
    leading_number,
    read_target,
    split_number,
)
from scr_desk.excel.tracker_rows import read_rows
from scr_desk.excel.tracker_styles import SheetStyles
from scr_desk.excel.values import as_text
from scr_desk.services.imports.legacy_apply import ReviewNaming
from scr_desk.services.imports.plan import ImportPlan, Issue, Outcome, PlannedRow
from scr_desk.services.imports.tracker_items import TrackerItem, interpret
from scr_desk.services.imports.tracker_questions import (
    REVIEW_TYPES,
    Question,
    Questions,
    remembered_answers,
)
from scr_desk.services.imports.tracker_updates import SheetContext, Tally

MAPPING_PREFIX = "legacy_mapping:"
LegacyItem = TrackerItem  # the name the apply step and older callers know


def remembered_mapping(session: Session, layout_key: str) -> dict[str, int] | None:
    stored = session.scalar(select(AppMeta.value).where(AppMeta.key == MAPPING_PREFIX + layout_key))
    return json.loads(stored) if stored else None


def remember_mapping(session: Session, layout_key: str, columns: dict[str, int]) -> None:
    row = session.get(AppMeta, MAPPING_PREFIX + layout_key)
    if row is None:
        session.add(AppMeta(key=MAPPING_PREFIX + layout_key, value=json.dumps(columns)))
    else:
        row.value = json.dumps(columns)


def remember_mappings(session: Session, plan: ImportPlan, chosen: dict[str, dict[str, Any]]) -> None:
    """Keep the user's corrected mappings for files laid out the same way."""
    for sheet, override in chosen.items():
        detected = plan.mapping.get(sheet)
        if detected and override.get("columns"):
            remember_mapping(session, detected["layout"], override["columns"])


def _use_columns(mapping: SheetMapping, columns: dict[str, int]) -> None:
    """A corrected mapping: the chosen columns give the fields; other headed columns are kept as text."""
    mapping.columns = dict(columns)
    header = mapping.header
    if header is None:
        return
    header.columns = {k: v for k, v in columns.items() if k != "update"}
    chosen_update = columns.get("update")
    if chosen_update and chosen_update not in {u.column for u in header.updates}:
        period, day = heading_period(mapping.headers.get(chosen_update, ""), header.fiscal_year)
        header.updates = [UpdateColumn(chosen_update, mapping.headers.get(chosen_update, ""), period, day)]
    elif not chosen_update:
        header.updates = []
    used = set(header.columns.values()) | {u.column for u in header.updates}
    header.extra = {c: h for c, h in mapping.headers.items() if c not in used}


def sheet_mappings(session: Session, book: WorkbookData, overrides: dict[str, dict[str, Any]],
                   fiscal_hint: int | None = None) -> list[tuple[SheetMapping, SheetStyles | None]]:
    """Each tracker-like sheet's mapping: the user's correction, else one remembered for this
    layout, else the detected one."""
    found = []
    opened: dict[Any, Any] = {}
    for sheet in book.sheets:
        override = overrides.get(sheet.name)
        if override is not None and override.get("skip"):
            continue
        mapping = detect_mapping(sheet, book.path.stem, fiscal_hint=fiscal_hint)
        styles = None
        if mapping is not None:
            styles = SheetStyles(book.path, sheet.name, opened)
            if styles.hidden:  # read again, so that a hidden column never wins over a visible one
                mapping = detect_mapping(sheet, book.path.stem, styles.hidden, fiscal_hint) or mapping
        if override is not None:
            if mapping is None:
                header_row = int(override.get("header_row", 1))
                headers = {i: as_text(v) for i, v in enumerate(sheet.rows[header_row - 1] if sheet.rows else [], 1)}
                mapping = SheetMapping(sheet.name, header_row, {}, headers)
            _use_columns(mapping, {k: int(v) for k, v in override.get("columns", {}).items() if v})
            if override.get("review"):
                mapping.review_name, mapping.review_source = str(override["review"]), "chosen"
        elif mapping is not None and (remembered := remembered_mapping(session, mapping.layout_key)):
            _use_columns(mapping, {k: int(v) for k, v in remembered.items()})
        if mapping is not None and mapping.columns and mapping.header is not None:
            found.append((mapping, styles))
        elif styles is not None:
            styles.close()
    return found


def _as_at(texts: list[str], today: date) -> date:
    """The tracker's own date: 'Last updated 30/09/2026', 'Position as at 3 Dec 2026', 'Updated
    March 2024' (the month's last day); else today."""
    for text in texts:
        for match in re.finditer(r"\b(?:as at|updated|update|position at|position as at|at)\s*:?\s*"
                                 r"([A-Za-z]{3,9}\.?\s+\d{4})\b", text, re.IGNORECASE):
            found = read_target(match[1], date1904=False, fiscal_year=None).when
            if found is not None:
                return min(found, today)
        for match in re.finditer(r"\b(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)? \w+ \d{4})\b", text):
            try:
                found = parse_uk_date(match[1])
            except DateError:
                continue
            if found <= today:
                return found
    return today


class ReviewNames:
    """One question per review the tracker names: its name, code and type, editable."""

    def __init__(self, session: Session, questions: Questions) -> None:
        self.questions = questions
        self.existing = {r.name.casefold(): r for r in session.scalars(select(Review))}
        self.codes = {r.code for r in self.existing.values()}
        self.chosen: dict[str, ReviewNaming] = {}  # by the name's casefold
        self.types: dict[str, str] = {}  # name key -> the review type this file first gave it

    def resolve(self, name: str, review_type: str, source: str, where: str) -> tuple[str, str]:
        first = self.types.setdefault(name.casefold(), review_type)
        if "Other" not in (first, review_type) and first != review_type:
            # 'LCSPR – Child A' and 'Rapid Review – Child A' in one file are two reviews
            name = f"{name} ({ReviewType(review_type).short})"
            self.types.setdefault(name.casefold(), review_type)
        key = f"review:{name}"
        known = self.existing.get(name.casefold())
        if key not in self.questions.found:
            code = known.code if known else self._free_code(name)
            default = {"name": name, "code": code, "type": known.review_type.value if known else review_type}
            question = Question(key, "review", "review", f"Name, code and type of the review {name!r}",
                                default, REVIEW_TYPES, asked=source == "file", where=where)
            self.questions.ask(question)
        question = self.questions.found[key]
        answer = question.answer if isinstance(question.answer, dict) else {}
        value = {**question.default, **{k: str(v) for k, v in answer.items() if k in ("name", "code", "type") and v}}
        if value["type"] not in REVIEW_TYPES:
            try:
                value["type"] = ReviewType.from_text(value["type"]).value
            except ValueError:
                value["type"] = question.default["type"]
        self.chosen[value["name"].casefold()] = ReviewNaming(value["name"], value["code"], value["type"])
        return value["name"], value["type"]

    def _free_code(self, name: str) -> str:
        base = review_code(name)
        code, suffix = base, 1
        while code in self.codes:
            suffix += 1
            code = f"{base[:12 - len(str(suffix))]}{suffix}"
        self.codes.add(code)
        return code


def plan_legacy(session: Session, plan: ImportPlan, book: WorkbookData, today: date,
                overrides: dict[str, dict[str, Any]], answers: dict[str, Any] | None = None) -> None:
    questions = Questions({**remembered_answers(session), **(answers or {})})
    fiscal_hint = fiscal_year_in(book.path.stem)
    mappings = sheet_mappings(session, book, overrides, fiscal_hint)
    if not mappings:
        plan.file_errors.append(Issue(None, None, "no sheet looks like a recommendations tracker: no row in the "
                                      "first 30 has headings such as Recommendation, Action, Status or Update"))
        return
    names = ReviewNames(session, questions)
    if sum(1 for m, _ in mappings if m.review_source == "file") > 1:  # sheets naming no review: kept apart
        for mapping, _ in mappings:
            if mapping.review_source == "file":
                mapping.review_name = f"{mapping.review_name} – {mapping.sheet}"
    items: list[tuple[PlannedRow, TrackerItem]] = []
    cells = Tally()
    for mapping, styles in mappings:
        sheet = book.sheet(mapping.sheet)
        assert sheet is not None
        try:
            _plan_sheet(plan, book, sheet, mapping, styles, questions, names, today, items, cells)
        finally:
            if styles is not None:
                styles.close()
    plan.cells = {"mapped": cells.mapped, "kept_as_text": cells.kept_as_text, "skipped": cells.skipped}
    plan.answers = dict(answers or {})
    from scr_desk.services.imports.legacy_apply import match_items
    match_items(session, plan, items, names.chosen)
    plan.questions = questions.as_json()
    for question in questions.open_questions():
        plan.notes.append(Issue(None, None, f"{question.text.rstrip('?;. ')}: taken as {_shown(question.default)} "
                                            f"({question.count} {'cell' if question.count == 1 else 'cells'}, "
                                            f"first at {question.where}); answer it to change that"))


def _latest_update_date(rows: list[Any], date1904: bool, today: date) -> date | None:
    found = []
    for line in rows:
        raw = line.values.get("update_date") if line.kind == "item" else None
        if raw is not None:
            reading = read_target(raw, date1904=date1904, fiscal_year=None)
            if reading.when and not reading.note and reading.when <= today:
                found.append(reading.when)
    return max(found) if found else None


def _guess_year(column: UpdateColumn, start: int) -> UpdateColumn:
    if column.period is not None:
        return column
    period, day = heading_period(column.heading, start)
    return replace(column, period=period, day=day, guessed=period is not None)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v!r}" for k, v in value.items())
    return repr(value) if value not in ("", None) else "no value"


def _plan_sheet(plan: ImportPlan, book: WorkbookData, sheet: SheetData, mapping: SheetMapping,
                styles: SheetStyles | None, questions: Questions, names: ReviewNames, today: date,
                items: list[tuple[PlannedRow, TrackerItem]], cells: Tally) -> None:
    header = mapping.header
    assert header is not None
    plan.mapping[mapping.sheet] = {**mapping.as_json(), "layout": mapping.layout_key}
    plan.headings[mapping.sheet] = dict(mapping.headers)
    for text in mapping.ignored:
        plan.notes.append(Issue(mapping.sheet, mapping.header_row, text))
    reading = read_rows(sheet, header)
    as_at = _as_at([reading.as_at, *mapping.title_lines, book.path.stem], today)
    if as_at == today and "update_date" in header.columns:  # the latest date an update was given
        as_at = _latest_update_date(reading.rows, book.date1904, today) or today
    guessed = {}
    if header.fiscal_year is None:  # 'Q2' with no year anywhere: the year of the tracker's date, asked
        guessed = {u.column: _guess_year(u, period_of(as_at).start_year) for u in header.updates}
    unnamed = [u for u in header.updates if guessed.get(u.column, u).period is None]
    if len(unnamed) > 1:  # 'Update 1', 'Update 2', …: consecutive quarters up to the tracker's date, asked
        period = period_of(as_at)
        for column in reversed(unnamed):
            guessed[column.column] = replace(column, period=period, guessed=True)
            period = period.previous()
    if guessed:
        header.updates = [guessed.get(u.column, u) for u in header.updates]
        for line in reading.rows:
            line.updates = [(guessed.get(c.column, c), v) for c, v in line.updates]
    # RAG given only by colour: the RAG column's fill, else the status column's
    rag_column = header.columns.get("rag") or header.columns.get("status")
    ctx = SheetContext(mapping.sheet, questions, book.date1904, header.fiscal_year or fiscal_year_in(reading.as_at),
                       as_at, today, len(header.updates) <= 1, scale=reading.scale)
    if rag_column and styles is not None:
        ctx.rag_fill = lambda row: styles.rag_fill(row, rag_column)
    if not header.columns.keys() & {"rec_number", "rec_text", "rec_or_action"} and mapping.title_lines:
        # a table of actions under 'Recommendation 2: Carers' (a Word table, a sheet per recommendation)
        found = leading_number(mapping.title_lines[-1])
        if found and (number := split_number(found[0])) and not number[1]:
            ctx.last_rec = (number[0], found[1])
    sheet_type = mapping_review_type(mapping, book.path.stem)
    review, review_type = "", sheet_type  # the sheet's own review is named when its first item needs it
    for line in reading.rows:
        planned = PlannedRow(mapping.sheet, line.row, Outcome.SKIPPED)
        if line.kind in ("skip", "section"):
            planned.shown = {"Row": " · ".join(as_text(v) for v in sheet.rows[line.row - 1] if as_text(v))[:140]}
        if line.kind == "skip":
            planned.message = f"not an item: {line.reason}"
            cells.skipped += line.filled
            plan.rows.append(planned)
            continue
        if line.kind == "section":
            name = review_name(line.section)
            named_type = guess_review_type(line.section)
            review, review_type = names.resolve(name, sheet_type if named_type == "Other" else named_type,
                                                "section", f"sheet {mapping.sheet!r}, row {line.row}")
            ctx.last_rec, ctx.last_action = ("", ""), ("", "")
            planned.message = f"section header: the review {review!r} starts here"
            cells.mapped += line.filled
            plan.rows.append(planned)
            continue
        row_review, row_type = review, review_type
        if mapping.review_source == "column":
            named = as_text(line.values.get("review"))
            if named:
                named_type = guess_review_type(named)
                row_review, row_type = names.resolve(review_name(named) or named,
                                                     sheet_type if named_type == "Other" else named_type,
                                                     "column", f"sheet {mapping.sheet!r}, row {line.row}")
                if row_review != review:
                    ctx.last_rec, ctx.last_action = ("", ""), ("", "")
                review, review_type = row_review, row_type
            elif not review:
                row_review, row_type = names.resolve(review_name(book.path.stem) or book.path.stem, sheet_type,
                                                     "file", f"sheet {mapping.sheet!r}")
        elif not review:
            review, review_type = names.resolve(mapping.review_name, sheet_type, mapping.review_source,
                                                f"sheet {mapping.sheet!r}")
            row_review, row_type = review, review_type
        if "review" in line.own:
            cells.mapped += 1
        cells.skipped += line.outside
        planned.shown = _file_says(line)
        item, tally = interpret(line, ctx, row_review, row_type)
        cells.mapped += tally.mapped
        cells.kept_as_text += tally.kept_as_text
        cells.skipped += tally.skipped
        if item is None:
            planned.message = "not an item: no recommendation, action or update on this row"
            cells.skipped += max(0, line.filled - tally.mapped - tally.kept_as_text - tally.skipped)
            plan.rows.append(planned)
            continue
        if items and not line.own & IDENTITY and _continues(items[-1], item, line.row):
            planned.message = f"continues row {items[-1][0].row}: its words are added to that row's update"
            plan.rows.append(planned)
            continue
        planned.outcome = Outcome.UNCHANGED
        plan.rows.append(planned)
        items.append((planned, item))


def _file_says(line: Any) -> dict[str, str]:
    """What the row says, for the preview: its own cells by field, the newest update first."""
    from scr_desk.excel.tracker_layout import FIELDS
    shown = {"Update": _as_shown(line.updates[-1][1])} if line.updates else {}
    shown.update({FIELDS.get(name, name): _as_shown(value) for name, value in line.values.items()
                  if name in line.own and name != "update"})
    return shown


def _as_shown(value: Any) -> str:
    """A cell as the preview shows it: a real date cell dd/mm/yyyy, as everywhere in the interface."""
    if isinstance(value, datetime) and value.time() == time(0):
        value = value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_uk(value)
    return as_text(value)


IDENTITY = {"rec_number", "rec_text", "rec_or_action", "action_text", "action_number"}


def _continues(previous: tuple[PlannedRow, TrackerItem], item: TrackerItem, row: int) -> bool:
    """A row that names no item and follows one (its update run on into the next row) adds its
    words to that item's updates of the same period, and any value it gives."""
    _, before = previous
    if (before.review, before.rec_number, before.action_text) != (item.review, item.rec_number, item.action_text):
        return False
    for update in item.updates:
        same = next((u for u in before.updates if u["period"] == update["period"]), None)
        if same is None:
            before.updates.append(update)
        elif update["narrative"]:
            same["narrative"] = "\n".join(x for x in (same["narrative"], update["narrative"]) if x)
            same["evidence"] = "\n".join(x for x in (same["evidence"], update["evidence"]) if x)
    values = before.action_values if before.action_text else before.rec_values
    values.update({k: v for k, v in (item.action_values if item.action_text else item.rec_values).items()
                   if v not in (None, "") and k != "text"})
    before.notes.extend(item.notes)
    return True
