"""One tracker row's meaning: which review, recommendation and action it belongs to, what it
changes there, and one dated update per update column. Every non-empty cell of the row is
accounted for: mapped to a field, kept as text, or skipped with its reason."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scr_desk.domain.dates import format_uk, parse_uk_date
from scr_desk.domain.enums import ItemKind, Rag, Scope, Status
from scr_desk.excel.tracker_layout import FIELDS
from scr_desk.excel.tracker_naming import is_no_agency, looks_like_agency, looks_like_person
from scr_desk.excel.tracker_readings import (
    ACTION_ONLY,
    leading_number,
    read_rag,
    read_status,
    read_target,
    split_number,
)
from scr_desk.excel.tracker_rows import TrackerRow
from scr_desk.excel.values import as_text
from scr_desk.services.imports.tracker_questions import (
    KEEP_AS_TEXT,
    NO_RATING,
    RAG_CHOICES,
    STATUS_CHOICES,
    Question,
    rag_answer,
    status_answer,
    value_id,
)
from scr_desk.services.imports.tracker_updates import (
    SheetContext,
    Tally,
    completion_of,
    count_cell,
    row_updates,
)

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


@dataclass
class TrackerItem:
    review: str
    review_type: str
    rec_number: str
    rec_values: dict[str, Any]
    action_text: str
    action_values: dict[str, Any]
    updates: list[dict[str, Any]] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    action_number: str = ""  # given by the tracker ('1a' -> '1'), else numbered in order
    notes: list[str] = field(default_factory=list)  # cells skipped on this row, and why

    @property
    def kind(self) -> ItemKind:
        """What the row's updates and values land on: its action where it has one."""
        return ItemKind.ACTION if self.action_text else ItemKind.RECOMMENDATION


def sub_number(sub: str) -> str:
    """'a' -> '1', 'ii' -> '2', '3' -> '3'."""
    if sub.isdigit():
        return str(int(sub))
    if len(sub) == 1 and "a" <= sub <= "h":
        return str(ord(sub) - ord("a") + 1)
    return str(ROMAN.get(sub, sub))


def _numbering(line: TrackerRow, ctx: SheetContext) -> tuple[str, str, str, str]:
    """(recommendation number, recommendation text, action number, action text) of a row."""
    values = line.values
    number = as_text(values.get("rec_number"))
    rec_text = as_text(values.get("rec_text"))
    action_text = as_text(values.get("action_text"))
    both = as_text(values.get("rec_or_action"))
    if not number:
        for name in ("rec_or_action", "rec_text", "action_text"):
            found = leading_number(as_text(values.get(name))) if name in line.own else None
            if found and split_number(found[0]):
                number = found[0]
                if name == "rec_or_action":
                    both = found[1]
                elif name == "rec_text":
                    rec_text = found[1]
                else:
                    action_text = found[1]
                break
    parts = split_number(number) if number else None
    rec_no, sub = (parts if parts else (number, ""))
    if number and not parts and ctx.last_rec[0] and (letter := ACTION_ONLY.match(number)):
        rec_no, sub = ctx.last_rec[0], letter[1].strip("()").casefold()  # 'a', '(ii)' under recommendation 1
    action_no = as_text(values.get("action_number"))
    if action_no and (given := split_number(action_no)):
        if given[1]:
            rec_no, sub = rec_no or given[0], given[1]
        else:
            sub = given[0]
    if sub:
        text = action_text or both or (rec_text if "rec_text" in line.own and not action_text else "")
        own_rec_text = rec_text if action_text and rec_text else ""
        return rec_no, own_rec_text, sub_number(sub), text
    if rec_no:
        return rec_no, rec_text or both, "", action_text
    if rec_text and "rec_text" in line.own:
        return "", rec_text, "", action_text
    if action_text or both:
        return ctx.last_rec[0], ctx.last_rec[1], "", action_text or both
    return ctx.last_rec[0], ctx.last_rec[1], ctx.last_action[0], ctx.last_action[1]  # a continuation row


