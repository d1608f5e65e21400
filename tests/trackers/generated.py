"""Trackers made up by hypothesis, in the shapes people keep them: several reviews on one sheet under
section rows, in a review column or on sheets of their own; recommendations with actions (or not),
references of every shape, repeated references, dated logs in a cell, continuation rows, legends,
notes and totals, headings in many spellings. Each tracker knows the sentences it holds, so a test
can ask where every one of them went."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import strategies as st

WORDS = ["lantern", "meadow", "harbour", "pebble", "orchard", "willow", "saddle", "ember", "quartz", "thistle",
         "marble", "copper", "velvet", "tundra", "falcon", "beacon", "cobalt", "juniper", "lilac", "maple",
         "nectar", "prairie", "quill", "russet", "sable", "tamarind", "umber", "walnut", "yarrow", "zephyr",
         "bramble", "cinder", "dapple", "fennel", "garnet", "hazel", "indigo", "jasmine", "kestrel", "linnet"]
PLACES = ["Anyshire", "Brookvale", "Cresthaven", "Dunmere", "Elmsworth"]
BODIES = ["Council", "NHS Trust", "Police", "ICB", "Housing Service", "Probation Service"]
REVIEW_TYPES = ["LCSPR", "SAR", "DHR", "SCR", "Rapid Review"]
PEOPLE = ["Child", "Adult", "Baby", "Mr", "Ms", "Family"]
RAGS = ["R", "A", "G", "B", "Red", "Amber", "Green", "Blue", "Complete", "On track"]
STATUSES = ["Ongoing", "Not started", "Complete", "On hold", "Partially met", "Achieved", "In progress"]
TARGETS: list[Any] = [date(2027, 3, 31), "31/12/2026", "March 2027", "Q4 2026/27", "Ongoing", "TBC", None]
HEADINGS = {
    "ref": ["Ref", "No.", "Rec No", "Reference", "#"],
    "rec": ["Recommendation", "Recommendations", "Learning point", "Finding", "What needs to change"],
    "action": ["Action", "Actions", "Agreed action", "What we will do", "Task"],
    "lead": ["Lead agency", "Agency", "Lead organisation", "Responsible agency", "Partner"],
    "target": ["Target date", "Deadline", "By when", "Due", "Timescale"],
    "rag": ["RAG", "BRAG", "Rating", "RAG status"],
    "status": ["Status", "Progress status", "State"],
    "update": ["Progress update", "Update", "Progress", "Comments", "Latest position"],
    "review": ["Review", "Case", "Review name"],
}


@dataclass
class Counter:
    n: int = 0

    def next(self) -> int:
        self.n += 1
        return self.n


@dataclass
class Item:
    text: str
    ref: str = ""
    lead: str = ""
    target: Any = None
    rag: str = ""
    status: str = ""
    updates: list[str] = field(default_factory=list)
    run_on: str = ""  # words of a continuation row under it


@dataclass
class Rec:
    item: Item
    actions: list[Item] = field(default_factory=list)


@dataclass
class Review:
    title: str  # 'LCSPR Child Lantern3'
    recs: list[Rec] = field(default_factory=list)


@dataclass
class Tracker:
    reviews: list[Review]
    placement: str  # "sections", "column", "sheets"
    two_level: bool
    outline: bool  # recommendations and actions in one column, numbered 1 / 1.1
    headings: dict[str, str]
    extras: list[str]  # "legend", "note", "totals", "title", "blank"
    dated_log: bool
    texts: list[str] = field(default_factory=list)  # every sentence the tracker's data rows hold

    def rows(self, review: Review | None = None) -> list[list[Any]]:
        """The data rows of one review (or all, with section rows or a review column)."""
        found: list[list[Any]] = []
        for current in ([review] if review else self.reviews):
            if self.placement == "sections":
                found.append([current.title])
            for rec in current.recs:
                found += self._rec_rows(current, rec)
        return found

    def header(self) -> list[str]:
        h = self.headings
        columns = ([h["review"]] if self.placement == "column" else []) + [h["ref"]]
        if self.outline:
            columns.append("Recommendation / action")
        else:
            columns.append(h["rec"])
            if self.two_level:
                columns.append(h["action"])
        return columns + [h["lead"], h["target"], h["rag"], h["status"], h["update"]]

    def _cells(self, review: Review, ref: str, rec_text: str, action_text: str | None, item: Item) -> list[Any]:
        row: list[Any] = [review.title] if self.placement == "column" else []
        row.append(ref)
        if self.outline:
            row.append(action_text if action_text is not None else rec_text)
        else:
            row.append(rec_text)
            if self.two_level:
                row.append(action_text)
        update = item.updates[0] if item.updates else None
        return row + [item.lead or None, item.target, item.rag or None, item.status or None, update]

    def _rec_rows(self, review: Review, rec: Rec) -> list[list[Any]]:
        rows: list[list[Any]] = []
        if not rec.actions or self.outline:
            rows.append(self._cells(review, rec.item.ref, rec.item.text, None, rec.item))
            rows += self._run_on(rec.item)
        for index, action in enumerate(rec.actions):
            text = rec.item.text if index == 0 or not self.two_level else None
            own = self.outline or self.two_level and action.ref
            ref = action.ref if own else (rec.item.ref if index == 0 else None)
            if self.outline:
                rows.append(self._cells(review, action.ref, "", action.text, action))
            else:
                rows.append(self._cells(review, ref or "", text or "", action.text, action))
            rows += self._run_on(action)
        return rows

    def _run_on(self, item: Item) -> list[list[Any]]:
        if not item.run_on:
            return []
        width = len(self.header())
        row: list[Any] = [None] * width
        row[-1] = item.run_on  # the update column runs on into the row below
        return [row]


def sentence(draw: Any, counter: Counter, words: tuple[int, int] = (4, 9)) -> str:
    chosen = draw(st.lists(st.sampled_from(WORDS), min_size=words[0], max_size=words[1]))
    return f"{' '.join(chosen).capitalize()} k{counter.next()}."


@st.composite
def trackers(draw: Any) -> Tracker:
    counter = Counter()
    texts: list[str] = []

    def words(shape: tuple[int, int] = (4, 9)) -> str:
        return sentence(draw, counter, shape)

    placement = draw(st.sampled_from(["sections", "column", "sheets"]))
    outline = draw(st.booleans())
    two_level = not outline and draw(st.booleans())
    dated_log = draw(st.booleans())
    reviews = []
    for index in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(REVIEW_TYPES))
        title = f"{kind} {draw(st.sampled_from(PEOPLE))} {WORDS[index].capitalize()}{index + 1}"
        review = Review(title)
        for number in range(1, draw(st.integers(1, 3)) + 1):
            ref_shape = draw(st.sampled_from(["{n}", "R{n}", "AFI{n}", "F{n}", ""]))
            rec = Rec(_item(draw, words, ref_shape.format(n=number) if ref_shape else "", dated_log))
            if two_level or outline:
                for sub in range(1, draw(st.integers(0 if two_level else 1, 3)) + 1):
                    shape = draw(st.sampled_from(["{n}.{s}", "{n}{l}", "{n} ({r})"]))
                    ref = shape.format(n=number, s=sub, l="abcdefgh"[sub - 1], r=["i", "ii", "iii"][sub - 1])
                    rec.actions.append(_item(draw, words, ref if (outline or draw(st.booleans())) else "", dated_log))
            if outline and not rec.item.ref:
                rec.item.ref = str(number)
            if rec.actions and not outline:  # the recommendation's own row is its first action's
                rec.item.updates, rec.item.run_on = [], ""
            review.recs.append(rec)
            texts += [rec.item.text, *rec.item.updates, *([rec.item.run_on] if rec.item.run_on else [])]
            for action in rec.actions:
                texts += [action.text, *action.updates, *([action.run_on] if action.run_on else [])]
        reviews.append(review)
    headings = {role: draw(st.sampled_from(options)) for role, options in HEADINGS.items()}
    extras = draw(st.lists(st.sampled_from(["legend", "note", "totals", "title", "blank"]), unique=True))
    tracker = Tracker(reviews, placement, two_level, outline, headings, extras, dated_log)
    tracker.texts = texts
    return tracker


def _item(draw: Any, words: Any, ref: str, dated_log: bool) -> Item:
    lead = draw(st.sampled_from(["", *[f"{p} {b}" for p in PLACES for b in BODIES]]))
    item = Item(words((5, 10)), ref, lead, draw(st.sampled_from(TARGETS)), draw(st.sampled_from(["", *RAGS])),
                draw(st.sampled_from(["", *STATUSES])))
    if draw(st.booleans()):
        if dated_log and draw(st.booleans()):  # a dated log in one cell, newest first
            item.updates = [f"14/10/2026 – {words()}\n12/07/2026 – {words()}"]
        else:
            item.updates = [words()]
    if draw(st.integers(0, 5)) == 0:
        item.run_on = words((3, 6)).lower()
    return item


def write(tracker: Tracker, path: Path) -> Path:
    """The tracker as a workbook (.xlsx) or, when it has one sheet, sometimes a CSV."""
    book = openpyxl.Workbook()
    sheets = [(r.title, tracker.rows(r)) for r in tracker.reviews] if tracker.placement == "sheets" else [
        ("Tracker", tracker.rows())]
    first = True
    for name, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = name[:31]
        if "title" in tracker.extras:
            sheet.append(["Anyshire Safeguarding Partnership – review action plans"])
            sheet.append([])
        sheet.append(tracker.header())
        for row in rows:
            sheet.append(row)
        if "blank" in tracker.extras:
            sheet.append([])
        if "totals" in tracker.extras:
            sheet.append(["Total", f"{len(rows)} actions"])
        if "legend" in tracker.extras:
            sheet.append(["RAG key:"])
            sheet.append(["G – on track"])
            sheet.append(["A – some slippage"])
        if "note" in tracker.extras:
            sheet.append(["Note: this plan is reviewed by the partnership each quarter."])
    book.save(path)
    return path


def write_csv(tracker: Tracker, path: Path) -> Path:
    rows = [tracker.header(), *tracker.rows()]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["" if v is None else v for v in row] for row in rows])
    return path
