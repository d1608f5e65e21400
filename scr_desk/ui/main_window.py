"""The main window: tree and filter on the left, the selected item's detail on the right.

The window owns the open workspace, loads the tree off the GUI thread, shows details for the
selection and refreshes what an edit changed. Edits, exports, imports, reports, agencies and
database files are the controllers', which see the window only through window_interface.py.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QMainWindow, QSplitter, QTabWidget, QTreeView, QVBoxLayout, QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from scr_desk import APP_TITLE
from scr_desk.db.errors import describe_storage_error
from scr_desk.domain.dto import AgencyRow, ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.domain.wording import count
from scr_desk.services import agencies as agency_service
from scr_desk.services.history import item_history
from scr_desk.services.stats import record_counts
from scr_desk.services.tree import TreeData, TreeNode, load_reviews, load_tree
from scr_desk.ui.agencies_dialog import AgencyController
from scr_desk.ui.commands import Change
from scr_desk.ui.dashboard import DashboardView
from scr_desk.ui.dashboard_host import DashboardHost
from scr_desk.ui.database_controller import DatabaseController
from scr_desk.ui.detail_pane import DetailPane, show_detail
from scr_desk.ui.edit_controller import EditController
from scr_desk.ui.exchange_controller import ExchangeController
from scr_desk.ui.file_drops import FileDrops
from scr_desk.ui.import_controller import ImportController
from scr_desk.ui.filter_bar import FilterBar
from scr_desk.ui.progress import Operations, StatusProgress, Work
from scr_desk.ui.prompts import Prompts
from scr_desk.ui.report_controller import ReportController
from scr_desk.ui.returns_host import ReturnsBoardHost
from scr_desk.ui.settings import UiSettings
from scr_desk.ui.tree_columns import ColumnFitter
from scr_desk.ui.tree_filter import TreeFilterProxy
from scr_desk.ui.tree_navigation import TreeNavigation
from scr_desk.ui.tree_model import ReviewTreeModel, TreeIndex, tree_index
from scr_desk.ui.window_actions import build_actions
from scr_desk.ui.workers import BackgroundRunner, Task
from scr_desk.ui.workspace import Workspace

T = TypeVar("T")


class MainWindow(FileDrops, QMainWindow):
    ready = Signal()  # the tree has loaded (and the detail pane shows the selection)
    content_shown = Signal()  # the tree first has rows in it (the reviews, before the whole tree)
    changed = Signal(object)  # a Change: what an edit, import or undo changed; the views refresh from it
    dashboards: DashboardHost

    def __init__(self, workspace: Workspace, prompts: Prompts | None = None) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.workspace = workspace
        self.prompts = prompts or Prompts(self)
        self.settings = UiSettings()
        self.runner = BackgroundRunner(self)
        self.undo_stack = QUndoStack(self)
        self.agencies: list[AgencyRow] = []
        self._pending_select: ItemKey | None = None
        self._previous_select: ItemKey | None = None
        self._first_load = True
        self.loads = 0  # completed tree loads: tests and --exit-when-ready wait on it
        self._load_generation = 0  # loads started; only the newest one's result is applied
        self._applied_generation = 0

        self.model = ReviewTreeModel(self)
        self.proxy = TreeFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setObjectName("review_tree")
        self.tree.setAccessibleName("Reviews, recommendations and actions")
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAllColumnsShowFocus(True)
        self.columns = ColumnFitter(self.tree)
        self.filter_bar = FilterBar()
        self.detail = DetailPane()
        self.navigation = TreeNavigation(self.tree, self.proxy, self.model, self.filter_bar, self.detail,
                                         self.show_status, lambda: self.dashboards.refresh_dashboard())
        self.filter_bar.criteria_changed.connect(self.navigation.apply_filter)
        self.dashboard = DashboardView()
        self.right_tabs = QTabWidget()
        self.right_tabs.setObjectName("right_tabs")
        self.right_tabs.addTab(self.detail, "&Details")
        self.right_tabs.addTab(self.dashboard, "Dash&board")
        self.right_tabs.currentChanged.connect(lambda _i: self.dashboards.refresh_dashboard())

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.tree, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right_tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)

        self.progress = StatusProgress()
        self.statusBar().addPermanentWidget(self.progress)
        self.file_label = QLabel()
        self.counts_label = QLabel()
        self.backup_label = QLabel()
        for label in (self.file_label, self.counts_label, self.backup_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # a file name is text, never markup
            label.setContentsMargins(12, 0, 0, 0)  # a gap: a long message never runs into the counts
            self.statusBar().addPermanentWidget(label)
        self.operations = Operations(self.runner, self.progress, self.report_error, self.show_status)
        self.dashboards = DashboardHost(self.dashboard, self.detail, self.right_tabs, self.splitter, self.tree,
                                        self.model, self.proxy, self.operations, lambda: self.sessions,
                                        self.select_key)

        self.editor = EditController(self)
        self.databases = DatabaseController(self)
        self.exchange = ExchangeController(self)
        self.importer = ImportController(self)
        self.reports = ReportController(self, self.editor)
        self.agency_admin = AgencyController(self, self.editor)
        self.returns_board = ReturnsBoardHost(self)  # the Returns tab beside the dashboard
        self.setAcceptDrops(True)
        self.menu_actions = build_actions(self)  # by name; not QWidget.actions(), which lists them
        self.tree.selectionModel().currentChanged.connect(lambda *_: self.show_selected())
        self.changed.connect(self._refresh)
        self.detail.field_committed.connect(self.editor.edit_field)
        self.detail.update_submitted.connect(self.editor.add_update)
        self.detail.correct_requested.connect(self.editor.correct_update)
        self.detail.new_agency_wanted.connect(self.editor.new_agency_for_field)
        for item_page in self.detail.pages.values():
            item_page.changes.source = lambda item: item_history(self.sessions, item)
        page = self.detail.review_page
        page.add_meeting_requested.connect(self.editor.add_meeting)
        page.edit_meeting_requested.connect(self.editor.edit_meeting)
        page.delete_meeting_requested.connect(self.editor.delete_meeting)
        self._restore_layout()
        self.start_workspace(workspace)

    # --- workspace ---------------------------------------------------------------------
    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.workspace.database.sessions

    @property
    def dialog_parent(self) -> QWidget:
        return self

    def start_workspace(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._first_load = True
        self.detail.show_empty()
        path = workspace.path
        self.setWindowTitle(f"{path.name} — {APP_TITLE}")
        self.setWindowFilePath(str(path))
        self.file_label.setText(path.name)  # the whole path is in the tooltip and the title bar
        self.file_label.setToolTip(f"{path}\nAll changes are saved as you make them.")
        self.show_last_backup()
        self.settings.remember_database(path)
        self.undo_stack.clear()
        self.reload_agencies()
        self.reload_tree()

    def show_last_backup(self) -> None:
        from scr_desk.db.backup import list_backups
        backups = list_backups(self.workspace.path)
        self.backup_label.setText(f"Last backup: {backups[0][0]:%d/%m/%Y %H:%M}" if backups else "No backup yet")
        self.backup_label.setToolTip(str(backups[0][1]) if backups else
                                     "A backup is made before every import, undo of an import, restore and upgrade.")

    def close_workspace(self, *, remember_selection: bool = True) -> None:
        if remember_selection:
            self.settings.remember_selection(self.workspace.path, self.selected_key())
        self.runner.wait()
        self.workspace.close()

    # --- tree ---------------------------------------------------------------------------
    def reload_agencies(self) -> None:
        self.agencies = agency_service.list_agencies(self.sessions)

    def reload_tree(self, select: ItemKey | None = None) -> None:
        """Load the whole tree on a worker thread; the window stays usable meanwhile."""
        if self._pending_select is None or select is not None:
            self._pending_select = select
        if self._load_generation == self._applied_generation:  # keep the first in a burst
            self._previous_select = self.selected_key()
        self._load_generation += 1
        generation = self._load_generation
        if not self.statusBar().currentMessage():
            self.statusBar().showMessage("Loading…")
        sessions = self.sessions
        started = time.perf_counter()
        def load_whole() -> None:
            self.operations.run("Loading the database", lambda _progress, _cancelled: _load_whole_tree(sessions),
                                lambda loaded: self._tree_loaded(*loaded, started=started, generation=generation),
                                shown=False)

        def reviews_loaded(reviews_only: TreeData) -> None:
            self._reviews_loaded(reviews_only, generation)
            load_whole()
        if self.model.tree is None:
            # Content first: the reviews show in milliseconds; then the whole tree (children,
            # counts, the filter's text) loads on a worker. One after the other, not together:
            # both are Python, and the quick one would wait on the slow one for the GIL.
            self.runner.run(lambda _p, _c: load_reviews(sessions, date.today()),
                            on_done=reviews_loaded,
                            on_error=lambda _exc: load_whole())  # the whole load reports any failure
        else:
            load_whole()

    def _reviews_loaded(self, reviews_only: TreeData, generation: int) -> None:
        if generation != self._load_generation or self._applied_generation == generation or \
                self.model.tree is not None:
            return  # the whole tree came first
        self.model.set_tree(reviews_only)
        self.content_shown.emit()

    def _tree_loaded(self, tree: TreeData, index: TreeIndex, counts: dict[str, int], *, started: float,
                     generation: int) -> None:
        if generation != self._load_generation:
            return  # a newer load is on its way; applying this one would show stale data
        self._applied_generation = generation
        first_load = self._first_load
        expanded = [] if first_load else self.navigation.expanded_keys()
        first_content = self.model.tree is None
        self.model.set_tree(tree, index)
        # The tree is long-lived and large: move it out of the cyclic collector's sight, or a full
        # collection set off by a worker's allocations walks it and stalls the window for 100+ ms.
        gc.freeze()
        self.filter_bar.set_choices(tree.agencies, tree.themes)
        self.detail.pages[ItemKind.RECOMMENDATION].form.set_themes(tree.themes)
        self.proxy.forget()
        self.proxy.recompute()
        if self._first_load:
            # Open the reviews when that shows a manageable number of rows; on a large database
            # they start closed (laying out thousands of rows would hold the window up).
            if self.navigation.small_tree():
                self.tree.expandToDepth(0)
            self._first_load = False
        else:
            for key in expanded:
                self.tree.expand(self.proxy.mapFromSource(self.model.index_for(key)))
        # Select what the change asked for, else keep what was selected before the reload, else
        # (at start) what was selected when this database was last closed.
        remembered = self.settings.last_selection(self.workspace.path) if first_load else None
        for wanted in (self._pending_select, self._previous_select, remembered):
            if wanted is not None and self.select_key(wanted):
                break
        self._pending_select = None
        self._update_counts(counts)
        if self.statusBar().currentMessage() == "Loading…":  # never replace what an action reported
            self.statusBar().showMessage(f"Loaded in {1000 * (time.perf_counter() - started):.0f} ms", 4000)
        self.show_selected()
        self.dashboards.forget_history()  # the data changed: the dashboard reads its history again
        self.dashboards.refresh_dashboard()
        self.loads += 1
        if first_content:
            self.content_shown.emit()
        self.ready.emit()

    def _update_counts(self, counts: dict[str, int] | None = None) -> None:
        """The record counts in the status bar (counted on the worker that loaded the tree, when
        it did: four COUNT queries on the large database are 5-17 ms of the GUI thread)."""
        counts = counts if counts is not None else record_counts(self.sessions)
        self.counts_label.setText(" · ".join(count(counts[word + "s"], word)
                                             for word in ("review", "recommendation", "action", "update")))

    # --- detail -------------------------------------------------------------------------
    def show_selected(self) -> None:
        key = self.selected_key()
        restoring = self.navigation.restoring
        if restoring is not None and key in (None, restoring):
            return  # a filter's reset putting the shown item back: the detail already shows it
        if key is None:
            self.detail.show_empty()
            return
        try:
            show_detail(self.detail, self.sessions, key, self.model.node(self.model.index_for(key)), self.agencies)
        except Exception as exc:
            self.report_error("Showing the item", exc)

    # --- change notification ------------------------------------------------------------
    def notify(self, change: Change) -> None:
        self.changed.emit(change)

    def _refresh(self, change: Change) -> None:
        """Refresh what `change` says changed: agencies, the tree (all or one review), the
        dashboard, the counts and the detail."""
        if change.agencies:
            self.reload_agencies()
        if change.structural:
            self.reload_tree(select=change.select)
            return
        if change.review_id is not None:
            fresh = load_tree(self.sessions, date.today(), {change.review_id})
            if not fresh.reviews or not self.model.replace_review(fresh.reviews[0]):
                self.reload_tree(select=change.select)
                return
            self.navigation.refilter()
            self.dashboards.forget_history()
            self.dashboards.refresh_dashboard()
        if change.select:
            self.select_key(change.select)
        self._update_counts()
        self.show_selected()

    def report_error(self, doing: str, error: BaseException) -> None:
        meaning = describe_storage_error(error, self.workspace.path)
        self.show_status(f"{doing} failed")  # until the next action replaces it
        self.prompts.error(APP_TITLE, f"{doing}: {meaning or error}.".replace("..", "."))

    # --- what the controllers ask of the window (window_interface.py) -------------------
    def run_op(self, label: str, work: Work[T], on_done: Callable[[T], object], *, cancellable: bool = False,
               doing: str | None = None, on_error: Callable[[BaseException], object] | None = None) -> Task:
        return self.operations.run(label, work, on_done, cancellable=cancellable, doing=doing, on_error=on_error)

    def show_status(self, text: str, msecs: int = 0) -> None:
        self.statusBar().showMessage(text, msecs)

    def after_next_load(self, callback: Callable[[], None]) -> None:
        def once() -> None:
            self.ready.disconnect(once)
            callback()
        self.ready.connect(once)

    def selected_key(self) -> ItemKey | None:
        return self.navigation.selected_key()

    def select_key(self, key: ItemKey, *, clear_filter: bool = True) -> bool:
        return self.navigation.select_key(key, clear_filter=clear_filter)

    def review_id_of(self, key: ItemKey) -> int | None:
        return self.navigation.review_id_of(key)

    def reference_of(self, key: ItemKey) -> str:
        return self.navigation.reference_of(key)

    def children_of(self, key: ItemKey) -> Sequence[TreeNode]:
        return self.navigation.children_of(key)

    # --- layout -------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        screen = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        if geometry := self.settings.geometry():
            self.restoreGeometry(geometry)
        else:
            # The first window fits the screen it opens on (at 150 % a 1280×800 window would not).
            self.resize(min(1280, screen.width() - 16), min(800, screen.height() - 40))
            self.move(screen.center() - self.rect().center())
        if self.width() > screen.width() or self.height() > screen.height():  # a smaller screen since
            self.resize(min(self.width(), screen.width()), min(self.height(), screen.height()))
        if state := self.settings.window_state():
            self.restoreState(state)
        if splitter := self.settings.splitter():
            self.splitter.restoreState(splitter)
        if header := self.settings.header():
            self.tree.header().restoreState(header)
            self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_layout(self.saveGeometry(), self.saveState(), self.splitter.saveState(),
                                  self.tree.header().saveState())
        self.close_workspace()
        event.accept()


def _load_whole_tree(sessions: sessionmaker[Session]) -> tuple[TreeData, TreeIndex, dict[str, int]]:
    """On a worker (where the cyclic collector is paused: see workers.collector_paused): the whole
    tree, numbered for the model, and the record counts for the status bar."""
    try:
        tree = load_tree(sessions, date.today())
        return tree, tree_index(tree), record_counts(sessions)
    finally:
        # Out of the young generation before the collector resumes: else the first collection
        # after it, on whichever thread allocates next (often the window's), walks every object
        # the load made (measured: 47-49 ms on the GUI thread for one generation-0 collection).
        gc.freeze()