def _value_question(ctx: SheetContext, line: TrackerRow, name: str, raw: Any, default: str, choices: list[str],
                    asked: bool, text: str) -> Question:
    return ctx.questions.ask(Question(value_id(name, as_text(raw)), "value", name, text, default, choices, asked,
                                      where=f"sheet {ctx.sheet!r}, {line.cells.get(name, '')}",
                                      written=" ".join(as_text(raw).split())))


def _read_state(line: TrackerRow, ctx: SheetContext, tally: Tally) -> dict[str, Any]:
    """Status, RAG and target as the row writes them, through the questions' answers."""
    state: dict[str, Any] = {}
    own = line.own
    if "rag" in line.values:
        raw = line.values["rag"]
        reading = read_rag(raw, ctx.scale)
        default = reading.rag.value if reading.rag else (NO_RATING if reading.known else KEEP_AS_TEXT)
        question = _value_question(ctx, line, "rag", raw, default, RAG_CHOICES, not reading.known or bool(
            reading.warning), reading.warning or f"What does {as_text(raw)!r} in the RAG column mean?")
        rag, status, kept = rag_answer(question.value)
        if reading.partial and not kept and "rag" in own:
            tally.kept.append(f"RAG: {as_text(raw)}")  # read by its first words; the rest is kept
        count_cell(tally, own, "rag", kept, skipped=not kept and rag is None and status is None and not reading.status,
               line=line, raw=raw, why="says there is no rating")
        if rag is not None:
            state["rag"] = rag
        if status is not None or (reading.status and question.answer is None):
            state["status"] = status or reading.status
    elif ctx.rag_fill and (colour := ctx.rag_fill(line.row)):
        state["rag"] = colour
        if state["rag"] is Rag.BLUE:
            state["status"] = Status.COMPLETE
    if "status" in line.values:
        raw = line.values["status"]
        reading = read_status(raw)
        default = (reading.status.value if reading.status else KEEP_AS_TEXT) if not reading.empty else KEEP_AS_TEXT
        question = _value_question(ctx, line, "status", raw, default, STATUS_CHOICES, not reading.known,
                                   f"What does {as_text(raw)!r} in the Status column mean?")
        status, kept = status_answer(question.value)
        if reading.partial and not kept and "status" in own:
            tally.kept.append(f"Status: {as_text(raw)}")
        count_cell(tally, own, "status", kept and not reading.empty, skipped=reading.empty, line=line, raw=raw,
               why="says there is no status")
        if status is not None:
            state["status"] = status
        if reading.rag is not None and "rag" not in state and question.answer is None:
            state["rag"] = reading.rag
    for name, note_name in (("target_date", "target_note"), ("revised_target_date", "")):
        if name not in line.values:
            continue
        raw = line.values[name]
        reading = read_target(raw, date1904=ctx.date1904, fiscal_year=ctx.fiscal_year)
        when, note = reading.when, reading.note
        if not isinstance(raw, str) or reading.when and not reading.note and re.search(r"\d{4}", as_text(raw)) \
                and not re.search(r"[a-z]", as_text(raw), re.I):
            target_question: Question | None = None  # an ordinary date: nothing to ask
        else:
            default = format_uk(when) if when else (KEEP_AS_TEXT if not reading.known else "")
            target_question = _value_question(ctx, line, "target_date", raw, default or KEEP_AS_TEXT, [KEEP_AS_TEXT],
                                       not reading.known, f"Which date is the target {as_text(raw)!r}?")
            if target_question.answer is not None:
                when, note = _date_answer(target_question.answer, raw)
        if not reading.known and target_question is not None and target_question.answer is None:
            when, note = None, as_text(raw)
        if when is not None:
            state[name] = when
        if note and note_name:
            state[note_name] = note
        elif note and name == "revised_target_date":
            tally.kept.append(f"{FIELDS[name]}: {as_text(raw)}")
        kept = when is None and bool(note)
        count_cell(tally, own, name, kept)
    if state.get("rag") is Rag.BLUE and "status" not in state:
        state["status"] = Status.COMPLETE
    return state


