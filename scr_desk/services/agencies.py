"""Partner agencies: the list every item's lead, owner and update points into."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import (
    NAME_LENGTH,
    Action,
    Agency,
    AgencyAlias,
    Attendee,
    Recommendation,
    Update,
    recommendation_contributor,
)
from scr_desk.db.portable import in_code_order
from scr_desk.domain.contacts import AddressError, join_addresses, parse_addresses, suggest_code
from scr_desk.domain.dto import AgencyRow
from scr_desk.domain.names import clean_name as cleaned
from scr_desk.domain.names import name_key
from scr_desk.domain.wording import count
from scr_desk.services import audit, fields
from scr_desk.services.changes import apply_changes, refuse_if_value_changed
from scr_desk.services.errors import InUseError, NotFoundError, ServiceError, ValidationError
from scr_desk.services.mapping import agency_row

__all__ = [
    "AGENCY_FIELDS", "add_agency", "agency_usage", "create_agency", "delete_agency", "edit_agency", "find_agency",
    "known_names", "list_agencies", "put_back_agency", "restore_agency", "update_agency",
]


def _addresses(name: str) -> Callable[[Session, Any], str]:
    """One or more email addresses (a list, or one text with ";" between them), checked for form
    and stored "; "-separated; never sent anywhere."""
    def coerce(_session: Session, value: Any) -> str:
        given = [] if value is None else [value] if isinstance(value, str) else [str(v) for v in value]
        try:
            return join_addresses(parse_addresses(given))
        except AddressError as exc:
            raise ValidationError(name, str(exc)) from None
    return coerce


AGENCY_FIELDS = {
    "name": fields.text("Name", required=True, max_length=NAME_LENGTH),
    "code": fields.text("Code", required=True, max_length=30),
    "contact_name": fields.text("Contact name", max_length=200),
    "contact_email": _addresses("Email"),
    "phone": fields.text("Phone", max_length=60),
}


def list_agencies(sessions: sessionmaker[Session]) -> list[AgencyRow]:
    with sessions() as session:
        return [agency_row(a) for a in session.scalars(select(Agency).order_by(in_code_order(Agency.name)))]


def find_agency(session: Session, name_or_code: str) -> Agency | None:
    """The agency with this name or code, or the one it was merged into (its old name), compared
    as one name is with another (NFKC and case folded: scr_desk.domain.names), never by SQL's
    lower(), which folds only ASCII."""
    key = name_key(name_or_code)
    if not key:
        return None
    found = session.scalar(select(Agency).where(Agency.name_key == key))
    if found is not None:
        return found
    found = next((agency for agency in session.scalars(select(Agency).order_by(Agency.id))
                  if name_key(agency.code) == key), None)
    if found is None:
        alias = next((alias for alias in session.scalars(select(AgencyAlias).order_by(AgencyAlias.id))
                      if name_key(alias.name) == key), None)
        found = session.get(Agency, alias.agency_id) if alias is not None else None
    return found


def known_names(session: Session) -> set[str]:
    """Every name and code an agency answers to (as name keys), old names from merges included:
    what a tracker's reading of an agency is matched against before it counts as new."""
    names = {name_key(n) for row in session.execute(select(Agency.name, Agency.code)) for n in row}
    return names | {name_key(n) for n in session.scalars(select(AgencyAlias.name))}


def create_agency(sessions: sessionmaker[Session], name: str, code: str = "",
                  contact_name: str = "", contact_email: str = "", *, phone: str = "",
                  source: str = audit.TYPED) -> AgencyRow:
    with sessions.begin() as session:
        agency = add_agency(session, name, code, contact_name, contact_email, phone=phone, source=source)
        return agency_row(agency)


