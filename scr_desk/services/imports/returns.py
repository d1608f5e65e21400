"""Planning a partner's return: each row matched by its hidden key, never by position."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.models import Action, Agency, Recommendation, Review, Update
from scr_desk.domain.dates import DateError, format_uk
from scr_desk.domain.enums import Rag, Status
from scr_desk.domain.rules import action_reference, recommendation_reference
from scr_desk.excel.layout import RETURN_COLUMNS, RETURN_LOCKED_KEYS
from scr_desk.excel.returns_reader import ParsedReturn, ReturnRow
from scr_desk.excel.values import as_date, as_text, cell_name, normalise
from scr_desk.services.imports.plan import FieldChange, ImportPlan, Issue, Outcome, PlannedRow

HEADERS = {c.key: c.header for c in RETURN_COLUMNS}
ITEM_FIELDS = (("status", "Status"), ("rag", "RAG"), ("revised_target_date", "Revised target"))


@dataclass
class ReturnChange:
    """What applying one row does: an update on an item, and the item's new values."""

    kind: str
    item_id: int
    item_uid: str
    version: int  # the item's version when planned: apply refuses if it has moved since
    update: dict[str, Any] | None
    item_changes: dict[str, Any] = field(default_factory=dict)


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, date):
        return format_uk(value)
    return getattr(value, "value", str(value))


class _Items:
    """The database's side: items by key, with their reference and current state."""

    def __init__(self, session: Session, keys: set[str]) -> None:
        rec_uids = {k.split(":", 1)[1] for k in keys if k.startswith("recommendation:")}
        act_uids = {k.split(":", 1)[1] for k in keys if k.startswith("action:")}
        codes = dict(session.execute(select(Review.id, Review.code)).all())
        self.found: dict[str, tuple[str, Any, str]] = {}
        # Plain rows with the columns planning reads: ORM objects cost more and hold the GIL longer.
        def columns(model: Any) -> tuple:
            return (model.id, model.uid, model.number, model.version, model.status, model.rag,
                    model.revised_target_date)
        for rec in session.execute(select(*columns(Recommendation), Recommendation.review_id)
                                   .where(Recommendation.uid.in_(rec_uids))):
            self.found[f"recommendation:{rec.uid}"] = ("recommendation", rec,
                                                       recommendation_reference(codes[rec.review_id], rec.number))
        actions = list(session.execute(select(*columns(Action), Action.recommendation_id)
                                       .where(Action.uid.in_(act_uids))))
        parents = dict(((i, (r, n)) for i, r, n in session.execute(  # one query, not one per action
            select(Recommendation.id, Recommendation.review_id, Recommendation.number)
            .where(Recommendation.id.in_({a.recommendation_id for a in actions})))))
        for action in actions:
            review_id, number = parents[action.recommendation_id]
            self.found[f"action:{action.uid}"] = ("action", action,
                                                  action_reference(codes[review_id], number, action.number))


def plan_return(session: Session, plan: ImportPlan, parsed: ParsedReturn, database_uid: str,
                date1904: bool, today: date) -> None:
    facts = parsed.facts
    if facts.get("database_uid") != database_uid:
        plan.file_errors.append(_file_issue(parsed, "this return was exported from a different SCR Desk database "
                                                    f"(id {facts.get('database_uid')}); import it into that one"))
        return
    agency = session.scalar(select(Agency).where(Agency.uid == facts.get("agency_uid")))
    if agency is None:
        plan.file_errors.append(_file_issue(parsed, f"the agency this return was sent to ({facts.get('agency')}) "
                                                    "is no longer in the database"))
        return
    period = as_text(facts.get("period"))
    keys = Counter(as_text(r.values.get("key")) for r in parsed.rows)
    items = _Items(session, {k for k in keys if k})
    # Updates this agency already gave for this period on these items, found in one query
    # rather than one per row: what makes a second import of the same return add nothing.
    already: set[tuple[str, int, str, str]] = set()
    ids = {kind: [item.id for k, (found_kind, item, _) in items.found.items() if found_kind == kind]
           for kind in ("recommendation", "action")}
    for rec_id, action_id, narrative, evidence in session.execute(
            select(Update.recommendation_id, Update.action_id, Update.narrative, Update.evidence).where(
                Update.period == period, Update.agency_id == agency.id,
                Update.recommendation_id.in_(ids["recommendation"]) | Update.action_id.in_(ids["action"]))):
        already.add(("recommendation", rec_id, narrative, evidence) if rec_id else ("action", action_id, narrative, evidence))
    key_column = cell_name(1, parsed.columns["key"])[:-1]
    for row in parsed.rows:
        key = as_text(row.values.get("key"))
        inputs = {k: row.values.get(k) for k in ("update", "evidence", "proposed_status", "proposed_rag",
                                                   "revised_target", "completed_by")}
        filled = any(as_text(v) for v in inputs.values())
        if not key:
            if filled:
                plan.rows.append(PlannedRow(parsed.sheet, row.row, Outcome.ERROR, message=
                                            "this row has no key (was it added by hand?); put the update on the "
                                            "row SCR Desk exported for the item", column=f"column {key_column}"))
            continue
        if keys[key] > 1:
            plan.rows.append(PlannedRow(parsed.sheet, row.row, Outcome.ERROR, message=
                                        f"the key {key} appears {keys[key]} times in this sheet (a copied row?); "
                                        "keep one row per item", column=f"column {key_column}"))
            continue
        if key not in items.found:
            known = key in parsed.baseline
            plan.rows.append(PlannedRow(parsed.sheet, row.row, Outcome.ERROR, message=(
                "this item has been deleted from the database since the return was exported" if known else
                f"the key {key} is not one SCR Desk exported (was it edited?)"), column=f"column {key_column}"))
            continue
        planned = _plan_row(parsed, row, key, items.found[key], inputs, filled, agency.id,
                            period, date1904, today, already)
        plan.rows.append(planned)
        edits = _locked_edits(parsed, row, key)
        if edits:  # reported and not applied; the row's own update still is
            note = "locked column edited, not applied: " + "; ".join(edits)
            if planned.outcome is Outcome.UNCHANGED:
                planned.outcome, planned.message = Outcome.WARNING, note
            else:
                plan.rows.append(PlannedRow(parsed.sheet, row.row, Outcome.WARNING, planned.reference, note))


