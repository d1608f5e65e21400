"""The dashboard's side of the main window: figures worked out on a worker whenever the data or
the filter changes while it shows, drawn in one go (the overdue list past its first rows read as
it is scrolled); the full-window view; opening an item.
Until its first figures arrive it says it is working them out, never that there is nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from scr_desk.domain.dto import ItemKey
from scr_desk.services.dashboard import Dashboard, overdue_page, work_out_dashboard
from scr_desk.ui.dashboard import DashboardRows, dashboard_rows, overdue_rows
from scr_desk.ui.dashboard_models import RowsPage

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSplitter, QTabWidget, QTreeView
    from sqlalchemy.orm import Session, sessionmaker

    from scr_desk.ui.dashboard import DashboardView
    from scr_desk.ui.detail_pane import DetailPane
    from scr_desk.ui.progress import Operations
    from scr_desk.ui.tree_filter import TreeFilterProxy
    from scr_desk.ui.workers import Task


class DashboardHost:
    """Owned by MainWindow, which hands it the widgets it works with, the window's operations,
    and how to reach the open database and select an item."""

    def __init__(self, dashboard: DashboardView, detail: DetailPane, right_tabs: QTabWidget, splitter: QSplitter,
                 tree: QTreeView, proxy: TreeFilterProxy, operations: Operations,
                 sessions: Callable[[], sessionmaker[Session]], select_key: Callable[[ItemKey], bool]) -> None:
        self.dashboard, self.detail, self.right_tabs, self.splitter = dashboard, detail, right_tabs, splitter
        self.tree, self.proxy, self.operations = tree, proxy, operations
        self._sessions, self.select_key = sessions, select_key
        self.dashboard.open_item.connect(self.open_from_dashboard)
        self.dashboard.full_window_toggled.connect(self.set_dashboard_full_window)
        self._dashboard_generation = 0
        self.dashboard_shown = 0  # dashboards drawn: tests and the benchmark wait on it
        self._task: Task | None = None

    def refresh_dashboard(self) -> None:
        """Work the dashboard out on a worker (only while it is on show), for what the tree's filter
        shows, and redraw it in one go when the figures arrive. Every figure is counted in the
        database: the worker holds a few hundred rows, not the record."""
        if self.right_tabs.currentWidget() is not self.dashboard:
            return
        self._dashboard_generation += 1
        wanted = self._dashboard_generation
        sessions, result = self._sessions(), self.proxy.result
        criteria, today = (result.criteria, result.today) if result is not None else (None, date.today())

        def compute(_progress: object, cancelled: Callable[[], bool]) -> tuple[Dashboard, DashboardRows]:
            data = work_out_dashboard(sessions, criteria, today, cancelled=cancelled)
            return data, dashboard_rows(data)

        if self._task is not None:
            self._task.cancel()  # its figures would be drawn over at once: its queries stop where they are

        def failed(error: BaseException) -> None:
            if not isinstance(error, InterruptedError):
                self.operations.report_error("Working out the dashboard", error)
        self._task = self.operations.run(
            "Working out the dashboard", compute,
            lambda figures: self._dashboard_ready(*figures, wanted, sessions, criteria is not None),
            shown=False, on_error=failed)

    def _dashboard_ready(self, data: Dashboard, rows: DashboardRows, generation: int,
                         sessions: sessionmaker[Session], filtered: bool) -> None:
        if generation != self._dashboard_generation:
            return  # a newer computation is on its way

        def read_overdue(start: int, stop: int) -> RowsPage:
            return overdue_rows(overdue_page(sessions, data.overdue_order, start, stop, data.today))
        self.dashboard.show_dashboard(data, filtered, rows, read_overdue)
        self.dashboard_shown += 1

    def start_afresh(self) -> None:
        """Another database: its figures are not known yet."""
        self._dashboard_generation += 1
        self.dashboard.show_working()

    def set_dashboard_full_window(self, full: bool) -> None:
        """The dashboard takes the whole window: the tree's pane hides until it is turned off."""
        tree_pane = self.splitter.widget(0)
        if tree_pane is not None:
            tree_pane.setVisible(not full)
        if full:
            self.right_tabs.setCurrentWidget(self.dashboard)
        if self.dashboard.full_window.isChecked() != full:
            self.dashboard.full_window.setChecked(full)

    def open_from_dashboard(self, key: ItemKey) -> None:
        self.set_dashboard_full_window(False)
        self.right_tabs.setCurrentWidget(self.detail)
        if self.select_key(key):
            self.tree.setFocus()