def add_agency(session: Session, name: str, code: str = "", contact_name: str = "",
               contact_email: str = "", *, phone: str = "", source: str = audit.TYPED) -> Agency:
    clean_name = AGENCY_FIELDS["name"](session, cleaned(name))  # nothing invisible kept in a name
    existing = find_agency(session, clean_name)
    if existing is not None:
        raise ValidationError("Name", f"an agency called {existing.name!r} already exists" + (
            "" if existing.name_key == name_key(clean_name) else f" (merged into {existing.name})"))
    clean_code = code.strip() or fields.free_value(session, Agency.code, suggest_code(clean_name))
    if session.scalar(select(Agency.id).where(Agency.code == clean_code)) is not None:
        raise ValidationError("Code", f"the code {clean_code!r} is already used")
    agency = Agency(name=clean_name, code=clean_code, contact_name=AGENCY_FIELDS["contact_name"](session, contact_name),
                    contact_email=AGENCY_FIELDS["contact_email"](session, contact_email),
                    phone=AGENCY_FIELDS["phone"](session, phone))
    session.add(agency)
    session.flush()
    audit.record_created(session, "agency", agency, {"name": clean_name, "code": clean_code},
                         source=source)
    return agency


def update_agency(sessions: sessionmaker[Session], agency_id: int, changes: Mapping[str, object], *,
                  expected_values: Mapping[str, object] | None = None) -> AgencyRow:
    """Change an agency's details; with `expected_values` (an undo or a redo), only while its
    fields still hold them (ChangedSince otherwise, nothing changed)."""
    try:
        with sessions.begin() as session:
            agency = session.get(Agency, agency_id)
            if agency is None:
                raise NotFoundError("agency", agency_id)
            if expected_values:
                refuse_if_value_changed(agency, expected_values, agency.name)
            apply_changes(session, agency, "agency", changes, AGENCY_FIELDS)
            session.flush()
            return agency_row(agency)
    except IntegrityError:
        raise ValidationError("Name", "another agency already has that name or code") from None


def agency_usage(session: Session, agency_id: int) -> int:
    """How many records point at this agency."""
    counts = [
        select(func.count()).select_from(Recommendation).where(Recommendation.lead_agency_id == agency_id),
        select(func.count()).select_from(recommendation_contributor)
        .where(recommendation_contributor.c.agency_id == agency_id),
        select(func.count()).select_from(Action).where(Action.owner_agency_id == agency_id),
        select(func.count()).select_from(Update).where(Update.agency_id == agency_id),
        select(func.count()).select_from(Attendee).where(Attendee.agency_id == agency_id),
    ]
    return sum(session.scalar(q) or 0 for q in counts)


def delete_agency(sessions: sessionmaker[Session], agency_id: int) -> AgencyRow:
    """Remove an agency nothing refers to (history must keep its attributions)."""
    with sessions.begin() as session:
        agency = session.get(Agency, agency_id)
        if agency is None:
            raise NotFoundError("agency", agency_id)
        used = agency_usage(session, agency_id)
        if used:
            raise InUseError(f"{agency.name} is named on {count(used, 'record')} and cannot be deleted.")
        row = agency_row(agency)
        audit.record(session, "agency", agency.uid, "deleted", old=agency.name)
        session.delete(agency)
        return row


def restore_agency(sessions: sessionmaker[Session], row: AgencyRow) -> AgencyRow:
    """Put back a deleted agency with its original id and key (undo of a delete)."""
    with sessions.begin() as session:
        return agency_row(put_back_agency(session, row))


def put_back_agency(session: Session, row: AgencyRow) -> Agency:
    """A deleted agency back with its id and key, in the caller's transaction (audited)."""
    agency = Agency(id=row.id, uid=row.uid, name=row.name, code=row.code,
                    contact_name=row.contact_name, contact_email=row.contact_email, phone=row.phone)
    session.add(agency)
    audit.record(session, "agency", row.uid, "restored", new=row.name)
    session.flush()
    return agency


def edit_agency(sessions: sessionmaker[Session], name_or_code: str,
                changes: Mapping[str, object]) -> tuple[AgencyRow, AgencyRow]:
    """Change the agency of this code or name (each field audited); (before, after). An unknown
    code is a sentence listing the codes there are."""
    with sessions() as session:
        found = find_agency(session, name_or_code)
        if found is None:
            codes = ", ".join(session.scalars(select(Agency.code).order_by(in_code_order(Agency.code))))
            raise ServiceError(f"There is no agency with the code or name {name_or_code!r}; the codes are: "
                               f"{codes or 'none yet'}.")
        before = agency_row(found)
    return before, update_agency(sessions, before.id, changes)
