"""The dashboard's pieces: one table model for every list it shows (bounded, with "show all"),
one for a list read a page at a time as it is scrolled (the overdue items: 78,000 of them in a
partnership ten times the large one), and the stacked RAG bars. Filling a model is one reset,
whatever the number of rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from scr_desk.domain.colours import NOT_RATED, RAG_SWATCHES
from scr_desk.domain.dates import format_uk
from scr_desk.services.dashboard import RAG_NAMES

SWATCHES = {**{rag.value: swatch for rag, swatch in RAG_SWATCHES.items()}, "Not rated": NOT_RATED}  # by RAG_NAMES
COLOURS = {name: swatch.fill for name, swatch in SWATCHES.items()}
INK = {name: swatch.ink for name, swatch in SWATCHES.items()}
KEY_ROLE = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root, as a default argument


class RowsTableModel(QAbstractTableModel):
    """Read-only rows of plain values; shows the first `limit` until `show_all()`.

    Each row may carry a key (the item it opens), returned for the UserRole."""

    def __init__(self, headers: Sequence[str], limit: int | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = tuple(headers)
        self._rows: list[tuple[Any, ...]] = []
        self._keys: list[Any] = []
        self._limit = limit
        self._all = limit is None

    # --- content ------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Sequence[Any]], keys: Sequence[Any] | None = None) -> None:
        self.beginResetModel()
        # Rows already made as tuples in a list (the dashboard's, built on its worker) are taken as
        # they are: copying 7,740 of them would be the GUI thread's work again.
        self._rows = rows if isinstance(rows, list) and all(type(r) is tuple for r in rows[:1]) \
            else [tuple(r) for r in rows]
        self._keys = keys if isinstance(keys, list) else list(keys) if keys is not None else []
        self.endResetModel()

    def show_all(self) -> None:
        """The rows held back come in after those shown (an insertion, not a reset: a view told of a
        reset may ask for more rows while the reset is still being announced)."""
        if self._all:
            return
        shown, held = self.rowCount(), len(self._rows)
        if held > shown:
            self.beginInsertRows(_ROOT, shown, held - 1)
            self._all = True
            self.endInsertRows()
        else:
            self._all = True

    @property
    def total(self) -> int:
        return len(self._rows)

    @property
    def hidden(self) -> int:
        """Rows held back until "show all"."""
        return self.total - self.rowCount()

    def key(self, row: int) -> Any:
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def row_values(self, row: int) -> tuple[Any, ...]:
        return self._rows[row]

    # --- QAbstractTableModel --------------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid():
            return 0
        return len(self._rows) if self._all or self._limit is None else min(len(self._rows), self._limit)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()) \
                or not (0 <= index.column() < len(self._headers)):
            return None
        value = self._rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            # formatted only when shown: filling the model costs nothing per row
            return "" if value is None else format_uk(value) if isinstance(value, date) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KEY_ROLE:
            return self.key(index.row())
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


RowsPage = tuple[list[tuple[Any, ...]], list[Any]]  # rows and their keys


class PagedRowsModel(RowsTableModel):
    """A long list of which only the first rows are given (the first `limit`, shown until "show
    all"); once all are to be shown, the rest are read a page at a time as the view scrolls to them
    (canFetchMore/fetchMore), by `read(start, stop)`."""

    PAGE = 200

    def __init__(self, headers: Sequence[str], limit: int, parent: Any = None) -> None:
        super().__init__(headers, limit, parent)
        self._total = 0
        self._read: Callable[[int, int], RowsPage] | None = None
        self._inserting = False

    def set_rows(self, rows: Sequence[Sequence[Any]], keys: Sequence[Any] | None = None, *, total: int | None = None,
                 read: Callable[[int, int], RowsPage] | None = None) -> None:
        """The first rows of a list of `total` (all of it when None), the rest read by `read`."""
        self._total = len(rows) if total is None or read is None else max(total, len(rows))
        self._read = read
        super().set_rows(rows, keys)

    @property
    def total(self) -> int:
        return self._total

    @property
    def hidden(self) -> int:
        return 0 if self._all else self._total - self.rowCount()

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._all and self._read is not None and not self._inserting \
            and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent) or self._read is None:
            return
        start = len(self._rows)
        rows, keys = self._read(start, min(start + self.PAGE, self._total))
        if not rows:  # the rest were deleted since the list was made: it ends here
            self._total = start
            return
        # Whatever is told of the insertion (a view, a tester) may ask for more before it is done, and
        # must hear no until these rows are in.
        self._inserting = True
        try:
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows = [*self._rows, *rows]  # a new list: the first rows' list was handed over by the worker
            self._keys = [*self._keys, *keys]
            self.endInsertRows()
        finally:
            self._inserting = False


class StackedBars(QWidget):
    """Horizontal stacked bars, one per label, each segment with its count written on it.
    Shows the first `limit` rows until `show_all()`; its height follows the rows it shows."""

    def __init__(self, accessible_name: str, limit: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.rows: list[tuple[str, dict[str, int]]] = []
        self.limit = limit
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: Sequence[tuple[str, dict[str, int]]]) -> None:
        self.rows = list(rows)
        self.setAccessibleDescription("; ".join(
            f"{label}: " + ", ".join(f"{n} {k}" for k, n in counts.items() if n) for label, counts in self.rows))
        self._resize()

    def show_all(self) -> None:
        self.limit = None
        self._resize()

    @property
    def shown(self) -> list[tuple[str, dict[str, int]]]:
        return self.rows if self.limit is None else self.rows[:self.limit]

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 10

    def _resize(self) -> None:
        # A fixed height the layout must respect: a hint alone let the sections overlap.
        self.setFixedHeight(max(1, len(self.shown)) * self._row_height() + 8)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(400, max(1, len(self.shown)) * self._row_height() + 8)

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._resize()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        row_height = self._row_height()
        rows = self.shown
        # Up to two fifths of the width for the names (a third cut "Child A0 (SAR)" at 150 %).
        label_width = min(max((metrics.horizontalAdvance(label) for label, _ in rows), default=0) + 12,
                          self.width() * 2 // 5)
        biggest = max((sum(c.values()) for _, c in rows), default=0) or 1
        span = max(self.width() - label_width - 8, 10)
        for index, (label, counts) in enumerate(rows):
            top = index * row_height + 4
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QRectF(0, top, label_width - 6, row_height - 4),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 6))
            left = float(label_width)
            for name in RAG_NAMES:
                count = counts.get(name, 0)
                if not count:
                    continue
                width = span * count / biggest
                rect = QRectF(left, top, width, row_height - 4)
                painter.fillRect(rect, QColor(COLOURS[name]))
                painter.setPen(QColor(INK[name]))
                text = f"{name[0]} {count}" if metrics.horizontalAdvance(f"{name[0]} {count}") < width else ""
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
                left += width
        painter.end()


def legend_html() -> str:
    """The RAG legend as a line of coloured squares a QLabel can wrap to any width."""
    return "&nbsp;&nbsp; ".join(f"<span style='color:{COLOURS[name]}'>&#9632;</span>&nbsp;{name[0]}&nbsp;=&nbsp;"
                                f"{name.replace(' ', '&nbsp;')}" for name in RAG_NAMES)
