"""Import history, and undoing a batch: every row the batch made goes, every field it changed
goes back; refused (with the reason) where later work would be lost."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.base import utc_now
from scr_desk.db.engine import Database
from scr_desk.db.models import (
    Action,
    Agency,
    Attendee,
    AuditEntry,
    Decision,
    ImportBatch,
    Meeting,
    Recommendation,
    Review,
    Update,
)
from scr_desk.domain.enums import ImportKind
from scr_desk.domain.rules import action_reference, recommendation_reference
from scr_desk.domain.wording import field_words, with_article
from scr_desk.services import audit
from scr_desk.services.agencies import AGENCY_FIELDS
from scr_desk.services.changes import Origin, set_fields
from scr_desk.services.errors import NotFoundError, ServiceError
from scr_desk.services.items import ACTION_FIELDS, RECOMMENDATION_FIELDS
from scr_desk.services.reviews import REVIEW_FIELDS
from scr_desk.services.search import upkeep_for
from scr_desk.services.updates import UPDATE_FIELDS
from scr_desk.services.users import shown_name

MODELS: dict[str, Any] = {"agency": Agency, "review": Review, "recommendation": Recommendation, "action": Action,
                          "update": Update, "meeting": Meeting, "attendee": Attendee, "decision": Decision}
COERCERS: dict[str, dict[str, Any]] = {"agency": AGENCY_FIELDS, "review": REVIEW_FIELDS,
                                       "recommendation": RECOMMENDATION_FIELDS, "action": ACTION_FIELDS,
                                       "update": UPDATE_FIELDS}
# Children before parents, so deleting created rows never trips over a foreign key.
DELETE_ORDER = ["decision", "attendee", "update", "action", "recommendation", "meeting", "review", "agency"]


@dataclass(frozen=True)
class BatchRow:
    id: int
    file_name: str
    kind: ImportKind
    imported_at: datetime
    counts: dict[str, int]
    undone_at: datetime | None


class UndoRefused(ServiceError):
    """Undoing the batch would lose later work."""


def list_batches(sessions: sessionmaker[Session]) -> list[BatchRow]:
    with sessions() as session:
        return [BatchRow(b.id, b.file_name, b.kind, b.imported_at, json.loads(b.counts or "{}"), b.undone_at)
                for b in session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()))]


def _parse(session: Session, entity: str, field: str, text: str | None) -> Any:
    coercer = COERCERS.get(entity, {}).get(field)
    if coercer is not None:
        return coercer(session, text)
    column = MODELS[entity].__table__.columns[field]
    if text is None:
        return None
    python_type = column.type.python_type
    if python_type is datetime:
        return datetime.fromisoformat(text)
    if python_type is int:
        return int(text)
    if python_type.__name__ == "date":
        from datetime import date
        return date.fromisoformat(text)
    enum_class = getattr(column.type, "enum_class", None)
    return enum_class.from_text(text) if enum_class else text


def undo_batch(database: Database, batch_id: int) -> BatchRow:
    database.backup("before-undo-import")
    with database.sessions.begin() as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise NotFoundError("import", batch_id)
        if batch.undone_at is not None:
            raise ServiceError(f"The import of {batch.file_name} was already undone on {batch.undone_at:%d/%m/%Y}.")
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.import_batch_id == batch_id)
                                       .order_by(AuditEntry.id)))
        _refuse_if_later_work(session, batch, entries)
        undone = session.scalar(select(func.count()).select_from(Update).where(Update.import_batch_id == batch_id))
        with upkeep_for(session, undone or 0):  # a whole workbook's undo: the search index made again once
            _undo(session, batch, entries)
        return BatchRow(batch.id, batch.file_name, batch.kind, batch.imported_at,
                        json.loads(batch.counts or "{}"), batch.undone_at)


def _undo(session: Session, batch: ImportBatch, entries: list[AuditEntry]) -> None:
    source = f"undo of the import of {batch.file_name}"
    session.execute(delete(Update).where(Update.import_batch_id == batch.id))
    for entry in reversed(entries):
        if entry.action != "changed" or entry.entity not in MODELS:
            continue
        model = MODELS[entry.entity]
        obj = session.scalar(select(model).where(model.uid == entry.entity_uid))
        if obj is None:
            continue
        value = _parse(session, entry.entity, entry.field, entry.old_value)
        set_fields(session, obj, entry.entity, {entry.field: value}, Origin(source, user=audit.current_user(session)))
    session.flush()
    created = [e for e in entries if e.action == "created" and e.entity in MODELS]
    for entity in DELETE_ORDER:
        uids = [e.entity_uid for e in created if e.entity == entity]
        if uids:
            model = MODELS[entity]
            session.execute(delete(model).where(model.uid.in_(uids)))
            for uid in uids:
                audit.record(session, entity, uid, "deleted", source=source)
    batch.undone_at = utc_now()


def _refuse_if_later_work(session: Session, batch: ImportBatch, entries: list[AuditEntry]) -> None:
    if not entries:
        return
    last = entries[-1].id
    touched = {(e.entity_uid, e.field) for e in entries if e.action == "changed"}
    created = {e.entity_uid for e in entries if e.action == "created"}
    later = session.scalars(select(AuditEntry).where(AuditEntry.id > last,
                                                     AuditEntry.entity_uid.in_({u for u, _ in touched} | created))
                            .order_by(AuditEntry.id))
    # A field edited since and put back (an edit, then its undo) holds what the import left: no work
    # is lost. Compared as the audit trail writes values: the first later edit's "before" (what the
    # import left) against the last one's "after" (what the field holds now).
    first_and_last: dict[tuple[str, str | None], tuple[AuditEntry, AuditEntry]] = {}
    for entry in later:
        if entry.import_batch_id == batch.id:
            continue
        if entry.entity_uid in created or (entry.entity_uid, entry.field) in touched:
            key = (entry.entity_uid, entry.field)
            first_and_last[key] = (first_and_last.get(key, (entry, entry))[0], entry)
    for first, entry in first_and_last.values():
        put_back = entry.field and entry.action == first.action == "changed" \
            and (first.old_value or "") == (entry.new_value or "")
        if not put_back:
            made = "created" if entry.entity_uid in created else "changed"
            edit = _the_edit(entry, shown_name(session, entry.user))
            raise UndoRefused(f"Cannot undo the import of {batch.file_name}: {_named(session, entry)}, which it "
                              f"{made}, was edited afterwards ({edit}). Undoing would lose that work.")
    created_items = select(Recommendation.id).where(Recommendation.uid.in_(created))
    created_actions = select(Action.id).where(Action.uid.in_(created))
    foreign = session.scalar(select(Update).where(
        (Update.import_batch_id.is_(None) | (Update.import_batch_id != batch.id)),
        Update.recommendation_id.in_(created_items) | Update.action_id.in_(created_actions)).limit(1))
    if foreign is not None:
        by = f" by {foreign.author}" if foreign.author else ""
        raise UndoRefused(f"Cannot undo the import of {batch.file_name}: {_reference_of(session, foreign)}, which "
                          f"it created, has an update added since (dated {foreign.as_at:%d/%m/%Y}{by}). Undoing "
                          "would lose it.")


def _reference_of(session: Session, row: Any) -> str:
    """The reference a lead knows an item by (CLARE-R3, CLARE-R3-A2), for a recommendation, an
    action, or the item an update is on."""
    if isinstance(row, Update):
        row = session.get(Recommendation, row.recommendation_id) if row.recommendation_id else \
            session.get(Action, row.action_id or 0)
    if isinstance(row, Action):
        rec = session.get(Recommendation, row.recommendation_id)
        review = session.get(Review, rec.review_id) if rec else None
        return action_reference(review.code, rec.number, row.number) if rec and review else f"action {row.number}"
    if isinstance(row, Recommendation):
        review = session.get(Review, row.review_id)
        return recommendation_reference(review.code, row.number) if review else f"recommendation {row.number}"
    if isinstance(row, Review):
        return f"the review {row.name} ({row.code})"
    if isinstance(row, Agency):
        return f"the agency {row.name}"
    return "a record"


def _named(session: Session, entry: AuditEntry) -> str:
    """'the RAG of CLARE-R3', 'an update on CLARE-R3-A2', 'CLARE-R4': what the entry changed."""
    model = MODELS.get(entry.entity)
    row = session.scalar(select(model).where(model.uid == entry.entity_uid)) if model is not None else None
    if row is None:
        return with_article(entry.entity)
    item = _reference_of(session, row)
    if isinstance(row, Update):
        return f"the {field_words(entry.field)} of an update on {item}" if entry.field else f"an update on {item}"
    return f"the {field_words(entry.field)} of {item}" if entry.field else item


def _the_edit(entry: AuditEntry, who: str) -> str:
    """'changed from Amber to Red by Jo Smith (jsmith) on 07/12/2026 14:05'."""
    what = ""
    if entry.field and entry.action == "changed":
        before, after = _shown(entry.old_value), _shown(entry.new_value)
        what = f"changed from {before} to {after} " if len(before) + len(after) < 120 else "changed "
    by = f"by {who} " if who else ""
    return f"{what or entry.action + ' '}{by}on {entry.at:%d/%m/%Y %H:%M}"


def _shown(value: str | None) -> str:
    """A value from the audit trail as a sentence shows it: a date as dd/mm/yyyy, nothing as —."""
    if not value:
        return "—"
    try:
        return f"{datetime.fromisoformat(value):%d/%m/%Y}" if len(value) == 10 else value
    except ValueError:
        return value
