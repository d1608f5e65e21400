"""Filtering the tree: criteria are matched once per change in plain Python, then the proxy
only looks each row up in a set, which keeps a keystroke fast on a large database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from scr_desk.domain.enums import Rag, Status
from scr_desk.services.tree import TreeData, TreeNode
from scr_desk.ui.tree_model import ReviewTreeModel


@dataclass(frozen=True)
class FilterCriteria:
    text: str = ""
    status: Status | None = None
    rag: Rag | None = None
    agency_id: int | None = None
    theme: str | None = None
    overdue_only: bool = False
    hide_closed: bool = False

    @property
    def active(self) -> bool:
        return self != FilterCriteria()


def _own_match(node: TreeNode, c: FilterCriteria) -> bool:
    """Does the node itself pass every criterion except text (reviews pass item criteria)."""
    if node.kind == "review":
        return not (c.status or c.rag or c.agency_id or c.theme or c.overdue_only)
    if c.status is not None and node.status != c.status:
        return False
    if c.rag is not None and node.rag != c.rag:
        return False
    if c.agency_id is not None and c.agency_id not in node.agency_ids:
        return False
    if c.theme is not None and c.theme not in node.themes:
        return False
    if c.overdue_only and not node.overdue:
        return False
    return not (c.hide_closed and node.closed)


def visible_keys(tree: TreeData, criteria: FilterCriteria) -> set[tuple[str, int]]:
    """Keys of nodes to show: every match, the ancestors of a match, and, where the text
    matched a parent (a review's name, say), that parent's descendants that pass the rest."""
    words = criteria.text.casefold().split()
    visible: set[tuple[str, int]] = set()

    def visit(node: TreeNode, inherited_text_match: bool) -> bool:
        if criteria.hide_closed and node.closed:
            return False
        text_ok = inherited_text_match or all(w in node.search_text for w in words)
        shown = False
        for child in node.children:
            shown = visit(child, text_ok) or shown
        if not shown and text_ok and _own_match(node, criteria):
            shown = True
        if shown:
            visible.add(node.key)
        return shown

    for review in tree.reviews:
        visit(review, not words)
    return visible


class TreeFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._criteria = FilterCriteria()
        self._visible: set[tuple[str, int]] | None = None
        self.setDynamicSortFilter(False)

    @property
    def criteria(self) -> FilterCriteria:
        return self._criteria

    def set_criteria(self, criteria: FilterCriteria) -> None:
        self._criteria = criteria
        self.recompute()

    def recompute(self) -> None:
        source = self.sourceModel()
        tree = source.tree if isinstance(source, ReviewTreeModel) else None
        self.beginFilterChange()
        self._visible = visible_keys(tree, self._criteria) if tree and self._criteria.active else None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._visible is None:
            return True
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        return model.data(index, ReviewTreeModel.KeyRole) in self._visible
