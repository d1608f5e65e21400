"""The import plan as a table: one row per outcome, filterable by outcome."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from scr_desk.services.imports.plan import ImportPlan, Outcome, PlannedRow

Index = QModelIndex | QPersistentModelIndex
OUTCOME_COLOURS = {Outcome.ERROR: "#c62828", Outcome.CONFLICT: "#e65100", Outcome.WARNING: "#8d6e00",
                   Outcome.NEW_UPDATE: "#2e7d32", Outcome.NEW_ITEM: "#1565c0", Outcome.CHANGED: "#6a1b9a"}


class PlanTableModel(QAbstractTableModel):
    HEADERS = ("Outcome", "Sheet", "Row", "Item", "What happens")
    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PlannedRow] = []

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self._rows = list(plan.rows) if plan else []
        self.endResetModel()

    def planned(self, row: int) -> PlannedRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
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
            if column == 0:
                text = planned.outcome.value
                if planned.outcome is Outcome.CONFLICT:
                    text += f" ({planned.choice.value})"
                return text
            if column == 1:
                return planned.sheet
            if column == 2:
                return str(planned.row)
            if column == 3:
                return planned.reference
            if column == 4:
                return describe(planned)
        if role == Qt.ItemDataRole.ForegroundRole and column == 0 and planned.outcome in OUTCOME_COLOURS:
            return QColor(OUTCOME_COLOURS[planned.outcome])
        if role == self.RowRole:
            return planned
        return None

    def refresh(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))


def describe(planned: PlannedRow) -> str:
    parts = []
    if planned.column:
        parts.append(f"{planned.column}: {planned.message}")
    elif planned.message:
        parts.append(planned.message)
    if planned.changes:
        parts.append("; ".join(f"{c.label}: {c.before} → {c.after}" for c in planned.changes))
    if planned.adds_update and planned.outcome is not Outcome.NEW_ITEM:
        parts.append("adds an update")
    return " — ".join(parts)


class OutcomeFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.shown: set[Outcome] = set(Outcome)

    def set_shown(self, outcomes: set[Outcome]) -> None:
        self.beginFilterChange()
        self.shown = set(outcomes)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, PlanTableModel) or source_parent.isValid():
            return True
        return model.planned(source_row).outcome in self.shown
