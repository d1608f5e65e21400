"""Moving about the tree: selection by key, filtering, and what is open after a refilter.

The main window owns one (composed, not mixed in): it is handed the tree view, its models, the
filter bar and the detail pane, and tells the window through two callbacks what it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.domain.wording import count
from scr_desk.ui.tree_model import ReviewTreeModel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTreeView

    from scr_desk.services.tree import TreeNode
    from scr_desk.ui.detail_pane import DetailPane
    from scr_desk.ui.filter_bar import FilterBar
    from scr_desk.ui.tree_filter import FilterCriteria, TreeFilterProxy

# Beyond this many matching items the reviews stay closed: laying out thousands of rows costs
# more than a keystroke may, and no one scans that many.
EXPAND_LIMIT = 1500


class TreeNavigation:
    def __init__(self, tree: QTreeView, proxy: TreeFilterProxy, model: ReviewTreeModel, filter_bar: FilterBar,
                 detail: DetailPane, show_status: Callable[[str], None], filtered: Callable[[], None]) -> None:
        self.tree = tree
        self.proxy = proxy
        self.model = model
        self.filter_bar = filter_bar
        self.detail = detail
        self._show_status = show_status
        self._filtered = filtered  # what shows changed with the filter (the dashboard follows it)
        # While a filter's reset puts back the item the detail pane already shows, the pane need
        # not read it again from the file (that was half of every keystroke on a large database).
        self.restoring: ItemKey | None = None
        self._open_before_filter: list[ItemKey] | None = None  # put back when the filter is cleared
        self._track_expansion()

    def _track_expansion(self) -> None:
        """Remember which recommendations are open as the user opens and closes them, so a reload
        need not ask the view about each of thousands of rows (that took 160 ms)."""
        self._opened: set[ItemKey] = set()
        self.tree.expanded.connect(lambda index: self._opened.add(self.proxy.data(index, ReviewTreeModel.KeyRole)))
        self.tree.collapsed.connect(
            lambda index: self._opened.discard(self.proxy.data(index, ReviewTreeModel.KeyRole)))

    def expanded_keys(self) -> list[ItemKey]:
        """Open reviews (asked of the view: expandToDepth opens them without a signal) and the
        recommendations opened since."""
        keys = []
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.tree.isExpanded(index):
                keys.append(self.proxy.data(index, ReviewTreeModel.KeyRole))
        keys += [key for key in self._opened if key and key.kind is ItemKind.RECOMMENDATION]
        return keys

    def apply_filter(self, criteria: FilterCriteria) -> None:
        key = self.selected_key()  # before the proxy's reset forgets the view's current index
        if criteria.active and not self.proxy.criteria.active:
            # What the user had open before filtering, put back when the filter is cleared: else
            # a large tree comes back with every review open (5,000 rows to lay out at each reload).
            self._open_before_filter = self.expanded_keys()
        restore = None if criteria.active else self._open_before_filter or []
        self.restoring = key
        try:
            self.proxy.set_criteria(criteria)
            self._after_refilter(key, jump_to_match=True, expanded=restore)
        finally:
            self.restoring = None
        if key is not None and self.selected_key() is None and self.proxy.shown_count() != 0:
            self.detail.show_empty()  # the item shown before is filtered out and nothing took its place
        self._filtered()

    def refilter(self) -> None:
        """Filter again after the data changed, keeping the selection and what was open."""
        key = self.selected_key()
        expanded = self.expanded_keys()
        self.proxy.forget()
        self.proxy.recompute()
        self._after_refilter(key, jump_to_match=False, expanded=expanded)

    def _after_refilter(self, key: ItemKey | None, *, jump_to_match: bool,
                        expanded: list[ItemKey] | None = None) -> None:
        """The proxy was reset: open what should be open and put the selection back."""
        shown = self.proxy.shown_count()
        if (shown is None and self.small_tree()) or (shown is not None and shown <= EXPAND_LIMIT):
            self.tree.expandToDepth(0)
        if shown is None or shown <= EXPAND_LIMIT:
            for open_key in [*self.proxy.to_open, *(expanded or [])]:
                self.tree.expand(self.proxy.mapFromSource(self.model.index_for(open_key)))
        if shown == 0:
            # Nothing matches: say so where the detail was, not an old item that no longer shows.
            self._show_status("No items match")
            self.detail.show_empty("No items match the filter.\n\nClear the filter (Ctrl+Shift+F) to see "
                                   "everything again.")
            return
        if shown is not None and jump_to_match:
            note = "" if shown <= EXPAND_LIMIT else "; open a review to see them, or type more to narrow"
            only = self.proxy.history_only_count(EXPAND_LIMIT) or 0
            history = f"; {only} only in {'its' if only == 1 else 'their'} updates (in italics)" if only else ""
            matching = self.proxy.match_count() or 0
            self._show_status(f"{count(matching, 'item')} match{'es' if matching == 1 else ''}{history}{note}")
        if (key is None or not self.select_key(key, clear_filter=False)) and jump_to_match:
            self._select_first_match()

    def small_tree(self) -> bool:
        """Few enough recommendations to show every review open (the rule the first load follows)."""
        tree = self.model.tree
        return tree is not None and sum(len(review.children) for review in tree.reviews) <= EXPAND_LIMIT

    def _select_first_match(self) -> None:
        index = self.proxy.index(0, 0)
        while index.isValid() and self.proxy.rowCount(index) and self.proxy.criteria.active:
            index = self.proxy.index(0, 0, index)  # the deepest first match, not its review
        if index.isValid():
            self.tree.setCurrentIndex(index)

    def selected_key(self) -> ItemKey | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        key: ItemKey = self.proxy.data(index, ReviewTreeModel.KeyRole)
        return key

    def select_key(self, key: ItemKey, *, clear_filter: bool = True) -> bool:
        source = self.model.index_for(key)
        if not source.isValid():
            return False
        index = self.proxy.mapFromSource(source)
        if not index.isValid():  # filtered out: clear the filter rather than hide the item
            if not clear_filter:
                return False
            self.filter_bar.reset()
            index = self.proxy.mapFromSource(source)
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(index)
        return True

    def reference_of(self, key: ItemKey) -> str:
        """How the window names an item to the user: its reference (a review: its name)."""
        node = self.model.node(self.model.index_for(key))
        if node is None:
            return f"{key.kind} {key.id}"
        return node.title if node.kind is ItemKind.REVIEW else node.reference

    def children_of(self, key: ItemKey) -> Sequence[TreeNode]:
        node = self.model.node(self.model.index_for(key))
        return node.children if node else ()

    def review_id_of(self, key: ItemKey) -> int | None:
        index = self.model.index_for(key)
        while index.isValid() and index.parent().isValid():
            index = index.parent()
        node = self.model.node(index)
        return node.id if node else None

