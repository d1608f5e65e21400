"""Progress updates: appended, corrected (the old text kept in the audit trail and shown), never overwritten."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from scr_desk.db.items import get_item, pointing_at, update_column
from scr_desk.db.models import Action, Recommendation, Update
from scr_desk.domain.dto import ItemKey, UpdateRow
from scr_desk.domain.enums import Rag, SourceKind, Status
from scr_desk.domain.rules import parse_period, period_of
from scr_desk.services import audit, fields
from scr_desk.services.changes import apply_changes, item_reference, refuse_if_changed_since, refuse_if_value_changed
from scr_desk.services.errors import NotFoundError, ValidationError
from scr_desk.services.history import corrections

__all__ = [
    "CORRECTABLE", "FORM_CHANGE_ENDING", "MOVES", "UPDATE_FIELDS", "add_update", "append_update", "correct_update",
    "is_form_change", "list_updates", "record_form_change", "remove_update", "retract_update", "update_row",
]


UPDATE_FIELDS = {
    "as_at": fields.required_date("Date"),
    "period": fields.text("Period", max_length=20),
    "agency_id": fields.agency_id("Agency"),
    "author": fields.text("Author", max_length=200),
    "narrative": fields.text("Update"),
    "evidence": fields.text("Evidence"),
    "status": fields.enum_value("Status", Status, optional=True),
    "rag": fields.enum_value("RAG", Rag, optional=True),
}
MOVES = ("status", "rag")  # what an update can move on its item


def _item(session: Session, item: ItemKey) -> Recommendation | Action:
    obj = get_item(session, item)
    if obj is None:
        raise NotFoundError(item.kind, item.id)
    return obj


def _target(update: Update) -> ItemKey:
    return ItemKey.pointed_at(update.recommendation_id, update.action_id)


def update_row(update: Update, previous: Update | None = None) -> UpdateRow:
    return UpdateRow(
        id=update.id, uid=update.uid, item=_target(update), as_at=update.as_at,
        period=update.period, agency_id=update.agency_id,
        agency_name=update.agency.name if update.agency else "", author=update.author,
        narrative=update.narrative, evidence=update.evidence, status=update.status, rag=update.rag,
        previous_status=previous.status if previous else None,
        previous_rag=previous.rag if previous else None, source_kind=update.source_kind,
        source_detail=update.source_detail, import_batch_id=update.import_batch_id,
        meeting_id=update.meeting_id, created_at=update.created_at)


def _clean_period(session: Session, values: Mapping[str, object], as_at: date) -> str:
    text = UPDATE_FIELDS["period"](session, values.get("period"))
    if not text:
        return str(period_of(as_at))
    try:
        return str(parse_period(text))
    except ValueError as exc:
        raise ValidationError("Period", str(exc)) from None


def append_update(session: Session, item: ItemKey, values: Mapping[str, object], *,
                  source_kind: SourceKind = SourceKind.TYPED, source_detail: str = "",
                  batch_id: int | None = None, meeting_id: int | None = None,
                  uid: str | None = None) -> Update:
    """Add an update and move its item's status and RAG to those it reports."""
    if unknown := set(values) - set(UPDATE_FIELDS):
        raise ValidationError(", ".join(sorted(unknown)), "is not a field of an update")
    target = _item(session, item)
    data = {k: UPDATE_FIELDS[k](session, v) for k, v in values.items() if k != "period"}
    if "as_at" not in data:
        data["as_at"] = date.today()
    data["period"] = _clean_period(session, values, data["as_at"])
    if not (data.get("narrative") or data.get("evidence") or data.get("status") or data.get("rag")):
        raise ValidationError("Update", "write some progress, evidence, or a new status or RAG")
    update = Update(
        **pointing_at(item), source_kind=source_kind,
        source_detail=source_detail or f"typed in by {audit.current_user(session)}",
        import_batch_id=batch_id, meeting_id=meeting_id, **data)
    if uid:
        update.uid = uid
    session.add(update)
    session.flush()
    source = update.source_detail if source_kind != SourceKind.TYPED else audit.TYPED
    audit.record_created(session, "update", update, {"on": target.uid, "as_at": update.as_at},
                         source=source, batch_id=batch_id)
    moves = {k: data[k] for k in ("status", "rag") if data.get(k) is not None}
    if moves:
        apply_changes(session, target, item.kind, moves,
                            {"status": UPDATE_FIELDS["status"], "rag": UPDATE_FIELDS["rag"]},
                            source=source, batch_id=batch_id)
    return update


