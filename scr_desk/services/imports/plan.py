"""What an import would do, row by row: the same plan serves the preview dialog, `--dry-run`
and `--json`, and apply() carries it out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from scr_desk.domain.enums import ImportKind

if TYPE_CHECKING:
    from scr_desk.services.imports.full import FullPayload
    from scr_desk.services.imports.legacy import TrackerPayload
    from scr_desk.services.imports.returns import ReturnChange


class Outcome(StrEnum):
    NEW_UPDATE = "new update"
    CHANGED = "changed item"
    NEW_ITEM = "new item"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    WARNING = "warning"
    ERROR = "error"
    SKIPPED = "not an item"  # a tracker's section header, note, key, total, footer or spacer row


class ConflictChoice(StrEnum):
    SKIP = "skip"  # leave this row out
    FILE = "file"  # take the return's update and proposed status, RAG and target
    DATABASE = "database"  # add the return's update text but keep the database's status, RAG and target


# A tracker's rows that are not items (its title, headings, notes, legend, spacers) and the rows whose
# words join another row's item (a wrapped continuation, the same reference again) are neither new nor
# left out: counting them as "left out" told a lead that a clean import had dropped rows.
ROW_BUCKETS = ("new", "unchanged", "left_out", "errors", "conflicts", "not_items", "joined")
NOTHING_SHOWN: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Issue:
    sheet: str | None
    row: int | None
    message: str
    column: str | None = None
    reference: str = ""  # the item the row is about (CLARE-R1), so a sorted file needs no opening

    @property
    def text(self) -> str:
        """The message with the item and cell it concerns in front."""
        where = ", ".join(x for x in (self.reference, self.column) if x)
        return f"{where}: {self.message}" if where else self.message

    def as_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "message": self.text}


@dataclass(frozen=True)
class PlanSource:
    """How a previewed plan was made, so that it can be made again under the writer lock."""

    today: date
    mapping: dict[str, dict[str, Any]]
    answers: dict[str, Any] | None


@dataclass(slots=True)  # one per row of a file, hundreds of thousands in a full workbook
class PlannedRow:
    sheet: str
    row: int
    outcome: Outcome
    reference: str = ""
    message: str = ""
    column: str | None = None
    changes: tuple[FieldChange, ...] = ()
    # a conflict's sides, per field: (label, as exported, in the database now, in the file)
    sides: tuple[tuple[str, str, str, str], ...] = ()
    choice: ConflictChoice = ConflictChoice.SKIP
    adds_update: bool = False
    payload: ReturnChange | None = None  # what apply() needs of a return's row; opaque to the preview
    notes: tuple[str, ...] = ()  # further warnings on the row (a locked column edited, say)
    proposal: bool = False  # a contributor's proposal: applied only if the lead agrees (choice FILE)
    # what the file says, for the preview (most rows of a full workbook show nothing: one empty
    # mapping for them all, not a dict each)
    shown: Mapping[str, str] = field(default_factory=lambda: NOTHING_SHOWN)
    updates: int = 0  # how many updates the row adds (a tracker row may add several)
    always: tuple[FieldChange, ...] = ()  # of `changes`, those applied whatever the choice (a tracker's empty
    # fields filled, its status moved by a newer update)
    reading: dict[str, Any] = field(default_factory=dict)  # a tracker row's role, words and reason, for --json

    @property
    def issue(self) -> Issue:
        return Issue(self.sheet, self.row, self.message, self.column, self.reference)

    @property
    def bucket(self) -> str:
        """Exactly one of ROW_BUCKETS: every row of a file is counted once."""
        if self.outcome is Outcome.ERROR:
            return "errors"
        if self.outcome is Outcome.CONFLICT:
            return "conflicts"
        if self.outcome is Outcome.SKIPPED and self.reading:  # a tracker's row that is not an item of its own
            return "joined" if "item" in self.reading else "not_items"
        if self.outcome in (Outcome.WARNING, Outcome.SKIPPED):
            return "left_out"
        return "unchanged" if self.outcome is Outcome.UNCHANGED else "new"

    @property
    def will_apply(self) -> bool:
        if self.outcome is Outcome.CONFLICT:
            return self.choice is not ConflictChoice.SKIP
        return self.outcome in (Outcome.NEW_UPDATE, Outcome.CHANGED, Outcome.NEW_ITEM)

    @property
    def writes(self) -> bool:
        """Whether applying the row writes anything: a conflict kept on the database's side writes
        only the update or the filled fields it brings (a tracker's row may bring neither)."""
        if not self.will_apply:
            return False
        if self.outcome is Outcome.CONFLICT and self.choice is not ConflictChoice.FILE:
            return self.adds_update or bool(self.always)
        return True

    @property
    def applies_changes(self) -> bool:
        """Whether the item's fields move: not for a conflict kept on the database side, nor for a
        contributor's proposal the lead has not taken."""
        if not (self.will_apply and self.changes):
            return False
        if self.outcome is Outcome.CONFLICT or self.proposal:
            return self.choice is ConflictChoice.FILE or bool(self.always)
        return True


def conflict_said(row: PlannedRow) -> str:
    """What happens to a conflict, by the choice made for it (in the preview or with --on-conflict):
    only a conflict still left out points to the ways of taking it."""
    if row.choice is ConflictChoice.FILE:
        return "the file's values are taken (--on-conflict file)"
    if row.choice is ConflictChoice.DATABASE:
        return "the database's values are kept" + (", the update added" if row.adds_update else "") + \
            " (--on-conflict database)"
    return ("left out; to take it, choose in the preview, or use --on-conflict file (take the file's values) or "
            "database (keep the database's values" + (", add the update)" if row.adds_update else ")"))


@dataclass
class ImportPlan:
    path: Path
    file_hash: str
    kind: ImportKind | None  # None: the file could not be read at all
    rows: list[PlannedRow] = field(default_factory=list)
    file_errors: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)  # file-level warnings
    facts: dict[str, Any] = field(default_factory=dict)
    mapping: dict[str, dict[str, Any]] = field(default_factory=dict)  # legacy: sheet -> detected mapping
    headings: dict[str, dict[int, str]] = field(default_factory=dict)  # legacy: sheet -> column -> heading
    already_imported: str = ""  # when this exact file was applied before
    payload: TrackerPayload | FullPayload | None = None  # what apply() needs of a tracker or full workbook
    # a hand-made tracker: the questions it raises (each with its default), the answers given,
    # and where each non-empty cell of its data rows went (mapped, kept_as_text, skipped)
    questions: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, int] = field(default_factory=dict)
    new_agencies: list[str] = field(default_factory=list)
    extra_updates: int = 0  # a tracker row with several update columns adds one update per column
    details: dict[str, Any] = field(default_factory=dict)  # a tracker's reading: reviews, readings, sheets, rows
    # a plan made for the preview: how it was made, and the newest change recorded when it was
    source: PlanSource | None = None
    seen_change: int = 0

    @property
    def errors(self) -> list[Issue]:
        return self.file_errors + [r.issue for r in self.rows if r.outcome is Outcome.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        found = list(self.notes)
        for row in self.rows:
            if row.outcome is Outcome.CONFLICT:
                found.append(replace(row.issue, message=f"{row.message}; {conflict_said(row)}"))
            elif row.outcome is Outcome.WARNING or row.proposal:
                found.append(row.issue)
            found += [Issue(row.sheet, row.row, note, None, row.reference) for note in row.notes]
        return found

    @property
    def can_apply(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return any(r.will_apply and (self.kind != ImportKind.LEGACY or r.writes) for r in self.rows)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome is outcome)

    created: dict[str, int] = field(default_factory=dict)  # reviews/recommendations/actions to create

    def row_counts(self) -> dict[str, int]:
        """Every row in exactly one bucket: new + unchanged + left out + errors + conflicts + not items
        + joined = rows."""
        counts = dict.fromkeys(ROW_BUCKETS, 0)
        for row in self.rows:
            counts[row.bucket] += 1
        return {"rows": len(self.rows), **counts}

    def counts(self) -> dict[str, int]:
        """What applying the plan would do: nothing at all while it has errors."""
        applying = self.can_apply
        return {
            "new_updates": sum(max(1, r.updates) for r in self.rows if applying and r.will_apply and r.adds_update)
            + (self.extra_updates if applying else 0),
            "changed_items": sum(1 for r in self.rows if applying and r.applies_changes),
            "unchanged_rows": self.count(Outcome.UNCHANGED) if applying else 0,
            "created_reviews": self.created.get("reviews", 0) if applying else 0,
            "created_recommendations": self.created.get("recommendations", 0) if applying else 0,
            "created_actions": self.created.get("actions", 0) if applying else 0,
            "skipped_rows": sum(1 for r in self.rows if not applying or r.outcome in (Outcome.ERROR, Outcome.WARNING)
                                or (r.outcome is Outcome.CONFLICT and r.choice is ConflictChoice.SKIP)),
        }

    def as_json(self, applied: bool) -> dict[str, Any]:
        result: dict[str, Any] = {
            "file": str(self.path), "kind": self.kind or None, "applied": applied, "counts": self.counts(),
            "rows": self.row_counts(), "imported_before": self.already_imported or None,
            "errors": [i.as_json() for i in self.errors], "warnings": [i.as_json() for i in self.warnings],
        }
        if self.mapping:
            result["mapping"] = self.mapping
        if self.cells:
            result["cells"] = dict(self.cells)
        if self.kind == ImportKind.LEGACY:
            result["questions"] = list(self.questions)
            result["new_agencies"] = list(self.new_agencies)
            result.update(self.details)
            result["row_readings"] = [r.reading for r in self.rows]
        return result


COUNT_WORDS = {  # counts key -> (one, many)
    "new_updates": ("new update", "new updates"), "changed_items": ("changed item", "changed items"),
    "created_reviews": ("new review", "new reviews"),
    "created_recommendations": ("new recommendation", "new recommendations"),
    "created_actions": ("new action", "new actions"), "unchanged_rows": ("unchanged row", "unchanged rows"),
    "skipped_rows": ("row left out", "rows left out"),
}


def describe_counts(counts: dict[str, int], *, skip: tuple[str, ...] = ()) -> str:
    """'6 new updates, 1 new review, 4 new actions' (or 'nothing new')."""
    parts = [f"{n} {COUNT_WORDS[k][0] if n == 1 else COUNT_WORDS[k][1]}" for k, n in counts.items()
             if n and k in COUNT_WORDS and k not in skip]
    return ", ".join(parts) or "nothing new"
