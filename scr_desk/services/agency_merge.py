"""Tidying the list of agencies: how much each is used, and merging a duplicate into the agency
it duplicates ("Hampshire Police" into "Hampshire Constabulary"). A merge moves every reference
(leads, contributors, owners, updates, attendees, returns sent) through the one change function,
so the audit trail says what moved, then deletes the duplicate."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import (
    Action, Agency, AgencyAlias, Attendee, AuditEntry, Recommendation, ReturnExport, Update,
    recommendation_contributor,
)
from scr_desk.db.portable import in_code_order
from scr_desk.domain.dto import AgencyRow
from scr_desk.domain.enums import ItemKind
from scr_desk.services import audit
from scr_desk.services.agencies import agency_usage
from scr_desk.services.changes import Origin, audit_entry, set_fields
from scr_desk.services.errors import NotFoundError, ValidationError
from scr_desk.services.mapping import agency_row


def agencies_with_usage(sessions: sessionmaker[Session]) -> list[tuple[AgencyRow, int]]:
    """Every agency, by name, with how many records name it (0: it may be deleted)."""
    with sessions() as session:
        agencies = session.scalars(select(Agency).order_by(in_code_order(Agency.name))).all()
        return [(agency_row(a), agency_usage(session, a.id)) for a in agencies]


def merge_agencies(sessions: sessionmaker[Session], duplicate_id: int, keep_id: int) -> int:
    """Move everything that names `duplicate_id` to `keep_id`, then delete the duplicate.
    Returns how many records moved. All or nothing."""
    if duplicate_id == keep_id:
        raise ValidationError("Merge", "choose two different agencies")
    with sessions.begin() as session:
        duplicate, keep = session.get(Agency, duplicate_id), session.get(Agency, keep_id)
        if duplicate is None or keep is None:
            raise NotFoundError("agency", duplicate_id if duplicate is None else keep_id)
        origin = Origin(source=f"merge of agency {duplicate.name} into {keep.name}", user=audit.current_user(session))
        moved = 0
        for model, column in ((Recommendation, "lead_agency_id"), (Action, "owner_agency_id"),
                              (Update, "agency_id")):
            for record in session.scalars(select(model).where(getattr(model, column) == duplicate_id)):
                entity = {Recommendation: ItemKind.RECOMMENDATION, Action: ItemKind.ACTION, Update: "update"}[model]
                set_fields(session, record, entity, {column: keep_id}, origin, bump_version=model is not Update)
                moved += 1
        moved += _move_contributors(session, duplicate, keep, origin)
        attendees = session.execute(update(Attendee).where(Attendee.agency_id == duplicate_id)
                                    .values(agency_id=keep_id))
        moved += getattr(attendees, "rowcount", 0) or 0
        session.execute(update(ReturnExport).where(ReturnExport.agency_id == duplicate_id).values(agency_id=keep_id))
        _remember_old_name(session, duplicate, keep)
        audit.record(session, "agency", duplicate.uid, "deleted", old=duplicate.name, source=origin.source)
        session.delete(duplicate)
        return moved


def _move_contributors(session: Session, duplicate: Agency, keep: Agency, origin: Origin) -> int:
    table = recommendation_contributor
    rec_ids = set(session.scalars(select(table.c.recommendation_id).where(table.c.agency_id == duplicate.id)))
    already = set(session.scalars(select(table.c.recommendation_id).where(table.c.agency_id == keep.id)))
    session.execute(delete(table).where(table.c.agency_id == duplicate.id))
    if rec_ids - already:
        session.execute(insert(table), [{"recommendation_id": r, "agency_id": keep.id} for r in rec_ids - already])
    for rec in session.scalars(select(Recommendation).where(Recommendation.id.in_(rec_ids))):
        session.add(AuditEntry(**audit_entry(ItemKind.RECOMMENDATION, rec.uid, "changed", origin,
                                             field_name="contributors", old=duplicate.name, new=keep.name)))
    return len(rec_ids)


def _remember_old_name(session: Session, duplicate: Agency, keep: Agency) -> None:
    """The duplicate's name (and the names it had itself taken over) now mean the agency kept:
    the next import of the tracker that named it finds that agency, not "1 new agency"."""
    session.execute(update(AgencyAlias).where(AgencyAlias.agency_id == duplicate.id).values(agency_id=keep.id))
    # Compared in Python, as names are everywhere: SQL's lower() folds only ASCII on SQLite, and
    # every letter on PostgreSQL.
    taken = any(name.casefold() == duplicate.name.casefold() for name in session.scalars(select(AgencyAlias.name)))
    if not taken and duplicate.name.casefold() != keep.name.casefold():
        session.add(AgencyAlias(name=duplicate.name, agency_id=keep.id))
        session.flush()
