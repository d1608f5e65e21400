"""The import plan as a table: one row per row of the file, the ones that need a decision first,
filterable by outcome (unchanged rows hidden until asked for)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from scr_desk.domain.colours import ADDED, ALERT, CAUTION, CHANGED, CONFLICT, NEW
from scr_desk.services.imports.plan import ConflictChoice, ImportPlan, Outcome, PlannedRow

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root, as a default argument
OUTCOME_COLOURS = {Outcome.ERROR: ALERT, Outcome.CONFLICT: CONFLICT, Outcome.WARNING: CAUTION,
                   Outcome.NEW_UPDATE: ADDED, Outcome.NEW_ITEM: NEW, Outcome.CHANGED: CHANGED}
OUTCOME_LABELS = {Outcome.ERROR: "Error", Outcome.CONFLICT: "Conflict", Outcome.WARNING: "Left out",
                  Outcome.NEW_UPDATE: "New update", Outcome.NEW_ITEM: "New item", Outcome.CHANGED: "Changed item",
                  Outcome.UNCHANGED: "Unchanged", Outcome.SKIPPED: "Not an item"}
# The same words in a sentence, singular and plural: the preview's summary counts rows in exactly
# the words and numbers of its "Show" boxes (one count, one word).
OUTCOME_WORDS = {Outcome.ERROR: ("error", "errors"), Outcome.CONFLICT: ("conflict", "conflicts"),
                 Outcome.WARNING: ("left out", "left out"), Outcome.NEW_UPDATE: ("new update", "new updates"),
                 Outcome.NEW_ITEM: ("new item", "new items"), Outcome.CHANGED: ("changed item", "changed items"),
                 Outcome.UNCHANGED: ("unchanged", "unchanged"), Outcome.SKIPPED: ("not an item", "not items")}
# What needs the lead's eye comes first; unchanged rows last.
OUTCOME_ORDER = [Outcome.ERROR, Outcome.CONFLICT, Outcome.NEW_UPDATE, Outcome.CHANGED, Outcome.NEW_ITEM,
                 Outcome.WARNING, Outcome.UNCHANGED, Outcome.SKIPPED]
CHOICE_WORDS = {ConflictChoice.FILE: "taking the file's", ConflictChoice.DATABASE: "keeping the database's",
                ConflictChoice.SKIP: "skipping the row"}


def outcome_label(planned: PlannedRow) -> str:
    if planned.outcome is Outcome.CONFLICT:
        return f"Conflict: {CHOICE_WORDS[planned.choice]}"
    if planned.proposal:
        return "Proposal: " + ("applied" if planned.choice is ConflictChoice.FILE else "recorded only")
    if planned.notes and planned.outcome is Outcome.UNCHANGED:
        return "Unchanged, with a note"
    return OUTCOME_LABELS[planned.outcome]


def file_says(planned: PlannedRow) -> str:
    """What the row of the file says, in one line."""
    parts = [f"{label}: {value}" for label, value in planned.shown.items() if value and label != "Update"]
    update = planned.shown.get("Update", "")
    if update:
        parts.insert(0, update if len(update) <= 140 else update[:139] + "…")
    return " · ".join(parts)


def describe(planned: PlannedRow) -> str:
    """What happens to the row, in one line."""
    parts = []
    if planned.column:
        parts.append(f"{planned.column}: {planned.message}")
    elif planned.message:
        parts.append(planned.message)
    if planned.changes:
        parts.append("; ".join(f"{c.label}: {c.before} → {c.after}" for c in planned.changes))
    if planned.adds_update and planned.outcome is not Outcome.NEW_ITEM:
        parts.append("adds an update")
    parts += list(planned.notes)
    return " — ".join(parts)


class PlanTableModel(QAbstractTableModel):
    HEADERS = ("Outcome", "Sheet", "Row", "Item", "The file says", "What happens")
    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PlannedRow] = []

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        rows = list(plan.rows) if plan else []
        self._rows = sorted(rows, key=lambda r: OUTCOME_ORDER.index(r.outcome))  # stable: file order within
        self.endResetModel()

    def planned(self, row: int) -> PlannedRow:
        return self._rows[row]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        planned = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = (outcome_label(planned), planned.sheet, str(planned.row), planned.reference,
                    file_says(planned), describe(planned))[column]
            return text if role == Qt.ItemDataRole.DisplayRole or len(text) > 40 else None
        if role == Qt.ItemDataRole.ForegroundRole and column == 0 and planned.outcome in OUTCOME_COLOURS:
            return QColor(OUTCOME_COLOURS[planned.outcome])
        if role == self.RowRole:
            return planned
        return None

    def refresh(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))


class OutcomeFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.shown: set[Outcome] = set(Outcome) - {Outcome.UNCHANGED}

    def set_shown(self, outcomes: set[Outcome]) -> None:
        self.beginFilterChange()
        self.shown = set(outcomes)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, PlanTableModel) or source_parent.isValid():
            return True
        planned = model.planned(source_row)
        # An unchanged row with a note (a locked column edited) is shown with the rows to look at.
        return planned.outcome in self.shown or bool(planned.notes)
