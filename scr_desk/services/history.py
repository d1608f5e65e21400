"""An item's change history from the audit trail, in words: each field's value before and after,
who changed it, when, and where the change came from (typed in, which import, which meeting,
an undo or a correction). Also what a corrected update said before its correction."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.items import get_item, update_column
from scr_desk.db.models import Agency, AuditEntry, ImportBatch, Update
from scr_desk.domain.dates import format_uk
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.wording import field_words
from scr_desk.services.errors import NotFoundError
from scr_desk.services.users import display_names

__all__ = ["AGENCY_FIELDS", "ChangeLine", "HISTORY_LIMIT", "corrections", "item_history"]


HISTORY_LIMIT = 500  # entries shown; an item's whole history is rarely longer
AGENCY_FIELDS = ("lead_agency_id", "owner_agency_id", "agency_id")


@dataclass(frozen=True)
class ChangeLine:
    at: datetime
    what: str  # "RAG", "update text", "update added"
    before: str
    after: str
    who: str
    source: str  # "typed in", "import of Q3 return.xlsx (sheet Returns, row 4)", "undo", "correction"


def item_history(sessions: sessionmaker[Session], item: ItemKey, limit: int = HISTORY_LIMIT) -> list[ChangeLine]:
    """Newest first: changes to the item's own fields and to its updates."""
    with sessions() as session:
        target = get_item(session, item)
        if target is None:
            raise NotFoundError(item.kind, item.id)
        update_uids = set(session.scalars(select(Update.uid).where(update_column(item.kind) == item.id)))
        entries = list(session.scalars(
            select(AuditEntry).where(AuditEntry.entity_uid.in_({target.uid, *update_uids}))
            .order_by(AuditEntry.id.desc()).limit(limit)))
        agencies = {str(i): n for i, n in session.execute(select(Agency.id, Agency.name))}
        batches = {b.id: b.file_name for b in session.scalars(select(ImportBatch).where(
            ImportBatch.id.in_({e.import_batch_id for e in entries if e.import_batch_id})))}
        names = display_names(session)
        return [replace(line, who=_who(line.who, names)) for line in (_line(e, agencies, batches) for e in entries)]


def _who(login: str, names: dict[str, str]) -> str:
    """The author as shown: the display name kept for the login (scr-desk users), else the login."""
    name = names.get(login, "")
    return f"{name} ({login})" if name and name != login else login


def _line(entry: AuditEntry, agencies: dict[str, str], batches: dict[int, str]) -> ChangeLine:
    before, after = entry.old_value or "", entry.new_value or ""
    if entry.field in AGENCY_FIELDS:
        before, after = agencies.get(before, before), agencies.get(after, after)
    elif _is_date_field(entry.field):
        before, after = _uk(before), _uk(after)
    if entry.entity == "update":
        what = {"created": "update added", "deleted": "update removed"}.get(entry.action, field_words(entry.field))
        if entry.action == "created":
            before, after = "", ""
    else:
        what = field_words(entry.field) if entry.field else entry.action
    source = entry.source or "typed in"
    if entry.import_batch_id and entry.import_batch_id in batches and batches[entry.import_batch_id] not in source:
        source = f"import of {batches[entry.import_batch_id]}: {source}"
    return ChangeLine(entry.at, what, before, after, entry.user, source)


def _is_date_field(name: str | None) -> bool:
    return name is not None and (name == "as_at" or name.endswith(("_date", "_on")))


def _uk(value: str) -> str:
    """A date the audit trail stores ISO (2020-12-03), shown as everywhere else: 03/12/2020."""
    try:
        return format_uk(date.fromisoformat(value)) if len(value) == 10 else value
    except ValueError:
        return value


def corrections(session: Session, update_uids: set[str]) -> dict[str, tuple[datetime, str]]:
    """For each corrected update, when its text was first corrected and what it said before."""
    found: dict[str, tuple[datetime, str]] = {}
    if not update_uids:
        return found
    for entry in session.scalars(select(AuditEntry).where(
            AuditEntry.entity == "update", AuditEntry.action == "changed", AuditEntry.field == "narrative",
            AuditEntry.entity_uid.in_(update_uids)).order_by(AuditEntry.id)):
        found.setdefault(entry.entity_uid, (entry.at, entry.old_value or ""))
    return found