def add_update(sessions: sessionmaker[Session], item: ItemKey, values: Mapping[str, object], *,
               uid: str | None = None, expected_version: int | None = None) -> UpdateRow:
    """Add an update; with `expected_version` (the item's version when the update was written),
    refused when the item has changed since (StaleEditError)."""
    with sessions.begin() as session:
        target = _item(session, item)
        if expected_version is not None:
            refuse_if_changed_since(session, target, item_reference(session, target), expected_version,
                                    what="your update was not added (it is still in the form)")
        before_status, before_rag = target.status, target.rag
        update = append_update(session, item, values, uid=uid)
        row = update_row(update)
        # The row remembers what the item was before, so undo can put it back.
        return replace(row, previous_status=before_status, previous_rag=before_rag)


FORM_CHANGE_ENDING = " in the detail form."


def is_form_change(update: Update) -> bool:
    """An update the detail form recorded for a status or RAG chosen there (not words a person
    wrote): reports and returns show the last written progress, not this line."""
    return (update.source_kind is SourceKind.TYPED and update.narrative.endswith(FORM_CHANGE_ENDING)
            and not update.evidence and update.narrative.startswith(("Status changed from ", "RAG changed from ")))


def record_form_change(sessions: sessionmaker[Session], item: ItemKey, field: str, value: Status | Rag, *,
                       uid: str | None = None, expected_version: int | None = None,
                       expected_values: Mapping[str, object] | None = None) -> UpdateRow:
    """A status or RAG chosen in the detail form, recorded as a dated update in the item's
    timeline (typed in, by whom), so the timeline, the dashboard's history and the reports agree
    with the tree. Returns the row, knowing the status and RAG before, for undo. With
    `expected_version`, refused when the item has changed since that version (StaleEditError); with
    `expected_values` (a redo), when its status or RAG is no longer what the undo left (ChangedSince)."""
    if field not in MOVES:
        raise ValidationError(field, "only the status and the RAG are recorded as updates")
    word = "Status" if field == "status" else "RAG"
    with sessions.begin() as session:
        target = _item(session, item)
        if expected_version is not None:
            refuse_if_changed_since(session, target, item_reference(session, target), expected_version)
        if expected_values:
            refuse_if_value_changed(target, expected_values, item_reference(session, target))
        before_status, before_rag = target.status, target.rag
        old = getattr(target, field)
        was = getattr(old, "value", old) or ("not rated" if field == "rag" else "not set")
        narrative = f"{word} changed from {was} to {getattr(value, 'value', value)}{FORM_CHANGE_ENDING}"
        update = append_update(session, item, {field: value, "narrative": narrative,
                                               "author": audit.current_user(session)}, uid=uid)
        row = update_row(update)
        return replace(row, previous_status=before_status, previous_rag=before_rag)


def retract_update(sessions: sessionmaker[Session], update_uid: str,
                   restore_status: Status | None, restore_rag: Rag | None) -> None:
    """Undo of an update just added: remove it and put its item's status and RAG back."""
    with sessions.begin() as session:
        remove_update(session, update_uid, restore_status, restore_rag)


def remove_update(session: Session, update_uid: str, restore_status: Status | None,
                  restore_rag: Rag | None) -> None:
    """Remove an update just added (an undo) and put back the status and RAG it moved: only those
    it moved, and only while the item still shows what it set (a later update, edit or import that
    moved them again wins: refused with ChangedSince, nothing changed)."""
    update = session.scalar(select(Update).where(Update.uid == update_uid))
    if update is None:
        raise NotFoundError("update", update_uid)
    item = _target(update)
    target = _item(session, item)
    restore = {"status": restore_status, "rag": restore_rag}
    moved = {field: getattr(update, field) for field in MOVES if getattr(update, field) is not None}
    refuse_if_value_changed(target, moved, item_reference(session, target))
    audit.record(session, "update", update.uid, "deleted", old=update.narrative, source="undo")
    session.delete(update)
    moves = {field: restore[field] for field in moved if field != "status" or restore_status is not None}
    if moves:
        apply_changes(session, target, item.kind, moves, {k: UPDATE_FIELDS[k] for k in moves}, source="undo")


