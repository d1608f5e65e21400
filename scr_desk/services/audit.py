"""Every change goes through here so the audit trail is complete; entries are never edited."""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import AuditEntry
from scr_desk.domain.dto import AuditRow

__all__ = [
    "REDO", "TYPED", "UNDO", "as_text", "current_user", "history", "newest_audit_id", "record", "record_created",
    "recorded_as", "recording_as", "source_as_recorded",
]


TYPED = "typed in"
REDO = "redo"
UNDO = "undo"
# What a change typed in is recorded as while this is set: a redo repeats what was typed in once,
# and is recorded as the redo it is, not as typing.
_typed_as: ContextVar[str] = ContextVar("typed_as", default=TYPED)


@contextmanager
def recorded_as(source: str) -> Iterator[None]:
    """Within this block, changes that would be recorded as typed in are recorded as `source`."""
    token = _typed_as.set(source)
    try:
        yield
    finally:
        _typed_as.reset(token)


def recording_as() -> str:
    """What a change typed in is recorded as just now: typed in, an undo or a redo."""
    return _typed_as.get()


def source_as_recorded(source: str) -> str:
    """`source` as an undo or a redo records it: "typed in" becomes "undo" or "redo", any other
    source "undo of correction", "redo of merge of agency …" (the trail says what was undone)."""
    step = _typed_as.get()
    if source == TYPED or step == TYPED:
        return step if source == TYPED else source
    return source if source.startswith((UNDO, REDO)) else f"{step} of {source}"


def current_user(session: Session | None = None) -> str:
    """Who is making a change: on a server, the role that connected (its sessions carry it, see
    db.server.ServerSessions); on a file, the computer's login name."""
    if session is not None and (author := session.info.get("author")):
        return str(author)
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service accounts; the trail still records the rest
        return ""


def as_text(value: object) -> str | None:
    """How a value is written into the audit trail."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def record(session: Session, entity: str, uid: str, action: str, *, field: str = "",
           old: object = None, new: object = None, source: str = TYPED,
           batch_id: int | None = None) -> None:
    session.add(AuditEntry(user=current_user(session), entity=entity, entity_uid=uid, action=action,
                           field=field, old_value=as_text(old), new_value=as_text(new),
                           source=source_as_recorded(source), import_batch_id=batch_id))


def record_created(session: Session, entity: str, obj: Any, fields: Mapping[str, object], *,
                   source: str = TYPED, batch_id: int | None = None) -> None:
    record(session, entity, obj.uid, "created", source=source, batch_id=batch_id,
           new="; ".join(f"{k}={as_text(v)}" for k, v in fields.items() if v not in (None, "")))


def history(sessions: sessionmaker[Session], entity_uid: str | None = None,
            limit: int = 500) -> list[AuditRow]:
    """The newest audit entries, for one record or for everything."""
    with sessions() as session:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if entity_uid:
            query = query.where(AuditEntry.entity_uid == entity_uid)
        return [AuditRow(e.at, e.user, e.entity, e.entity_uid, e.action, e.field, e.old_value,
                         e.new_value, e.source) for e in session.scalars(query)]


def newest_audit_id(session: Session) -> int:
    """The newest audit id. Every change to the record is audited and audit ids grow in the order
    changes land, so what was seen when this was N still holds while it is N."""
    return int(session.scalar(select(func.max(AuditEntry.id))) or 0)
