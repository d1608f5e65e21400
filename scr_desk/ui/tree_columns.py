"""The tree's columns fit its pane: the item column takes what is left, the others keep compact
widths, and when the pane is too narrow for them all the least needed (progress, then the lead
agency) step aside rather than push the tree behind a horizontal scrollbar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTreeView

from scr_desk.ui.tree_model import ReviewTreeModel

ITEM_MINIMUM = 200  # the item column never gets narrower than this (in font-scaled pixels)
# compact widths, in average character widths: status, RAG, target, lead/owner, progress
CHARACTERS = {ReviewTreeModel.COL_STATUS: 12, ReviewTreeModel.COL_RAG: 8, ReviewTreeModel.COL_TARGET: 12,
              ReviewTreeModel.COL_AGENCY: 18, ReviewTreeModel.COL_PROGRESS: 20}
STEP_ASIDE = (ReviewTreeModel.COL_PROGRESS, ReviewTreeModel.COL_AGENCY)  # hidden first when narrow


class ColumnFitter(QObject):
    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree
        header = tree.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ReviewTreeModel.COL_ITEM, QHeaderView.ResizeMode.Stretch)
        self.reset_widths()
        tree.viewport().installEventFilter(self)

    def reset_widths(self) -> None:
        unit = self.tree.fontMetrics().averageCharWidth()
        for column, characters in CHARACTERS.items():
            self.tree.header().resizeSection(column, characters * unit + 16)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        header = self.tree.header()
        available = self.tree.viewport().width()
        minimum = ITEM_MINIMUM * self.tree.fontMetrics().averageCharWidth() // 7
        for column in STEP_ASIDE:
            header.setSectionHidden(column, False)
        for column in STEP_ASIDE:
            others = sum(header.sectionSize(c) for c in CHARACTERS if not header.isSectionHidden(c))
            if others + minimum <= available:
                break
            header.setSectionHidden(column, True)
