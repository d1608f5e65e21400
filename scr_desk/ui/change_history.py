"""The Changes tab of an item: its history from the audit trail, one row per change (field,
before → after, who, when, where from), read when the tab is shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from scr_desk.domain.dto import ItemKey
from scr_desk.services.history import HISTORY_LIMIT, ChangeLine
from scr_desk.ui.dashboard_models import RowsTableModel

HistorySource = Callable[[ItemKey], list[ChangeLine]]


class ChangeHistoryView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source: HistorySource | None = None
        self.model = RowsTableModel(("When", "What", "Before", "After", "Who", "Where from"))
        self.table = QTableView()
        self.table.setObjectName("change_history")
        self.table.setAccessibleName("Changes to this item, newest first")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        unit = self.fontMetrics().averageCharWidth()
        for column, characters in enumerate((17, 14, 18, 18, 10)):
            header.resizeSection(column, characters * unit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.shown_for: ItemKey | None = None

    def show_for(self, item: ItemKey) -> None:
        """Read and show the item's history (values in full in each cell's tooltip)."""
        lines = self.source(item) if self.source else []
        self.model.set_rows([(f"{line.at:%d/%m/%Y %H:%M}", line.what, line.before, line.after, line.who,
                              line.source) for line in lines])
        self.table.setToolTip(f"The newest {HISTORY_LIMIT} changes" if len(lines) >= HISTORY_LIMIT else "")
        self.shown_for = item
        self.table.scrollToTop()
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
