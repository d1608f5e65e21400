"""The dashboard beside the tree: RAG by review, RAG per quarter, agencies, the overdue list
(each row opens its item) and themes that recur across reviews.

Every list is a model/view table bounded to its first rows with a "Show all" button, and the
whole dashboard is redrawn in one go from figures computed on a worker (see MainWindow)."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.wording import count
from scr_desk.services.dashboard import FIRST_OVERDUE, Dashboard, OverdueItem
from scr_desk.ui.dashboard_models import KEY_ROLE, PagedRowsModel, RowsPage, RowsTableModel, StackedBars, legend_html
from scr_desk.ui.widgets import read_only_table

TABLE_ROWS_SHOWN = 12  # rows a table shows before it scrolls within itself
OVERDUE_LIMIT = FIRST_OVERDUE  # rows held in the overdue table until "Show all" (read with the figures)
REVIEW_BARS_LIMIT = 15


@dataclass(frozen=True)
class DashboardRows:
    """The dashboard's figures as the rows its tables and bars show: built on the worker with the
    figures, so the GUI thread only hands them to the models."""

    reviews: list[tuple[str, dict[str, int]]]
    quarters: list[tuple[str, dict[str, int]]]
    agencies: list[tuple[Any, ...]]
    overdue: list[tuple[Any, ...]]
    overdue_keys: list[Any]
    themes: list[tuple[Any, ...]]
    recommendations: int


def overdue_rows(items: Sequence[OverdueItem]) -> RowsPage:
    """Overdue items as the table's rows, with the key each opens."""
    return [(o.days, o.reference, o.title, o.agency, o.due) for o in items], [o.key for o in items]


def dashboard_rows(data: Dashboard) -> DashboardRows:
    """Plain Python, safe on a worker thread."""
    overdue, overdue_keys = overdue_rows(data.overdue)
    return DashboardRows(
        reviews=[(r.name, r.by_rag) for r in data.reviews],
        quarters=[(q.period, q.counts) for q in data.quarters],
        agencies=[(a.name, a.open, a.overdue, a.complete, a.assured) for a in data.agencies],
        overdue=overdue, overdue_keys=overdue_keys,
        themes=[(t.theme, len(t.reviews), t.recommendations, ", ".join(t.reviews)) for t in data.themes],
        recommendations=data.recommendations)


def _table(name: str, model: RowsTableModel, widths: Sequence[int]) -> QTableView:
    table = read_only_table(name, model)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    return table


class Section(QWidget):
    """A heading, its content, a "Nothing …" note when empty and a "Show all" button when bounded."""

    def __init__(self, title: str, content: QWidget, empty_text: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        self.heading = QLabel(title)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)  # a long heading wraps rather than widen the dashboard
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setBuddy(content)
        self.content = content
        self.empty = QLabel(empty_text)
        self.empty.setObjectName("empty_note")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setWordWrap(True)
        self.show_all = QPushButton()
        self.show_all.setObjectName("show_all")
        row = QHBoxLayout()
        row.addWidget(self.show_all)
        row.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.empty)
        layout.addWidget(content)
        layout.addLayout(row)

    def state(self, total: int, hidden: int, noun: str) -> None:
        self.empty.setVisible(total == 0)
        self.content.setVisible(total > 0)
        self.show_all.setVisible(hidden > 0)
        self.show_all.setText(f"Show all {count(total, noun)}")


