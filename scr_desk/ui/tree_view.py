"""The tree view, which reads a review's rows before it opens it, however it is opened.

A review's recommendations are read when it is first opened (ReviewTreeModel.fetchMore). Read
while the view opens it, they arrive under a row the view already shows open, and QTreeView then
lays out every row again (2,000 reviews at ten times the large partnership: 40-70 ms of calls
into Python for one review's 25 rows). Read just before, they arrive under a closed row, which
costs the view nothing, and opening it lays out only its own rows. So each way of opening a row
reads it first: a click on its arrow, a double click, the keys that open, and expand() or
setExpanded() called from Python.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QTreeView

_OPENING_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_Plus, Qt.Key.Key_Asterisk)


class ReviewTreeView(QTreeView):
    """`current_changed` follows the current row whichever model the view shows (the tree's own, or
    the filter's proxy while a filter is set): a new model brings a new selection model."""

    current_changed = Signal(QModelIndex, QModelIndex)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        header = self.header()
        widths = header.saveState() if self.model() is not None else None  # a new model resets the columns
        super().setModel(model)
        if widths is not None:
            header.restoreState(widths)
        selection = self.selectionModel()
        if selection is not None:
            selection.currentChanged.connect(self.current_changed)

    def read_before_opening(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """Read the rows under `index` now, while it is closed (nothing when they have been read)."""
        model = self.model()
        if model is None or not index.isValid() or self.isExpanded(index):
            return
        first = model.index(index.row(), 0, index.parent())
        if model.canFetchMore(first):
            model.fetchMore(first)

    def expand(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.read_before_opening(index)
        super().expand(index)

    def setExpanded(self, index: QModelIndex | QPersistentModelIndex, expand: bool) -> None:
        if expand:
            self.read_before_opening(index)
        super().setExpanded(index, expand)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        # On the arrow (left of the row's own rectangle), a press opens the row.
        if index.isValid() and event.position().x() < self.visualRect(index.siblingAtColumn(0)).left():
            self.read_before_opening(index)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.expandsOnDoubleClick():
            self.read_before_opening(self.indexAt(event.position().toPoint()))
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _OPENING_KEYS:
            self.read_before_opening(self.currentIndex())
        super().keyPressEvent(event)