CORRECTABLE = ("as_at", "period", "agency_id", "author", "narrative", "evidence", "status", "rag")


def correct_update(sessions: sessionmaker[Session], update_id: int, changes: Mapping[str, object], *,
                   expected_values: Mapping[str, object] | None = None) -> UpdateRow:
    """Correct any part of an update (its date, period, agency, author, text, evidence, status and
    RAG); the previous values stay in the audit trail. The item keeps one truth: where the update
    is, or was, the newest to give a status or a RAG, the item moves to what the newest now says.
    With `expected_values` (what a correction being undone or redone left), refused when the
    update no longer holds them (ChangedSince)."""
    allowed = {k: UPDATE_FIELDS[k] for k in CORRECTABLE}
    with sessions.begin() as session:
        update = session.get(Update, update_id)
        if update is None:
            raise NotFoundError("update", update_id)
        item = _target(update)
        if expected_values:
            where = f"the update of {update.as_at:%d/%m/%Y} on {item_reference(session, _item(session, item))}"
            refuse_if_value_changed(update_row(update), expected_values, where)
        newest_before = {field: _newest_giving(session, item, field) for field in MOVES}
        clean = dict(changes)
        old_day = update.as_at
        if "period" in clean:
            day = UPDATE_FIELDS["as_at"](session, clean["as_at"]) if "as_at" in clean else update.as_at
            clean["period"] = _clean_period(session, clean, day)
        elif "as_at" in clean and update.period == str(period_of(old_day)):
            # The period followed the date (it was the date's own quarter): it follows it still.
            clean["period"] = str(period_of(UPDATE_FIELDS["as_at"](session, clean["as_at"])))
        changed = apply_changes(session, update, "update", clean, allowed, source="correction")
        if not (update.narrative or update.evidence or update.status or update.rag):
            raise ValidationError("Update", "a corrected update still needs some progress, evidence, or a status "
                                            "or RAG")
        session.flush()
        moves: dict[str, object] = {}
        for field in MOVES:
            if field in changed or "as_at" in changed:
                newest = _newest_giving(session, item, field)
                if update.id in (newest_before[field], newest) and newest is not None:
                    moves[field] = getattr(session.get(Update, newest), field)
        if moves:
            apply_changes(session, _item(session, item), item.kind, moves,
                          {k: UPDATE_FIELDS[k] for k in moves}, source="correction")
        return update_row(update)


def _newest_giving(session: Session, item: ItemKey, field: str) -> int | None:
    """The id of the item's newest update (by date, then as entered) that gives a `field`."""
    column = getattr(Update, field)
    return session.scalar(select(Update.id).where(update_column(item.kind) == item.id, column.is_not(None))
                          .order_by(Update.as_at.desc(), Update.id.desc()).limit(1))


def list_updates(sessions: sessionmaker[Session], item: ItemKey) -> list[UpdateRow]:
    """The item's timeline, newest first, each row knowing the status and RAG before it."""
    with sessions() as session:
        updates = session.scalars(select(Update).where(update_column(item.kind) == item.id)
                                  .options(selectinload(Update.agency))
                                  .order_by(Update.as_at, Update.id))
        rows: list[UpdateRow] = []
        previous: Update | None = None
        for update in updates:
            rows.append(update_row(update, previous))
            if update.status is not None or update.rag is not None:
                previous = update
        # A corrected update shows that it was corrected, and what it said before.
        corrected = corrections(session, {row.uid for row in rows})
        rows = [replace(row, corrected_at=corrected[row.uid][0], corrected_from=corrected[row.uid][1])
                if row.uid in corrected else row for row in rows]
        return list(reversed(rows))