class DashboardView(QScrollArea):
    open_item = Signal(object)  # ItemKey
    full_window_toggled = Signal(bool)
    open_returns = Signal()  # the returns board's headline was chosen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.caption = QLabel("Working out the figures…")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.full_window = QPushButton("&Full window")
        self.full_window.setObjectName("dashboard_full_window")
        self.full_window.setCheckable(True)
        self.full_window.setToolTip("Give the dashboard the whole window (the tree is hidden meanwhile)")
        self.full_window.toggled.connect(self.full_window_toggled)
        # The returns board's headline ("6 of 8 returns in, 2 overdue, 5 proposals waiting"), set by
        # the board's host; choosing it opens the board.
        self.returns_headline = QLabel()  # a link that wraps: the dashboard never grows wider for it
        self.returns_headline.setObjectName("returns_headline")
        self.returns_headline.setWordWrap(True)
        self.returns_headline.setTextFormat(Qt.TextFormat.RichText)
        self.returns_headline.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                      | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.returns_headline.linkActivated.connect(lambda _link: self.open_returns.emit())
        self.returns_headline.hide()
        self.legend = QLabel(legend_html())
        self.legend.setObjectName("rag_legend")
        self.legend.setWordWrap(True)
        self.review_bars = StackedBars("Recommendations by RAG, per review", REVIEW_BARS_LIMIT)
        self.quarter_bars = StackedBars("RAG of items at the end of each quarter")
        self.agencies_model = RowsTableModel(("Agency", "Open", "Overdue", "Complete", "Assured"))
        self.agencies = _table("agencies_table", self.agencies_model, (220, 60, 70, 80, 75))
        # The counts as wide as their headings, the agency's name the rest: the five columns
        # (complete and assured apart) share the pane without sideways scrolling.
        header = self.agencies.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, header.fontMetrics().horizontalAdvance(
                self.agencies_model.headerData(column, Qt.Orientation.Horizontal)) + 24)
        header.setStretchLastSection(False)
        self.overdue_model = PagedRowsModel(("Days overdue", "Reference", "Item", "Lead / owner", "Due"), OVERDUE_LIMIT)
        self.overdue = _table("overdue_table", self.overdue_model, (95, 120, 260, 160, 90))
        self.overdue.setToolTip("Double-click or press Enter to open the item")
        # Enter (activated) and a double click both open the item; platforms differ on which
        # of the two a double click sends.
        self.overdue.activated.connect(self._open)
        self.overdue.doubleClicked.connect(self._open)
        self.themes_model = RowsTableModel(("Theme", "Reviews", "Recommendations", "In"))
        self.themes = _table("themes_table", self.themes_model, (200, 70, 130, 200))

        self.sections = {
            "reviews": Section("Recommendations by RAG, per review", self.review_bars, "No reviews to show."),
            "overdue": Section("Overdue items, oldest first", self.overdue, "Nothing overdue."),
            "agencies": Section("Agencies: items they lead, contribute to or own", self.agencies,
                                "No agency leads, contributes to or owns an item."),
            "quarters": Section("RAG of items at the end of each quarter (from their updates)", self.quarter_bars,
                                "No item has been rated yet."),
            "themes": Section("Themes across reviews", self.themes, "No themes recorded."),
        }
        self.sections["reviews"].show_all.clicked.connect(self._all_reviews)
        self.sections["overdue"].show_all.clicked.connect(self._all_overdue)
        content = QWidget()
        layout = QVBoxLayout(content)
        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(self.full_window, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.returns_headline)
        layout.addWidget(self.legend)
        for section in self.sections.values():
            layout.addWidget(section)
        layout.addStretch(1)
        self.setWidget(content)
        self.data: Dashboard | None = None
        self.show_working()

    def show_working(self) -> None:
        """Before the figures are known: say so, and no section says "Nothing overdue" or "No item has
        been rated yet", which would be untrue of a database not yet counted."""
        self.data = None
        self.caption.setText("Working out the figures…")
        for section in self.sections.values():
            section.setVisible(False)

    def show_returns_headline(self, text: str) -> None:
        self.returns_headline.setText(f'<b><a href="returns">{html.escape(text)}</a></b>')
        self.returns_headline.setToolTip("Open the returns board")
        self.returns_headline.setAccessibleName(f"{text}. Open the returns board")
        self.returns_headline.show()

    def _open(self, index: QModelIndex) -> None:
        key = index.data(KEY_ROLE)
        if key is not None:
            self.open_item.emit(ItemKey.of(*key))  # Qt may hand the key back as a plain sequence

    def _all_overdue(self) -> None:
        self.overdue_model.show_all()
        self._fit(self.overdue, self.overdue_model)
        self.sections["overdue"].state(self.overdue_model.total, 0, "overdue item")

    def _all_reviews(self) -> None:
        self.review_bars.show_all()
        self.sections["reviews"].state(len(self.review_bars.rows), 0, "review")

    def _fit(self, table: QTableView, model: RowsTableModel) -> None:
        """A table as tall as its rows, up to TABLE_ROWS_SHOWN; beyond that it scrolls."""
        rows = min(model.rowCount(), TABLE_ROWS_SHOWN)
        height = (table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
                  + 2 * table.frameWidth() + (table.horizontalScrollBar().sizeHint().height() if rows else 0))
        table.setFixedHeight(max(height, 40))

    def show_dashboard(self, data: Dashboard, filtered: bool, rows: DashboardRows | None = None,
                       read_overdue: Callable[[int, int], RowsPage] | None = None) -> None:
        """Redraw everything from `data` at once (each model is reset once, not filled row by row);
        `rows`, when the worker has built them, saves building them here; `read_overdue(start, stop)`
        reads the overdue items past the first ones, as "Show all" scrolls to them."""
        self.data = data
        for section in self.sections.values():
            section.setVisible(True)
        rows = rows or dashboard_rows(data)
        self.caption.setText(f"{count(len(data.reviews), 'review')}, {count(rows.recommendations, 'recommendation')}, "
                             f"{count(data.overdue_total, 'overdue item')}"
                             + (" — following the tree's filter" if filtered else ""))
        self.review_bars.set_rows(rows.reviews)
        self.quarter_bars.set_rows(rows.quarters)
        self.agencies_model.set_rows(rows.agencies)
        self.overdue_model.set_rows(rows.overdue, rows.overdue_keys, total=data.overdue_total, read=read_overdue)
        self.themes_model.set_rows(rows.themes)
        for table, model in ((self.agencies, self.agencies_model), (self.overdue, self.overdue_model),
                             (self.themes, self.themes_model)):
            self._fit(table, model)
        self.sections["reviews"].state(len(data.reviews), len(data.reviews) - len(self.review_bars.shown), "review")
        self.sections["overdue"].state(self.overdue_model.total, self.overdue_model.hidden, "overdue item")
        self.sections["agencies"].state(self.agencies_model.total, 0, "agency")
        rated = sum(sum(q.counts.values()) for q in data.quarters)
        self.sections["quarters"].state(rated, 0, "quarter")
        self.sections["themes"].state(self.themes_model.total, 0, "theme")
