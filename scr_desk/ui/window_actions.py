"""Menus, toolbar and shortcuts, following platform conventions (QKeySequence standard keys)."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from scr_desk import APP_TITLE, __version__
from scr_desk.ui.help import show_guide, show_shortcuts
from scr_desk.ui.widgets import literal

if TYPE_CHECKING:
    from scr_desk.ui.main_window import MainWindow

__all__ = ["NEEDS_DATABASE", "build_actions", "enable_database_actions", "recent_label", "show_about"]


def _action(window: MainWindow, text: str, slot: Callable[[], object],
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None, tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    # Each command starts with a clean status bar (connected first, so it runs before the command):
    # a message from an earlier action never lingers into this one, which says what it did.
    action.triggered.connect(window.statusBar().clearMessage)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


# What needs the database open (and the window's controllers made): disabled until it is, so the
# menus and the toolbar are there from the first paint and say, by being greyed, what is coming.
NEEDS_DATABASE = frozenset({
    "new_db", "open_db", "sample", "showcase", "export_returns", "export_full", "import", "history", "undo_import",
    "report", "record_meeting", "dashboard", "dashboard_full", "restore", "new_review", "new_item", "new_agency",
    "agencies", "add_update", "delete", "move_up", "move_down", "about", "returns_board", "partnership"})


def build_actions(window: MainWindow) -> dict[str, QAction]:
    """The window's actions by name (each also in the menus, the toolbar or both). They reach the
    controllers when triggered, not when built: the menus exist before the database is open."""
    key = QKeySequence.StandardKey

    def ed(name: str) -> Callable[[], object]:
        return lambda: getattr(window.editor, name)()

    def db(name: str) -> Callable[[], object]:
        return lambda: getattr(window.databases, name)()
    acts = {
        "new_db": _action(window, "&New database…", db("new_database"), "Ctrl+Shift+N", "Create a new, empty database"),
        "open_db": _action(window, "&Open database…", db("open_database_dialog"), key.Open, "Open another database"),
        "open_server": _action(window, "Open &server…", db("open_server_dialog"), None,
                               "Open your team's database on a PostgreSQL server, by the URL your IT gave"),
        "sample": _action(window, "Open the &sample database", db("open_sample"), None,
                          "Open the sample 'Clare' review from the panel minute"),
        "showcase": _action(window, "Open the &illustrative partnership (invented)", db("open_showcase"), None,
                            "Open an invented partnership with five reviews and two years of updates"),
        "export_returns": _action(window, "Export &returns…", lambda: window.exchange.export_returns(), "Ctrl+E",
                                  "Write a return workbook for each partner agency"),
        "export_full": _action(window, "Export full &workbook…", lambda: window.exchange.export_full(), None,
                               "Write every record to one workbook"),
        "import": _action(window, "&Import…", lambda: window.importer.import_dialog(), "Ctrl+I",
                          "Import returns, a full workbook or last quarter's tracker (or drop files on the window)"),
        "history": _action(window, "Import &history…", lambda: window.importer.show_history(), None,
                           "Every import, with what it brought; undo one"),
        "undo_import": _action(window, "Undo last &import…", lambda: window.importer.undo_last(), None,
                               "Remove everything the last import brought"),
        "report": _action(window, "&Panel report…", lambda: window.reports.panel_report(), "Ctrl+P",
                          "Write the progress report for the scrutiny panel, as PDF or Word"),
        "record_meeting": _action(window, "&Record panel meeting…", lambda: window.reports.record_meeting(), None,
                                  "Record a meeting of the panel and its assurance decision on each recommendation"),
        "dashboard": _action(window, "&Dashboard", lambda: window.right_tabs.setCurrentWidget(window.dashboard),
                             "Ctrl+D", "Show the dashboard beside the tree"),
        "dashboard_full": _action(window, "Dashboard in &full window", lambda: window.dashboard.full_window.toggle(),
                                  "Ctrl+Shift+D", "Give the dashboard the whole window, or give the tree back"),
        "returns_board": _action(window, "&Returns board", lambda: window.returns_board.show(), None,
                                 "Who has sent their return, who is overdue, and the proposals waiting"),
        "restore": _action(window, "Restore from &backup…", db("restore_from_backup"), None,
                           "Put back the database as it was at one of its backups"),
        "partnership": _action(window, "Partnership na&me…", ed("name_partnership"), None,
                               "The partnership's name, shown at the head of every return and report"),
        "quit": _action(window, "&Quit", window.close, key.Quit),
        "new_review": _action(window, "New &review", ed("new_review"), "Ctrl+Shift+R", "Add a review"),
        "new_item": _action(window, "&New recommendation or action", ed("new_item"), key.New,
                            "Add a recommendation to the selected review, or an action to the selected recommendation"),
        "new_agency": _action(window, "New &agency…", ed("new_agency"), None, "Add a partner agency"),
        "agencies": _action(window, "A&gencies…", lambda: window.agency_admin.manage(), None,
                            "Edit, merge or delete partner agencies"),
        "add_update": _action(window, "Add &update", lambda: window.detail.open_add_form(), "Ctrl+U",
                              "Write this period's update for the selected item"),
        "delete": _action(window, "&Delete…", ed("delete_selected"), key.Delete, "Delete the selected item"),
        "move_up": _action(window, "Move &up", lambda: window.editor.move_selected(-1), "Ctrl+Up"),
        "move_down": _action(window, "Move do&wn", lambda: window.editor.move_selected(1), "Ctrl+Down"),
        "find": _action(window, "&Find", window.filter_bar.focus_text, key.Find, "Filter the tree"),
        "clear_filters": _action(window, "&Clear filters", window.filter_bar.reset, "Ctrl+Shift+F"),
        "expand": _action(window, "&Expand all", window.tree.expandAll),
        "collapse": _action(window, "&Collapse all", window.tree.collapseAll),
        "about": _action(window, "&About SCR Desk", lambda: show_about(window)),
        "shortcuts": _action(window, "&Keyboard shortcuts", lambda: show_shortcuts(window), key.HelpContents,
                             "Every keyboard shortcut of the window"),
        "guide": _action(window, "Quick &guide", lambda: show_guide(window), None,
                         "A quarter's work in six steps"),
    }
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence(key.Undo))
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    # Ctrl+Shift+Z and Ctrl+Y both mean redo somewhere; offer both whatever the platform says.
    redo_keys: list[QKeySequence] = []
    for sequence in [*QKeySequence.keyBindings(key.Redo), QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]:
        if sequence not in redo_keys:
            redo_keys.append(sequence)
    redo.setShortcuts(redo_keys)
    # The edit's own words follow "Undo"; a name in them keeps its "&" (Qt would underline).
    window.undo_stack.undoTextChanged.connect(_named_after_the_edit(undo, "&Undo"))
    window.undo_stack.redoTextChanged.connect(_named_after_the_edit(redo, "&Redo"))
    window.addAction(undo)
    window.addAction(redo)
    acts["undo"], acts["redo"] = undo, redo
    for name, action in acts.items():
        action.setObjectName(f"action_{name}")

    menu_bar = window.menuBar()
    file_menu = menu_bar.addMenu("&File")
    file_menu.addActions([acts["new_db"], acts["open_db"], acts["open_server"]])
    recent_menu = QMenu("Open &recent", window)
    recent_menu.aboutToShow.connect(lambda: _fill_recent(recent_menu, window))
    file_menu.addMenu(recent_menu)
    file_menu.addActions([acts["sample"], acts["showcase"]])
    file_menu.addAction(acts["restore"])
    file_menu.addSeparator()
    file_menu.addAction(acts["partnership"])
    file_menu.addSeparator()
    file_menu.addActions([acts["import"], acts["history"]])
    file_menu.addSeparator()
    file_menu.addActions([acts["export_returns"], acts["export_full"]])
    file_menu.addSeparator()
    file_menu.addAction(acts["quit"])
    edit_menu = menu_bar.addMenu("&Edit")
    edit_menu.addActions([acts["undo"], acts["redo"], acts["undo_import"]])
    edit_menu.addSeparator()
    edit_menu.addActions([acts["new_review"], acts["new_item"], acts["add_update"], acts["new_agency"],
                          acts["agencies"]])
    edit_menu.addSeparator()
    edit_menu.addActions([acts["move_up"], acts["move_down"], acts["delete"]])
    edit_menu.addSeparator()
    edit_menu.addActions([acts["find"], acts["clear_filters"]])
    view_menu = menu_bar.addMenu("&View")
    view_menu.addActions([acts["dashboard"], acts["dashboard_full"], acts["returns_board"], acts["expand"],
                          acts["collapse"]])
    reports_menu = menu_bar.addMenu("&Reports")
    reports_menu.addActions([acts["report"], acts["record_meeting"]])
    help_menu = menu_bar.addMenu("&Help")
    help_menu.addActions([acts["guide"], acts["shortcuts"]])
    help_menu.addSeparator()
    help_menu.addAction(acts["about"])

    # Short fixed labels on the toolbar (menus keep the full words), so it fits at 150 %.
    for name, short in (("new_item", "New item"), ("move_up", "Up"), ("move_down", "Down"),
                        ("export_returns", "Export")):
        acts[name].setIconText(short)
    toolbar = QToolBar("Main toolbar", window)
    toolbar.setObjectName("main_toolbar")
    toolbar.addActions([acts["new_review"], acts["new_item"], acts["add_update"]])
    toolbar.addSeparator()
    toolbar.addActions([acts["import"], acts["export_returns"]])
    toolbar.addSeparator()
    toolbar.addActions([*_fixed_undo_redo(window), acts["delete"]])
    toolbar.addSeparator()
    toolbar.addActions([acts["move_up"], acts["move_down"]])
    window.addToolBar(toolbar)
    enable_database_actions(acts, False)
    return acts


def enable_database_actions(acts: dict[str, QAction], enabled: bool) -> None:
    for name in NEEDS_DATABASE:
        acts[name].setEnabled(enabled)


def _fixed_undo_redo(window: MainWindow) -> list[QAction]:
    """Toolbar Undo and Redo with fixed labels (what they would undo is in the tooltip), so the
    toolbar never moves as the texts grow and shrink."""
    stack = window.undo_stack
    undo, redo = QAction("Undo", window), QAction("Redo", window)
    undo.setObjectName("toolbar_undo")
    redo.setObjectName("toolbar_redo")
    undo.triggered.connect(stack.undo)
    redo.triggered.connect(stack.redo)

    def refresh() -> None:
        if not shiboken6.isValid(stack):  # the window is closing
            return
        undo.setEnabled(stack.canUndo())
        redo.setEnabled(stack.canRedo())
        undo.setToolTip(f"Undo {stack.undoText()} (Ctrl+Z)" if stack.canUndo() else "Nothing to undo")
        redo.setToolTip(f"Redo {stack.redoText()} (Ctrl+Shift+Z)" if stack.canRedo() else "Nothing to redo")
    stack.indexChanged.connect(lambda _i: refresh())
    stack.cleanChanged.connect(lambda _c: refresh())
    refresh()
    return [undo, redo]


def _named_after_the_edit(action: QAction, verb: str) -> Callable[[str], None]:
    def follow(text: str) -> None:
        if shiboken6.isValid(action):  # not while the window is closing
            action.setText(f"{verb} {literal(text)}".strip())
    return follow


def _fill_recent(menu: QMenu, window: MainWindow) -> None:
    menu.clear()
    recent = window.settings.recent_databases()
    if not recent:
        empty = menu.addAction("No recent databases")
        empty.setEnabled(False)
        return
    for number, target in enumerate(recent, start=1):
        action = menu.addAction(f"&{number} {literal(recent_label(target))}")
        action.triggered.connect(lambda _=False, p=target: window.databases.open_database(p))


def recent_label(target: Path | str) -> str:
    """A recent database as the menu lists it: a file's name and folder, or a server's database."""
    if isinstance(target, str):
        from scr_desk.services.database_files import server_name
        try:
            return f"{server_name(target)} — PostgreSQL server"
        except ValueError:
            return target
    return f"{target.name} — {target.parent}"


def show_about(window: MainWindow) -> None:
    from PySide6 import __version__ as pyside_version
    from sqlalchemy import __version__ as sqlalchemy_version

    window.prompts.about(f"About {APP_TITLE}", (
        f"<h3>{APP_TITLE} {__version__}</h3>"
        "<p>A workbook for a safeguarding partnership's case reviews, their recommendations, "
        "and the quarterly returns of partner agencies.</p>"
        f"<p><b>Database:</b> {html.escape(str(window.workspace.location))}</p>"
        "<p><b>Licences:</b> SCR Desk is MIT-licensed. It uses Qt for Python (PySide6 "
        f"{pyside_version}, LGPLv3), SQLAlchemy {sqlalchemy_version} and Alembic (MIT), openpyxl "
        "(MIT), python-calamine (MIT), defusedxml (PSF) and platformdirs (MIT).</p>"))
