"""Reading a hand-made tracker: find its header row, map its headings to fields, fill merged
cells down. Pure reading; what the rows mean for the database is decided in services."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from scr_desk.excel.reader import SheetData
from scr_desk.excel.values import as_text

FIELDS: dict[str, str] = {
    "review": "Review", "rec_number": "Recommendation number", "rec_text": "Recommendation",
    "action_number": "Action number", "action_text": "Action", "lead_agency": "Lead agency",
    "owner": "Lead officer / owner", "target_date": "Target date", "rag": "RAG", "status": "Status",
    "update": "Progress update", "evidence": "Evidence", "update_date": "Date of update",
}
EXACT = {
    "rec no": "rec_number", "rec": "rec_number", "no": "rec_number", "ref": "rec_number", "number": "rec_number",
    "rec ref": "rec_number", "recommendation": "rec_text", "recommendations": "rec_text",
    "action": "action_text", "actions": "action_text", "action s": "action_text", "lead agency": "lead_agency",
    "agency": "lead_agency", "lead officer": "owner", "lead": "owner", "owner": "owner",
    "target date": "target_date", "target": "target_date", "rag": "rag", "rag rating": "rag",
    "status": "status", "progress update": "update", "update": "update", "progress": "update",
    "evidence": "evidence", "date": "update_date", "review": "review", "case": "review",
}
HEADER_SEARCH_ROWS = 30
GENERIC_SHEET = re.compile(r"^(sheet\s*\d*|tracker|action plan|actions?|recommendations?|data|main|summary|"
                           r"progress|updates?)$", re.IGNORECASE)
REVIEW_TITLE_NOISE = re.compile(r"\b(action plan|tracker|recommendations?|progress|updates?|monitoring|"
                                r"multi[- ]agency|learning|report|q[1-4]|\d{4}[/-]\d{2,4})\b", re.IGNORECASE)


def normalise_heading(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def heading_field(text: str) -> str | None:
    """The field a column heading names, or None ('Rec No.' -> rec_number, 'Update Q3' -> update)."""
    h = normalise_heading(text)
    if not h:
        return None
    if h in EXACT:
        return EXACT[h]
    words = set(h.split())
    rules: list[tuple[bool, str]] = [
        ("rag" in words, "rag"),
        (bool(words & {"date", "when", "timescale", "timescales", "deadline"}),
         "target_date" if words & {"target", "due", "deadline", "completion", "complete", "by", "timescale",
                                   "timescales", "when"} else "update_date"),
        (bool(words & {"evidence", "impact"}), "evidence"),
        (bool(words & {"update", "updates", "progress", "comments", "commentary"}), "update"),
        (bool(words & {"rec", "recommendation"}) and bool(words & {"no", "number", "ref", "num"}), "rec_number"),
        ("action" in words and bool(words & {"no", "number", "ref", "num"}), "action_number"),
        (bool(words & {"action", "actions", "activity"}), "action_text"),
        (bool(words & {"recommendation", "recommendations", "learning", "finding", "findings"}), "rec_text"),
        (bool(words & {"agency", "agencies", "organisation", "organization", "partner", "service"}), "lead_agency"),
        (bool(words & {"officer", "owner", "lead", "responsible", "person", "manager"}), "owner"),
        ("status" in words, "status"),
        (bool(words & {"review", "case", "scr", "sar", "dhr", "lcspr"}), "review"),
    ]
    return next((name for matched, name in rules if matched), None)


@dataclass
class SheetMapping:
    sheet: str
    header_row: int  # 1-based
    columns: dict[str, int]  # field -> 1-based column
    headers: dict[int, str]  # column -> heading text, for the mapping view
    title: str = ""
    review_name: str = ""
    review_source: str = ""  # column, sheet, title or file
    ignored: list[str] = field(default_factory=list)  # further columns for a field already mapped

    @property
    def layout_key(self) -> str:
        """The same headings in the same places: a layout whose corrections are remembered."""
        text = "|".join(f"{c}:{normalise_heading(h)}" for c, h in sorted(self.headers.items()))
        return hashlib.sha1(f"{self.header_row}|{text}".encode()).hexdigest()[:16]

    def as_json(self) -> dict[str, Any]:
        return {"header_row": self.header_row, "review": self.review_name, "review_from": self.review_source,
                "columns": {name: self.headers.get(col, "") for name, col in self.columns.items()}}


def detect_mapping(sheet: SheetData, file_stem: str) -> SheetMapping | None:
    """The header row is the one (in the first 30) whose headings name the most fields."""
    best: tuple[int, int, dict[str, int], dict[int, str], list[str]] | None = None
    for number, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
        columns: dict[str, int] = {}
        headers: dict[int, str] = {}
        ignored: list[str] = []
        for index, value in enumerate(row, start=1):
            text = as_text(value)
            if not text or len(text) > 60 or not isinstance(value, str):
                continue
            name = heading_field(text)
            headers[index] = text
            if name is None:
                continue
            if name in columns:
                if name == "update":  # several quarterly update columns: the rightmost is the latest
                    ignored.append(headers[columns[name]])
                    columns[name] = index
                else:
                    ignored.append(text)
                continue
            columns[name] = index
        score = len(columns)
        if score >= 3 and columns.keys() & {"rec_text", "action_text", "rec_number"} and (best is None or score > best[1]):
            best = (number, score, columns, headers, ignored)
    if best is None:
        return None
    number, _, columns, headers, ignored = best
    mapping = SheetMapping(sheet.name, number, columns, headers, ignored=ignored)
    mapping.title = next((as_text(v) for row in sheet.rows[:number - 1] for v in row if as_text(v)), "")
    choose_review(mapping, file_stem)
    return mapping


def choose_review(mapping: SheetMapping, file_stem: str) -> None:
    if "review" in mapping.columns:
        mapping.review_name, mapping.review_source = "", "column"
    elif not GENERIC_SHEET.match(mapping.sheet.strip()):
        mapping.review_name, mapping.review_source = mapping.sheet.strip(), "sheet"
    elif mapping.title and (name := _name_from_title(mapping.title)):
        mapping.review_name, mapping.review_source = name, "title"
    else:
        mapping.review_name, mapping.review_source = file_stem, "file"


def _name_from_title(title: str) -> str:
    """'Serious Case Review - Clare: Action Plan 2020/21' -> 'Clare'."""
    text = re.sub(r"\b(serious case review|safeguarding adults? review|domestic homicide review|local child "
                  r"safeguarding practice review|rapid review|scr|lcspr|sar|dhr|cspr)\b", " ", title, flags=re.IGNORECASE)
    text = REVIEW_TITLE_NOISE.sub(" ", text)
    text = " ".join(re.sub(r"[-–:|()]+", " ", text).split())
    return text[:60]


def guess_review_type(*texts: str) -> str:
    joined = " ".join(texts).casefold()
    for needle, label in (("domestic homicide", "Domestic Homicide Review"), ("dhr", "Domestic Homicide Review"),
                          ("rapid time", "SAR in Rapid Time"), ("safeguarding adult", "Safeguarding Adults Review"),
                          ("sar", "Safeguarding Adults Review"), ("lcspr", "Local Child Safeguarding Practice Review"),
                          ("practice review", "Local Child Safeguarding Practice Review"),
                          ("rapid review", "Rapid Review"), ("serious case", "Serious Case Review"),
                          ("scr", "Serious Case Review"), ("thematic", "Thematic review"), ("audit", "Multi-agency audit")):
        if re.search(rf"\b{re.escape(needle)}\b", joined):
            return label
    return "Other"


@dataclass(frozen=True)
class LegacyRow:
    row: int
    values: dict[str, Any]  # field -> raw value (after fill-down)
    cells: dict[str, str]  # field -> cell name, for messages


def data_rows(sheet: SheetData, mapping: SheetMapping) -> list[LegacyRow]:
    """Rows under the header, merged cells filled down, and a recommendation carried onto the
    action rows beneath it when those rows leave it blank."""
    from scr_desk.excel.values import cell_name

    filled: dict[tuple[int, int], Any] = {}
    for r0, c0, r1, c1 in sheet.merged:
        top_left = sheet.cell(r0 + 1, c0 + 1)
        for r in range(r0 + 1, r1 + 2):
            for c in range(c0 + 1, c1 + 2):
                filled[(r, c)] = top_left
    rows: list[LegacyRow] = []
    carried: dict[str, Any] = {}
    for number in range(mapping.header_row + 1, len(sheet.rows) + 1):
        values = {name: filled.get((number, col), sheet.cell(number, col)) for name, col in mapping.columns.items()}
        if all(as_text(v) == "" for v in values.values()):
            continue
        starts_recommendation = as_text(values.get("rec_number")) or as_text(values.get("rec_text"))
        if starts_recommendation:
            carried = {k: values.get(k) for k in ("review", "rec_number", "rec_text", "lead_agency")}
        elif as_text(values.get("action_text")) and carried:
            for key, value in carried.items():
                if key in mapping.columns and as_text(values.get(key)) == "":
                    values[key] = value
        cells = {name: cell_name(number, col) for name, col in mapping.columns.items()}
        rows.append(LegacyRow(number, values, cells))
    return rows
