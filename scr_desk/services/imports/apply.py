"""Writing a plan as one import batch, inside the transaction `together.import_files` holds (the
one way files are imported)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from scr_desk.db.base import new_uid, utc_now
from scr_desk.db.items import pointing_at
from scr_desk.db.models import Action, AuditEntry, ImportBatch, Recommendation, Update
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ImportKind, ItemKind, SourceKind
from scr_desk.domain.wording import count
from scr_desk.services.audit import as_text, current_user
from scr_desk.services.changes import Origin, set_fields
from scr_desk.services.errors import ServiceError
from scr_desk.services.imports.plan import ImportPlan
from scr_desk.services.return_receipts import WaitingProposal, record_receipt

Progress = Callable[[int, int, str], None]  # (done, of, what is being done), for a progress bar


class ImportRefused(ServiceError):
    """The plan cannot be applied (it has errors, or the database changed since the preview)."""


@dataclass(frozen=True)
class ApplyResult:
    batch_id: int
    counts: dict[str, int]
    backup: Path | None


def refuse_unless_applicable(plan: ImportPlan) -> None:
    if not plan.can_apply:
        first = plan.errors[0]
        raise ImportRefused(f"{plan.path.name}: {count(len(plan.errors), 'error')}, nothing was imported; the first: "
                            + (f"sheet {first.sheet!r}, row {first.row}: " if first.row else "") + first.text)


def write_plan(session: Session, plan: ImportPlan, backup: Path | None,
               progress: Progress | None = None) -> ApplyResult:
    """Write one plan as one import batch inside the caller's (write-locked) transaction."""
    counts = plan.counts()
    if not plan.has_changes:
        return ApplyResult(0, counts, backup)
    assert plan.kind is not None  # a file that could not be read has no changes
    batch = ImportBatch(file_name=plan.path.name, file_hash=plan.file_hash, kind=plan.kind,
                        counts=json.dumps(counts))
    session.add(batch)
    session.flush()
    writer = BatchWriter(session, batch.id, plan.path.name)
    if plan.kind == ImportKind.RETURNS:
        _apply_returns(writer, plan)
    elif plan.kind == ImportKind.FULL:
        from scr_desk.services.imports.full import apply_full
        apply_full(writer, plan, progress)
    else:
        from scr_desk.services.imports.legacy_apply import apply_legacy
        apply_legacy(writer, plan)
    writer.flush()
    return ApplyResult(batch.id, counts, backup)


@dataclass(frozen=True, kw_only=True, slots=True)
class NewUpdate:
    """An update an import adds: on which item, its columns, and where in the file it came from."""

    item: ItemKey
    item_uid: str
    values: Mapping[str, Any]  # the update's own columns (narrative, as_at, status, …)
    sheet: str
    row: int
    uid: str | None = None  # given where the update is referred to before it is written (a proposal)
    source_kind: SourceKind = SourceKind.IMPORTED
    source_detail: str | None = None  # by default: the file, sheet and row
    created_at: datetime | None = None


