"""Tidying the list of agencies: how much each is used, and merging a duplicate into the agency
it duplicates ("Hampshire Police" into "Hampshire Constabulary"). A merge moves every reference
(leads, contributors, owners, updates, attendees, returns sent) through the one change function,
so the audit trail says what moved, then deletes the duplicate. The merge remembers what it moved,
so that Edit > Undo puts the duplicate back with exactly those references (unmerge_agencies)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import (
    Action,
    Agency,
    AgencyAlias,
    Attendee,
    AuditEntry,
    Recommendation,
    ReturnExport,
    Update,
    recommendation_contributor,
)
from scr_desk.db.portable import in_code_order
from scr_desk.domain.dto import AgencyRow
from scr_desk.domain.enums import ItemKind
from scr_desk.services import audit
from scr_desk.services.agencies import agency_usage, put_back_agency
from scr_desk.services.changes import Origin, audit_entry, set_fields
from scr_desk.services.errors import ChangedSince, NotFoundError, ValidationError
from scr_desk.services.mapping import agency_row

if TYPE_CHECKING:
    from scr_desk.db.engine import Database

__all__ = ["Merged", "agencies_with_usage", "merge_agencies", "merge_agencies_backed_up", "unmerge_agencies"]


def agencies_with_usage(sessions: sessionmaker[Session]) -> list[tuple[AgencyRow, int]]:
    """Every agency, by name, with how many records name it (0: it may be deleted)."""
    with sessions() as session:
        agencies = session.scalars(select(Agency).order_by(in_code_order(Agency.name))).all()
        return [(agency_row(a), agency_usage(session, a.id)) for a in agencies]


@dataclass
class Merged:
    """What a merge moved, by id, so that its undo moves back exactly that and nothing else."""

    duplicate: AgencyRow
    keep_id: int
    moved: int = 0  # records that named the duplicate (what the lead is told)
    items: dict[str, list[int]] = field(default_factory=dict)  # "lead_agency_id": [recommendation ids]…
    contributed: list[int] = field(default_factory=list)  # recommendations the duplicate contributed to
    added_contributor: list[int] = field(default_factory=list)  # …of which the kept agency was added to
    attendees: list[int] = field(default_factory=list)
    returns_sent: list[int] = field(default_factory=list)
    aliases: list[int] = field(default_factory=list)  # the duplicate's own old names, moved
    new_alias: int | None = None  # the duplicate's name, remembered as the kept agency's


def merge_agencies_backed_up(database: Database, duplicate_id: int, keep_id: int) -> Merged:
    """A merge as the window makes it: a backup of the file is taken first, under the writer lock
    (a second way back, File > Restore from backup, beside Edit > Undo; a server's own backups
    stand in for it)."""
    with database.writer_lock("a merge of agencies"):
        database.backup("before merging agencies")  # (none on a server: the server's are the backups)
        return merge_agencies(database.sessions, duplicate_id, keep_id)


_MOVED_COLUMNS: tuple[tuple[type[Recommendation | Action | Update], str, str], ...] = (
                  (Recommendation, "lead_agency_id", ItemKind.RECOMMENDATION),
                  (Action, "owner_agency_id", ItemKind.ACTION), (Update, "agency_id", "update"))


def merge_agencies(sessions: sessionmaker[Session], duplicate_id: int, keep_id: int) -> Merged:
    """Move everything that names `duplicate_id` to `keep_id`, then delete the duplicate.
    Returns what moved. All or nothing."""
    if duplicate_id == keep_id:
        raise ValidationError("Merge", "choose two different agencies")
    with sessions.begin() as session:
        duplicate, keep = session.get(Agency, duplicate_id), session.get(Agency, keep_id)
        if duplicate is None or keep is None:
            raise NotFoundError("agency", duplicate_id if duplicate is None else keep_id)
        merged = Merged(agency_row(duplicate), keep_id)
        origin = Origin(source=f"merge of agency {duplicate.name} into {keep.name}", user=audit.current_user(session))
        for model, column, entity in _MOVED_COLUMNS:
            moved = merged.items.setdefault(column, [])
            naming = session.scalars(select(model).where(getattr(model, column) == duplicate_id))
            for record in cast("list[Recommendation | Action | Update]", naming.all()):
                set_fields(session, record, entity, {column: keep_id}, origin, bump_version=model is not Update)
                moved.append(record.id)
        _move_contributors(session, duplicate, keep, origin, merged)
        merged.attendees = list(session.scalars(select(Attendee.id).where(Attendee.agency_id == duplicate_id)))
        session.execute(update(Attendee).where(Attendee.agency_id == duplicate_id).values(agency_id=keep_id))
        sent = select(ReturnExport.id).where(ReturnExport.agency_id == duplicate_id)
        merged.returns_sent = list(session.scalars(sent))
        session.execute(update(ReturnExport).where(ReturnExport.agency_id == duplicate_id).values(agency_id=keep_id))
        _remember_old_name(session, duplicate, keep, merged)
        merged.moved = sum(map(len, merged.items.values())) + len(merged.contributed) + len(merged.attendees)
        audit.record(session, "agency", duplicate.uid, "deleted", old=duplicate.name, source=origin.source)
        session.delete(duplicate)
        return merged


def unmerge_agencies(sessions: sessionmaker[Session], merged: Merged) -> None:
    """Undo a merge: the duplicate back with its id and key, and every reference the merge moved
    pointing at it again. Refused, changing nothing, when one of them no longer names the agency
    kept (changed since by an edit or an import: the later change wins)."""
    with sessions.begin() as session:
        keep = session.get(Agency, merged.keep_id)
        if keep is None:
            raise ChangedSince(f"the agency {merged.duplicate.name} was merged into has been deleted since, so "
                               "the merge was not undone")
        put_back_agency(session, merged.duplicate)
        origin = Origin(source=f"undo of the merge of agency {merged.duplicate.name} into {keep.name}",
                        user=audit.current_user(session))
        for model, column, entity in _MOVED_COLUMNS:
            for record in session.scalars(select(model).where(model.id.in_(merged.items.get(column, [])))):
                if getattr(record, column) != merged.keep_id:
                    raise ChangedSince(f"a record the merge moved to {keep.name} names another agency now, so "
                                       "the merge was not undone and nothing was changed")
                set_fields(session, record, entity, {column: merged.duplicate.id}, origin,
                           bump_version=model is not Update)
        _move_contributors_back(session, merged, keep, origin)
        back = merged.duplicate.id
        session.execute(update(Attendee).where(Attendee.id.in_(merged.attendees), Attendee.agency_id == keep.id)
                        .values(agency_id=back))
        session.execute(update(ReturnExport).where(ReturnExport.id.in_(merged.returns_sent)).values(agency_id=back))
        session.execute(update(AgencyAlias).where(AgencyAlias.id.in_(merged.aliases)).values(agency_id=back))
        if merged.new_alias is not None:
            session.execute(delete(AgencyAlias).where(AgencyAlias.id == merged.new_alias))


def _move_contributors(session: Session, duplicate: Agency, keep: Agency, origin: Origin, merged: Merged) -> None:
    table = recommendation_contributor
    rec_ids = set(session.scalars(select(table.c.recommendation_id).where(table.c.agency_id == duplicate.id)))
    already = set(session.scalars(select(table.c.recommendation_id).where(table.c.agency_id == keep.id)))
    session.execute(delete(table).where(table.c.agency_id == duplicate.id))
    if rec_ids - already:
        session.execute(insert(table), [{"recommendation_id": r, "agency_id": keep.id} for r in rec_ids - already])
    for rec in session.scalars(select(Recommendation).where(Recommendation.id.in_(rec_ids))):
        session.add(AuditEntry(**audit_entry(ItemKind.RECOMMENDATION, rec.uid, "changed", origin,
                                             field_name="contributors", old=duplicate.name, new=keep.name)))
    merged.contributed, merged.added_contributor = sorted(rec_ids), sorted(rec_ids - already)


def _move_contributors_back(session: Session, merged: Merged, keep: Agency, origin: Origin) -> None:
    table = recommendation_contributor
    if merged.added_contributor:
        session.execute(delete(table).where(table.c.agency_id == keep.id,
                                            table.c.recommendation_id.in_(merged.added_contributor)))
    if merged.contributed:
        session.execute(insert(table), [{"recommendation_id": r, "agency_id": merged.duplicate.id}
                                        for r in merged.contributed])
    for rec in session.scalars(select(Recommendation).where(Recommendation.id.in_(merged.contributed))):
        session.add(AuditEntry(**audit_entry(ItemKind.RECOMMENDATION, rec.uid, "changed", origin,
                                             field_name="contributors", old=keep.name, new=merged.duplicate.name)))


def _remember_old_name(session: Session, duplicate: Agency, keep: Agency, merged: Merged) -> None:
    """The duplicate's name (and the names it had itself taken over) now mean the agency kept:
    the next import of the tracker that named it finds that agency, not "1 new agency"."""
    merged.aliases = list(session.scalars(select(AgencyAlias.id).where(AgencyAlias.agency_id == duplicate.id)))
    session.execute(update(AgencyAlias).where(AgencyAlias.agency_id == duplicate.id).values(agency_id=keep.id))
    # Compared in Python, as names are everywhere: SQL's lower() folds only ASCII on SQLite, and
    # every letter on PostgreSQL.
    taken = any(name.casefold() == duplicate.name.casefold() for name in session.scalars(select(AgencyAlias.name)))
    if not taken and duplicate.name.casefold() != keep.name.casefold():
        alias = AgencyAlias(name=duplicate.name, agency_id=keep.id)
        session.add(alias)
        session.flush()
        merged.new_alias = alias.id
