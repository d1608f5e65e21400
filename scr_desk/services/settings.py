"""Settings of the database itself, kept in the file (so every window and command agree): the
partnership's name, which returns and reports show at their head."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import AppMeta, Review
from scr_desk.services import audit, fields
from scr_desk.services.errors import ChangedSince

__all__ = [
    "PARTNERSHIP_KEY", "PARTNERSHIP_LENGTH", "name_partnership", "partnership_name", "read_partnership_name",
    "set_partnership_name", "stored_partnership_name",
]


PARTNERSHIP_KEY = "partnership_name"
PARTNERSHIP_LENGTH = 200
_partnership_field = fields.text("Partnership name", max_length=PARTNERSHIP_LENGTH)


def stored_partnership_name(session: Session) -> str:
    """The name set for the database ('' when none has been set)."""
    return session.scalar(select(AppMeta.value).where(AppMeta.key == PARTNERSHIP_KEY)) or ""


def partnership_name(session: Session) -> str:
    """The partnership's name: the one set for the database, else the first a review records
    (a database made before the setting existed), else ''."""
    return stored_partnership_name(session) or next(
        iter(session.scalars(select(Review.partnership).where(Review.partnership != "")
                             .order_by(Review.position, Review.id).limit(1))), "")


def read_partnership_name(sessions: sessionmaker[Session]) -> str:
    with sessions() as session:
        return partnership_name(session)


def set_partnership_name(session: Session, name: str, *, source: str = audit.TYPED) -> str:
    """Name the partnership (an empty name clears it); audited like every change. Returns the
    name as stored."""
    clean = _partnership_field(session, name)
    row = session.get(AppMeta, PARTNERSHIP_KEY)
    before = row.value if row is not None else ""
    if clean == before:
        return clean
    if row is None:
        session.add(AppMeta(key=PARTNERSHIP_KEY, value=clean))
    else:
        row.value = clean
    audit.record(session, "settings", PARTNERSHIP_KEY, "updated", field="partnership", old=before or None,
                 new=clean or None, source=source)
    return clean


def name_partnership(sessions: sessionmaker[Session], name: str, *, expected: str | None = None) -> str:
    """Name the partnership; with `expected` (an undo or a redo), only while the name stored is
    still that (ChangedSince: someone renamed it since, and that wins)."""
    with sessions.begin() as session:
        if expected is not None and (now := stored_partnership_name(session)) != expected:
            done = "redone" if audit.recording_as() == audit.REDO else "undone"
            raise ChangedSince(f"the partnership's name has changed since (it is now {now or 'empty'}), so this "
                               f"was not {done} and nothing was changed")
        return set_partnership_name(session, name)
