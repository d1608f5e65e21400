"""The full workbook: every record matched by its uid; new ones created with their own keys,
identical ones left alone. Into an empty database it restores exactly.

A full workbook never takes the database back in time. What it says about itself (a record's
version number included) is not believed, so a record that differs from the database's is a
conflict, shown side by side and kept as the database has it unless the lead chooses the file's;
taking the file's moves the record's version forward, never back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from scr_desk.db.models import (
    Action, Agency, Attendee, Decision, Meeting, Recommendation, Review, Update, recommendation_contributor,
)
from scr_desk.domain.dates import DateError
from scr_desk.domain.enums import AssuranceDecision, Rag, ReviewStatus, ReviewType, Scope, SourceKind, Status
from scr_desk.excel.full_reader import FullRecord
from scr_desk.excel.values import as_date, as_text, cell_name
from scr_desk.services.search import upkeep_for
from scr_desk.services.imports.plan import ConflictChoice, FieldChange, ImportPlan, Outcome, PlannedRow

MODELS: dict[str, Any] = {"Agencies": Agency, "Reviews": Review, "Recommendations": Recommendation,
                          "Actions": Action, "Meetings": Meeting, "Attendees": Attendee, "Updates": Update,
                          "Decisions": Decision}
ENTITY = {"Agencies": "agency", "Reviews": "review", "Recommendations": "recommendation", "Actions": "action",
          "Meetings": "meeting", "Attendees": "attendee", "Updates": "update", "Decisions": "decision"}
ENUMS: dict[str, Any] = {"review_type": ReviewType, "status": None, "scope": Scope, "rag": Rag,
                         "source_kind": SourceKind, "decision": AssuranceDecision}
# Foreign keys given as uids in the workbook: column -> (id column, sheet the uid belongs to)
PARENTS = {"review_uid": ("review_id", "Reviews"), "recommendation_uid": ("recommendation_id", "Recommendations"),
           "action_uid": ("action_id", "Actions"), "lead_agency_uid": ("lead_agency_id", "Agencies"),
           "owner_agency_uid": ("owner_agency_id", "Agencies"), "agency_uid": ("agency_id", "Agencies"),
           "meeting_uid": ("meeting_id", "Meetings")}
REQUIRED_PARENT = {"Recommendations": "review_uid", "Actions": "recommendation_uid", "Attendees": "meeting_uid",
                   "Decisions": "meeting_uid"}


@dataclass
class FullPayload:
    records: dict[str, list[tuple[PlannedRow, dict[str, Any]]]] = field(default_factory=dict)
    held_back: set[str] = field(default_factory=set)  # uids the database deleted: inserted only if taken


class _Invalid(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _convert(sheet: str, record: FullRecord, date1904: bool) -> dict[str, Any]:
    """Typed column values for the model, parents still as uids."""
    model = MODELS[sheet]
    table_columns = {c.key: c for c in model.__table__.columns}
    out: dict[str, Any] = {}
    for key, raw in record.values.items():
        where = f"{key} ({cell_name(record.row, record.columns[key])})"
        if key in PARENTS or key == "contributor_uids":
            out[key] = as_text(raw)
            continue
        column = table_columns.get(key)
        if column is None:
            continue  # readable extras such as names and references
        try:
            out[key] = _typed(key, column, raw, date1904, sheet)
        except (ValueError, DateError) as exc:
            raise _Invalid(where, str(exc)) from None
    if not out.get("uid"):
        raise _Invalid(f"uid ({cell_name(record.row, record.columns['uid'])})", "every record needs its uid")
    return out


def _typed(key: str, column: Any, raw: Any, date1904: bool, sheet: str) -> Any:
    python_type = column.type.python_type if hasattr(column.type, "python_type") else str
    text = as_text(raw)
    if key in ENUMS:
        kind = ENUMS[key] or (ReviewStatus if sheet == "Reviews" else Status)
        if not text:
            if column.nullable:
                return None
            raise ValueError("a value is needed")
        return kind.from_text(text) if kind is not Rag else Rag.parse(text)
    if python_type is datetime:
        return datetime.fromisoformat(text) if text else None
    if python_type.__name__ == "date":
        # The full workbook restores what the database held, dates the lead kept outside
        # 2000–2100 included; partners' returns and trackers are held to that range.
        return as_date(raw, date1904=date1904, allow_any=True)
    if python_type is int:
        if not text:
            return None
        return int(float(text))
    if not text and column.nullable:
        return None
    return raw if isinstance(raw, str) else text


def plan_full(session: Session, plan: ImportPlan, records: dict[str, list[FullRecord]], date1904: bool) -> None:
    from scr_desk.services.imports.full_trust import admit, hold_back_deleted
    if not admit(session, plan):  # whose workbook it is, before anything in it is read
        return
    payload = FullPayload()
    plan.payload = payload
    known: dict[str, set[str]] = {sheet: set(session.scalars(select(model.uid))) for sheet, model in MODELS.items()}
    in_file = {sheet: {as_text(r.values.get("uid")) for r in rows} for sheet, rows in records.items()}
    created = {"reviews": 0, "recommendations": 0, "actions": 0}
    contributors: dict[str, list[int]] = defaultdict(list)
    rec_uids = dict(session.execute(select(Recommendation.id, Recommendation.uid)).all())
    for rec_id, agency_id in session.execute(select(recommendation_contributor)):
        contributors[rec_uids[rec_id]].append(agency_id)
    agency_uids = dict(session.execute(select(Agency.id, Agency.uid)).all())
    for sheet, rows in records.items():
        model = MODELS[sheet]
        payload.records[sheet] = []
        # The records this sheet already has, read once as plain rows (comparing needs no ORM
        # objects; apply loads the few it changes): not one query per row.
        wanted = {as_text(r.values.get("uid")) for r in rows}
        stored = {row.uid: row for row in session.execute(select(model.__table__))
                  if row.uid in wanted} if wanted else {}
        for record in rows:
            planned = PlannedRow(sheet, record.row, Outcome.NEW_ITEM, as_text(record.values.get("reference"))
                                 or as_text(record.values.get("name")) or as_text(record.values.get("uid")))
            try:
                values = _convert(sheet, record, date1904)
                _check_parents(sheet, values, known, in_file)
            except _Invalid as exc:
                planned.outcome, planned.column, planned.message = Outcome.ERROR, exc.column, str(exc)
                plan.rows.append(planned)
                continue
            existing = stored.get(values["uid"])
            clash = _clash(session, sheet, values, existing, payload)
            if clash:
                planned.outcome, planned.message = Outcome.ERROR, clash
                plan.rows.append(planned)
                continue
            if existing is not None:
                changes = _differences(existing, values, contributors.get(values["uid"]), agency_uids)
                planned.changes = tuple(changes)
                planned.outcome = Outcome.UNCHANGED
                if changes:
                    _changed_or_conflict(planned, existing, values)
            else:
                planned.message = f"new {ENTITY[sheet]}"
                planned.adds_update = sheet == "Updates"
                key = {"Reviews": "reviews", "Recommendations": "recommendations", "Actions": "actions"}.get(sheet)
                if key:
                    created[key] += 1
            plan.rows.append(planned)
            payload.records[sheet].append((planned, values))
    payload.held_back = hold_back_deleted(session, payload.records, ENTITY, PARENTS)
    for planned, _ in (pair for rows in payload.records.values() for pair in rows):
        key = {"Reviews": "reviews", "Recommendations": "recommendations", "Actions": "actions"}.get(planned.sheet)
        if key and planned.outcome is Outcome.CONFLICT and planned.column == "record":
            created[key] -= 1  # held back: created only if the lead takes it
    plan.created = created


def _clash(session: Session, sheet: str, values: dict[str, Any], existing: Any, payload: FullPayload) -> str:
    """A different record already holding this name, code or number (they must be unique)."""
    uid = values["uid"]
    if sheet == "Agencies":
        from scr_desk.domain.names import name_key
        for column, found in (("name", Agency.name_key == name_key(str(values.get("name") or ""))),
                              ("code", Agency.code == values.get("code"))):
            other = session.scalar(select(Agency.uid).where(found))
            if other and other != uid:
                return f"another agency already has the {column} {values.get(column)!r}"
    if sheet == "Reviews":
        other = session.scalar(select(Review.uid).where(Review.code == values.get("code")))
        if other and other != uid:
            return f"another review already uses the code {values.get('code')!r}"
    if sheet == "Recommendations" and existing is None:
        review = session.scalar(select(Review.id).where(Review.uid == values.get("review_uid")))
        if review is not None and session.scalar(select(Recommendation.uid).where(
                Recommendation.review_id == review, Recommendation.number == values.get("number"))):
            return f"the review already has a recommendation numbered {values.get('number')!r}"
    return ""


def _check_parents(sheet: str, values: dict[str, Any], known: dict[str, set[str]],
                   in_file: dict[str, set[str]]) -> None:
    for key, (_, parent_sheet) in PARENTS.items():
        uid = values.get(key)
        if uid and uid not in known[parent_sheet] and uid not in in_file.get(parent_sheet, set()):
            raise _Invalid(key, f"refers to {ENTITY[parent_sheet]} {uid}, which is neither in the database nor "
                                "in this workbook")
    required = REQUIRED_PARENT.get(sheet)
    if required and not values.get(required):
        raise _Invalid(required, "is empty, so the record has nowhere to belong")
    if sheet in ("Updates", "Decisions") and bool(values.get("recommendation_uid")) == bool(values.get("action_uid")):
        raise _Invalid("recommendation_uid", "must name a recommendation or an action (exactly one)")
    for uid in (values.get("contributor_uids") or "").split(";"):
        if uid.strip() and uid.strip() not in known["Agencies"] | in_file["Agencies"]:
            raise _Invalid("contributor_uids", f"refers to agency {uid.strip()}, which is not known")


def _differences(obj: Any, values: dict[str, Any], contributor_ids: list[int] | None,
                 agency_uids: dict[int, str]) -> list[FieldChange]:
    changes = []
    for key, value in values.items():
        if key in PARENTS or key in ("contributor_uids", "uid", "version") or not hasattr(obj, key):
            continue
        if getattr(obj, key) != value:
            changes.append(FieldChange(key, key.replace("_", " "), as_text(getattr(obj, key)), as_text(value)))
    if "contributor_uids" in values:
        now = sorted(agency_uids[i] for i in contributor_ids or [])
        wanted = sorted(u.strip() for u in values["contributor_uids"].split(";") if u.strip())
        if now != wanted:
            changes.append(FieldChange("contributors", "contributors", "; ".join(now), "; ".join(wanted)))
    return changes


def _changed_or_conflict(planned: PlannedRow, existing: Any, values: dict[str, Any]) -> None:
    """The database's record is kept unless the lead chooses the file's: an older copy (or one
    whose version cell was edited) must never silently put last quarter back."""
    planned.outcome, planned.choice = Outcome.CONFLICT, ConflictChoice.SKIP
    planned.sides = tuple((c.label, "", c.before, c.after) for c in planned.changes)
    planned.column = ", ".join(c.label for c in planned.changes)
    planned.message = "the database's record differs from the workbook's"  # the choice is said with it


def apply_full(writer: Any, plan: ImportPlan) -> None:
    """Insert new records with their own uids (parents first), change the differing ones. A whole
    partnership's workbook (a new laptop) suspends the search index's upkeep and rebuilds it once."""
    session: Session = writer.session
    payload: FullPayload = plan.payload
    new_updates = sum(1 for planned, _ in payload.records.get("Updates", []) if planned.outcome is Outcome.NEW_ITEM)
    with upkeep_for(session, new_updates):
        _apply_records(session, writer, payload)


def _apply_records(session: Session, writer: Any, payload: FullPayload) -> None:
    ids: dict[str, dict[str, int]] = {}
    for sheet in ("Agencies", "Reviews", "Recommendations", "Actions", "Meetings", "Attendees", "Updates", "Decisions"):
        model = MODELS[sheet]
        ids[sheet] = dict(session.execute(select(model.uid, model.id)).all())
        new_rows, contributors = [], []
        for planned, values in payload.records.get(sheet, []):
            row = {k: v for k, v in values.items() if k not in PARENTS and k != "contributor_uids"}
            for key, (column, parent_sheet) in PARENTS.items():
                if key in values:
                    row[column] = ids[parent_sheet].get(values[key]) if values[key] else None
            if planned.outcome is Outcome.NEW_ITEM or (values["uid"] in payload.held_back and planned.applies_changes):
                new_rows.append(row)
                writer.log(ENTITY[sheet], values["uid"], "created", sheet=sheet, row=planned.row)
            elif planned.applies_changes:
                obj = session.scalar(select(model).where(model.uid == values["uid"]))
                # The file's values, but never its version: taking them is a change like any other.
                writer.change(ENTITY[sheet], obj, {k: v for k, v in row.items() if k not in ("uid", "id", "version")
                                                   and hasattr(obj, k)}, sheet, planned.row)
            if sheet == "Recommendations" and "contributor_uids" in values and (
                    planned.outcome is Outcome.NEW_ITEM or planned.applies_changes):
                wanted = [u.strip() for u in values["contributor_uids"].split(";") if u.strip()]
                contributors.append((values["uid"], wanted))
        if new_rows:
            if sheet == "Updates":
                for row in new_rows:
                    row["import_batch_id"] = writer.batch_id
            session.execute(insert(model), new_rows)
            ids[sheet] = dict(session.execute(select(model.uid, model.id)).all())
        if contributors:
            _set_contributors(session, ids, contributors)
        session.flush()


def _set_contributors(session: Session, ids: dict[str, dict[str, int]], wanted: list[tuple[str, list[str]]]) -> None:
    table = recommendation_contributor
    for rec_uid, agency_uids in wanted:
        rec_id = ids["Recommendations"][rec_uid]
        session.execute(table.delete().where(table.c.recommendation_id == rec_id))
        rows = [{"recommendation_id": rec_id, "agency_id": ids["Agencies"][u]} for u in agency_uids]
        if rows:
            session.execute(table.insert(), rows)
