"""A hand-made tracker as a person reads it: its reviews, their recommendations and actions, each
item's values and dated updates, and an account of every row (what it is, and where its words went).
Built by tracker_build from the grids; matched to the database by services.imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scr_desk.domain.enums import Rag, Status
from scr_desk.domain.rules import Period
from scr_desk.excel.tracker_header import Layout
from scr_desk.excel.tracker_legend import Legend
from scr_desk.excel.tracker_refs import Ref


@dataclass
class ReadUpdate:
    narrative: str
    evidence: str = ""
    as_at: date | None = None  # the day the file gives it (a dated entry, a date column, a dated heading)
    period: Period | None = None  # the period the file gives it (its column's heading, its sheet)
    guessed: bool = False  # the period was worked out rather than named: asked
    column: str = ""  # the heading it came from
    status: Status | None = None
    rag: Rag | None = None
    author: str = ""
    agency: str = ""
    where: str = ""  # the sheet and cell, for questions
    grid: str = ""
    dated: bool = False  # the file itself dates it (its own date, a dated heading, a date column)


@dataclass
class ReadItem:
    key: str  # unique within the reading
    review: str  # the review's key
    level: str  # "recommendation" or "action"
    ref: Ref | None = None
    number: str = ""  # as the file gives it ('' when it gives none: numbered in the plan)
    text: str = ""
    parent: str = ""  # an action's recommendation (its key)
    values: dict[str, Any] = field(default_factory=dict)  # status, rag, target_date, … as read
    updates: list[ReadUpdate] = field(default_factory=list)
    rows: list[tuple[str, int]] = field(default_factory=list)  # (grid, row) of every row it came from
    kept: list[str] = field(default_factory=list)  # 'Heading: words' kept as text, in its latest update
    notes: list[str] = field(default_factory=list)  # cells skipped on its rows, and why
    agencies: list[str] = field(default_factory=list)  # every agency its rows name, the lead first
    duplicate_of: str = ""  # another row claimed the same reference with other words: asked
    themes: list[str] = field(default_factory=list)


@dataclass
class ReadReview:
    key: str
    name: str
    review_type: str
    source: str  # what named it: section, column, paragraph, sheet, title, document, file
    where: str = ""
    partnership: str = ""
    grids: list[str] = field(default_factory=list)


@dataclass
class Account:
    """One row of the file, for the preview and `--json`: what it is and where its words went."""

    grid: str
    row: int
    role: str  # item, continuation, section, group, note, legend, totals, spacer, heading, header, title
    reason: str = ""
    text: str = ""
    item: str = ""  # the item's key, for item and continuation rows
    cells: int = 0  # its non-empty cells
    skipped: int = 0  # of which skipped, with the reason
    kept: int = 0  # of which kept as text (in an update)

    @property
    def id(self) -> str:
        return f"row:{self.grid}:{self.row}"


@dataclass
class GridSummary:
    grid: str
    role: str  # tracker, summary, legend, cover, empty
    reason: str
    layouts: list[Layout] = field(default_factory=list)
    review: str = ""  # the review it names (key), when it names one


@dataclass
class TrackerReading:
    reviews: dict[str, ReadReview] = field(default_factory=dict)
    items: dict[str, ReadItem] = field(default_factory=dict)
    accounts: list[Account] = field(default_factory=list)
    grids: list[GridSummary] = field(default_factory=list)
    legend: Legend = field(default_factory=Legend)
    as_at: date | None = None
    partnership: str = ""
    losses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the preview should say about the reading
    readings: dict[tuple[str, str], list[Any]] = field(default_factory=dict)  # (written, read) -> [how, count]

    def read_as(self, written: str, read: str, how: str) -> None:
        """Record how a value was read, for the account of readings ('March 2027 → 31/03/2027')."""
        key = (" ".join(written.split()), read)
        if key in self.readings:
            self.readings[key][1] += 1
        else:
            self.readings[key] = [how, 1]
