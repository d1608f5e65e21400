"""Last quarter's hand-made tracker: rows become reviews, recommendations, actions and updates.

A tracker has no keys, so items are matched by their natural names (review name, recommendation
number, action text): importing the same tracker twice finds everything already there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.models import AppMeta
from scr_desk.domain.dates import DateError
from scr_desk.domain.enums import Rag, Status
from scr_desk.domain.rules import period_of
from scr_desk.excel.fills import rag_fills
from scr_desk.excel.legacy import FIELDS, LegacyRow, SheetMapping, data_rows, detect_mapping, guess_review_type
from scr_desk.excel.reader import WorkbookData
from scr_desk.excel.values import as_date, as_text
from scr_desk.services.imports.plan import ImportPlan, Issue, Outcome, PlannedRow

STATUS_WORDS = {"complete": Status.COMPLETE, "completed": Status.COMPLETE, "done": Status.COMPLETE,
                "ongoing": Status.IN_PROGRESS, "open": Status.IN_PROGRESS, "in progress": Status.IN_PROGRESS,
                "on track": Status.IN_PROGRESS, "started": Status.IN_PROGRESS, "not started": Status.NOT_STARTED,
                "closed": Status.ASSURED, "assured": Status.ASSURED, "embedded": Status.EMBEDDED,
                "on hold": Status.ON_HOLD, "superseded": Status.SUPERSEDED, "withdrawn": Status.WITHDRAWN}
MAPPING_PREFIX = "legacy_mapping:"


@dataclass
class LegacyItem:
    """One tracker row's meaning: where it belongs, and what it adds or changes there."""

    review: str
    review_type: str
    rec_number: str
    rec_values: dict[str, Any]
    action_text: str
    action_values: dict[str, Any]
    update: dict[str, Any] | None
    agencies: list[str] = field(default_factory=list)


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


def sheet_mappings(session: Session, book: WorkbookData, overrides: dict[str, dict[str, Any]]) -> list[SheetMapping]:
    """Each tracker-like sheet's mapping: the user's correction, else one remembered for this
    layout, else the detected one."""
    found = []
    for sheet in book.sheets:
        mapping = detect_mapping(sheet, book.path.stem)
        override = overrides.get(sheet.name)
        if override is not None:
            if override.get("skip"):
                continue
            if mapping is None:
                header_row = int(override.get("header_row", 1))
                headers = {i: as_text(v) for i, v in enumerate(sheet.rows[header_row - 1] if sheet.rows else [], 1)}
                mapping = SheetMapping(sheet.name, header_row, {}, headers)
            mapping.columns = {k: int(v) for k, v in override.get("columns", {}).items() if v}
            if override.get("review"):
                mapping.review_name, mapping.review_source = str(override["review"]), "chosen"
        elif mapping is not None and (remembered := remembered_mapping(session, mapping.layout_key)):
            mapping.columns = {k: int(v) for k, v in remembered.items()}
        if mapping is not None and mapping.columns:
            found.append(mapping)
    return found


