"""What the window does differently on a server database, kept in one place:

- the title and status bar name the server's database and who is connected;
- a role that may only read opens everything read-only: every edit control disabled, and a
  sentence in the status bar saying why;
- other people's changes show within moments (ui.team_watch), and a lost connection makes the
  window read-only until it is back;
- the backups label says the server's backups are the backups.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from scr_desk.services.database_files import is_connection_lost

if TYPE_CHECKING:
    from scr_desk.ui.main_window import MainWindow
    from scr_desk.ui.team_watch import TeamWatch
    from scr_desk.ui.workspace import Workspace

__all__ = ["NOT_SAVED", "WRITING_ACTIONS", "WindowTeam"]


# Every action that changes the record: disabled while the window is read-only.
WRITING_ACTIONS = ("export_returns", "import", "undo_import", "record_meeting", "restore", "partnership",
                   "new_review", "new_item", "new_agency", "agencies", "add_update", "delete", "move_up",
                   "move_down", "undo", "redo")
NOT_SAVED = ("{doing} was not saved: the connection to the server was lost. What you typed is still there; "
             "save it again once the window says it has reconnected")


class WindowTeam:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.watch: TeamWatch | None = None
        self.access = QLabel()
        self.access.setObjectName("access_label")
        self.access.setTextFormat(Qt.TextFormat.PlainText)
        self.access.setContentsMargins(12, 0, 0, 0)
        self.access.hide()
        window.statusBar().addPermanentWidget(self.access)
        self.read_only_reason = ""

    # --- a workspace opened and closed --------------------------------------------------------
    def start(self, workspace: Workspace) -> None:
        window, database = self.window, workspace.database
        self.stop()
        if database.is_server:
            from scr_desk.ui.team_watch import TeamWatch
            window.file_label.setToolTip(f"{database.shown_as}\nA database on a PostgreSQL server, connected as "
                                         f"{database.author}. Changes are saved as you make them, and other "
                                         "people's show here as they make them.")
            self.watch = TeamWatch(database, window.notify, window.show_status,
                                   self._set_offline, window)
            from scr_desk.services.users import me
            try:
                author = me(database.sessions).shown  # updates are written as by this person
            except Exception:  # noqa: BLE001 - the author field keeps its default
                author = ""
            for page in window.detail.pages.values():
                page.add_form.set_author(author)
        self.read_only_reason = database.read_only_reason
        self._apply()

    def stop(self) -> None:
        if self.watch is not None:
            self.watch.close()
            self.watch = None

    def backup_label(self, workspace: Workspace) -> bool:
        """Say where a server's backups are (True when it did: the label is the server's)."""
        if not workspace.is_server:
            return False
        self.window.backup_label.setText("Backups: the server's")
        self.window.backup_label.setToolTip("A database on a server is backed up by the server (pg_dump, or "
                                            "whatever your IT runs). An import is one transaction, and can be "
                                            "undone from Import history.")
        return True

    # --- read-only ---------------------------------------------------------------------------
    @property
    def offline(self) -> bool:
        return self.watch is not None and self.watch.offline

    def _set_offline(self, sentence: str | None) -> None:
        self._apply(sentence)

    def _apply(self, offline_sentence: str | None = None) -> None:
        """Read-only when the role may only read, or while the connection is lost."""
        reason = offline_sentence or (f"Read-only: {self.read_only_reason}." if self.read_only_reason else "")
        read_only = bool(reason)
        window = self.window
        window.detail.set_read_only(read_only)
        for name in WRITING_ACTIONS:
            action = window.menu_actions.get(name)
            if action is not None:
                action.setEnabled(not read_only if name not in ("undo", "redo") else
                                  not read_only and (window.undo_stack.canUndo() if name == "undo"
                                                     else window.undo_stack.canRedo()))
        self.access.setText(reason)
        self.access.setToolTip(reason)
        self.access.setVisible(read_only)
        window.setAcceptDrops(not read_only)  # a workbook dropped on a read-only window would not import

    # --- a failure met while working --------------------------------------------------------------
    def failed(self, doing: str, error: BaseException) -> bool:
        """A save that failed because the connection is lost: go offline and say so, once, keeping
        what was typed (True when handled here)."""
        if self.watch is None or not is_connection_lost(error):
            return False
        for form in (*(page.form for page in self.window.detail.pages.values()), self.window.detail.review_page.form):
            form.keep_unsaved()  # what was typed stays in its field through the reloads to come
        self.watch.lost(error)
        said = NOT_SAVED.format(doing=doing[:1].upper() + doing[1:]) + "."
        self.window.show_status(said)
        self.window.prompts.error("Not saved", said)
        return True
