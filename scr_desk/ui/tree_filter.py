"""Filtering the tree: the database answers (services/search.py, on a worker), and the proxy then
only looks each row up in the answer's sets, which keeps showing a filter fast on a large database."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.search import FilterCriteria, ItemIds, SearchResult
from scr_desk.ui.tree_model import ReviewTreeModel

__all__ = ["FilterCriteria", "TreeFilterProxy"]


class TreeFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._result: SearchResult | None = None
        self.setDynamicSortFilter(False)

    @property
    def result(self) -> SearchResult | None:
        return self._result

    @property
    def criteria(self) -> FilterCriteria:
        """The filter the tree shows (the one asked for may still be on its way)."""
        return self._result.criteria if self._result is not None else FilterCriteria()

    @property
    def to_open(self) -> frozenset[ItemKey]:
        return self._result.to_open if self._result is not None else frozenset()

    def set_result(self, result: SearchResult | None) -> None:
        """Show `result` (None: everything)."""
        # A reset, not Qt's incremental filter update: narrowing a large expanded tree removes
        # thousands of scattered rows one range at a time, which took 25 s on the benchmark's
        # database; rebuilding the mapping takes milliseconds.
        self.beginResetModel()
        self._result = result
        source = self.sourceModel()
        if isinstance(source, ReviewTreeModel):
            source.set_search(result)
        self.endResetModel()

    @property
    def visible(self) -> ItemIds | None:
        """What the filter keeps (None when no filter is set)."""
        return self._result.shown if self._result is not None else None

    def shown_count(self) -> int | None:
        """How many items the filter keeps (None when no filter is set)."""
        return len(self._result.shown) if self._result is not None else None

    def match_count(self) -> int | None:
        """How many items match the filter themselves, not counting the reviews and recommendations
        kept above them for context (None when no filter is set)."""
        return len(self._result.matches) if self._result is not None else None

    def history_only_count(self) -> int:
        """How many matches hold the words only in their update history."""
        return len(self._result.history_only) if self._result is not None else 0

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._result is None:
            return True
        source = self.sourceModel()
        assert isinstance(source, ReviewTreeModel)
        # Called for every row while the view lays out: look the key up without a round trip
        # through QModelIndex and data().
        return source.key_at(source_row, source_parent) in self._result.shown
