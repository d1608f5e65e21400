"""One tracker row's meaning: which review, recommendation and action it belongs to, what it
changes there, and one dated update per update column. Every non-empty cell of the row is
accounted for: mapped to a field, kept as text, or skipped with its reason."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scr_desk.domain.dates import format_uk, parse_uk_date
from scr_desk.domain.enums import Rag, Scope, Status
from scr_desk.domain.rules import Period, parse_period, period_of
from scr_desk.excel.tracker_layout import FIELDS, UpdateColumn
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
    Questions,
    rag_answer,
    status_answer,
    value_id,
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


@dataclass
class SheetContext:
    sheet: str
    questions: Questions
    date1904: bool
    fiscal_year: int | None
    as_at: date  # the tracker's own date ('Last updated …'), else today
    today: date
    single_update_column: bool
    review: str = ""
    review_type: str = "Other"
    last_rec: tuple[str, str] = ("", "")  # number, text of the recommendation rows below belong to
    last_action: tuple[str, str] = ("", "")  # number, text of the action a continuation row belongs to
    rag_fill: Any = None  # (row) -> 'Red'… from the RAG cell's fill, or None
    scale: dict[int, Rag] = field(default_factory=dict)


@dataclass
class Tally:
    mapped: int = 0
    kept_as_text: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)  # what the preview says about this row's cells
    kept: list[str] = field(default_factory=list)  # 'Heading: value' lines kept in the update


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
        _count(tally, own, "rag", kept, skipped=not kept and rag is None and status is None and not reading.status,
               line=line, raw=raw, why="says there is no rating")
        if rag is not None:
            state["rag"] = rag
        if status is not None or (reading.status and question.answer is None):
            state["status"] = status or reading.status
    elif ctx.rag_fill and (colour := ctx.rag_fill(line.row)):
        state["rag"] = Rag(colour)
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
        _count(tally, own, "status", kept and not reading.empty, skipped=reading.empty, line=line, raw=raw,
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
            question = None  # an ordinary date: nothing to ask
        else:
            default = format_uk(when) if when else (KEEP_AS_TEXT if not reading.known else "")
            question = _value_question(ctx, line, "target_date", raw, default or KEEP_AS_TEXT, [KEEP_AS_TEXT],
                                       not reading.known, f"Which date is the target {as_text(raw)!r}?")
            if question.answer is not None:
                when, note = _date_answer(question.answer, raw)
        if not reading.known and question is not None and question.answer is None:
            when, note = None, as_text(raw)
        if when is not None:
            state[name] = when
        if note and note_name:
            state[note_name] = note
        elif note and name == "revised_target_date":
            tally.kept.append(f"{FIELDS[name]}: {as_text(raw)}")
        kept = when is None and bool(note)
        _count(tally, own, name, kept)
    if state.get("rag") is Rag.BLUE and "status" not in state:
        state["status"] = Status.COMPLETE
    return state


def _date_answer(answer: Any, raw: Any) -> tuple[date | None, str]:
    text = str(answer).strip()
    if not text or text == KEEP_AS_TEXT:
        return None, as_text(raw)
    try:
        return parse_uk_date(text), ""
    except ValueError:
        return None, as_text(raw)


def _count(tally: Tally, own: set[str], name: str, kept: bool, *, skipped: bool = False, line: TrackerRow | None = None,
           raw: Any = None, why: str = "") -> None:
    if name not in own:
        return  # a value filled down from a merged cell is counted once, on its own row
    if skipped:
        tally.skipped += 1
        if line is not None:
            tally.notes.append(f"{FIELDS.get(name, name)} {as_text(raw)!r} ({line.cells.get(name, '')}) {why}")
    elif kept:
        tally.kept_as_text += 1
        if line is not None and raw is not None:
            tally.kept.append(f"{FIELDS.get(name, name)}: {as_text(raw)}")
    else:
        tally.mapped += 1


def interpret(line: TrackerRow, ctx: SheetContext, review: str, review_type: str) -> tuple[TrackerItem | None, Tally]:
    tally = Tally()
    rec_no, rec_text, action_no, action_text = _numbering(line, ctx)
    for name in ("rec_number", "rec_text", "rec_or_action", "action_number", "action_text"):
        _count(tally, line.own, name, False)
    if not (rec_no or rec_text or action_text or line.updates or line.extra or line.values):
        return None, tally
    state = _read_state(line, ctx, tally)
    agency, owner = as_text(line.values.get("lead_agency")), as_text(line.values.get("owner"))
    if agency and (looks_like_person(agency) or is_no_agency(agency)):
        if is_no_agency(agency):
            tally.kept.append(f"{FIELDS['lead_agency']}: {agency}") if "lead_agency" in line.own else None
            _count(tally, line.own, "lead_agency", True)
        else:
            owner = owner or agency
            _count(tally, line.own, "lead_agency", False)
        agency = ""
    else:
        _count(tally, line.own, "lead_agency", False)
    if owner and not agency and "lead_agency" not in line.values and looks_like_agency(owner) \
            and not looks_like_person(owner):
        agency, owner = owner, ""
    _count(tally, line.own, "owner", False)
    values: dict[str, Any] = dict(state)
    if "scope" in line.values:
        try:
            values["scope"] = Scope.from_text(as_text(line.values["scope"]))
            _count(tally, line.own, "scope", False)
        except ValueError:
            _count(tally, line.own, "scope", True, line=line, raw=line.values["scope"])
    for name in ("percent",):
        if name in line.values:
            _count(tally, line.own, name, True, line=line, raw=line.values[name])
    completion = _completion(line, ctx, tally)
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
    _count(tally, line.own, "success_measure", not action_text)
    if agency:
        rec_values.setdefault("lead_agency", agency)
    updates = _updates(line, ctx, tally, state, agency, owner, completion)
    item = TrackerItem(review, review_type, rec_no, rec_values, action_text, action_values, updates,
                       [agency] if agency else [], action_no, list(tally.notes))
    return item, tally


def _completion(line: TrackerRow, ctx: SheetContext, tally: Tally) -> dict[str, Any] | None:
    """'Date of completion and outcome': a date (completion) and words (the outcome)."""
    if "completion" not in line.values:
        return None
    raw = line.values["completion"]
    _count(tally, line.own, "completion", False)
    reading = read_target(raw, date1904=ctx.date1904, fiscal_year=ctx.fiscal_year)
    if reading.when and not reading.note:
        return {"as_at": reading.when, "narrative": ""}
    text = as_text(raw)
    match = re.search(r"\b(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2} [A-Za-z]+ \d{4})\b", text)
    if match:
        found = read_target(match[1], date1904=ctx.date1904, fiscal_year=ctx.fiscal_year)
        if found.when and not found.note:
            at_start = text[:match.start()].strip() == ""
            rest = text[match.end():].strip(" -–:,.") if at_start else text
            return {"as_at": found.when, "narrative": rest}
    return {"as_at": None, "narrative": text}


NO_UPDATE = re.compile(r"^\s*(-+|–|—|n/?a|none|nil|tbc|no update|no updates|no update (this|provided)\b.*|"
                       r"not applicable)\s*\.?\s*$", re.IGNORECASE)


def _leading_date(text: str, ctx: SheetContext) -> date | None:
    """The date an update's words begin with, if it is a real one no later than the tracker's date."""
    match = re.match(r"^\s*(?:update\s*)?(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)? [A-Za-z]{3,9} \d{4})"
                     r"\s*[-–:,]", text)
    if not match:
        return None
    found = read_target(match[1], date1904=ctx.date1904, fiscal_year=ctx.fiscal_year)
    return found.when if found.when and not found.note and found.when <= max(ctx.as_at, ctx.today) else None


def period_for(column: UpdateColumn | None, ctx: SheetContext, line: TrackerRow) -> tuple[Period, date]:
    """The period an update column's updates belong to (asked when the heading names none) and
    the day they are dated."""
    named = column.period if column else None
    heading = column.heading if column else "Progress update"
    default = named or period_of(ctx.as_at)
    question = ctx.questions.ask(Question(f"period:{ctx.sheet}:{heading}", "period", "update",
                                          f"Which reporting period do the updates in {heading!r} belong to?",
                                          str(default), [], asked=named is None or column is None or column.guessed,
                                          where=f"sheet {ctx.sheet!r}, row {line.row}"))
    try:
        period = parse_period(str(question.value))
    except ValueError:
        period = default
    if column and column.day and period == named:
        return period, column.day
    if period.first_day <= ctx.as_at <= period.last_day:
        return period, ctx.as_at
    return period, period.last_day


def _updates(line: TrackerRow, ctx: SheetContext, tally: Tally, state: dict[str, Any], agency: str, owner: str,
             completion: dict[str, Any] | None) -> list[dict[str, Any]]:
    evidence = as_text(line.values.get("evidence"))
    _count(tally, line.own, "evidence", False)
    percent = as_text(line.values.get("percent"))
    written: list[tuple[UpdateColumn | None, str]] = []
    for column, value in line.updates:
        if NO_UPDATE.match(as_text(value)):  # '-', 'N/A', 'No update': no progress to record
            tally.skipped += 1
            tally.notes.append(f"{column.heading!r} {as_text(value)!r} says there is no update")
        else:
            written.append((column, as_text(value)))
    tally.mapped += len(written)
    dated = line.values.get("update_date")
    update_day = read_target(dated, date1904=ctx.date1904, fiscal_year=ctx.fiscal_year).when if dated else None
    if dated is not None:
        _count(tally, line.own, "update_date", update_day is None, line=line, raw=dated)
    if isinstance(line.values.get("percent"), float) and 0 <= line.values["percent"] <= 1:
        percent = f"{line.values['percent']:.0%}"  # a percentage cell holds a fraction
    extra_lines = list(tally.kept) + ([f"% complete: {percent}"] if percent and not any(
        k.startswith(FIELDS["percent"]) for k in tally.kept) else [])
    if not written and (evidence or extra_lines or (completion and completion.get("narrative"))):
        written = [(None, "")]
    found = []
    for index, (column, narrative) in enumerate(written):
        latest = index == len(written) - 1
        completed = completion.get("as_at") if completion and latest and column is None else None
        # whether the file itself dates this update (a heading naming its period, a date column)
        named = column is not None and column.period is not None and not column.guessed
        if completed is not None:  # the completion date dates the outcome
            period, as_at, named = period_of(completed), completed, True
        elif latest and update_day is not None:
            period = period_for(column, ctx, line)[0] if column and column.period else period_of(update_day)
            as_at, named = update_day, True
        elif not named and (day := _leading_date(narrative, ctx)) is not None:
            period, as_at, named = period_of(day), day, True  # '12/01/2027: training delivered'
        else:
            period, as_at = period_for(column, ctx, line)
        text = narrative
        if latest:
            text = "\n".join(x for x in [narrative] + extra_lines if x)
            if completion and completion.get("narrative"):
                text = "\n".join(x for x in (text, f"Outcome: {completion['narrative']}") if x)
            if completion and completion.get("as_at"):
                as_at = completion["as_at"]
        found.append({"as_at": as_at, "period": str(period), "narrative": text,
                      "evidence": evidence if latest else "", "status": state.get("status") if latest else None,
                      "rag": state.get("rag") if latest else None, "agency": agency, "author": owner,
                      "dated_by_file": named})
    found.sort(key=lambda u: (u["as_at"], u["period"]))
    return found
