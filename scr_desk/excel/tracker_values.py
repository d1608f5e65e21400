"""A tracker row's values as a person reads them: its RAG (a word, a letter, a number by the key, a
fill), its status (words of safeguarding, audit and improvement trackers; a tick; 100 % complete; a
completion date), its target (a date, a month, a quarter, words kept as its note, a date moved to a
revised one), who leads it. What cannot be placed is a question with a safe default, never a refusal."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scr_desk.domain.dates import format_uk, parse_uk_date
from scr_desk.domain.enums import Rag, Scope, Status
from scr_desk.excel.tracker_agencies import parts_at_separators, read_lead
from scr_desk.excel.tracker_asks import (
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
from scr_desk.excel.tracker_legend import Legend
from scr_desk.excel.tracker_readings import RAG_WORDS, read_rag, read_status, read_target
from scr_desk.excel.tracker_vocab import ROLES
from scr_desk.excel.values import as_text

TICK_YES = {"✓", "✔", "☑", "✅", "yes", "y", "true", "ticked", "tick", "done"}
TICK_NO = {"✗", "✘", "☒", "no", "n", "false"}


@dataclass
class Cell:
    role: str
    column: int
    value: Any
    own: bool  # False: merged down from the row above (a parent's value)
    where: str  # 'sheet 'X', C5'
    heading: str = ""


@dataclass
class State:
    """What a row says about its item, each field with whether it came from the row's own cell."""

    values: dict[str, Any] = field(default_factory=dict)
    inherited: set[str] = field(default_factory=set)  # fields from cells merged down from a parent's row
    agencies: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # 'Heading: words' kept as text
    notes: list[str] = field(default_factory=list)  # cells skipped, and why
    skipped: int = 0
    parent: dict[str, Any] = field(default_factory=dict)  # what the row says of its recommendation above

    def set(self, name: str, value: Any, own: bool) -> None:
        if value is None or value == "":
            return
        self.values[name] = value
        if not own:
            self.inherited.add(name)
        else:
            self.inherited.discard(name)


@dataclass
class ValueContext:
    grid: str
    asks: Questions
    date1904: bool
    fiscal_year: int | None
    legend: Legend
    read_as: Any  # (written, read, how) -> None, the reading's account of how values were read


def _ask(ctx: ValueContext, cell: Cell, name: str, default: str, choices: list[str], asked: bool,
         text: str) -> Question:
    raw = as_text(cell.value)
    return ctx.asks.ask(Question(value_id(name, raw), "value", name, text, default, choices, asked,
                                 where=cell.where, written=" ".join(raw.split())))


def read_rating(ctx: ValueContext, cell: Cell, state: State) -> None:
    raw = cell.value
    reading = ctx.legend.reading(raw) or read_rag(raw)
    default = reading.rag.value if reading.rag else (NO_RATING if reading.known else KEEP_AS_TEXT)
    question = _ask(ctx, cell, "rag", default, RAG_CHOICES, not reading.known or bool(reading.warning),
                    reading.warning or f"What does {as_text(raw)!r} in the RAG column mean?")
    rag, status, kept = rag_answer(question.value)
    if kept or reading.partial:
        state.kept.append(f"{cell.heading or ROLES['rag']}: {as_text(raw)}")
    elif rag is None and status is None and not reading.status and cell.own:
        state.notes.append(f"RAG {as_text(raw)!r} ({cell.where}) says there is no rating")
        state.skipped += 1
    state.set("rag", rag, cell.own)
    if status is not None or (reading.status and question.answer is None):
        state.set("status", status or reading.status, cell.own)


def read_state_word(ctx: ValueContext, cell: Cell, state: State) -> None:
    raw = cell.value
    word = " ".join(as_text(raw).casefold().split())
    if word in TICK_YES:
        state.set("status", Status.COMPLETE, cell.own)
        return
    if word in TICK_NO:
        if cell.own:
            state.notes.append(f"{cell.heading or ROLES['status']} {as_text(raw)!r} ({cell.where}) says it is not done")
            state.skipped += 1
        return
    reading = ctx.legend.reading(raw) or read_status(raw)
    default = (reading.status.value if reading.status else KEEP_AS_TEXT) if not reading.empty else KEEP_AS_TEXT
    question = _ask(ctx, cell, "status", default, STATUS_CHOICES, not reading.known,
                    f"What does {as_text(raw)!r} in the Status column mean?")
    status, kept = status_answer(question.value)
    if reading.empty and cell.own:
        state.notes.append(f"Status {as_text(raw)!r} ({cell.where}) says there is no status")
        state.skipped += 1
    elif (kept or reading.partial) and cell.own:
        state.kept.append(f"{cell.heading or ROLES['status']}: {as_text(raw)}")
    state.set("status", status, cell.own)
    rated = reading.rag or (read_rag(raw).rag if not reading.partial else trailing_rating(as_text(raw)))
    if rated not in (None, Rag.BLUE) and question.answer is None:  # 'On target', 'Off track' say the rating too
        state.values.setdefault("rag", rated)


