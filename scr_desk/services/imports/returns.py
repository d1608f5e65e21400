"""Planning a partner's return against the database's own record of what was sent.

Nothing the workbook says about itself is believed: it names an export and carries a signature;
the agency, period, rows, versions and locked values come from the record (`return_record`).
Rows are matched by their hidden key, never by position, and only the rows that export sent may
be touched. A return proposes only an agency's statuses; a contributor's proposal moves the item
only with the lead's agreement; a return for an earlier period lands as history.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from scr_desk.db.models import Agency
from scr_desk.domain.dates import format_uk
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import AGENCY_STATUSES, Rag, Status
from scr_desk.domain.rules import Period, parse_period
from scr_desk.excel.formulas import uncalculated_cells
from scr_desk.excel.layout import RETURN_FORMAT_VERSION, RETURN_INPUT_KEYS
from scr_desk.excel.reader import WorkbookData
from scr_desk.excel.returns_reader import CellProblem, ParsedReturn, ReturnInputs, ReturnRow, parse_return
from scr_desk.excel.values import as_text, normalise
from scr_desk.services.imports.plan import ConflictChoice, FieldChange, ImportPlan, Issue, Outcome, PlannedRow
from scr_desk.services.imports.return_items import ReturnTarget, already_given, imported_origins, load_targets
from scr_desk.services.return_record import SentReturn, load_sent, sent_elsewhere, verifies

ITEM_FIELDS = (("status", "Status", "status"), ("rag", "RAG", "rag"),
               ("revised_target_date", "Revised target", "target"))  # field, label, locked column as sent
TAMPERED = "this return was changed after it was sent, or it comes from another database"
MAX_UPDATE_CHARS = 32_767  # a cell's own limit: anything longer did not come from a spreadsheet
MAX_AUTHOR_CHARS = 200  # the update's author column holds this much


@dataclass(frozen=True, kw_only=True, slots=True)
class ReturnUpdate:
    """The update one row of a return leaves on its item."""

    as_at: date
    period: str
    agency_id: int
    author: str
    narrative: str
    evidence: str
    status: Status | None
    rag: Rag | None
    origin_key: str  # which return, row and content it came from: the same row is never imported twice

    def values(self, *, moves: bool) -> dict[str, Any]:
        """Its columns for the update row; `moves` False: recorded without a status or RAG."""
        return {"as_at": self.as_at, "period": self.period, "agency_id": self.agency_id, "author": self.author,
                "narrative": self.narrative, "evidence": self.evidence, "origin_key": self.origin_key,
                "status": self.status if moves else None, "rag": self.rag if moves else None}


@dataclass(slots=True)
class ReturnChange:
    """What applying one row does: an update on an item, and the item's new values."""

    item: ItemKey
    item_uid: str
    version: int  # the item's version when planned: apply refuses if it has moved since
    update: ReturnUpdate | None
    item_changes: dict[str, Any] = field(default_factory=dict)
    proposed: str = ""  # the proposal in words, kept in the update's text when it is not applied
    history: bool = False  # for an earlier period than the item's newest update: moves nothing


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return format_uk(value)
    return str(value)


def _refuse(plan: ImportPlan, message: str, sheet: str | None = None) -> None:
    plan.file_errors.append(Issue(sheet, None, message))


def _verified_record(session: Session, plan: ImportPlan, facts: dict[str, Any]) -> SentReturn | None:
    if not facts:
        _refuse(plan, f"{TAMPERED[0].upper()}{TAMPERED[1:]}: it is laid out as a return but its hidden part "
                      "is missing. Ask the agency for the workbook as it was sent, or export a fresh one.")
        return None
    version = as_text(facts.get("format_version"))
    if version == "1":
        _refuse(plan, "this return was written by an earlier version of SCR Desk (return format 1), whose "
                      "returns cannot be checked against what was sent; export a fresh return for the agency")
        return None
    if version != str(RETURN_FORMAT_VERSION) or not verifies(session, as_text(facts.get("export_id")),
                                                             as_text(facts.get("signature"))):
        elsewhere = sent_elsewhere(session, {key: as_text(facts.get(key)) for key in ("database", "database_name")})
        if elsewhere:  # not tampering: a return taken to the wrong database, which is told where it belongs
            _refuse(plan, f"this return was sent from {elsewhere}: a return can only be imported into the "
                          "database that sent it, so nothing was imported; import it there")
            return None
        _refuse(plan, f"{TAMPERED[0].upper()}{TAMPERED[1:]} (its signature does not match any return this "
                      "database sent); nothing in it can be trusted, so nothing was imported")
        return None
    sent = load_sent(session, as_text(facts["export_id"]))
    if sent is None:
        _refuse(plan, "this database has no record of sending this return (was the database restored from "
                      "a backup taken before it was sent?); export a fresh return for the agency")
        return None
    return sent


