"""The parts of the main window that need the database: the detail pane, the dashboard and the
controllers behind the menus. Made once the database is open (they bring SQLAlchemy and the
services, which the window's first paint does without), and wired to the window here.

A view beside the dashboard joins the right-hand tabs once the controllers are made (as the returns
board's host does, below).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scr_desk.ui.window_actions import enable_database_actions

if TYPE_CHECKING:
    from scr_desk.ui.main_window import MainWindow

__all__ = ["compose"]


def compose(window: MainWindow) -> None:
    from scr_desk.services.history import item_history
    from scr_desk.services.tree import review_of
    from scr_desk.ui.agencies_dialog import AgencyController
    from scr_desk.ui.database_controller import DatabaseController
    from scr_desk.ui.detail_pane import DetailPane
    from scr_desk.ui.edit_controller import EditController
    from scr_desk.ui.exchange_controller import ExchangeController
    from scr_desk.ui.import_controller import ImportController
    from scr_desk.ui.report_controller import ReportController
    from scr_desk.ui.returns_host import ReturnsBoardHost

    window.detail = DetailPane()
    _views(window)
    navigation = window.navigation
    navigation.show_empty = lambda text: window.detail.show_empty(text) if text else window.detail.show_empty()
    navigation.locate = lambda key: review_of(window.sessions, key)
    navigation.failed = window.report_error
    window.editor = EditController(window)
    window.databases = DatabaseController(window)
    window.exchange = ExchangeController(window)
    window.importer = ImportController(window)
    window.reports = ReportController(window, window.editor)
    window.agency_admin = AgencyController(window, window.editor)
    window.returns_board = ReturnsBoardHost(window)  # the Returns tab beside the dashboard
    window.tree.current_changed.connect(lambda *_: window.show_selected())
    window.changed.connect(window.trees.refresh)
    detail = window.detail
    detail.field_committed.connect(window.editor.edit_field)
    detail.update_submitted.connect(window.editor.add_update)
    detail.correct_requested.connect(window.editor.correct_update)
    detail.new_agency_wanted.connect(window.editor.new_agency_for_field)
    for item_page in detail.pages.values():
        item_page.changes.source = lambda item: item_history(window.sessions, item)
    page = detail.review_page
    page.add_meeting_requested.connect(window.editor.add_meeting)
    page.edit_meeting_requested.connect(window.editor.edit_meeting)
    page.delete_meeting_requested.connect(window.editor.delete_meeting)
    enable_database_actions(window.menu_actions, True)


def _views(window: MainWindow) -> None:
    """The right-hand tabs: the selected item's details, then the dashboard (and views beside it)."""
    from scr_desk.ui.dashboard import DashboardView
    from scr_desk.ui.dashboard_host import DashboardHost

    tabs = window.right_tabs
    tabs.removeTab(tabs.indexOf(window.opening_note))
    tabs.insertTab(0, window.detail, "&Details")
    window.dashboard = DashboardView()
    tabs.insertTab(1, window.dashboard, "Dash&board")
    tabs.setCurrentIndex(0)
    window.dashboards = DashboardHost(window.dashboard, window.detail, tabs, window.splitter, window.tree,
                                      window.proxy, window.operations, lambda: window.sessions, window.select_key)
    tabs.currentChanged.connect(lambda _index: window.dashboards.refresh_dashboard())