class BatchWriter:
    """Collects rows and writes them with bulk inserts: one statement per table, not per row."""

    def __init__(self, session: Session, batch_id: int, file_name: str) -> None:
        self.session = session
        self.batch_id = batch_id
        self.file_name = file_name
        self.user = current_user(session)
        self.updates: list[dict[str, Any]] = []
        self.audit: list[dict[str, Any]] = []
        self.now = utc_now()

    def source(self, sheet: str, row: int) -> str:
        return f"{self.file_name}, sheet {sheet}, row {row}"

    def add_update(self, new: NewUpdate) -> None:
        update_uid = new.uid or new_uid()
        values = dict(new.values)
        self.updates.append({
            "uid": update_uid, **pointing_at(new.item), "source_kind": new.source_kind,
            "source_detail": new.source_detail if new.source_detail is not None else self.source(new.sheet, new.row),
            "import_batch_id": self.batch_id, "created_at": new.created_at or self.now,
            "meeting_id": values.pop("meeting_id", None), **values})
        self.log("update", update_uid, "created", new=f"on {new.item_uid}", sheet=new.sheet, row=new.row)

    def log(self, entity: str, uid: str, action: str, *, field: str = "", old: Any = None, new: Any = None,
            sheet: str = "", row: int = 0) -> None:
        self.audit.append({"at": self.now, "user": self.user, "entity": entity, "entity_uid": uid,
                           "action": action, "field": field, "old_value": as_text(old), "new_value": as_text(new),
                           "source": self.source(sheet, row) if sheet else f"imported from {self.file_name}",
                           "import_batch_id": self.batch_id})

    def change(self, entity: str, obj: Any, changes: dict[str, Any], sheet: str, row: int, *,
               bump_version: bool = True) -> list[str]:
        """The shared change rule (services.changes), its audit rows collected for one bulk insert."""
        origin = Origin(self.source(sheet, row) if sheet else f"imported from {self.file_name}", self.batch_id,
                        self.user)
        return set_fields(self.session, obj, entity, changes, origin, sink=self.audit.append,
                          bump_version=bump_version)

    def flush(self) -> None:
        """Write what was collected: a Core insert per table (one executemany; the ORM's bulk
        insert emitted a statement per row where rows left different columns empty)."""
        self.session.flush()
        insert_rows(self.session, cast(Table, Update.__table__), self.updates)
        insert_rows(self.session, cast(Table, AuditEntry.__table__), self.audit)
        self.updates, self.audit = [], []


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows in their order, an executemany per run of rows giving the same columns (a
    column a row leaves out takes its default, as it would alone)."""
    for _, run in groupby(rows, key=_columns_of):
        session.execute(table.insert(), list(run))


def _columns_of(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(row)


def _apply_returns(writer: BatchWriter, plan: ImportPlan) -> None:
    from scr_desk.services.imports.return_items import imported_origins
    session = writer.session
    rows = [(r, r.payload) for r in plan.rows if r.will_apply and r.payload is not None]
    # Checked again under the write lock: another window or process may have imported the same
    # rows between the preview and now, and they must land once.
    landed = imported_origins(session, [c.update.origin_key for _, c in rows if c.update])
    loaded: dict[ItemKey, Recommendation | Action] = {
        ItemKey.recommendation(o.id): o for o in session.scalars(select(Recommendation).where(
        Recommendation.id.in_([c.item.id for _, c in rows if c.item.kind == ItemKind.RECOMMENDATION])))}
    loaded |= {ItemKey.action(o.id): o for o in session.scalars(select(Action).where(
        Action.id.in_([c.item.id for _, c in rows if c.item.kind == ItemKind.ACTION])))}
    waiting: list[WaitingProposal] = []
    for planned, change in rows:
        item = loaded.get(change.item)
        if item is None or item.version != change.version:
            raise ImportRefused(f"{plan.path.name}: {planned.reference} changed in the database after the preview "
                                "was made; nothing was imported. Preview the file again.")
        if change.update is not None:
            if change.update.origin_key in landed:
                raise ImportRefused(f"{plan.path.name}: {planned.reference} received this row meanwhile (the same "
                                    "return imported elsewhere?); nothing was imported. Preview the file again.")
            detail, update_uid = None, new_uid()
            taken = planned.applies_changes or not change.item_changes
            if not taken:
                # Not taken: the item keeps its state, and the proposal stays on record where it came
                # from (the text stays as written), waiting for the lead's decision on the board.
                detail = (f"{writer.source(planned.sheet, planned.row)}; proposed {change.proposed}: recorded, "
                          "not applied")
                waiting.append(WaitingProposal.of(update_uid, change.item_changes))
            writer.add_update(NewUpdate(item=change.item, item_uid=item.uid, values=change.update.values(moves=taken),
                                        sheet=planned.sheet, row=planned.row, uid=update_uid, source_detail=detail))
        if planned.applies_changes:
            writer.change(change.item.kind, item, change.item_changes, planned.sheet, planned.row)
    writer.flush()
    left_out = sum(1 for r in plan.rows if r.bucket == "left_out" or (r.bucket == "conflicts" and not r.will_apply))
    record_receipt(session, plan.facts.get("export_id", ""), writer.batch_id, len(rows), left_out, waiting)
