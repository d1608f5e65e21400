"""The one place a record's fields change. Typed edits, every kind of import, undo and meetings
all write through here, so the rules hold everywhere:

- a field is set only where the new value really differs, and each real change writes one
  audit entry (who, when, what, old and new, and where it came from);
- a record's version goes up once per call that changed something, never on a no-op (returns
  compare versions to tell an item changed since the export from one that was not);
- new items are numbered and positioned by one rule (`next_position`, `next_number`);
- an edit is refused when the item changed after the version it was made from
  (`refuse_if_changed_since`), and an undo or a redo when the value it would replace is no longer
  the one it left (`refuse_if_value_changed`): the later change wins, and is never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scr_desk.db.base import utc_now
from scr_desk.db.models import AuditEntry
from scr_desk.domain.rules import next_number
from scr_desk.domain.wording import field_words, with_article
from scr_desk.services.audit import REDO, TYPED, as_text, current_user, recording_as, source_as_recorded
from scr_desk.services.errors import ChangedSince, StaleEditError, ValidationError

__all__ = ["Origin", "apply_changes", "audit_entry", "item_reference", "next_position", "number_for",
           "refuse_if_changed_since", "refuse_if_value_changed", "same_value", "set_fields", "shown_value",
           "taken_numbers"]

Coercer = Callable[[Session, Any], Any]
AuditSink = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Origin:
    """Where a change comes from, as the audit trail records it."""

    source: str = TYPED  # "typed in", "<file>, sheet S, row R", "undo", "correction", ...
    batch_id: int | None = None
    user: str = field(default_factory=current_user)


def audit_entry(entity: str, uid: str, action: str, origin: Origin, *, field_name: str = "",
                old: object = None, new: object = None) -> dict[str, Any]:
    """One audit row as plain values (bulk writers insert many at once)."""
    return {"at": utc_now(), "user": origin.user, "entity": entity, "entity_uid": uid, "action": action,
            "field": field_name, "old_value": as_text(old), "new_value": as_text(new),
            "source": source_as_recorded(origin.source),
            "import_batch_id": origin.batch_id}


def set_fields(session: Session, obj: Any, entity: str, values: Mapping[str, object], origin: Origin, *,
               sink: AuditSink | None = None, bump_version: bool = True) -> list[str]:
    """Set already-validated `values` on `obj`; returns the names that really changed.

    Each real change is audited (added to the session, or passed to `sink` by bulk writers);
    `obj.version`, where there is one, goes up once if anything changed.
    """
    changed: list[str] = []
    for name, value in values.items():
        old = getattr(obj, name)
        if old == value:
            continue
        setattr(obj, name, value)
        changed.append(name)
        entry = audit_entry(entity, obj.uid, "changed", origin, field_name=name, old=old, new=value)
        if sink is not None:
            sink(entry)
        else:
            session.add(AuditEntry(**entry))
    if changed and bump_version and hasattr(obj, "version"):
        obj.version = (obj.version or 0) + 1
    return changed


def apply_changes(session: Session, obj: Any, entity: str, changes: Mapping[str, object],
                  fields: Mapping[str, Coercer], *, source: str = TYPED, batch_id: int | None = None,
                  bump_version: bool = True) -> list[str]:
    """Validate what a user typed (each value through its field's coercer), then `set_fields`."""
    unknown = set(changes) - set(fields)
    if unknown:
        named = ", ".join(field_words(name) for name in sorted(unknown))
        raise ValidationError(named[:1].upper() + named[1:], f"cannot be changed on {with_article(entity)}")
    clean = {name: fields[name](session, raw) for name, raw in changes.items()}
    return set_fields(session, obj, entity, clean, Origin(source, batch_id, current_user(session)),
                      bump_version=bump_version)


def item_reference(session: Session, obj: Any) -> str:
    """A recommendation's or an action's reference (CLARE-R3, CLARE-R3-A2), as messages name it."""
    from scr_desk.db.models import Action, Recommendation, Review
    from scr_desk.domain.rules import action_reference, recommendation_reference
    rec = session.get(Recommendation, obj.recommendation_id) if isinstance(obj, Action) else obj
    if not isinstance(rec, Recommendation):
        return str(getattr(obj, "uid", ""))
    code = session.scalar(select(Review.code).where(Review.id == rec.review_id)) or ""
    if isinstance(obj, Action):
        return action_reference(code, rec.number, obj.number)
    return recommendation_reference(code, rec.number)


def refuse_if_changed_since(session: Session, obj: Any, reference: str, expected_version: int | None, *,
                            what: str = "your change was not saved") -> None:
    """Refuse an edit made from version `expected_version` of `obj` when the item is at another
    one now, saying who changed it and when. Called inside the change's own transaction, which on
    a server holds the writer lock, so nobody can change the item between this check and the edit."""
    if expected_version is None or obj.version == expected_version:
        return
    from scr_desk.services.users import shown_name
    last = session.execute(select(AuditEntry.user, AuditEntry.at).where(AuditEntry.entity_uid == obj.uid)
                           .order_by(AuditEntry.id.desc()).limit(1)).first()
    by = f" by {shown_name(session, last[0])}" if last and last[0] else ""
    when = f" at {last[1]:%H:%M} on {last[1]:%d/%m/%Y}" if last else ""
    raise StaleEditError(f"{reference} was changed{by}{when} after it was shown here, so {what}; it now shows "
                         "the item as it is.")


def shown_value(value: object) -> str:
    """A field's value as the form shows it, to compare what was typed with what is stored: an
    empty date and an empty text are alike, a choice is its words, themes are one line."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "; ".join(shown_value(v) for v in value)
    return str(value).strip()


def same_value(before: object, after: object) -> bool:
    """Would storing `after` change nothing? (An empty date tabbed through, the same choice.)"""
    return shown_value(before) == shown_value(after)


def refuse_if_value_changed(row: object, expected: Mapping[str, object], reference: str) -> None:
    """Refuse an undo or a redo when a field of `row` (the item as stored, read in the change's own
    transaction) no longer holds what the change being undone or redone left there: an import or
    another edit that changed it since wins, and the user is told so instead of having it silently
    overwritten."""
    for name, value in expected.items():
        now = getattr(row, name)
        if not same_value(now, value):
            done = "redone" if recording_as() == REDO else "undone"
            raise ChangedSince(f"the {field_words(name)} of {reference} has changed since (by an import or another "
                               f"edit; it is now {shown_value(now) or 'empty'}), so this was not {done} and nothing "
                               "was changed")


def next_position(session: Session, column: Any, *where: Any) -> int:
    """One past the largest position among the siblings `where` selects (1 for the first)."""
    return (session.scalar(select(func.max(column)).where(*where)) or 0) + 1


def taken_numbers(session: Session, column: Any, *where: Any) -> list[str]:
    return list(session.scalars(select(column).where(*where)))


def number_for(session: Session, column: Any, *where: Any, wanted: str | None = None) -> str:
    """`wanted` if given, else the next free number among the siblings (see `next_number`)."""
    return wanted if wanted else next_number(taken_numbers(session, column, *where))
