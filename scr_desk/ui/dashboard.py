"""The dashboard beside the tree: RAG by review, RAG per quarter, agencies, the overdue list
(each row opens its item) and themes that recur across reviews."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QScrollArea, QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from scr_desk.domain.dates import format_uk
from scr_desk.services.dashboard import RAG_NAMES, Dashboard

COLOURS = {"Red": "#c62828", "Amber": "#f9a825", "Green": "#2e7d32", "Blue": "#1565c0", "Not rated": "#9e9e9e"}
INK = {"Amber": "#000000"}


class StackedBars(QWidget):
    """Horizontal stacked bars, one per label, each segment with its count written on it."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.rows: list[tuple[str, dict[str, int]]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: Sequence[tuple[str, dict[str, int]]]) -> None:
        self.rows = list(rows)
        self.setAccessibleDescription("; ".join(
            f"{label}: " + ", ".join(f"{n} {k}" for k, n in counts.items() if n) for label, counts in self.rows))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(400, max(1, len(self.rows)) * (self.fontMetrics().height() + 10) + 24)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        row_height = metrics.height() + 10
        label_width = min(max((metrics.horizontalAdvance(label) for label, _ in self.rows), default=0) + 12,
                          self.width() // 3)
        biggest = max((sum(c.values()) for _, c in self.rows), default=0) or 1
        span = max(self.width() - label_width - 8, 10)
        for index, (label, counts) in enumerate(self.rows):
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
                painter.setPen(QColor(INK.get(name, "#ffffff")))
                text = f"{name[0]} {count}" if metrics.horizontalAdvance(f"{name[0]} {count}") < width else ""
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
                left += width
        painter.setPen(self.palette().windowText().color())
        legend = "   ".join(f"{n[0]} = {n}" for n in RAG_NAMES)
        painter.drawText(QRectF(label_width, len(self.rows) * row_height + 4, span, 18), Qt.AlignmentFlag.AlignLeft,
                         legend)
        painter.end()


def _table(name: str, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setAccessibleName(name.replace("_", " ").capitalize())
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[object]], keys: Sequence[object] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    height = table.horizontalHeader().height() + sum(table.rowHeight(i) for i in range(min(len(rows), 12))) + 6
    table.setFixedHeight(max(height, 60))


class DashboardView(QScrollArea):
    open_item = Signal(object)  # (kind, id)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.setWidgetResizable(True)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.review_bars = StackedBars("Recommendations by RAG, per review")
        self.quarter_bars = StackedBars("RAG of items at the end of each quarter")
        self.agencies = _table("agencies_table", ("Agency", "Open", "Overdue", "Complete"))
        self.overdue = _table("overdue_table", ("Days overdue", "Reference", "Item", "Lead / owner", "Due"))
        self.overdue.setToolTip("Double-click or press Enter to open the item")
        # Enter (activated) and a double click both open the item; platforms differ on which
        # of the two a double click sends.
        self.overdue.itemActivated.connect(self._open)
        self.overdue.itemDoubleClicked.connect(self._open)
        self.themes = _table("themes_table", ("Theme", "Reviews", "Recommendations", "In"))
        content = QWidget()
        layout = QVBoxLayout(content)
        for title, widget in (("", self.caption), ("Recommendations by RAG, per review", self.review_bars),
                              ("Overdue items, oldest first", self.overdue),
                              ("Agencies: items they lead, contribute to or own", self.agencies),
                              ("RAG of items at the end of each quarter (from their updates)", self.quarter_bars),
                              ("Themes across reviews", self.themes)):
            if title:
                heading = QLabel(f"<b>{title}</b>")
                heading.setBuddy(widget)
                layout.addWidget(heading)
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setWidget(content)
        self.data: Dashboard | None = None

    def _open(self, item: QTableWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        if key is not None:
            self.open_item.emit(tuple(key))

    def show_dashboard(self, data: Dashboard, filtered: bool) -> None:
        self.data = data
        total = sum(sum(r.by_status.values()) for r in data.reviews)
        self.caption.setText(f"{len(data.reviews)} review(s), {total} recommendation(s), "
                             f"{len(data.overdue)} overdue item(s)" + (" — following the tree's filter" if filtered else ""))
        self.review_bars.set_rows([(r.name, r.by_rag) for r in data.reviews])
        self.quarter_bars.set_rows([(q.period, q.counts) for q in data.quarters])
        _fill(self.agencies, [(a.name, a.open, a.overdue, a.complete) for a in data.agencies])
        _fill(self.overdue, [(o.days, o.reference, o.title, o.agency, format_uk(o.due)) for o in data.overdue],
              [o.key for o in data.overdue])
        _fill(self.themes, [(t.theme, len(t.reviews), t.recommendations, ", ".join(t.reviews)) for t in data.themes])
