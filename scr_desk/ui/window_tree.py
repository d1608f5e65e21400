"""The main window's tree as it is read and read again: on opening and after structural changes
(on a worker: the reviews in one query, the children of those it needs at once, the filter's
lists, the record counts), one review in place after an edit inside it, a review's children when
it is opened, and what each change refreshes. MainWindow owns one (composed, as it owns its
TreeNavigation)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.domain.tree import TreeNode
from scr_desk.domain.wording import count

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from scr_desk.services.edits.base import Change
    from scr_desk.ui.main_window import MainWindow

__all__ = ["READ_ALL_BELOW", "TreeLoad", "WindowTree", "load_tree_rows"]


# No more recommendations than this in all, and every review's children are read at once (the
# tree then opens every review, as a small partnership's lead expects).
READ_ALL_BELOW = 1500


@dataclass(frozen=True)
class TreeLoad:
    reviews: list[TreeNode]
    subtrees: dict[int, tuple[TreeNode, ...]] = field(default_factory=dict)
    agencies: dict[int, str] = field(default_factory=dict)
    themes: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)


def load_tree_rows(sessions: sessionmaker[Session], keep: set[int], wanted: Iterable[ItemKey | None]) -> TreeLoad:
    """The reviews; the children of every review when there are few, else of those in `keep`
    (read before) and of the reviews holding the `wanted` items (to be selected)."""
    from scr_desk.services.stats import record_counts
    from scr_desk.services.tree import filter_choices, list_reviews, load_subtrees, review_of
    today = date.today()
    reviews = list_reviews(sessions, today)
    if sum(review.child_count for review in reviews) <= READ_ALL_BELOW:
        read = {review.id for review in reviews}
    else:
        read = set(keep) | {review for key in wanted if key is not None
                            if (review := review_of(sessions, key)) is not None}
        # And the first review's: reading one here prepares the statements that read a review, so
        # the first review the user opens is read as fast as the next (150 ms cold against 20 ms).
        read |= {reviews[0].id} if reviews else set()
    agencies, themes = filter_choices(sessions)
    return TreeLoad(reviews, load_subtrees(sessions, read, today) if read else {}, agencies, themes,
                    record_counts(sessions))


class WindowTree:
    """The main window's tree as it is read: owned by MainWindow (composed, as TreeNavigation is)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.first_load = True
        self._pending_select: ItemKey | None = None
        self._previous_select: ItemKey | None = None
        self.load_generation = 0  # loads started; only the newest one's result is applied
        self._applied_generation = 0

    def reload(self, select: ItemKey | None = None) -> None:
        """Read the reviews again (and the children of those read before) on a worker; the window
        stays usable meanwhile."""
        w = self.window
        if self._pending_select is None or select is not None:
            self._pending_select = select
        if self.load_generation == self._applied_generation:  # keep the first in a burst
            self._previous_select = w.selected_key()
        self.load_generation += 1
        generation = self.load_generation
        if not w.statusBar().currentMessage():
            w.statusBar().showMessage("Loading…")
        sessions, keep = w.sessions, w.model.loaded_reviews()
        wanted = [self._pending_select, self._previous_select]
        started = time.perf_counter()
        w.operations.run("Loading the database", lambda _p, _c: load_tree_rows(sessions, keep, wanted),
                         lambda load: self.loaded(load, started=started, generation=generation), shown=False)

    def loaded(self, load: TreeLoad, *, started: float, generation: int) -> None:
        w = self.window
        if generation != self.load_generation:
            return  # a newer load is on its way; applying this one would show stale data
        self._applied_generation = generation
        first_load, first_content = self.first_load, w.model.rowCount() == 0
        chosen = w.selected_key()  # what the user picked meanwhile (or before the reload)
        expanded = w.navigation.expanded_keys()
        if first_load and w.model.update_reviews(load.reviews):
            w.model.add_subtrees(load.subtrees)  # the rows the frame listed, counted now: nothing moves
        else:
            w.model.set_reviews(load.reviews, load.subtrees)
        w.model.loader = self.read_review
        w.model.agencies, w.model.themes = load.agencies, load.themes
        w.filter_bar.set_choices(load.agencies, load.themes)
        w.detail.pages[ItemKind.RECOMMENDATION].form.set_themes(load.themes)
        if first_load and w.navigation.small_tree():
            # Open the reviews when that shows a manageable number of rows; on a large database
            # they start closed (laying out thousands of rows would hold the window up).
            w.tree.expandToDepth(0)
        for key in expanded:
            if key.kind is ItemKind.REVIEW:
                w.model.fetch(key)  # opened by the user before its children could be read
            w.tree.expand(w.navigation.to_view(w.model.index_for(key)))
        self.first_load = False
        # Select what the change asked for, else keep what was selected before (or what the user
        # chose while it loaded), else (at start, when the user has not chosen) what was selected
        # when this database was last closed.
        remembered = w.settings.last_selection(w.workspace.location) \
            if first_load and not w.navigation.user_chose else None
        for wanted in (self._pending_select, chosen, self._previous_select, remembered):
            if wanted is not None and w.select_key(wanted, clear_filter=False):
                break
        self._pending_select = self._previous_select = None
        self.show_counts(load.counts)
        if w.statusBar().currentMessage() in ("Loading…", f"Opening {w.workspace.database.name}…"):
            w.statusBar().showMessage(f"Loaded in {1000 * (time.perf_counter() - started):.0f} ms", 4000)
        w.show_selected()
        if w.navigation.asked.active:  # typed while it loaded, or filtered before the reload
            if first_load:
                w.navigation.apply_filter(w.navigation.asked)
            else:
                w.navigation.refilter()
        w.dashboards.refresh_dashboard()
        w.loads += 1
        if first_content and w.model.rowCount():
            w.content_shown.emit()
        w.ready.emit()

    def read_review(self, review_id: int) -> tuple[TreeNode, ...]:
        """A review's recommendations and actions, read when it is opened (a few milliseconds)."""
        from scr_desk.services.tree import load_subtrees
        return load_subtrees(self.window.sessions, [review_id], date.today()).get(review_id, ())

    def show_counts(self, counts: dict[str, int]) -> None:
        self.window.counts_label.setText(" · ".join(count(counts[word + "s"], word)
                                                    for word in ("review", "recommendation", "action", "update")))

    def update_counts(self) -> None:
        """The record counts in the status bar, counted on a worker (COUNT over a million updates is
        tens of milliseconds)."""
        from scr_desk.services.stats import record_counts
        sessions = self.window.sessions
        self.window.operations.run("Counting the records", lambda _p, _c: record_counts(sessions),
                                   self.show_counts, shown=False)

    def refresh(self, change: Change) -> None:
        """Refresh what `change` says changed: agencies, the tree (all, or one review in place),
        the dashboard, the counts and the detail."""
        w = self.window
        if change.agencies:
            w.reload_agencies()
        if change.structural:
            self.reload(select=change.select)
            return
        if change.review_id is not None:
            self.refresh_review(change.review_id)
            w.navigation.refilter()
            w.dashboards.refresh_dashboard()
        if change.select:
            w.select_key(change.select)
        self.update_counts()
        w.show_selected()

    def refresh_review(self, review_id: int) -> None:
        """One review read again after an edit inside it: its row, and its children if they had been read."""
        from scr_desk.services.tree import list_reviews, load_subtrees
        w, today = self.window, date.today()
        rows = list_reviews(w.sessions, today, {review_id})
        if rows:
            children = load_subtrees(w.sessions, [review_id], today).get(review_id, ()) \
                if review_id in w.model.loaded_reviews() else None
            w.model.replace_review(rows[0], children)
