"""The tree view, which reads a review's rows before it opens it, however it is opened, and
fits its columns to what they hold.

A review's recommendations are read when it is first opened (ReviewTreeModel.fetchMore). Read
while the view opens it, they arrive under a row the view already shows open, and QTreeView then
lays out every row again (2,000 reviews at ten times the large partnership: 40-70 ms of calls
into Python for one review's 25 rows). Read just before, they arrive under a closed row, which
costs the view nothing, and opening it lays out only its own rows. So each way of opening a row
reads it first: a click on its arrow, a double click, the keys that open, and expand() or
setExpanded() called from Python.

The tree's columns fit what they hold: Status, RAG, Target and Lead are as wide as their widest
text (the overdue mark, a date and an item's status are never cut; a long target note, a review's
longest status or an agency name is, with the whole of it in the tooltip), the item column takes
the slack and at least two fifths of the width, and when the pane is too narrow for them all the
least needed (progress, then the lead agency) step aside rather than push the tree behind a
horizontal scrollbar. A column the user has resized keeps the user's width."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QHeaderView, QStyle, QTreeView

from scr_desk.domain.enums import ItemKind, ReviewStatus
from scr_desk.domain.tree import TreeNode, target_text
from scr_desk.ui.tree_model import ReviewTreeModel

_OPENING_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_Plus, Qt.Key.Key_Asterisk)
ITEM_MINIMUM = 200  # the item column never gets narrower than this (in font-scaled pixels)
ITEM_SHARE = 0.4  # nor than this share of the tree's width: the item's words come before its lead's
PROGRESS_CHARACTERS = 20  # the progress column's width, in average character widths
STEP_ASIDE = (ReviewTreeModel.COL_PROGRESS, ReviewTreeModel.COL_AGENCY)  # hidden first when narrow
FITTED = (ReviewTreeModel.COL_STATUS, ReviewTreeModel.COL_RAG, ReviewTreeModel.COL_TARGET, ReviewTreeModel.COL_AGENCY,
          ReviewTreeModel.COL_PROGRESS)
LONGEST_NOTE = "6 months from publication"  # a target note longer than this is cut (the tooltip has it)
# A status longer than this is cut, with the whole of it in the tooltip: every item's status is
# shorter, so only a review's "Monitoring recommendations" is, and the item column keeps the room.
LONGEST_STATUS = ReviewStatus.IN_PROGRESS.value
_DIGITS = str.maketrans("123456789", "000000000")  # digits take one width in the fonts a desktop uses
LEAD_MINIMUM = 10  # below this many characters' room the lead/owner column steps aside


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


class ColumnFitter(QObject):
    def __init__(self, tree: QTreeView, model: ReviewTreeModel) -> None:
        super().__init__(tree)
        self.tree = tree
        self.model = model
        self.user_sized = False  # the user has dragged a column's edge: the widths are theirs
        self._fitting = False
        header = tree.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ReviewTreeModel.COL_ITEM, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._resized)
        self._content: dict[int, int] = {}
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._fit_later)
        self._measure_all = True
        self._arrived: list[TreeNode] = []  # rows inserted since the columns were last fitted
        for signal in (model.modelReset, model.dataChanged):
            signal.connect(lambda *_: self._refit(everything=True))
        model.rowsInserted.connect(self._inserted)
        self.fit_content()
        tree.viewport().installEventFilter(self)

    def _resized(self, column: int, _old: int, new: int) -> None:
        # A column that stepped aside is told of as resized to nothing, and the header may tell it
        # only when it next lays itself out (after fit() has returned): no user drags a column to
        # nothing (the header's minimum is 40), so that is never the user's width. Taken for one, it
        # left Status, RAG and Target at their headings' widths at 150 %.
        if not self._fitting and column != ReviewTreeModel.COL_ITEM and new > 0 \
                and not self.tree.header().isSectionHidden(column):
            self.user_sized = True

    def restored(self) -> None:
        """The user's widths from last time were put back: keep them."""
        self.user_sized = True
        self.fit()

    def widths(self, nodes: Iterable[TreeNode]) -> dict[int, int]:
        """Each fitted column's width for these rows, in pixels of the tree's font: its widest text
        (or its heading, when it holds none yet)."""
        metrics = self.tree.fontMetrics()
        margin = 2 * self.tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 16
        texts: dict[int, set[str]] = {column: {ReviewTreeModel.HEADERS[column]} for column in FITTED}
        for node in nodes:
            texts[ReviewTreeModel.COL_STATUS].add(node.status_label)
            if rag := node.rag or node.rolled_rag:
                texts[ReviewTreeModel.COL_RAG].add(rag.value)
            texts[ReviewTreeModel.COL_TARGET].add(target_text(node).translate(_DIGITS))  # one date stands for all
            if node.kind is not ItemKind.REVIEW:  # a review's is its partnership, the same on every one
                texts[ReviewTreeModel.COL_AGENCY].add(node.agency_label)
        icon = self.tree.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 6
        widths = {column: max(metrics.horizontalAdvance(text) for text in found) + margin
                  for column, found in texts.items()}
        widths[ReviewTreeModel.COL_RAG] += icon if len(texts[ReviewTreeModel.COL_RAG]) > 1 else 0
        widths[ReviewTreeModel.COL_TARGET] = min(widths[ReviewTreeModel.COL_TARGET],
                                                 metrics.horizontalAdvance(LONGEST_NOTE) + margin)
        widths[ReviewTreeModel.COL_STATUS] = min(widths[ReviewTreeModel.COL_STATUS],
                                                 metrics.horizontalAdvance(LONGEST_STATUS) + margin)
        widths[ReviewTreeModel.COL_PROGRESS] = PROGRESS_CHARACTERS * metrics.averageCharWidth() + margin
        return widths

    def fit_content(self) -> None:
        """Size the columns to the rows read so far (unless the user has sized them)."""
        self._measure_all, self._arrived = False, []
        if not self.user_sized:
            self._content = self.widths(self.model.nodes())
        self.fit()

    def _refit(self, *, everything: bool) -> None:
        self._measure_all = self._measure_all or everything
        self._later.start(0)  # once per burst of changes, after they are in

    def _inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        """Rows read as a review is opened: only they are measured (measuring every row read so far
        at each opening cost 10-15 ms at ten times the large partnership)."""
        for row in range(first, last + 1):
            node = self.model.node(self.model.index(row, 0, parent))
            if node is not None:
                self._arrived += [node, *node.children]
        self._refit(everything=False)

    def _fit_later(self) -> None:
        if self._measure_all or not self._content:
            self.fit_content()
            return
        arrived, self._arrived = self._arrived, []
        if arrived and not self.user_sized:
            more = self.widths(arrived)
            self._content = {column: max(width, more[column]) for column, width in self._content.items()}
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        """Lay the columns out in the pane's width: Status, RAG and Target whole; the item column at
        least its minimum; then the lead agency (cut to what is left, with its tooltip), then
        progress, each shown only where it fits."""
        header = self.tree.header()
        available = self.tree.viewport().width()
        minimum = max(ITEM_MINIMUM * self.tree.fontMetrics().averageCharWidth() // 7, int(available * ITEM_SHARE))
        self._fitting = True
        try:
            for column in STEP_ASIDE:
                header.setSectionHidden(column, False)
            if self.user_sized or not self._content:
                for column in STEP_ASIDE:  # the user's widths: only step aside when there is no room
                    others = sum(header.sectionSize(c) for c in FITTED if not header.isSectionHidden(c))
                    if others + minimum <= available:
                        break
                    header.setSectionHidden(column, True)
                return
            content = self._content
            for column in (ReviewTreeModel.COL_STATUS, ReviewTreeModel.COL_RAG, ReviewTreeModel.COL_TARGET):
                header.resizeSection(column, content[column])
            room = available - minimum - sum(content[c] for c in (ReviewTreeModel.COL_STATUS, ReviewTreeModel.COL_RAG,
                                                                  ReviewTreeModel.COL_TARGET))
            lead, progress = content[ReviewTreeModel.COL_AGENCY], content[ReviewTreeModel.COL_PROGRESS]
            show_progress = room >= lead + progress
            lead_room = room - (progress if show_progress else 0)
            header.setSectionHidden(ReviewTreeModel.COL_PROGRESS, not show_progress)
            header.setSectionHidden(ReviewTreeModel.COL_AGENCY, lead_room < LEAD_MINIMUM * self.tree.fontMetrics()
                                    .averageCharWidth())
            header.resizeSection(ReviewTreeModel.COL_AGENCY, min(lead, max(lead_room, 0)))
            if show_progress:
                header.resizeSection(ReviewTreeModel.COL_PROGRESS, progress)
        finally:
            self._fitting = False
