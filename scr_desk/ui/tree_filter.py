"""Filtering the tree: criteria are matched once per change in plain Python, then the proxy
only looks each row up in a set, which keeps a keystroke fast on a large database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, Rag, Status
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
    if node.kind is ItemKind.REVIEW:
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


def visible_keys(tree: TreeData, criteria: FilterCriteria, to_open: set[ItemKey] | None = None,
                 within: set[ItemKey] | None = None, matches: set[ItemKey] | None = None) -> set[ItemKey]:
    """Keys of nodes to show: every match, the ancestors of a match, and, where the text
    matched a parent (a review's name, say), that parent's descendants that pass the rest.

    `to_open` collects the recommendations shown only because an action under them matched:
    the window opens those, so every match is on view without opening everything. `within`,
    when given, is a set known to contain the answer (the previous result, while typing on).
    `matches` collects the nodes that match themselves, not the ancestors kept for context: what
    the status bar counts."""
    words = criteria.text.casefold().split()
    visible: set[ItemKey] = set()
    # With words alone (typing), a node that passes the text matches: closed ones are left out
    # before, so _own_match need not run for each of thousands of nodes on every keystroke.
    text_only = (criteria.status, criteria.rag, criteria.agency_id, criteria.theme) == (None,) * 4 \
        and not criteria.overdue_only

    def visit(node: TreeNode, inherited_text_match: bool) -> bool:
        if (criteria.hide_closed and node.closed) or (within is not None and node.key not in within):
            return False
        text_ok = inherited_text_match or all(w in node.search_text for w in words)
        shown = False
        for child in node.children:
            shown = visit(child, text_ok) or shown
        own = text_ok and (text_only or _own_match(node, criteria))
        if own and matches is not None:
            matches.add(node.key)
        if shown and to_open is not None and node.kind is ItemKind.RECOMMENDATION and not own:
            to_open.add(node.key)
        shown = shown or own
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
        self._visible: set[ItemKey] | None = None
        self.to_open: set[ItemKey] = set()
        self._matches: set[ItemKey] = set()
        self._previous: tuple[FilterCriteria, set[ItemKey]] | None = None
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
        # A reset, not Qt's incremental filter update: narrowing a large expanded tree removes
        # thousands of scattered rows one range at a time, which took 25 s on the benchmark's
        # database; rebuilding the mapping takes milliseconds.
        self.beginResetModel()
        self.to_open, self._matches = set(), set()
        narrower = self._previous is not None and self._narrows(self._previous[0])
        within = self._previous[1] if narrower and self._previous else None
        active = tree is not None and self._criteria.active
        self._visible = visible_keys(tree, self._criteria, self.to_open, within, self._matches) \
            if active and tree else None
        self._previous = (self._criteria, self._visible) if self._visible is not None else None
        self._mark_matches(source if isinstance(source, ReviewTreeModel) else None)
        self.endResetModel()

    def _mark_matches(self, source: ReviewTreeModel | None) -> None:
        """Tell the model the typed words, so it highlights matching rows as it paints them (worked
        out per row on demand: a keystroke does not pay for rows nobody sees)."""
        if source is not None:
            source.set_match_words(self._criteria.text.casefold().split() if self._visible is not None else [])

    def history_only_count(self, limit: int) -> int | None:
        """How many shown items match only in their update history (None beyond `limit` shown)."""
        source = self.sourceModel()
        if self._visible is None or len(self._visible) > limit or not isinstance(source, ReviewTreeModel):
            return None
        return sum(1 for key in self._visible if source.match_of(key) == "history")

    def _narrows(self, before: FilterCriteria) -> bool:
        """Typing on: the same choices, and text that extends what was there (so every node
        now shown was shown before)."""
        now = self._criteria
        return bool(before.text and now.text.casefold().startswith(before.text.casefold())
                and (before.status, before.rag, before.agency_id, before.theme, before.overdue_only,
                     before.hide_closed) == (now.status, now.rag, now.agency_id, now.theme, now.overdue_only,
                                             now.hide_closed))

    @property
    def visible(self) -> set[ItemKey] | None:
        """The keys the filter keeps (None when no filter is set); replaced, never changed in place."""
        return self._visible

    def shown_count(self) -> int | None:
        """How many items the filter keeps (None when no filter is set)."""
        return len(self._visible) if self._visible is not None else None

    def match_count(self) -> int | None:
        """How many items match the filter themselves, not counting the reviews and recommendations
        kept above them for context (None when no filter is set)."""
        return len(self._matches) if self._visible is not None else None

    def forget(self) -> None:
        """The data changed: the next filter starts from scratch."""
        self._previous = None

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._visible is None:
            return True
        source = self.sourceModel()
        assert isinstance(source, ReviewTreeModel)
        # Called for every row while the view lays out: look the key up without a round trip
        # through QModelIndex and data().
        return source.key_at(source_row, source_parent) in self._visible