def read_target_cell(ctx: ValueContext, cell: Cell, state: State, name: str) -> None:
    raw = cell.value
    reading = read_target(raw, date1904=ctx.date1904, fiscal_year=ctx.fiscal_year)
    when, note = reading.when, reading.note
    plain = not isinstance(raw, str) or (reading.when and not reading.note and not reading.how
                                         and not re.search(r"[a-z]", as_text(raw), re.I))
    if not plain:
        default = format_uk(when) if when else KEEP_AS_TEXT
        question = _ask(ctx, cell, "target_date", default, [KEEP_AS_TEXT], not reading.known,
                        f"Which date is the target {as_text(raw)!r}?")
        if question.answer is not None:
            when, note = date_answer(question.answer, raw)
        elif not reading.known:
            when, note = None, as_text(raw)
        if when is not None and (reading.how or question.answer is not None):
            ctx.read_as(as_text(raw), format_uk(when), reading.how or "as answered")
    if reading.revised is not None and name == "target_date":
        state.set("revised_target_date", reading.revised, cell.own)
        ctx.read_as(as_text(raw), f"{format_uk(when) if when else ''} revised to {format_uk(reading.revised)}",
                    "a revised date")
    state.set(name, when, cell.own)
    if note:
        if name == "target_date":
            state.set("target_note", note, cell.own)
        elif cell.own:
            state.kept.append(f"{cell.heading or ROLES[name]}: {as_text(raw)}")


def date_answer(answer: Any, raw: Any) -> tuple[date | None, str]:
    text = str(answer).strip()
    if not text or text.casefold() == KEEP_AS_TEXT.casefold():
        return None, as_text(raw)
    try:
        return parse_uk_date(text), ""
    except ValueError:
        return None, as_text(raw)


def read_percent(value: Any) -> float | None:
    """A share complete: a percentage cell (a fraction), '60%', or 60 in a '% complete' column."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        return number if 0 <= number <= 1 else number / 100 if 1 < number <= 100 else None
    match = re.fullmatch(r"\s*(\d{1,3}(?:\.\d+)?)\s*%?\s*", str(value))
    if match and float(match[1]) <= 100:
        return float(match[1]) / 100
    return None


def read_lead_cells(cells: list[Cell], state: State, ask_split: Any) -> None:
    """The lead agency and owner columns: agencies (the first leads), a person or post as the owner."""
    agency_cells = [c for c in cells if c.role == "lead_agency"]
    owner_cells = [c for c in cells if c.role == "owner"]
    for cell in agency_cells + owner_cells:
        named = read_lead(as_text(cell.value), agency_column=cell.role == "lead_agency")
        if named.split:
            agencies = ask_split(as_text(cell.value), named.agencies, True)
        elif cell.role == "lead_agency" and len(named.agencies) == 1 and cell.own and ";" not in named.agencies[0] \
                and len(parts := parts_at_separators(named.agencies[0])) > 1:
            agencies = ask_split(as_text(cell.value), named.agencies, False, parts)  # one, unless the lead splits
        else:
            agencies = named.agencies
        for agency in agencies:
            if agency not in state.agencies:
                state.agencies.append(agency)
        if agencies and "lead_agency" not in state.values:
            state.set("lead_agency", agencies[0], cell.own)
        if named.owner:
            state.set("owner_name", named.owner, cell.own)
        if named.kept and cell.own:
            state.kept.append(f"{cell.heading or ROLES[cell.role]}: {named.kept}")


def read_scope(cell: Cell, state: State) -> None:
    try:
        state.set("scope", Scope.from_text(as_text(cell.value)), cell.own)
    except ValueError:
        if cell.own:
            state.kept.append(f"{cell.heading or ROLES['scope']}: {as_text(cell.value)}")


def completion_of(ctx: ValueContext, cell: Cell) -> tuple[date | None, str]:
    """'Date of completion and outcome': a date (the day it was completed) and words (the outcome)."""
    raw = cell.value
    reading = read_target(raw, date1904=ctx.date1904, fiscal_year=ctx.fiscal_year)
    text = as_text(raw)
    if reading.when and (not reading.note or not isinstance(raw, str)):
        return reading.when, ""
    match = re.search(r"\b(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2} [A-Za-z]+ \d{4}|[A-Za-z]{3,9} \d{4})\b", text)
    if match:
        found = read_target(match[1], date1904=ctx.date1904, fiscal_year=ctx.fiscal_year)
        if found.when:
            at_start = not text[:match.start()].strip()
            return found.when, text[match.end():].strip(" -–—:,.") if at_start else text
    return None, text


def leading_status(text: str) -> Status | None:
    """A progress note that starts by saying where the item stands: 'Complete: …', 'Completed July
    2026.', 'Not started – QA manager post vacant.'"""
    words = " ".join(text.split())
    match = re.match(r"^([A-Za-z][A-Za-z ]{1,22}?)(?=\s*(?:[–—:;,.(]|\s-\s|$|\s\d|\s(?:jan|feb|mar|apr|may|jun|jul|aug|"
                     r"sep|oct|nov|dec)[a-z]*\b))", words, re.IGNORECASE)
    if not match:
        return None
    found = read_status(match[1])
    return found.status if found.known and not found.partial and found.status else None


COLOUR_FIRST = re.compile(r"^\s*(?:[(\[]\s*(red|amber|green|blue|r|a|g|b)\s*[)\]]|"
                          r"(red|amber|green|blue|r|a|g|b)\s*(?:[–—:;]|\s-\s|-\s))\s*\S", re.IGNORECASE)


def leading_rating(text: str) -> Rag | None:
    """A progress note that starts with its rating: 'Amber – policy in draft', '(G) relaunched'."""
    match = COLOUR_FIRST.match(text)
    return RAG_WORDS[(match[1] or match[2]).casefold()][0] if match else None


COLOUR_LAST = re.compile(r"(?:[–—:;,/]\s*|\s-\s*|\s*[(\[]\s*)(red|amber|green|blue)\s*[)\]]?\s*\.?\s*$", re.IGNORECASE)


def trailing_rating(text: str) -> Rag | None:
    """A status phrase that ends with its rating: 'In progress – amber', 'On hold (red)'."""
    match = COLOUR_LAST.search(text)
    return RAG_WORDS[match[1].casefold()][0] if match else None
