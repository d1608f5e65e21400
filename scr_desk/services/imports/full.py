"""The full workbook: every record matched by its uid; new ones created with their own keys,
identical ones left alone. Into an empty database it restores exactly.

A full workbook never takes the database back in time. What it says about itself (a record's
version number included) is not believed, so a record that differs from the database's is a
conflict, shown side by side and kept as the database has it unless the lead chooses the file's;
taking the file's moves the record's version forward, never back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.models import Agency, Recommendation, recommendation_contributor
from scr_desk.excel.full_reader import FullRecord
from scr_desk.excel.values import as_text
from scr_desk.services.imports.full_columns import (
    MODELS,
    PARENT_SHEETS,
    PARENTS,
    TABLES,
    Invalid,
    SheetColumns,
    Taken,
    sheet_columns,
)
from scr_desk.services.imports.plan import ConflictChoice, FieldChange, ImportPlan, Outcome, PlannedRow
from scr_desk.services.search import upkeep_for

if TYPE_CHECKING:
    from scr_desk.services.imports.apply import BatchWriter

ENTITY = {"Agencies": "agency", "Reviews": "review", "Recommendations": "recommendation", "Actions": "action",
          "Meetings": "meeting", "Attendees": "attendee", "Updates": "update", "Decisions": "decision"}
REQUIRED_PARENT = {"Recommendations": "review_uid", "Actions": "recommendation_uid", "Attendees": "meeting_uid",
                   "Decisions": "meeting_uid"}
CREATED = {"Reviews": "reviews", "Recommendations": "recommendations", "Actions": "actions"}
STORED_CHUNK = 10_000  # records compared with the database's a chunk at a time: memory stays bounded
Progress = Callable[[int, int, str], None]


@dataclass
class FullPayload:
    """What apply needs: the typed values of the records it writes (new ones, and conflicts the
    lead may take), an unchanged record's none. A record's values are a tuple in the order of its
    sheet's `keys` (a dict for each of a million records would hold gigabytes)."""

    records: dict[str, list[tuple[PlannedRow, tuple[Any, ...]]]] = field(default_factory=dict)
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    held_back: set[str] = field(default_factory=set)  # uids the database deleted: inserted only if taken

    def values(self, sheet: str) -> Iterator[tuple[PlannedRow, dict[str, Any]]]:
        keys = self.keys.get(sheet, ())
        for planned, values in self.records.get(sheet, []):
            yield planned, dict(zip(keys, values, strict=True))


def plan_full(session: Session, plan: ImportPlan, records: dict[str, list[FullRecord]], date1904: bool,
              progress: Progress | None = None) -> None:
    """Every record matched by uid against the database's, in set work: what the workbook refers
    to is read in one query per table (the stored records in chunks), never one per row."""
    from scr_desk.services.imports.full_trust import admit, deleted_records, hold_back_deleted
    if not admit(session, plan):  # whose workbook it is, before anything in it is read
        return
    payload = FullPayload()
    plan.payload = payload
    # Every uid a record may point at: in the database already, or arriving in this workbook.
    present: dict[str, set[str]] = {}
    for sheet in PARENT_SHEETS:
        present[sheet] = set(session.scalars(select(TABLES[sheet].c.uid)))
        present[sheet].update(as_text(r.values.get("uid")) for r in records.get(sheet, []))
    taken = Taken(session)
    agency_uids = dict(session.execute(select(Agency.id, Agency.uid)).all())
    contributors: dict[str, list[int]] = defaultdict(list)
    rec_uids = dict(session.execute(select(Recommendation.id, Recommendation.uid)).all())
    for rec_id, agency_id in session.execute(select(recommendation_contributor)):
        contributors[rec_uids[rec_id]].append(agency_id)
    del rec_uids
    created = dict.fromkeys(CREATED.values(), 0)
    total, done = sum(len(rows) for rows in records.values()), 0
    for sheet, rows in records.items():
        payload.records[sheet] = []
        if not rows:
            continue
        columns = sheet_columns(sheet, rows[0].columns, date1904)
        payload.keys[sheet] = columns.keys
        table_empty = session.scalar(select(TABLES[sheet].c.id).limit(1)) is None  # a move to a new laptop
        for start in range(0, len(rows), STORED_CHUNK):
            chunk = rows[start:start + STORED_CHUNK]
            stored = {} if table_empty else _stored(session, columns, chunk)
            for record in chunk:
                planned, values = _plan_record(record, columns, stored, present, taken, contributors, agency_uids)
                plan.rows.append(planned)
                if planned.outcome is Outcome.NEW_ITEM:
                    payload.records[sheet].append((planned, tuple(values.values())))
                    if sheet in CREATED:
                        created[CREATED[sheet]] += 1
                elif planned.outcome is Outcome.CONFLICT:
                    payload.records[sheet].append((planned, tuple(values.values())))
            done += len(chunk)
            if progress:
                progress(done, total, f"Checking the workbook's {sheet.lower()}")
    if deleted_records(session):  # else nothing can be held back (a move into an empty database, say)
        written = {sheet: list(payload.values(sheet)) for sheet in payload.records}
        payload.held_back = hold_back_deleted(session, written, ENTITY, PARENTS)
    for planned, _ in (pair for rows in payload.records.values() for pair in rows):
        if planned.sheet in CREATED and planned.outcome is Outcome.CONFLICT and planned.column == "record":
            created[CREATED[planned.sheet]] -= 1  # held back: created only if the lead takes it
    plan.created = created