def plan_legacy(session: Session, plan: ImportPlan, book: WorkbookData, today: date,
                overrides: dict[str, dict[str, Any]]) -> None:
    mappings = sheet_mappings(session, book, overrides)
    if not mappings:
        plan.file_errors.append(Issue(None, None, "no sheet looks like a recommendations tracker: no row in the "
                                      "first 30 has headings such as Recommendation, Action, Status or Update"))
        return
    items: list[tuple[PlannedRow, LegacyItem]] = []
    for mapping in mappings:
        sheet = book.sheet(mapping.sheet)
        assert sheet is not None
        plan.mapping[mapping.sheet] = {**mapping.as_json(), "layout": mapping.layout_key}
        plan.headings[mapping.sheet] = dict(mapping.headers)
        for text in mapping.ignored:
            plan.notes.append(Issue(mapping.sheet, mapping.header_row, f"the column {text!r} was not used (another "
                                    f"column already gives that field); correct the mapping to use it instead"))
        rows = data_rows(sheet, mapping)
        fills: dict[int, str] = {}
        if "rag" in mapping.columns and rows:
            fills = rag_fills(book.path, sheet.name, mapping.columns["rag"], rows[0].row, rows[-1].row)
        if "update_date" not in mapping.columns and "update" in mapping.columns:
            plan.notes.append(Issue(mapping.sheet, mapping.header_row, "there is no date column, so updates are "
                                    f"dated today ({today:%d/%m/%Y}), in {period_of(today)}"))
        for row in rows:
            planned = PlannedRow(mapping.sheet, row.row, Outcome.UNCHANGED)
            try:
                item = _interpret(row, mapping, fills.get(row.row), book.date1904, today)
            except _Invalid as exc:
                planned.outcome, planned.column, planned.message = Outcome.ERROR, exc.column, str(exc)
                plan.rows.append(planned)
                continue
            if item is None:
                planned.outcome = Outcome.WARNING
                planned.message = "no recommendation, action or update on this row; it was left out"
                plan.rows.append(planned)
                continue
            plan.rows.append(planned)
            items.append((planned, item))
    _match(session, plan, items)


class _Invalid(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _interpret(row: LegacyRow, mapping: SheetMapping, fill_rag: str | None, date1904: bool,
               today: date) -> LegacyItem | None:
    value = lambda name: as_text(row.values.get(name))  # noqa: E731
    where = lambda name: f"{FIELDS[name]} ({row.cells[name]})"  # noqa: E731
    rec_number, rec_text, action_text = value("rec_number"), value("rec_text"), value("action_text")
    update_text, evidence = value("update"), value("evidence")
    if not (rec_number or rec_text or action_text):
        return None
    dates = {}
    for name in ("target_date", "update_date"):
        try:
            dates[name] = as_date(row.values.get(name), date1904=date1904) if name in mapping.columns else None
        except DateError as exc:
            raise _Invalid(where(name), f"{exc}; write it as dd/mm/yyyy") from None
    status = None
    if value("status"):
        status = STATUS_WORDS.get(" ".join(value("status").casefold().split()))
        if status is None:
            try:
                status = Status.from_text(value("status"))
            except ValueError:
                raise _Invalid(where("status"), f"{value('status')!r} is not a status SCR Desk knows "
                                                f"({', '.join(s.value for s in Status)})") from None
    rag = None
    if value("rag"):
        try:
            rag = Rag.parse(value("rag"))
        except ValueError as exc:
            raise _Invalid(where("rag"), str(exc)) from None
    elif fill_rag:
        rag = Rag(fill_rag)
    review = value("review") if mapping.review_source == "column" else mapping.review_name
    if not review:
        raise _Invalid(where("review") if "review" in row.cells else "review", "no review is named for this row")
    target_values = {k: v for k, v in {"status": status, "rag": rag, "target_date": dates["target_date"]}.items()
                     if v is not None}
    agency = value("lead_agency")
    rec_values: dict[str, Any] = {"text": rec_text} if rec_text else {}
    action_values: dict[str, Any] = {}
    if action_text:
        action_values = {**target_values, "owner_name": value("owner"), "owner_agency": agency}
        if value("action_number"):
            action_values["number"] = value("action_number")
    else:
        rec_values.update(target_values)
    if agency:
        rec_values.setdefault("lead_agency", agency)
    update = None
    if update_text or evidence:
        as_at = dates["update_date"] or today
        update = {"as_at": as_at, "period": str(period_of(as_at)), "narrative": update_text, "evidence": evidence,
                  "status": status, "rag": rag, "agency": agency, "author": value("owner")}
    return LegacyItem(review, guess_review_type(mapping.title, mapping.sheet), rec_number, rec_values,
                      action_text, action_values, update, [agency] if agency else [])


def _match(session: Session, plan: ImportPlan, items: list[tuple[PlannedRow, LegacyItem]]) -> None:
    from scr_desk.services.imports.legacy_apply import match_items
    match_items(session, plan, items)
