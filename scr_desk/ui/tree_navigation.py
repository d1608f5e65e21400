"""Moving about the tree: selection by key, filtering, and what is open after a refilter.

The main window owns one (composed, not mixed in): it is handed the tree view, its models, the
filter bar, and callbacks to the window (the status bar, the detail pane's empty page, how to reach
the database, where an item is). The filter is answered by the database on a thread of its own
(tree_filter.TreeSearch); the answer is shown here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QModelIndex

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.domain.search import FilterCriteria, SearchResult
from scr_desk.domain.wording import count
from scr_desk.ui.tree_model import Children, ReviewTreeModel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from scr_desk.domain.tree import TreeNode
    from scr_desk.ui.filter_bar import FilterBar
    from scr_desk.ui.tree_filter import TreeFilterProxy, TreeSearch
    from scr_desk.ui.tree_view import ReviewTreeView

# Beyond this many items the reviews stay closed: laying out thousands of rows costs more than a
# keystroke may, and no one scans that many.
EXPAND_LIMIT = 1500
NOTHING_MATCHES = ("No items match the filter.\n\nClear the filter (Ctrl+Shift+F) to see everything again.")


class TreeNavigation:
    def __init__(self, tree: ReviewTreeView, proxy: TreeFilterProxy, model: ReviewTreeModel, filter_bar: FilterBar,
                 search: TreeSearch, show_status: Callable[[str], None], filtered: Callable[[], None]) -> None:
        self.tree = tree
        self.proxy = proxy
        self.model = model
        self.filter_bar = filter_bar
        self.search = search
        self._show_status = show_status
        self._filtered = filtered  # what shows changed with the filter (the dashboard follows it)
        # Set by the window once the database is open: how to reach it, where an item is, and how to
        # empty the detail pane (with a sentence, or None for its usual one).
        self.sessions: Callable[[], sessionmaker[Session] | None] = lambda: None
        self.locate: Callable[[ItemKey], int | None] = lambda _key: None
        self.show_empty: Callable[[str | None], None] = lambda _text: None
        self.failed: Callable[[str, BaseException], None] = lambda _doing, _error: None
        # While a filter's reset puts back the item the detail pane already shows, the pane need
        # not read it again from the file (that was half of every keystroke on a large database).
        self.restoring: ItemKey | None = None
        self.user_chose = False  # the user picked a row (the remembered selection then stays unused)
        self._choosing = False  # a selection made here, not by the user
        self._asked: FilterCriteria | None = None  # the filter asked for (its answer may be on its way)
        self._open_before_filter: list[ItemKey] | None = None  # put back when the filter is cleared
        self._track_expansion()
        tree.current_changed.connect(self._current_changed)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._choosing and self.restoring is None and current.isValid():
            self.user_chose = True

    def _track_expansion(self) -> None:
        """Remember which recommendations are open as the user opens and closes them, so a reload
        need not ask the view about each of thousands of rows (that took 160 ms)."""
        self._opened: set[ItemKey] = set()
        self.tree.expanded.connect(lambda index: self._opened.add(index.data(ReviewTreeModel.KeyRole)))
        self.tree.collapsed.connect(lambda index: self._opened.discard(index.data(ReviewTreeModel.KeyRole)))

    def expanded_keys(self) -> list[ItemKey]:
        """Open reviews (asked of the view: expandToDepth opens them without a signal) and the
        recommendations opened since."""
        keys, shown = [], self.shown_model()
        for row in range(shown.rowCount()):
            index = shown.index(row, 0)
            if self.tree.isExpanded(index):
                keys.append(index.data(ReviewTreeModel.KeyRole))
        keys += [key for key in self._opened if key and key.kind is ItemKind.RECOMMENDATION]
        return keys

    # --- filtering --------------------------------------------------------------------------
    @property
    def asked(self) -> FilterCriteria:
        return self._asked or FilterCriteria()

    def apply_filter(self, criteria: FilterCriteria) -> None:
        """Show what `criteria` keeps: asked of the database on its thread, shown when it answers."""
        self._asked = criteria if criteria.active else None
        if not criteria.active:
            self.search.forget()
            if self.proxy.result is not None:
                self._show(None, {}, jump_to_match=True)
            return
        self._ask(criteria, jump_to_match=True)

    def refilter(self) -> None:
        """Filter again after the data changed, keeping the selection and what was open."""
        if self._asked is not None:
            self._ask(self._asked, jump_to_match=False)

    def _ask(self, criteria: FilterCriteria, *, jump_to_match: bool) -> None:
        sessions = self.sessions()
        if sessions is None:
            return  # the database is still opening: the window filters again once it is
        self.search.ask(sessions, criteria, self.model.loaded_reviews(), EXPAND_LIMIT,
                        lambda answer: self._show(*answer, jump_to_match=jump_to_match),
                        lambda error: self.failed("Filtering", error))

    def _show(self, result: SearchResult | None, subtrees: dict[int, Children], *, jump_to_match: bool) -> None:
        key = self.selected_key()  # before the proxy's reset forgets the view's current index
        if result is not None and self.proxy.result is None:
            # What the user had open before filtering, put back when the filter is cleared: else
            # a large tree comes back with every review open (5,000 rows to lay out at each reload).
            self._open_before_filter = self.expanded_keys()
        expanded = self.expanded_keys() if not jump_to_match else \
            (None if result is not None else self._open_before_filter or [])
        self.model.add_subtrees(subtrees)
        self.restoring = key
        try:
            self.proxy.set_result(result)
            self._show_through_filter(result is not None)
            self._after_refilter(key, jump_to_match=jump_to_match, expanded=expanded)
        finally:
            self.restoring = None
        if key is not None and self.selected_key() is None and self.proxy.shown_count() != 0:
            self.show_empty(None)  # the item shown before is filtered out and nothing took its place
        self._filtered()

    def _after_refilter(self, key: ItemKey | None, *, jump_to_match: bool,
                        expanded: list[ItemKey] | None = None) -> None:
        """The proxy was reset: open what should be open and put the selection back."""
        shown = self.proxy.shown_count()
        if (shown is None and self.small_tree()) or (shown is not None and shown <= EXPAND_LIMIT):
            self.tree.expandToDepth(0)
        if shown is None or shown <= EXPAND_LIMIT:
            for open_key in [*self.proxy.to_open, *(expanded or [])]:
                index = self.to_view(self.model.index_for(open_key))
                if index.isValid():
                    self.tree.expand(index)
        if shown == 0:
            # Nothing matches: say so where the detail was, not an old item that no longer shows.
            self._show_status("No items match")
            self.show_empty(NOTHING_MATCHES)
            return
        if shown is not None and jump_to_match:
            note = "" if shown <= EXPAND_LIMIT else "; open a review to see them, or type more to narrow"
            only = self.proxy.history_only_count()
            history = f"; {only} only in {'its' if only == 1 else 'their'} updates (in italics)" if only else ""
            matching = self.proxy.match_count() or 0
            self._show_status(f"{count(matching, 'item')} match{'es' if matching == 1 else ''}{history}{note}")
        if (key is None or not self.select_key(key, clear_filter=False)) and jump_to_match:
            self._select_first_match()

    def small_tree(self) -> bool:
        """Few enough recommendations to show every review open (the rule the first load follows)."""
        return sum(review.child_count for review in self.model.reviews()) <= EXPAND_LIMIT

    def _select_first_match(self) -> None:
        shown = self.shown_model()
        index = shown.index(0, 0)
        while index.isValid() and shown.rowCount(index) and self.proxy.result is not None:
            index = shown.index(0, 0, index)  # the deepest first match, not its review
        if index.isValid():
            self._set_current(index)

    # --- what the view shows -----------------------------------------------------------------
    def shown_model(self) -> QAbstractItemModel:
        """The model the view shows: the tree's own while nothing is filtered, else the filter's proxy."""
        return self.proxy if self.tree.model() is self.proxy else self.model

    def _show_through_filter(self, filtered: bool) -> None:
        """The view on the filter's proxy only while a filter is set. Without one, the view is on the
        tree's model itself: every row it lays out or paints through the proxy cost a second call
        into Python (the proxy asks the model for the row's index), and opening a review at ten
        times the large partnership took three to four times as long."""
        wanted = self.proxy if filtered else self.model
        if self.tree.model() is not wanted:
            self.tree.setModel(wanted)

    def to_view(self, source: QModelIndex) -> QModelIndex:
        """The view's index of the tree model's `source` (invalid when the filter hides it)."""
        if self.tree.model() is self.proxy:
            return self.proxy.mapFromSource(source)
        return source

    # --- selection ----------------------------------------------------------------------------
    def selected_key(self) -> ItemKey | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        key: ItemKey = index.data(ReviewTreeModel.KeyRole)
        return key

    def _set_current(self, index: QModelIndex) -> None:
        self._choosing = True
        try:
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._choosing = False

    def source_index(self, key: ItemKey) -> QModelIndex:
        """The model's index of `key`, reading the review it is in when it has not been read."""
        source = self.model.index_for(key)
        if not source.isValid() and key.kind is not ItemKind.REVIEW:
            review = self.locate(key)
            if review is not None and self.model.fetch(ItemKey(ItemKind.REVIEW, review)):
                source = self.model.index_for(key)
        return source

    def select_key(self, key: ItemKey, *, clear_filter: bool = True) -> bool:
        source = self.source_index(key)
        if not source.isValid():
            return False
        index = self.to_view(source)
        if not index.isValid():  # filtered out: clear the filter rather than hide the item
            if not clear_filter:
                return False
            self.filter_bar.reset()
            index = self.to_view(source)
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self._set_current(index)
        self.tree.scrollTo(index)
        return True

    def reference_of(self, key: ItemKey) -> str:
        """How the window names an item to the user: its reference (a review: its name)."""
        node = self.model.node(self.source_index(key))
        if node is None:
            return f"{key.kind} {key.id}"
        return node.title if node.kind is ItemKind.REVIEW else node.reference

    def children_of(self, key: ItemKey) -> Sequence[TreeNode]:
        if key.kind is ItemKind.REVIEW:
            self.model.fetch(key)
        return self.model.children_of(key)

    def review_id_of(self, key: ItemKey) -> int | None:
        if key.kind is ItemKind.REVIEW:
            return key.id
        index = self.source_index(key)
        while index.isValid() and index.parent().isValid():
            index = index.parent()
        node = self.model.node(index)
        return node.id if node is not None else self.locate(key)