def _file_issue(parsed: ParsedReturn, message: str) -> Issue:
    return Issue(parsed.sheet, None, message)


def _plan_row(parsed: ParsedReturn, row: ReturnRow, key: str, found: tuple[str, Any, str],
              inputs: dict[str, Any], filled: bool, agency_id: int, period: str, date1904: bool,
              today: date, already: set[tuple[str, int, str, str]]) -> PlannedRow:
    kind, item, reference = found
    planned = PlannedRow(parsed.sheet, row.row, Outcome.UNCHANGED, reference)
    # Validation comes first: a bad value is an error even on a row that otherwise changed nothing.
    try:
        status = Status.from_text(as_text(inputs["proposed_status"])) if as_text(inputs["proposed_status"]) else None
    except ValueError:
        return _error(planned, parsed, "proposed_status", row, f"{as_text(inputs['proposed_status'])!r} is not a "
                      "status; choose one from the list")
    try:
        rag = Rag.parse(as_text(inputs["proposed_rag"])) if as_text(inputs["proposed_rag"]) else None
    except ValueError:
        return _error(planned, parsed, "proposed_rag", row, f"{as_text(inputs['proposed_rag'])!r} is not a RAG "
                      "rating; use Red, Amber, Green or Blue")
    try:
        revised = as_date(inputs["revised_target"], date1904=date1904)
    except DateError as exc:
        return _error(planned, parsed, "revised_target", row, f"{exc}; write the date as dd/mm/yyyy")
    narrative, evidence = as_text(inputs["update"]), as_text(inputs["evidence"])
    author = as_text(inputs["completed_by"])
    wanted = {"status": status, "rag": rag, "revised_target_date": revised}
    changes = tuple(FieldChange(name, label, _show(getattr(item, name)), _show(wanted[name]))
                    for name, label in ITEM_FIELDS if wanted[name] is not None and wanted[name] != getattr(item, name))
    if not filled:
        planned.message = "nothing filled in"
        return planned
    duplicate = (kind, item.id, narrative, evidence) in already
    if duplicate and not changes:
        planned.message = "already imported: this update is in the item's history"
        return planned
    update = None
    if not duplicate and (narrative or evidence or status or rag or revised):
        update = {"as_at": today, "period": period, "agency_id": agency_id, "author": author,
                  "narrative": narrative, "evidence": evidence, "status": status, "rag": rag}
    planned.payload = ReturnChange(kind, item.id, item.uid, item.version, update,
                                   {c.field: wanted[c.field] for c in changes})
    planned.changes = changes
    planned.adds_update = update is not None
    planned.outcome = Outcome.NEW_UPDATE if update is not None else Outcome.CHANGED
    baseline = parsed.baseline.get(key)
    if changes and baseline is not None and baseline.version != item.version:
        planned.outcome = Outcome.CONFLICT
        planned.message = ("changed in the database since the return was exported, and the return proposes "
                           "changes too: choose which side to keep")
        planned.sides = tuple((c.label, c.before, c.after) for c in changes)
    return planned


def _error(planned: PlannedRow, parsed: ParsedReturn, key: str, row: ReturnRow, message: str) -> PlannedRow:
    planned.outcome = Outcome.ERROR
    planned.column = f"{HEADERS[key]} ({cell_name(row.row, parsed.columns[key])})"
    planned.message = message
    return planned


def _locked_edits(parsed: ParsedReturn, row: ReturnRow, key: str) -> list[str]:
    baseline = parsed.baseline.get(key)
    if baseline is None:
        return []
    edits = []
    for name in RETURN_LOCKED_KEYS:
        if name not in parsed.columns:
            continue
        sent = " ".join(baseline.locked.get(name, "").split())
        now = normalise(row.values.get(name))
        if sent != now:
            edits.append(f"{HEADERS[name]} ({cell_name(row.row, parsed.columns[name])}) was changed from "
                         f"{sent[:60] or 'blank'!r} to {now[:60] or 'blank'!r}")
    return edits