def _stored(session: Session, columns: SheetColumns, chunk: list[FullRecord]) -> dict[str, tuple[Any, ...]]:
    """uid -> the compared fields as the database holds them, for the records of this chunk."""
    from scr_desk.services.imports.return_items import rows_where_in
    table = TABLES[columns.sheet]
    wanted = {as_text(r.values.get("uid")) for r in chunk} - {""}
    query = select(table.c.uid, *(table.c[key] for key in columns.compared))
    return {row[0]: tuple(row[1:]) for row in rows_where_in(session, query, table.c.uid, wanted)}


def _plan_record(record: FullRecord, columns: SheetColumns, stored: dict[str, tuple[Any, ...]],
                 present: dict[str, set[str]], taken: Taken, contributors: dict[str, list[int]],
                 agency_uids: dict[int, str]) -> tuple[PlannedRow, dict[str, Any]]:
    sheet = record.sheet
    planned = PlannedRow(sheet, record.row, Outcome.NEW_ITEM, as_text(record.values.get("reference"))
                         or as_text(record.values.get("name")) or as_text(record.values.get("uid")))
    try:
        values = columns.convert(record.row, record.values.cells)
        _check_parents(sheet, values, present)
    except Invalid as exc:
        planned.outcome, planned.column, planned.message = Outcome.ERROR, exc.column, str(exc)
        return planned, {}
    existing = stored.get(values["uid"])
    clash = taken.clash(sheet, values, existing is not None)
    if clash:
        planned.outcome, planned.message = Outcome.ERROR, clash
        return planned, {}
    if existing is None:
        planned.message = f"new {ENTITY[sheet]}"
        planned.adds_update = sheet == "Updates"
        return planned, values
    planned.outcome = Outcome.UNCHANGED
    wanted = tuple(map(values.__getitem__, columns.compared))
    changes = [] if wanted == existing else [
        FieldChange(key, key.replace("_", " "), as_text(before), as_text(after))
        for key, before, after in zip(columns.compared, existing, wanted, strict=True) if before != after]
    if "contributor_uids" in values:
        now = sorted(agency_uids[i] for i in contributors.get(values["uid"], []))
        listed = sorted(u.strip() for u in values["contributor_uids"].split(";") if u.strip())
        if now != listed:
            changes.append(FieldChange("contributors", "contributors", "; ".join(now), "; ".join(listed)))
    if changes:
        planned.changes = tuple(changes)
        _changed_or_conflict(planned, existing, values)
    return planned, values


def _check_parents(sheet: str, values: dict[str, Any], present: dict[str, set[str]]) -> None:
    for key, (_, parent_sheet) in PARENTS.items():
        uid = values.get(key)
        if uid and uid not in present[parent_sheet]:
            raise Invalid(key, f"refers to {ENTITY[parent_sheet]} {uid}, which is neither in the database nor "
                               "in this workbook")
    required = REQUIRED_PARENT.get(sheet)
    if required and not values.get(required):
        raise Invalid(required, "is empty, so the record has nowhere to belong")
    if sheet in ("Updates", "Decisions") and bool(values.get("recommendation_uid")) == bool(values.get("action_uid")):
        raise Invalid("recommendation_uid", "must name a recommendation or an action (exactly one)")
    for uid in (values.get("contributor_uids") or "").split(";"):
        if uid.strip() and uid.strip() not in present["Agencies"]:
            raise Invalid("contributor_uids", f"refers to agency {uid.strip()}, which is not known")