def plan_return(session: Session, plan: ImportPlan, book: WorkbookData, facts: dict[str, Any], today: date) -> None:
    """Verify the return against the database's record first; only then read its rows."""
    sent = _verified_record(session, plan, facts)
    if sent is None:
        return
    agency = session.get(Agency, sent.agency_id) if sent.agency_id else None
    plan.facts.update(agency=sent.agency_name, period=sent.period, deadline=format_uk(sent.deadline),
                      exported=f"{sent.exported_at:%d/%m/%Y}", sent_as=sent.file_name, export_id=sent.export_id)
    if agency is None:
        _refuse(plan, f"the agency this return was sent to ({sent.agency_name}) is no longer in the database")
        return
    parsed = parse_return(book, facts)
    parsed.uncalculated = uncalculated_cells(book.path, parsed.sheet, book.formulas)
    for name, has_input in parsed.other_sheets.items():
        if has_input:
            _refuse(plan, f"the sheet {name!r} is laid out as a return too and has updates in it, but only the "
                          f"{parsed.sheet!r} sheet is read: move its updates there, delete it, and import again", name)
        else:
            plan.notes.append(Issue(name, None, f"this sheet is a copy of the return with nothing filled in; only "
                                                f"the {parsed.sheet!r} sheet was read"))
    keys = Counter(r.key for r in parsed.rows)
    targets = load_targets(session, {k for k in keys if k in sent.rows}, agency.id)
    origins = {r.row: origin_key(sent.export_id, r.key, *r.inputs.written) for r in parsed.rows}
    context = ReturnContext(parsed=parsed, sent=sent, keys=keys, targets=targets,
                            given=already_given(session, targets.values(), agency.id, sent.period),
                            landed=imported_origins(session, list(origins.values())), origins=origins,
                            agency_id=agency.id, today=today, period=parse_period(sent.period))
    late: list[str] = []
    for row in parsed.rows:
        planned = _plan_row(context, row)
        if isinstance(planned.payload, ReturnChange) and planned.payload.history:
            late.append(planned.reference)
        plan.rows.append(planned)
    if late:
        shown = ", ".join(late[:8]) + (f" and {len(late) - 8} more" if len(late) > 8 else "")
        plan.notes.append(Issue(parsed.sheet, None, f"this return is for {sent.period}; newer updates exist for "
                                f"{len(late)} of its items ({shown}), so their updates land as history and do not "
                                "move their status, RAG or target back"))


def _key_cell(parsed: ParsedReturn, row: ReturnRow) -> str:
    return parsed.cell(row.row, "key")


def origin_key(export_id: str, key: str, *content: str) -> str:
    """Which return, row and content an update came from: the same row imported again is found."""
    return hashlib.sha256("\x1f".join((export_id, key, *content)).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, kw_only=True, slots=True)
class ReturnContext:
    """What every row of one return is planned against."""

    parsed: ParsedReturn
    sent: SentReturn
    keys: Counter[str]  # how many rows carry each key
    targets: dict[str, ReturnTarget]  # the items the keys name, as the database holds them now
    given: set[tuple[ItemKey, str, str]]  # (item, narrative, evidence) this agency gave this period
    landed: set[str]  # origin keys already on an update
    origins: dict[int, str]  # each row's origin key
    agency_id: int
    today: date
    period: Period


