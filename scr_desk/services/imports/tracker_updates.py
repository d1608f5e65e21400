"""The updates of one tracker row: one per update column, dated and put in the period its heading
names (or the period asked), the completion date and outcome, and the words kept as text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scr_desk.domain.enums import Rag
from scr_desk.domain.rules import Period, parse_period, period_of
from scr_desk.excel.tracker_layout import FIELDS, UpdateColumn
from scr_desk.excel.tracker_readings import read_target
from scr_desk.excel.tracker_rows import TrackerRow
from scr_desk.excel.values import as_text
from scr_desk.services.imports.tracker_questions import Question, Questions


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
    rag_fill: Callable[[int], Rag | None] | None = None  # (row) -> the RAG the cell's fill names
    scale: dict[int, Rag] = field(default_factory=dict)


@dataclass
class Tally:
    mapped: int = 0
    kept_as_text: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)  # what the preview says about this row's cells
    kept: list[str] = field(default_factory=list)  # 'Heading: value' lines kept in the update


def count_cell(tally: Tally, own: set[str], name: str, kept: bool, *, skipped: bool = False,
               line: TrackerRow | None = None,
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


def completion_of(line: TrackerRow, ctx: SheetContext, tally: Tally) -> dict[str, Any] | None:
    """'Date of completion and outcome': a date (completion) and words (the outcome)."""
    if "completion" not in line.values:
        return None
    raw = line.values["completion"]
    count_cell(tally, line.own, "completion", False)
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
    match = re.match(r"^\s*(?:update\s*)?(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|"
                     r"\d{1,2}(?:st|nd|rd|th)? [A-Za-z]{3,9} \d{4})"
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


def row_updates(line: TrackerRow, ctx: SheetContext, tally: Tally, state: dict[str, Any], agency: str, owner: str,
             completion: dict[str, Any] | None) -> list[dict[str, Any]]:
    evidence = as_text(line.values.get("evidence"))
    count_cell(tally, line.own, "evidence", False)
    percent = as_text(line.values.get("percent"))
    written: list[tuple[UpdateColumn | None, str]] = []
    for heading_column, value in line.updates:
        if NO_UPDATE.match(as_text(value)):  # '-', 'N/A', 'No update': no progress to record
            tally.skipped += 1
            tally.notes.append(f"{heading_column.heading!r} {as_text(value)!r} says there is no update")
        else:
            written.append((heading_column, as_text(value)))
    tally.mapped += len(written)
    dated = line.values.get("update_date")
    update_day = read_target(dated, date1904=ctx.date1904, fiscal_year=ctx.fiscal_year).when if dated else None
    if dated is not None:
        count_cell(tally, line.own, "update_date", update_day is None, line=line, raw=dated)
    if isinstance(line.values.get("percent"), float) and 0 <= line.values["percent"] <= 1:
        percent = f"{line.values['percent']:.0%}"  # a percentage cell holds a fraction
    extra_lines = list(tally.kept) + ([f"% complete: {percent}"] if percent and not any(
        k.startswith(FIELDS["percent"]) for k in tally.kept) else [])
    if not written and (evidence or extra_lines or (completion and completion.get("narrative"))):
        written = [(None, "")]
    found = []
    column: UpdateColumn | None
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
