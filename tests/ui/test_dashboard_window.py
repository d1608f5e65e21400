"""The dashboard of a partnership with a long overdue list: its figures counted in the database,
the first overdue items shown at once and the rest read a page at a time as they are scrolled to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scr_desk.db.engine import open_database
from scr_desk.domain.search import key_of_doc
from scr_desk.services.dashboard import FIRST_OVERDUE, overdue_page, work_out_dashboard
from scr_desk.services.synthetic import Sizes, add_synthetic_data
from scr_desk.ui.dashboard_models import PagedRowsModel
from scr_desk.ui.main_window import MainWindow
from tests.ui.window_helpers import dashboards_shown, trigger


def test_a_long_overdue_list_is_read_a_page_at_a_time(qtbot: QtBot, qtmodeltester: Any, empty_db_path: Path,
                                                      make_window: Callable[..., MainWindow]) -> None:
    # GIVEN a partnership with several hundred overdue items
    database = open_database(empty_db_path)
    add_synthetic_data(database.sessions, Sizes(reviews=10, recommendations=400, actions=900, updates=600, agencies=8),
                       today=date.today())
    expected = work_out_dashboard(database.sessions)
    every = [item.reference for item in overdue_page(database.sessions, expected.overdue_order, 0,
                                                     expected.overdue_total, expected.today)]
    database.close()
    total = len(every)
    assert total > FIRST_OVERDUE + 2 * PagedRowsModel.PAGE  # two pages at least, past the first rows
    window = make_window(empty_db_path)
    # WHEN the dashboard opens
    shown = dashboards_shown(window)
    trigger(window, "dashboard")
    qtbot.waitUntil(lambda: dashboards_shown(window) > shown, timeout=10000)
    # THEN it counts them all, shows the first ones and offers the rest
    dashboard, model, table = window.dashboard, window.dashboard.overdue_model, window.dashboard.overdue
    assert f"{total:,} overdue items" in dashboard.caption.text()
    assert model.rowCount() == FIRST_OVERDUE and not model.canFetchMore(table.rootIndex())
    qtmodeltester.check(model)
    button = dashboard.sections["overdue"].show_all
    assert button.isVisibleTo(dashboard) and button.text() == f"Show all {total:,} overdue items"
    # AND "Show all" reads the rest only as they are scrolled to, in the same order
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isVisibleTo(dashboard)
    assert model.rowCount() < total and model.canFetchMore(table.rootIndex())
    qtmodeltester.check(model)  # part-read: the tester asks for more rows, and watches them come

    def scrolled_to_the_end() -> bool:
        table.scrollToBottom()
        return model.rowCount() == total
    qtbot.waitUntil(scrolled_to_the_end, timeout=10000)
    assert [model.index(row, 1).data() for row in range(total)] == every
    qtmodeltester.check(model)
    # AND the last one opens its item
    last = model.index(total - 1, 1)
    table.setCurrentIndex(last)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.right_tabs.currentWidget() is window.detail
    assert window.detail.current_key() == key_of_doc(expected.overdue_order[total - 1])
