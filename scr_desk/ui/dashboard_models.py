"""The dashboard's pieces: one table model for every list it shows (bounded, with "show all"),
and the stacked RAG bars. Filling a model is one reset, whatever the number of rows, so a
7,740-row overdue list costs no more on the GUI thread than a ten-row one."""

from __future__ import annotations

from collections.abc import Sequence
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
        if self._all:
            return
        self.beginResetModel()
        self._all = True
        self.endResetModel()

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
        label_width = min(max((metrics.horizontalAdvance(label) for label, _ in rows), default=0) + 12,
                          self.width() // 3)
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
