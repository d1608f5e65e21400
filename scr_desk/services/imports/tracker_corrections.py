"""The lead's corrections of how a tracker was read, in one shape for the preview, `--answers` and
memory: each is an answer to an id the plan prints. 'header:SHEET' (the header row, 0 for not a
tracker), 'column:SHEET:C' (a column's role), 'row:SHEET:12' (a row's role), 'review_of:SHEET' (the
review a sheet or table belongs to: several with one name are one review), 'duplicate:SHEET:12'
('separate' or 'same'). They are remembered for files laid out the same way (by the sheets' names
and headings as first read), as column corrections always were."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.models import AppMeta
from scr_desk.excel.tracker_header import find_header
from scr_desk.excel.tracker_read import Corrections
from scr_desk.excel.tracker_rows import ROLES as ROW_ROLES
from scr_desk.excel.tracker_source import TrackerBook
from scr_desk.excel.tracker_vocab import ROLES, normalise_heading

LAYOUT_PREFIX = "tracker_layout:"
KINDS = ("header", "column", "row", "review_of", "duplicate")
COLUMN_CHOICES = [*ROLES, "text"]


def is_structural(question_id: str) -> bool:
    return question_id.split(":", 1)[0] in KINDS


def layout_key(book: TrackerBook) -> str:
    """The same sheets with the same headings: a layout whose corrections are remembered."""
    parts = []
    for grid in book.grids:
        found = find_header(grid)
        labels = "|".join(normalise_heading(t) for _, t in sorted(found[1].items())) if found else ""
        parts.append(f"{normalise_heading(grid.name)}#{found[0] if found else 0}#{labels}")
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


def remembered(session: Session, key: str) -> dict[str, Any]:
    stored = session.scalar(select(AppMeta.value).where(AppMeta.key == LAYOUT_PREFIX + key))
    try:
        found = json.loads(stored) if stored else {}
    except json.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def remember(session: Session, key: str, answers: dict[str, Any]) -> None:
    structural = {k: v for k, v in answers.items() if is_structural(k)}
    if not structural:
        return
    row = session.get(AppMeta, LAYOUT_PREFIX + key)
    merged = {**remembered(session, key), **structural}
    if row is None:
        session.add(AppMeta(key=LAYOUT_PREFIX + key, value=json.dumps(merged, ensure_ascii=False)))
    else:
        row.value = json.dumps(merged, ensure_ascii=False)


def from_mapping(book: TrackerBook, overrides: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The preview's column corrections ({sheet: {"columns": {field: column}}}) as answers."""
    answers: dict[str, Any] = {}
    for sheet, override in overrides.items():
        grid = next((g for g in book.grids if g.name == sheet), None)
        if grid is None:
            continue
        if override.get("skip"):
            answers[f"header:{sheet}"] = 0
            continue
        if override.get("header_row"):
            answers[f"header:{sheet}"] = int(override["header_row"])
        columns = {int(c): name for name, c in (override.get("columns") or {}).items() if c}
        if columns:
            found = find_header(grid)
            headed = set(found[1]) if found else set()
            for column in headed | set(columns):
                answers[f"column:{sheet}:{get_column_letter(column)}"] = columns.get(column, "text")
        if override.get("review"):
            answers[f"review_of:{sheet}"] = str(override["review"])
    return answers


def corrections_from(answers: dict[str, Any]) -> Corrections:
    found = Corrections()
    for question_id, answer in answers.items():
        kind, _, rest = question_id.partition(":")
        if kind not in KINDS or answer is None:
            continue
        if kind == "header":
            found.header[rest] = _number(answer)
        elif kind == "review_of":
            found.review_of[rest] = " ".join(str(answer).split())
        elif kind == "duplicate":
            found.duplicates[question_id] = str(answer).strip().casefold()
        else:
            sheet, _, place = rest.rpartition(":")
            if kind == "column":
                found.columns.setdefault(sheet, {})[_column(place)] = _role(str(answer))
            else:
                found.rows.setdefault(sheet, {})[int(place)] = str(answer).strip().casefold()
    return found


def _number(answer: Any) -> int:
    text = str(answer).strip().casefold()
    return 0 if text in ("", "none", "0", "not a tracker") else int(text)


def _column(place: str) -> int:
    return int(place) if place.isdigit() else column_index_from_string(place.upper())


def _role(answer: str) -> str:
    text = " ".join(answer.split()).casefold()
    for role, label in ROLES.items():
        if text in (role, label.casefold()):
            return role
    return "text"


def problem(question_id: str, answer: Any, sheets: set[str], rows: set[str]) -> str | None:
    """Why `answer` cannot correct `question_id`, or None when it can."""
    kind, _, rest = question_id.partition(":")
    sheet = rest.rpartition(":")[0] if kind in ("column", "row", "duplicate") else rest
    if sheet not in sheets:
        return f"no sheet or table of the file is called {sheet!r}"
    text = " ".join(str(answer).split()).casefold()
    if kind == "header":
        try:
            return None if _number(answer) >= 0 else "a header row is a row number, or 0 for not a tracker"
        except ValueError:
            return f"{answer!r} is not a row number (or 0 for not a tracker)"
    if kind == "column":
        place = rest.rpartition(":")[2]
        if not (place.isdigit() or place.isalpha()):
            return f"{place!r} is not a column"
        if text not in {r.casefold() for r in COLUMN_CHOICES} | {v.casefold() for v in ROLES.values()}:
            return f"{answer!r} is not a column's role; the roles are: {', '.join(COLUMN_CHOICES)}"
    if kind == "row":
        if question_id not in rows:
            return "the file has no such row"
        if text not in ROW_ROLES:
            return f"{answer!r} is not a row's role; the roles are: {', '.join(ROW_ROLES)}"
    if kind == "duplicate" and text not in ("separate", "same"):
        return f"{answer!r} is neither 'separate' nor 'same'"
    if kind == "review_of" and not text:
        return "name the review the sheet belongs to"
    return None