def _plan_row(context: ReturnContext, row: ReturnRow) -> PlannedRow:
    parsed, sent, keys, targets = context.parsed, context.sent, context.keys, context.targets
    key = row.key
    filled = row.inputs.filled
    target = targets.get(key)
    planned = PlannedRow(parsed.sheet, row.row, Outcome.UNCHANGED, target.reference if target else
                         as_text(row.values.get("reference")))
    if row.above_header:
        return _error(planned, _key_cell(parsed, row), "this row is above the heading row: were the headings "
                      "sorted in with the data? Sort only the rows below the headings, and import again")
    if not key:
        if filled:
            return _error(planned, _key_cell(parsed, row), "this row has no key (was it added by hand?); put the "
                          "update on the row SCR Desk sent for the item")
        planned.outcome, planned.message = Outcome.WARNING, "left out: a row with no key and nothing to import"
        return planned
    if keys[key] > 1:
        return _error(planned, _key_cell(parsed, row), f"the key {key} appears {keys[key]} times in this sheet "
                      "(a copied row?); keep one row per item")
    if key not in sent.rows:
        return _error(planned, _key_cell(parsed, row), f"the key {key} is not in the return sent to "
                      f"{sent.agency_name} on {sent.exported_at:%d/%m/%Y}; a return may change only the rows it was "
                      "sent with")
    if target is None:
        if not filled:  # nothing written on it: the row can simply be left out
            planned.outcome, planned.column = Outcome.WARNING, _key_cell(parsed, row)
            planned.message = "left out: this item was deleted from the database after the return was sent"
            return planned
        return _error(planned, _key_cell(parsed, row), "this item was deleted from the database after the return "
                      "was sent, so its update has nowhere to go; restore the item (Edit > Undo, or a backup), or "
                      "clear this row's update and import again")
    uncalculated = [k for k in RETURN_INPUT_KEYS if (row.row, parsed.columns[k]) in parsed.uncalculated] \
        if parsed.uncalculated else []
    if uncalculated:
        return _error(planned, parsed.cell(row.row, uncalculated[0]), "this cell holds a formula whose result was "
                      "never saved (the program that saved the file does not calculate), so it reads as empty; type "
                      "the text itself, or open and save the file in Excel or LibreOffice")
    planned.notes = tuple(_locked_edits(parsed, row, sent.rows[key].locked))
    return _plan_filled(context, row, planned, target)


def _plan_filled(context: ReturnContext, row: ReturnRow, planned: PlannedRow, target: ReturnTarget) -> PlannedRow:
    parsed, sent, today, period = context.parsed, context.sent, context.today, context.period
    # Validation comes first: a bad value is an error even on a row that otherwise changed nothing.
    inputs = row.inputs
    refused = _refused_input(parsed, row.row, inputs)
    if refused is not None:
        return _error(planned, refused.cell, refused.message)
    status, rag, revised = inputs.proposed_status, inputs.proposed_rag, inputs.revised_target
    narrative, evidence, author = inputs.update, inputs.evidence, inputs.completed_by
    planned.shown = {"Update": narrative, "Evidence": evidence, "Completed by": author,
                     "Proposed status": _show(status) if status else "", "Proposed RAG": _show(rag) if rag else "",
                     "Revised target": _show(revised) if revised else ""}
    if not inputs.filled:
        planned.message = "nothing filled in"
        return planned
    wanted = {"status": status, "rag": rag, "revised_target_date": revised}
    changes = tuple(FieldChange(name, label, _show(getattr(target, name)), _show(wanted[name]))
                    for name, label, _ in ITEM_FIELDS
                    if wanted[name] is not None and wanted[name] != getattr(target, name))
    origin = context.origins[row.row]
    if origin in context.landed:
        planned.message = "already imported: this row of this return is in the item's history"
        return planned
    if not changes and (target.item, narrative, evidence) in context.given:
        planned.message = "already in the item's history: the agency gave this update for this period before"
        return planned
    proposed = "; ".join(f"{c.label} {c.after}" for c in changes)
    as_at = today
    history = target.latest_period is not None and target.latest_period > period
    if history:  # an earlier quarter's return, arriving late: it joins the history, it moves nothing
        as_at, changes = min(period.last_day, today), ()
        planned.message = (f"for {sent.period}, but the item has updates for {target.latest_period}: added to its "
                           "history without changing its status, RAG or target")
    # Every row that lands leaves an update, so a status or RAG never moves without one on record.
    update = ReturnUpdate(as_at=as_at, period=sent.period, agency_id=context.agency_id, author=author,
                          narrative=narrative, evidence=evidence, status=status, rag=rag, origin_key=origin)
    planned.payload = ReturnChange(target.item, target.uid, target.version, update,
                                   {c.field: wanted[c.field] for c in changes}, proposed, history)
    planned.changes = changes
    planned.adds_update = True
    planned.outcome = Outcome.NEW_UPDATE
    planned.column = ", ".join(_proposal_cells(parsed, row, changes)) or None
    if not target.in_scope:
        _conflict(planned, sent, target, f"{target.reference} has moved to another agency since the return was sent "
                  f"to {sent.agency_name}", changes)
    elif changes and sent.rows[target.key].version != target.version:
        # Whoever proposes it: a proposal made against what the return showed, on an item that has
        # changed since (another agency's return, the lead), would put the newer change back.
        _conflict(planned, sent, target, f"{target.reference} changed in the database since the return was sent, "
                  "and the return proposes changes too", changes)
    elif changes and not target.leads:
        # A contributor's proposal never moves the item by itself.
        planned.proposal, planned.choice = True, ConflictChoice.DATABASE
        planned.message = (f"{sent.agency_name} contributes to {target.reference} but does not lead it: its proposal "
                           f"({proposed}) is recorded with its update, and applied only if you choose to (here, or "
                           "later on the returns board)")
    return planned


