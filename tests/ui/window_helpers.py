"""How the window tests reach into the window: through these few helpers only, so the next
rearrangement of MainWindow's insides changes this file rather than forty tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scr_desk.domain.enums import ItemKind

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QWidget
    from pytestqt.qtbot import QtBot

    from scr_desk.ui.detail_pane import ItemPage
    from scr_desk.ui.import_dialog import ImportPreviewDialog
    from scr_desk.ui.item_form import ItemForm
    from scr_desk.ui.main_window import MainWindow


def action(window: MainWindow, name: str) -> QAction:
    """One of the window's menu and toolbar actions, by name ("export_returns", "undo", …)."""
    return window.menu_actions[name]


def trigger(window: MainWindow, name: str) -> None:
    """Choose a menu command, as the user would."""
    action(window, name).trigger()


def item_page(window: MainWindow, kind: ItemKind = ItemKind.RECOMMENDATION) -> ItemPage:
    """The detail pane's page for a recommendation or an action (whether on show or not)."""
    return window.detail.pages[kind]


def item_form(window: MainWindow, kind: ItemKind = ItemKind.RECOMMENDATION) -> ItemForm:
    """The fields of that page (a review's page's fields with ItemKind.REVIEW)."""
    return window.detail.review_page.form if kind is ItemKind.REVIEW else item_page(window, kind).form


def field(window: MainWindow, name: str, kind: ItemKind = ItemKind.RECOMMENDATION) -> QWidget:
    """One field's editor on that page."""
    return item_form(window, kind).editors[name]


def import_dialog(window: MainWindow) -> ImportPreviewDialog | None:
    """The import preview on show, if any."""
    return window.importer.dialog


def dashboards_shown(window: MainWindow) -> int:
    """How many times the dashboard has been drawn (to wait for the next)."""
    return window.dashboards.dashboard_shown


def filter_now(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Type `text` in the find box and wait for the tree to show the database's answer (it is
    asked on the filter's own thread)."""
    window.filter_bar.text.setText(text)
    window.filter_bar.apply_now()
    qtbot.waitUntil(lambda: window.proxy.criteria.text == text.strip() and not window.search.busy, timeout=5000)
