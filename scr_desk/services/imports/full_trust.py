"""Whose full workbook this is, and what it may do.

A full workbook says everything: every record, every update, every panel decision. Merged into a
database that holds records, only one this database wrote (signed with its key, as returns are)
is taken: a partner holding only its own return could otherwise build a "full workbook" from an
empty database's export and add an Assured update and a panel's Closed decision to an item it
only contributes to. An unsigned or foreign full workbook goes only into an empty database (a
move to a new computer, or a fresh start), and says so, and that the returns the other database
sent cannot be imported here, naming those still outstanding.

A full workbook this database wrote may be older than the database: what was deleted after it
was written (the audit trail holds the delete) is never brought back by it. Such a record, and
anything in the workbook that belongs to it, is a conflict, left out unless the lead takes the
file's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scr_desk.db.models import (
    Action,
    Agency,
    AppMeta,
    AuditEntry,
    ImportBatch,
    Meeting,
    Recommendation,
    ReturnExport,
    Review,
    Update,
)
from scr_desk.domain.enums import ImportKind
from scr_desk.excel.values import as_text
from scr_desk.services.imports.plan import ConflictChoice, FieldChange, ImportPlan, Issue, Outcome, PlannedRow
from scr_desk.services.return_record import full_verifies

RECORDS = (Agency, Review, Recommendation, Action, Update, Meeting)


def is_empty(session: Session) -> bool:
    """No records at all (a database just made, to move into or to start again)."""
    return all(session.scalar(select(model.id).limit(1)) is None for model in RECORDS)


def outstanding_returns(session: Session) -> list[str]:
    """Returns this database sent and has had nothing back from (no return from that agency for
    that period imported, or every such import undone), newest first, in words."""
    received = set(session.execute(
        select(Update.agency_id, Update.period).join(ImportBatch, Update.import_batch_id == ImportBatch.id)
        .where(ImportBatch.kind == ImportKind.RETURNS, ImportBatch.undone_at.is_(None)).distinct()).all())
    seen: set[tuple[int | None, str]] = set()
    waiting: list[str] = []
    for agency_id, name, period, sent in session.execute(
            select(ReturnExport.agency_id, ReturnExport.agency_name, ReturnExport.period, ReturnExport.exported_at)
            .order_by(ReturnExport.exported_at.desc(), ReturnExport.id.desc())):
        if (agency_id, period) in received or (agency_id, period) in seen:
            continue
        seen.add((agency_id, period))
        waiting.append(f"{' '.join(name.split())} ({period}, sent {sent:%d/%m/%Y})")
    return waiting


def admit(session: Session, plan: ImportPlan) -> bool:
    """Whether this full workbook may be planned against this database. A refusal goes on the
    plan as its one error; a workbook from elsewhere taken into an empty database gets a note."""
    facts = plan.facts
    signature, export_id = as_text(facts.get("signature")), as_text(facts.get("export_id"))
    if signature and full_verifies(session, export_id, signature):
        return True
    if plan.already_imported:  # this very file was taken in before (into this database when empty): again adds nothing
        return True
    ours = session.scalar(select(AppMeta.value).where(AppMeta.key == "database_uid")) or ""
    claimed, name = as_text(facts.get("database_uid")), " ".join(as_text(facts.get("database_name")).split())[:120]
    if signature and claimed == ours:
        plan.file_errors.append(Issue(None, None, "this full workbook names this database, but its signature does not "
                                      "match: it was changed after it was written, so nothing in it can be trusted "
                                      "and nothing was imported"))
        return False
    if signature and claimed:
        named = name or "whose file name it does not give"
        source = f"was written by another database, {named} (identity {claimed[:8]})"
    else:
        source = ("carries no signature (it was written by an earlier version of SCR Desk, or its hidden part was "
                  "removed or edited), so which database wrote it cannot be checked")
    if not is_empty(session):
        plan.file_errors.append(Issue(None, None, f"this full workbook {source}; a full workbook from elsewhere is "
                                      "imported only into an empty database (a move to a new computer, or a fresh "
                                      "start), never merged into one that holds records, so nothing was imported"))
        return False
    waiting = [part for part in as_text(facts.get("returns_outstanding")).split("; ") if part.strip()]
    returns = (f"Returns sent from {name or 'that database'} cannot be imported here, as a return goes only into "
               "the database that sent it: " + (f"{', '.join(waiting)} {'was' if len(waiting) == 1 else 'were'} "
                                                "outstanding when it was written, so send those agencies fresh "
                                                "returns from this database." if waiting else
                                                "none was outstanding when it was written."))
    plan.notes.append(Issue(None, None, f"This full workbook {source}; it was imported because this database was "
                                        f"empty. {returns}"))
    return True


def deleted_records(session: Session) -> dict[str, dict[str, datetime]]:
    """entity -> uid -> when it was last deleted, from the audit trail."""
    found: dict[str, dict[str, datetime]] = {}
    for entity, uid, at in session.execute(
            select(AuditEntry.entity, AuditEntry.entity_uid, func.max(AuditEntry.at))
            .where(AuditEntry.action == "deleted").group_by(AuditEntry.entity, AuditEntry.entity_uid)):
        found.setdefault(entity, {})[uid] = at
    return found


def hold_back_deleted(session: Session, records: dict[str, list[tuple[PlannedRow, dict[str, Any]]]],
                      entity_of: dict[str, str], parents: Iterable[str]) -> set[str]:
    """Make each record the database deleted (and whatever in the workbook belongs to one) a
    conflict rather than a new record; returns their uids (those apply inserts only if taken)."""
    deleted = deleted_records(session)
    held: dict[str, str] = {}  # uid -> why, for the records that belong to it
    parent_keys = [*parents, "contributor_uids"]
    for sheet, rows in records.items():  # parents' sheets come before their children's
        for planned, values in rows:
            if planned.outcome is not Outcome.NEW_ITEM:
                continue
            uid, entity = values["uid"], entity_of[sheet]
            when = deleted.get(entity, {}).get(uid)
            owner = next((held[part.strip()] for key in parent_keys for part in str(values.get(key) or "").split(";")
                          if part.strip() in held), None)
            if when is None and owner is None:
                continue
            if when is not None:
                held[uid] = f"{entity} {planned.reference}, deleted from this database on {when:%d/%m/%Y}"
                why = (f"{entity} {planned.reference} was deleted from this database on {when:%d/%m/%Y}, after this "
                       "workbook was written")
            else:
                held[uid] = str(owner)
                why = f"it belongs to {owner}"
            planned.outcome, planned.choice, planned.adds_update = Outcome.CONFLICT, ConflictChoice.SKIP, False
            planned.changes = (FieldChange("record", "record", "deleted", "in the workbook"),)
            planned.sides = (("record", "", "deleted", "in the workbook"),)
            planned.column = "record"
            planned.message = f"{why}; it is not brought back unless you take the file's"
    return set(held)
