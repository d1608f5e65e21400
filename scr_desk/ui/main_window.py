"""The main window: tree and filter on the left, the selected item's detail on the right.

It is built in two steps, so it is usable from its first paint. The frame (menus, toolbar, the
find box, the tree) needs Qt alone and shows at once, listing the reviews read straight from the
file; the parts that need the database (the detail pane, the dashboard, the controllers behind
the menus) are made by `compose()` once the database is open, which happens on a worker
meanwhile. What is still opening says so; a row the user selects meanwhile stays selected.

Edits, exports, imports, reports, agencies and database files are the controllers', which see the
window only through window_interface.py; building them is window_parts.compose's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scr_desk import APP_TITLE
from scr_desk.ui.file_drops import FileDrops
from scr_desk.ui.workers import BackgroundRunner, Task

# The rest of the window's modules are imported as each part is made: the first paint waits on
# nothing but Qt (each module imported before it is paint delayed, a frame the user sees later).
if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from scr_desk.domain.dto import AgencyRow, ItemKey
    from scr_desk.domain.tree import TreeNode
    from scr_desk.services.edits.base import Change
    from scr_desk.ui.agencies_dialog import AgencyController
    from scr_desk.ui.dashboard import DashboardView
    from scr_desk.ui.dashboard_host import DashboardHost
    from scr_desk.ui.database_controller import DatabaseController
    from scr_desk.ui.detail_pane import DetailPane
    from scr_desk.ui.edit_controller import EditController
    from scr_desk.ui.exchange_controller import ExchangeController
    from scr_desk.ui.import_controller import ImportController
    from scr_desk.ui.progress import Work
    from scr_desk.ui.prompts import Prompts
    from scr_desk.ui.report_controller import ReportController
    from scr_desk.ui.returns_host import ReturnsBoardHost
    from scr_desk.ui.window_tree import TreeLoad
    from scr_desk.ui.workspace import Workspace

__all__ = ["MainWindow", "opening_name", "show_detail"]


T = TypeVar("T")


def opening_name(path: Path | str) -> str:
    """A database as the window names it while it opens: a file's name, or a server's database
    (read without SQLAlchemy, which loads behind the first paint)."""
    if isinstance(path, Path):
        return path.name
    from scr_desk.services.database_files import short_name_of
    return short_name_of(path)


def show_detail(*args: Any) -> None:
    """detail_pane.show_detail, imported once the database is open (it brings the services)."""
    from scr_desk.ui.detail_pane import show_detail as show
    show(*args)


class MainWindow(FileDrops, QMainWindow):
    usable = Signal()  # menus, find box and reviews are there: a row selected from now on is kept
    content_shown = Signal()  # the tree first has rows in it
    ready = Signal()  # the database is open, the tree loaded, the detail pane shows the selection
    changed = Signal(object)  # a Change: what an edit, import or undo changed; the views refresh from it
    # Made by compose() once the database is open (window_parts.py).
    detail: DetailPane
    dashboard: DashboardView
    dashboards: DashboardHost
    editor: EditController
    databases: DatabaseController
    exchange: ExchangeController
    importer: ImportController
    reports: ReportController
    agency_admin: AgencyController
    returns_board: ReturnsBoardHost

    def __init__(self, workspace: Workspace | None = None, prompts: Prompts | None = None, *,
                 opening: Path | str | None = None, paint_first: bool = False) -> None:
        """`paint_first`: only the window's size and "Opening …" now (the first paint, at once);
        the menus, toolbar, find box and tree follow with build_shell(), a moment later."""
        super().__init__()
        from scr_desk.ui.settings import UiSettings
        self.setObjectName("main_window")
        self._workspace: Workspace | None = None
        self._given_prompts = prompts
        self.settings = UiSettings()
        self.runner = BackgroundRunner(self)
        self.undo_stack = QUndoStack(self)
        self.agencies: list[AgencyRow] = []
        self.composed = False
        self.loads = 0  # completed tree loads: tests and --exit-when-ready wait on it
        self.shell_built = False
        self._restore_geometry()
        if opening is not None:
            self.setWindowTitle(f"{opening_name(opening)} — {APP_TITLE}")
            self.statusBar().showMessage(f"Opening {opening_name(opening)}…")
        if paint_first:
            return
        self.build_shell()
        if workspace is not None:
            self.compose()
            self.start_workspace(workspace)
        elif opening is not None:
            self.show_opening(opening)

    def build_shell(self) -> None:
        """The menus, toolbar, find box and tree (Qt alone): the window is usable from here."""
        from scr_desk.ui.prompts import Prompts
        from scr_desk.ui.window_actions import build_actions
        from scr_desk.ui.window_tree import WindowTree
        self.prompts = self._given_prompts or Prompts(self)
        self.trees = WindowTree(self)
        self._build_frame()
        self.menu_actions = build_actions(self)  # by name; not QWidget.actions(), which lists them
        from scr_desk.ui.window_team import WindowTeam
        self.team = WindowTeam(self)  # a server's database: others' changes, read-only roles, a lost connection
        self.setAcceptDrops(True)
        self._restore_layout()
        self.shell_built = True

    def _build_frame(self) -> None:
        """What needs Qt alone: the tree, its filter, the status bar, the right-hand tabs."""
        from scr_desk.ui.filter_bar import FilterBar
        from scr_desk.ui.progress import Operations, StatusProgress
        from scr_desk.ui.tree_filter import TreeFilterProxy, TreeSearch
        from scr_desk.ui.tree_model import ReviewTreeModel
        from scr_desk.ui.tree_navigation import TreeNavigation
        from scr_desk.ui.tree_view import ColumnFitter, ReviewTreeView
        self.model = ReviewTreeModel(self)
        self.proxy = TreeFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.tree = ReviewTreeView()
        self.tree.setObjectName("review_tree")
        self.tree.setAccessibleName("Reviews, recommendations and actions")
        self.tree.setModel(self.model)  # the filter's proxy only while a filter is set (tree_navigation)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAllColumnsShowFocus(True)
        self.columns = ColumnFitter(self.tree, self.model)
        self.filter_bar = FilterBar()
        self.search = TreeSearch(self)
        self.navigation = TreeNavigation(self.tree, self.proxy, self.model, self.filter_bar, self.search,
                                         self.show_status, self._filtered)
        self.filter_bar.criteria_changed.connect(self.navigation.apply_filter)
        self.right_tabs = QTabWidget()
        self.right_tabs.setObjectName("right_tabs")
        self.opening_note = QLabel()
        self.opening_note.setObjectName("opening_note")
        self.opening_note.setTextFormat(Qt.TextFormat.PlainText)
        self.opening_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening_note.setWordWrap(True)
        self.right_tabs.addTab(self.opening_note, "&Details")
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

    def compose(self) -> None:
        """Make the parts that need the database: the detail pane, the dashboard, the controllers."""
        if not self.composed:
            from scr_desk.ui.window_parts import compose
            compose(self)
            self.composed = True

    # --- opening ----------------------------------------------------------------------------
    def show_opening(self, path: Path | str, reviews: Sequence[TreeNode] = ()) -> None:
        """Before the database is open: its name, what is happening, and the reviews read from the
        file (or the server)."""
        name = opening_name(path)
        self.setWindowTitle(f"{name} — {APP_TITLE}")
        self.setWindowFilePath(str(path) if isinstance(path, Path) else "")
        self.file_label.setText(name)
        self.opening_note.setText(f"Opening {name}…")
        self.statusBar().showMessage(f"Opening {name}…")
        if reviews:
            self.model.set_reviews(reviews)
            self.content_shown.emit()

    def open_in_background(self, path: Path | str, create: bool, refused: Callable[[BaseException], object]) -> Task:
        """Open `path` on a worker (SQLAlchemy and the services load there too), then show it."""
        remembered = self.settings.last_selection(path)

        def work(_progress: object, _cancelled: object) -> tuple[Workspace, TreeLoad]:
            from scr_desk.ui.window_tree import load_tree_rows
            from scr_desk.ui.workspace import open_workspace
            workspace = open_workspace(path, create=create)
            try:
                return workspace, load_tree_rows(workspace.database.sessions, set(), [remembered])
            except BaseException:
                workspace.close()
                raise
        started = time.perf_counter()
        return self.runner.run(work, on_done=lambda opened: self._opened(*opened, started=started),
                               on_error=refused)

    def _opened(self, workspace: Workspace, load: TreeLoad, *, started: float) -> None:
        self.compose()
        self.trees.load_generation += 1
        self.start_workspace(workspace, load=(load, started, self.trees.load_generation))

    # --- workspace ---------------------------------------------------------------------
    @property
    def workspace(self) -> Workspace:
        assert self._workspace is not None, "no database is open yet"
        return self._workspace

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.workspace.database.sessions

    @property
    def dialog_parent(self) -> QWidget:
        return self

    def start_workspace(self, workspace: Workspace, *, load: tuple[TreeLoad, float, int] | None = None) -> None:
        """Show `workspace`. `load`: what the opening worker read (at start, where the rows the frame
        listed and what the user selected meanwhile stay); without it, from scratch (another file)."""
        if load is None:
            self.model.set_reviews([])  # nothing of the file shown before may be taken for this one's
            self.navigation.user_chose = False
        self._workspace = workspace
        self.trees.first_load = True
        self.navigation.sessions = lambda: self.sessions if self._workspace is not None else None
        self.detail.show_empty()
        self.dashboards.start_afresh()
        name = workspace.database.name
        self.setWindowTitle(f"{name} — {APP_TITLE}")
        self.setWindowFilePath("" if workspace.is_server else str(workspace.path))
        self.file_label.setText(name)  # the whole path is in the tooltip and the title bar
        self.file_label.setToolTip(f"{workspace.location}\nAll changes are saved as you make them.")
        self.team.start(workspace)
        self.show_last_backup()
        self.settings.remember_database(workspace.location)
        self.undo_stack.clear()
        self.reload_agencies()
        if load is not None:
            self.trees.loaded(load[0], started=load[1], generation=load[2])
        else:
            self.trees.reload()

    def show_last_backup(self) -> None:
        """The status bar's "Last backup: …", found on a worker (it reads the folder and the file's
        identity, which a slow or network drive makes a wait the window would freeze through)."""
        from scr_desk.services.database_files import BackupInfo, last_backup
        if self.team.backup_label(self.workspace):
            return
        path = self.workspace.path

        def shown(newest: BackupInfo | None) -> None:
            if self._workspace is None or self._workspace.is_server or self._workspace.path != path:
                return  # another database was opened meanwhile
            self.backup_label.setText(f"Last backup: {newest.taken:%d/%m/%Y %H:%M}" if newest else "No backup yet")
            self.backup_label.setToolTip(str(newest.path) if newest else "A backup is made before every import, "
                                         "undo of an import, restore and upgrade.")

        def unreadable(error: BaseException) -> None:
            if self._workspace is not None and not self._workspace.is_server and self._workspace.path == path:
                self.backup_label.setText("Backups: could not be read")
                self.backup_label.setToolTip(str(error))
        self.runner.run(lambda _p, _c: last_backup(path), on_done=shown, on_error=unreadable)

    def close_workspace(self, *, remember_selection: bool = True) -> None:
        if self._workspace is None:
            return
        if remember_selection:
            self.settings.remember_selection(self.workspace.location, self.selected_key())
        self.team.stop()
        self.search.forget()
        self.search.wait()
        self.runner.wait()
        self.workspace.close()

    # --- detail -------------------------------------------------------------------------
    def show_selected(self) -> None:
        if not self.composed or self._workspace is None:
            return  # the selection is kept, and shown once the database is open
        key = self.selected_key()
        restoring = self.navigation.restoring
        if restoring is not None and key in (None, restoring):
            return  # a filter's reset putting the shown item back: the detail already shows it
        if key is None:
            self.detail.show_empty()
            return
        from scr_desk.domain.enums import ItemKind
        try:
            node = self.model.node_for_key(key)
            if node is not None and key.kind is ItemKind.REVIEW and self.model.fetch(key):
                node = replace(node, children=self.model.children_of(key))  # its page names what is in it
            show_detail(self.detail, self.sessions, key, node, self.agencies)
        except Exception as exc:
            self.report_error("Showing the item", exc)

    # --- change notification ------------------------------------------------------------
    def notify(self, change: Change) -> None:
        self.changed.emit(change)

    def reload_agencies(self) -> None:
        from scr_desk.services import agencies as agency_service
        self.agencies = agency_service.list_agencies(self.sessions)

    def reload_tree(self, select: ItemKey | None = None) -> None:
        """Read the tree again on a worker (window_tree.WindowTree.reload)."""
        self.trees.reload(select)

    def _filtered(self) -> None:
        if self.composed:
            self.dashboards.refresh_dashboard()

    def report_error(self, doing: str, error: BaseException) -> None:
        if self.team.failed(doing, error):
            return  # the connection to the server is lost: said once, and the window waits for it
        from scr_desk.services.database_files import describe_storage_error
        meaning = describe_storage_error(error, self._workspace.database.file if self._workspace is not None else None)
        self.show_status(f"{doing} failed")  # until the next action replaces it
        self.prompts.error(APP_TITLE, f"{doing}: {meaning or error}.".replace("..", "."))

    # --- what the controllers ask of the window (window_interface.py) -------------------
    def run_op(self, label: str, work: Work[T], on_done: Callable[[T], object], *, cancellable: bool = False,
               doing: str | None = None, on_error: Callable[[BaseException], object] | None = None) -> Task:
        return self.operations.run(label, work, on_done, cancellable=cancellable, doing=doing, on_error=on_error)

    def offline(self) -> bool:
        return self.team.offline

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
    def _restore_geometry(self) -> None:
        screen = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        if geometry := self.settings.geometry():
            self.restoreGeometry(geometry)
        else:
            # The first window fits the screen it opens on (at 150 % a 1280×800 window would not).
            self.resize(min(1280, screen.width() - 16), min(800, screen.height() - 40))
            self.move(screen.center() - self.rect().center())
        if self.width() > screen.width() or self.height() > screen.height():  # a smaller screen since
            self.resize(min(self.width(), screen.width()), min(self.height(), screen.height()))

    def _restore_layout(self) -> None:
        if state := self.settings.window_state():
            self.restoreState(state)
        if splitter := self.settings.splitter():
            self.splitter.restoreState(splitter)
        if header := self.settings.header():  # the widths the user chose (else they fit their content)
            self.tree.header().restoreState(header)
            self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.columns.restored()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.shell_built:
            event.accept()
            return
        self.settings.save_layout(self.saveGeometry(), self.saveState(), self.splitter.saveState(),
                                  self.tree.header().saveState() if self.columns.user_sized else QByteArray())
        self.close_workspace()
        event.accept()