PROPOSED_IN = {"status": "proposed_status", "rag": "proposed_rag", "revised_target_date": "revised_target"}


def _proposal_cells(parsed: ParsedReturn, row: ReturnRow, changes: tuple[FieldChange, ...]) -> list[str]:
    return [parsed.cell(row.row, PROPOSED_IN[c.field]) for c in changes]


def _conflict(planned: PlannedRow, sent: SentReturn, target: ReturnTarget, what: str,
              changes: tuple[FieldChange, ...]) -> None:
    locked = sent.rows[target.key].locked
    as_sent = {name: locked.get(column, "") for name, _, column in ITEM_FIELDS}
    planned.outcome = Outcome.CONFLICT
    planned.sides = tuple((c.label, _shown_as_sent(as_sent[c.field]), c.before, c.after) for c in changes)
    both = "; ".join(f"{label}: sent as {then}, now {now} in the database, {new} in the return"
                     for label, then, now, new in planned.sides)
    planned.message = f"{what}" + (f" ({both})" if both else "")  # the choice made is said with it: conflict_said


def _shown_as_sent(value: str) -> str:
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_uk(date.fromisoformat(value))
        except ValueError:
            pass
    return value or "—"


def _refused_input(parsed: ParsedReturn, row: int, inputs: ReturnInputs) -> CellProblem | None:
    """Every input the return may not give, as one problem naming each cell: a status only the
    panel or the partnership decides, a cell the reader could not type, a text longer than the
    database keeps. All of a row's mistakes are said at once, so one import finds them all."""
    problems: list[CellProblem] = []
    status = inputs.proposed_status
    if status is not None and status not in AGENCY_STATUSES:
        problems.append(CellProblem(cell=parsed.cell(row, "proposed_status"),
                                    message=f"{status.value!r} is decided by the panel or the partnership, not "
                                            "proposed in a return; propose " +
                                            ", ".join(s.value for s in AGENCY_STATUSES)))
    problems += inputs.problems
    texts = (("update", inputs.update, MAX_UPDATE_CHARS), ("evidence", inputs.evidence, MAX_UPDATE_CHARS),
             ("completed_by", inputs.completed_by, MAX_AUTHOR_CHARS))
    for key, text, limit in texts:
        if len(text) > limit:
            problems.append(CellProblem(cell=parsed.cell(row, key),
                                        message=f"this text is {len(text):,} characters long; at most {limit:,} "
                                                "fit here"))
    if len(problems) <= 1:
        return problems[0] if problems else None
    # The first cell leads (the preview and the error name it); each is then named with its own.
    first, *rest = problems
    return CellProblem(cell=first.cell, message="; ".join(
        [first.message, *(f"{problem.cell}: {problem.message}" for problem in rest)]))


def _quoted(text: str) -> str:
    if not text:
        return "(blank)"
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


def _error(planned: PlannedRow, column: str, message: str) -> PlannedRow:
    planned.outcome, planned.column, planned.message = Outcome.ERROR, column, message
    planned.payload, planned.changes, planned.adds_update = None, (), False
    return planned


def _locked_edits(parsed: ParsedReturn, row: ReturnRow, sent: dict[str, str]) -> list[str]:
    edits = []
    for name in parsed.locked_keys:
        was, cell = sent.get(name, ""), row.values.get(name)
        if cell == was and cell.__class__ is str:  # text as sent (normalised already): most cells
            continue
        now = normalise(cell)
        if was != now:
            edits.append(f"{parsed.cell(row.row, name)} was changed from "
                         f"{_quoted(was)} to {_quoted(now)}: columns SCR Desk fills are not imported")
    return edits
