"""The Changes tab of an item: its history from the audit trail, one row per change (field,
before → after, who, when, where from), read when the tab is shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from scr_desk.domain.dto import ItemKey
from scr_desk.services.history import HISTORY_LIMIT, ChangeLine
from scr_desk.ui.dashboard_models import RowsTableModel

__all__ = ["CHANGE_TEXT_LIMIT", "ChangeHistoryView", "HistorySource", "change_row"]


HistorySource = Callable[[ItemKey], list[ChangeLine]]


CHANGE_TEXT_LIMIT = 300  # characters of a before or after value shown in a cell; all of it in the tooltip


def _clip(text: str) -> str:
    return text if len(text) <= CHANGE_TEXT_LIMIT else text[:CHANGE_TEXT_LIMIT - 1] + "…"


def change_row(line: ChangeLine) -> tuple[str, str, str, str]:
    """One change in four columns a narrow pane can show whole: when (date over time), what,
    before → after, and who with where from."""
    if line.before and line.after:
        change = f"{_clip(line.before)} → {_clip(line.after)}"
    else:
        change = _clip(line.after or (f"was {line.before}" if line.before else ""))
    who = ", ".join(x for x in (line.who, line.source) if x)
    return f"{line.at:%d/%m/%Y}\n{line.at:%H:%M}", line.what, change, who


class ChangeHistoryView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source: HistorySource | None = None
        self.model = RowsTableModel(("When", "What", "Change", "Who"))
        self.table = QTableView()
        self.table.setObjectName("change_history")
        self.table.setAccessibleName("Changes to this item, newest first")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Every column fits the pane and wraps its words, so nothing is cut and there is
        # no sideways scrolling; rows grow to hold what they say.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        header.setStretchLastSection(False)
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.table.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.shown_for: ItemKey | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()  # the viewport's own width: the scroll bar's room is left out
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """The four columns share the pane's width: when and what as wide as their usual words
        (less on a narrow pane), who and where from about a quarter, the change the rest."""
        metrics = self.fontMetrics()
        padding = 2 * metrics.averageCharWidth()
        width = self.table.viewport().width()
        when = metrics.horizontalAdvance("00/00/0000") + padding
        rest = max(width - when, 4 * padding)
        what = min(metrics.horizontalAdvance("revised target") + padding, rest * 28 // 100)
        who = min(metrics.horizontalAdvance("import of a return") + padding, rest * 30 // 100)
        header = self.table.horizontalHeader()
        for column, size in enumerate((when, what, rest - what - who, who)):
            header.resizeSection(column, size)

    def show_for(self, item: ItemKey) -> None:
        """Read and show the item's history (values in full in each cell's tooltip)."""
        lines = self.source(item) if self.source else []
        self.model.set_rows([change_row(line) for line in lines])
        self.table.setToolTip(f"The newest {HISTORY_LIMIT} changes" if len(lines) >= HISTORY_LIMIT else "")
        self.shown_for = item
        self.table.scrollToTop()
