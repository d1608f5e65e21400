"""Last quarter's hand-made tracker, planned: read as a person reads it (excel.tracker_read), matched
to the database with every number and name settled (tracker_settle), and shown row by row.

A tracker is never refused over a value: what cannot be placed is a question with a safe default
(kept as text, the field left unset); every reading can be corrected (answers, the preview), and the
corrections are remembered. Importing the same tracker twice, or next quarter's copy, adds only
what is new; an existing item is never silently rewritten."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from scr_desk.excel.reader import WorkbookData
from scr_desk.excel.tracker_asks import REVIEW_TYPES, Question, Questions
from scr_desk.excel.tracker_model import TrackerReading
from scr_desk.excel.tracker_read import read_tracker
from scr_desk.excel.tracker_readings import fiscal_year_in
from scr_desk.excel.tracker_source import TrackerBook, as_grids
from scr_desk.excel.tracker_vocab import FIELDS
from scr_desk.services.imports.plan import ImportPlan, Issue
from scr_desk.services.imports.tracker_corrections import (
    COLUMN_CHOICES,
    corrections_from,
    from_mapping,
    is_structural,
    layout_key,
    remembered,
)
from scr_desk.services.imports.tracker_match import ItemTarget, Registry, review_target
from scr_desk.services.imports.tracker_plan_rows import plan_rows
from scr_desk.services.imports.tracker_questions import remembered_answers
from scr_desk.services.imports.tracker_settle import Settled, settle

__all__ = ["FIELDS", "TrackerPayload", "plan_legacy", "remember_mappings"]


@dataclass
class TrackerPayload:
    settled: Settled
    rows: list[tuple[Any, list[ItemTarget]]] = field(default_factory=list)  # (planned row, items it reports)
    answers: dict[str, Any] = field(default_factory=dict)  # given answers, remembered when applied
    layout: str = ""


def plan_legacy(session: Session, plan: ImportPlan, book: WorkbookData, today: date,
                overrides: dict[str, dict[str, Any]], answers: dict[str, Any] | None = None) -> None:
    tracker = as_grids(book)
    given = {**from_mapping(tracker, overrides), **(answers or {})}
    key = layout_key(tracker)
    structural = {**remembered(session, key), **{k: v for k, v in given.items() if is_structural(k)}}
    asks = Questions({**remembered_answers(session), **{k: v for k, v in given.items() if not is_structural(k)}})
    reading = read_tracker(tracker, today=today, asks=asks, corrections=corrections_from(structural),
                           fiscal_hint=fiscal_year_in(book.path.stem))
    if not reading.items:
        plan.file_errors.append(Issue(None, None, "no sheet looks like a recommendations tracker: no table in it "
                                      "holds recommendations or actions under a row of headings"))
        plan.questions = _structural_questions(reading, structural)
        return
    chosen = _review_questions(session, reading, asks)
    settled = settle(session, reading, chosen)
    payload = TrackerPayload(settled, answers=dict(given), layout=key)
    plan.payload = payload
    plan.answers = dict(given)
    plan_rows(plan, reading, settled, payload.rows)
    plan.questions = asks.as_json() + _structural_questions(reading, structural)
    _describe(plan, reading, settled, tracker)
    for question in asks.open_questions():
        plan.notes.append(Issue(None, None, f"{question.text.rstrip('?;. ')}: taken as {_shown(question.default)} "
                                            f"({question.count} {'cell' if question.count == 1 else 'cells'}, "
                                            f"first at {question.where}); answer it to change that"))


def _review_questions(session: Session, reading: TrackerReading, asks: Questions) -> dict[str, dict[str, str]]:
    """One question per review: its name, code, type and partnership, each changeable."""
    registry = Registry(session)
    chosen = {}
    for key, review in reading.reviews.items():
        default = review_target(registry, review, {})
        question = asks.ask(Question(
            f"review:{review.name}", "review", "review", f"Name, code and type of the review {review.name!r}",
            {"name": default.name, "code": default.code, "type": default.review_type.value,
             "partnership": default.partnership}, REVIEW_TYPES, asked=review.source == "file",
            where=review.where))
        answer = question.answer if isinstance(question.answer, dict) else {}
        chosen[key] = {k: str(v) for k, v in answer.items() if k in ("name", "code", "type", "partnership") and v}
    return chosen


def _structural_questions(reading: TrackerReading, structural: dict[str, Any]) -> list[dict[str, Any]]:
    """Each tracker sheet's header row, columns and review, as corrections in the answers' shape."""
    found = []
    for summary in reading.grids:
        sheet = summary.grid
        header = summary.layouts[0].first_header if summary.layouts and summary.role == "tracker" else 0
        found.append(_question(f"header:{sheet}", "header", f"Which row holds the headings of {sheet!r}? (0: it is not "
                               f"a tracker: {summary.reason})", header, [], structural))
        if summary.role != "tracker":
            continue
        for layout in summary.layouts:
            for column, col in layout.columns.items():
                if col.role == "beside":
                    continue
                found.append(_question(
                    f"column:{sheet}:{get_column_letter(column)}", "column",
                    f"What does column {get_column_letter(column)} of {sheet!r} ({col.heading or 'no heading'}) hold? "
                    f"(read from its {col.source})", col.role, COLUMN_CHOICES, structural,
                    asked=col.source == "values"))
        here = [r for r in reading.reviews.values() if sheet in r.grids]
        if len(here) > 1:  # a Review column or sections: no one name is the sheet's; a name given makes it one
            found.append(_question(f"review_of:{sheet}", "review_of", f"Which review do the rows of {sheet!r} belong "
                                   f"to? (now {len(here)}: " + ", ".join(r.name for r in here) + ", from the sheet's "
                                   "own sections or Review column; a name makes them one review)", "", [], structural))
        elif here:
            found.append(_question(f"review_of:{sheet}", "review_of", f"Which review do the rows of {sheet!r} belong "
                                   "to? (sheets and tables given one name are one review)", here[0].name, [],
                                   structural, asked=here[0].source == "file"))
    return found


def _question(question_id: str, kind: str, text: str, default: Any, choices: list[str], structural: dict[str, Any],
              asked: bool = False) -> dict[str, Any]:
    question = Question(question_id, kind, kind, text, default, list(choices), asked, count=1)
    if question_id in structural:
        question.answer = structural[question_id]
    return question.as_json()


def _describe(plan: ImportPlan, reading: TrackerReading, settled: Settled, book: TrackerBook) -> None:
    """What the preview and `--json` say about the reading: each sheet's mapping, the reviews made,
    how values were read, what the format could not give."""
    for summary in reading.grids:
        if summary.role not in ("tracker", "history"):
            continue
        layout = summary.layouts[0]
        review = next((r for r in reading.reviews.values() if summary.grid in r.grids), None)
        # a log of updates belongs to the reviews of the items its references name
        source = review.source if review else "references" if summary.role == "history" else "column"
        plan.mapping[summary.grid] = {
            "header_row": layout.header_row, "review": review.name if review else "",
            "review_from": source,
            "columns": {col.role: col.heading for col in layout.columns.values() if col.role in FIELDS},
            "layout": "", "update_columns": [c.heading for c in layout.updates]}
        plan.headings[summary.grid] = {c: col.heading for c, col in layout.columns.items() if col.heading}
        for note in layout.notes:
            plan.notes.append(Issue(summary.grid, layout.header_row, note))
    for text in reading.losses:
        plan.notes.append(Issue(None, None, text))
    plan.details = {
        "reviews": [{"name": t.name, "code": t.code, "type": t.review_type.value, "partnership": t.partnership,
                     "new": t.existing is None, "read_from": reading.reviews[k].source}
                    for k, t in settled.reviews.items()],
        "readings": [{"written": w, "read": r, "how": how, "count": n}
                     for (w, r), (how, n) in sorted(reading.readings.items())],
        "sheets": [{"sheet": s.grid, "role": s.role, "reason": s.reason} for s in reading.grids],
        "partnership": reading.partnership,
        "tracker_date": reading.as_at.isoformat() if reading.as_at else None}


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v!r}" for k, v in value.items())
    return repr(value) if value not in ("", None) else "no value"


def remember_mappings(session: Session, plan: ImportPlan, chosen: dict[str, dict[str, Any]]) -> None:
    """Keep the lead's corrections of this file's reading (its columns, as the preview's Columns tabs
    give them) for files laid out the same way."""
    from scr_desk.services.imports.tracker_corrections import remember
    payload = plan.payload
    if isinstance(payload, TrackerPayload) and chosen:
        remember(session, payload.layout, {k: v for k, v in payload.answers.items() if is_structural(k)})