def _date_answer(answer: Any, raw: Any) -> tuple[date | None, str]:
    text = str(answer).strip()
    if not text or text.casefold() == KEEP_AS_TEXT.casefold():
        return None, as_text(raw)
    try:
        return parse_uk_date(text), ""
    except ValueError:
        return None, as_text(raw)


def interpret(line: TrackerRow, ctx: SheetContext, review: str, review_type: str) -> tuple[TrackerItem | None, Tally]:
    tally = Tally()
    rec_no, rec_text, action_no, action_text = _numbering(line, ctx)
    for name in ("rec_number", "rec_text", "rec_or_action", "action_number", "action_text"):
        count_cell(tally, line.own, name, False)
    if not (rec_no or rec_text or action_text or line.updates or line.extra or line.values):
        return None, tally
    state = _read_state(line, ctx, tally)
    agency, owner = as_text(line.values.get("lead_agency")), as_text(line.values.get("owner"))
    if agency and (looks_like_person(agency) or is_no_agency(agency)):
        if is_no_agency(agency):
            tally.kept.append(f"{FIELDS['lead_agency']}: {agency}") if "lead_agency" in line.own else None
            count_cell(tally, line.own, "lead_agency", True)
        else:
            owner = owner or agency
            count_cell(tally, line.own, "lead_agency", False)
        agency = ""
    else:
        count_cell(tally, line.own, "lead_agency", False)
    if owner and not agency and "lead_agency" not in line.values and looks_like_agency(owner) \
            and not looks_like_person(owner):
        agency, owner = owner, ""
    count_cell(tally, line.own, "owner", False)
    values: dict[str, Any] = dict(state)
    if "scope" in line.values:
        try:
            values["scope"] = Scope.from_text(as_text(line.values["scope"]))
            count_cell(tally, line.own, "scope", False)
        except ValueError:
            count_cell(tally, line.own, "scope", True, line=line, raw=line.values["scope"])
    for name in ("percent",):
        if name in line.values:
            count_cell(tally, line.own, name, True, line=line, raw=line.values[name])
    completion = completion_of(line, ctx, tally)
    if completion and completion.get("as_at"):
        values["status"] = Status.COMPLETE
    for heading, raw in line.extra.items():
        tally.kept_as_text += 1
        tally.kept.append(f"{heading}: {as_text(raw)}")
    if not (rec_no or rec_text or action_text):
        if not ctx.last_rec[0] and not ctx.last_rec[1]:
            return None, tally
        rec_no, rec_text = ctx.last_rec
    if rec_no or rec_text:
        ctx.last_rec = (rec_no, rec_text)
    if action_text:
        ctx.last_action = (action_no, action_text)
    elif line.own & {"rec_number", "rec_text", "rec_or_action"}:
        ctx.last_action = ("", "")
    rec_values: dict[str, Any] = {"text": rec_text} if rec_text else {}
    action_values: dict[str, Any] = {}
    measure = as_text(line.values.get("success_measure"))
    if action_text:
        action_values = {**values, "owner_name": owner}
        if agency:
            action_values["owner_agency"] = agency
        if measure:
            action_values["success_measure"] = measure
        if "scope" in values:
            rec_values["scope"] = action_values.pop("scope")
    else:
        rec_values.update(values)
        if owner:
            tally.kept.append(f"{FIELDS['owner']}: {owner}")
        if measure:
            tally.kept.append(f"{FIELDS['success_measure']}: {measure}")
    count_cell(tally, line.own, "success_measure", not action_text)
    if agency:
        rec_values.setdefault("lead_agency", agency)
    updates = row_updates(line, ctx, tally, state, agency, owner, completion)
    item = TrackerItem(review, review_type, rec_no, rec_values, action_text, action_values, updates,
                       [agency] if agency else [], action_no, list(tally.notes))
    return item, tally