def _changed_or_conflict(planned: PlannedRow, existing: Any, values: dict[str, Any]) -> None:
    """The database's record is kept unless the lead chooses the file's: an older copy (or one
    whose version cell was edited) must never silently put last quarter back."""
    planned.outcome, planned.choice = Outcome.CONFLICT, ConflictChoice.SKIP
    planned.sides = tuple((c.label, "", c.before, c.after) for c in planned.changes)
    planned.column = ", ".join(c.label for c in planned.changes)
    planned.message = "the database's record differs from the workbook's"  # the choice is said with it


ORDER = ("Agencies", "Reviews", "Recommendations", "Actions", "Meetings", "Attendees", "Updates", "Decisions")
WRITE_CHUNK = 20_000  # rows per insert, and audit entries written as they are made: memory stays flat


def apply_full(writer: BatchWriter, plan: ImportPlan, progress: Progress | None = None) -> None:
    """Insert new records with their own uids (parents first), change the differing ones: one
    Core insert per table and chunk, never a statement per row. A whole partnership's workbook (a
    new laptop) suspends the search index's upkeep and rebuilds it once."""
    session: Session = writer.session
    payload = plan.payload
    assert isinstance(payload, FullPayload)
    new_updates = sum(1 for planned, _ in payload.records.get("Updates", []) if planned.outcome is Outcome.NEW_ITEM)
    with upkeep_for(session, new_updates):
        _apply_records(session, writer, payload, progress)


def _apply_records(session: Session, writer: BatchWriter, payload: FullPayload, progress: Progress | None) -> None:
    ids: dict[str, dict[str, int]] = {}  # uid -> id of the sheets records point at
    total = sum(len(entries) for entries in payload.records.values())
    done = 0
    for sheet in ORDER:
        table = TABLES[sheet]
        new_rows: list[dict[str, Any]] = []
        contributors: list[tuple[str, list[str]]] = []
        for planned, values in payload.values(sheet):
            row = {k: v for k, v in values.items() if k not in PARENTS and k != "contributor_uids"}
            for key, (column, parent_sheet) in PARENTS.items():
                if key in values:
                    row[column] = ids[parent_sheet].get(values[key]) if values[key] else None
            if planned.outcome is Outcome.NEW_ITEM or (values["uid"] in payload.held_back and planned.applies_changes):
                if sheet == "Updates":
                    row["import_batch_id"] = writer.batch_id
                new_rows.append(row)
                writer.log(ENTITY[sheet], values["uid"], "created", sheet=sheet, row=planned.row)
            elif planned.applies_changes:
                model = MODELS[sheet]
                obj = session.scalar(select(model).where(model.uid == values["uid"]))
                # The file's values, but never its version: taking them is a change like any other.
                writer.change(ENTITY[sheet], obj, {k: v for k, v in row.items() if k not in ("uid", "id", "version")
                                                   and hasattr(obj, k)}, sheet, planned.row)
            if sheet == "Recommendations" and "contributor_uids" in values and (
                    planned.outcome is Outcome.NEW_ITEM or planned.applies_changes):
                wanted = [u.strip() for u in values["contributor_uids"].split(";") if u.strip()]
                contributors.append((values["uid"], wanted))
            if len(new_rows) == WRITE_CHUNK:
                session.execute(table.insert(), new_rows)
                writer.flush()  # the chunk's audit entries
                done += len(new_rows)
                new_rows = []
                if progress:
                    progress(done, total, f"Importing the workbook's {sheet.lower()}")
        if new_rows:
            session.execute(table.insert(), new_rows)
            done += len(new_rows)
        writer.flush()
        if sheet in PARENT_SHEETS:
            ids[sheet] = dict(session.execute(select(table.c.uid, table.c.id)).all())
        if contributors:
            _set_contributors(session, ids, contributors)
        if progress:
            progress(done, total, f"Importing the workbook's {sheet.lower()}")


def _set_contributors(session: Session, ids: dict[str, dict[str, int]], wanted: list[tuple[str, list[str]]]) -> None:
    """Each recommendation's contributors as the workbook lists them: the old ones deleted and
    the new ones inserted in a statement per chunk, not per recommendation."""
    table = recommendation_contributor
    rec_ids = [ids["Recommendations"][rec_uid] for rec_uid, _ in wanted]
    for start in range(0, len(rec_ids), 10_000):
        session.execute(table.delete().where(table.c.recommendation_id.in_(rec_ids[start:start + 10_000])))
    rows = [{"recommendation_id": rec_id, "agency_id": ids["Agencies"][u]}
            for rec_id, (_, agency_uids) in zip(rec_ids, wanted, strict=True) for u in agency_uids]
    if rows:
        session.execute(table.insert(), rows)
