"""The window from its first paint: usable before the database is open, a selection made while it
opens kept, the remembered one used only when the user has not chosen, and a dashboard that says
it is working out its figures until it knows them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from scr_desk.app import early_reviews
from scr_desk.db.engine import open_database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.services import reviews
from scr_desk.services.tree import load_tree
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.settings import UiSettings
from tests.ui.conftest import AnsweringPrompts
from tests.ui.window_helpers import dashboards_shown, trigger


def _two_reviews(path: Path) -> tuple[ItemKey, ItemKey]:
    """The sample plus a second review; the keys of the second review and of Clare's first recommendation."""
    database = open_database(path)
    second = reviews.create_review(database.sessions, {"name": "Adult B", "review_type": "SAR"})
    first_rec = next(n.key for n in load_tree(database.sessions).walk() if n.reference == "CLARE-R1")
    database.close()
    return ItemKey(ItemKind.REVIEW, second.id), first_rec


def _opening(qtbot: QtBot, path: Path, prompts: AnsweringPrompts) -> MainWindow:
    """The window as `scr-desk --db PATH` paints it first: the reviews read from the file, the
    database not yet open."""
    window = MainWindow(prompts=prompts, opening=path)
    qtbot.addWidget(window)
    window.show()
    window.show_opening(path, early_reviews(path))
    return window


def _open(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    window.open_in_background(path, False, lambda error: (_ for _ in ()).throw(error))
    qtbot.waitUntil(lambda: window.loads >= 1, timeout=10000)


def test_a_selection_made_while_the_database_opens_is_kept(qtbot: QtBot, sample_db_path: Path,
                                                           prompts: AnsweringPrompts) -> None:
    # GIVEN a database last closed with CLARE-R1 selected
    second, first_rec = _two_reviews(sample_db_path)
    UiSettings().remember_selection(sample_db_path.resolve(), first_rec)
    window = _opening(qtbot, sample_db_path, prompts)
    assert window.model.rowCount() == 2 and not window.composed
    # WHEN the user picks the second review before the database is open
    window.tree.selectionModel().setCurrentIndex(window.tree.model().index(1, 0),
                                                 QItemSelectionModel.SelectionFlag.ClearAndSelect)
    _open(qtbot, window, sample_db_path)
    # THEN it is still selected, and shown, when everything has loaded: the remembered one is not forced on it
    assert window.selected_key() == second
    assert window.detail.current_key() == second


def test_the_remembered_selection_is_restored_when_the_user_has_not_chosen(
        qtbot: QtBot, sample_db_path: Path, prompts: AnsweringPrompts) -> None:
    _second, first_rec = _two_reviews(sample_db_path)
    UiSettings().remember_selection(sample_db_path.resolve(), first_rec)
    window = _opening(qtbot, sample_db_path, prompts)
    _open(qtbot, window, sample_db_path)
    assert window.selected_key() == first_rec


def test_the_window_is_usable_before_the_database_is_open(qtbot: QtBot, sample_db_path: Path,
                                                         prompts: AnsweringPrompts) -> None:
    window = _opening(qtbot, sample_db_path, prompts)
    # menus, toolbar and the find box are there; what needs the database says it is coming
    assert window.menu_actions["find"].isEnabled() and not window.menu_actions["new_review"].isEnabled()
    assert window.statusBar().currentMessage() == "Opening sample.sqlite…"
    window.filter_bar.text.setText("domestic")  # typed before the database is open
    window.filter_bar.apply_now()
    _open(qtbot, window, sample_db_path)
    # the words typed meanwhile are asked once it is open
    qtbot.waitUntil(lambda: window.proxy.criteria.text == "domestic" and not window.search.busy, timeout=5000)
    assert window.menu_actions["new_review"].isEnabled()
    assert window.proxy.shown_count() == 2


def test_the_dashboard_says_it_is_working_until_it_knows(qtbot: QtBot, window: MainWindow) -> None:
    # Before its figures arrive it never says "Nothing overdue" or "No item has been rated yet".
    dashboard = window.dashboard
    window.dashboards.start_afresh()
    assert dashboard.caption.text() == "Working out the figures…"
    assert not any(section.isVisibleTo(dashboard) for section in dashboard.sections.values())
    shown = dashboards_shown(window)
    trigger(window, "dashboard")
    qtbot.waitUntil(lambda: dashboards_shown(window) > shown, timeout=10000)
    # Once known: the sample has nothing overdue (no target dates), and says so; its review is drawn.
    overdue = dashboard.sections["overdue"]
    assert overdue.isVisibleTo(dashboard) and overdue.empty.isVisibleTo(dashboard)
    assert overdue.empty.text() == "Nothing overdue."
    assert dashboard.sections["reviews"].content.isVisibleTo(dashboard)
    assert not dashboard.sections["reviews"].empty.isVisibleTo(dashboard)


def test_an_empty_database_says_so_once_counted(qtbot: QtBot, make_window: Callable[..., MainWindow],
                                                empty_db_path: Path) -> None:
    window = make_window(empty_db_path)
    shown = dashboards_shown(window)
    trigger(window, "dashboard")
    qtbot.waitUntil(lambda: dashboards_shown(window) > shown, timeout=10000)
    sections = window.dashboard.sections
    assert sections["reviews"].empty.isVisibleTo(window.dashboard)
    assert sections["quarters"].empty.isVisibleTo(window.dashboard)
