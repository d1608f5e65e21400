"""Database files from the window: open another, create one, the sample and the illustrative
partnership, a recent one, and putting a backup back (File menu)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scr_desk.services.database_files import DatabaseMissingError, DatabaseOpenError, without_password
from scr_desk.ui.window_interface import DatabaseWindow
from scr_desk.ui.workspace import ensure_sample_database, ensure_showcase_database, open_workspace

__all__ = ["DatabaseController"]


class DatabaseController:
    def __init__(self, window: DatabaseWindow) -> None:
        self.window = window

    def open_database(self, path: Path | str, *, create: bool = False) -> bool:
        """Switch the window to `path` (a file, or a server's URL; True when it shows it); a
        refusal is said and the open database stays."""
        if _same(path, self.window.workspace.location):
            return True
        try:
            new = open_workspace(path, create=create)
        except DatabaseMissingError as exc:
            # An empty database on a server: made there only when the user says so.
            if isinstance(path, str) and not create and self.window.prompts.create_missing_database(
                    without_password(path)):
                return self.open_database(path, create=True)
            self.window.prompts.error("Cannot open database", str(exc))
            return False
        except DatabaseOpenError as exc:
            self.window.prompts.error("Cannot open database", str(exc))
            return False
        self.window.close_workspace()
        self.window.start_workspace(new)
        return True

    def reopen(self, path: Path) -> None:
        """Open `path` again after the file was replaced underneath (restore from backup)."""
        try:
            workspace = open_workspace(path)
        except DatabaseOpenError as exc:
            self.window.prompts.error("Cannot open database", str(exc))
            self.window.close()
            return
        self.window.start_workspace(workspace)

    def open_database_dialog(self) -> None:
        path = self.window.prompts.open_database_path(self.window.workspace.folder)
        if path:
            self.open_database(path)

    def open_server_dialog(self) -> None:
        """File > Open server…: the URL IT gave (a password never typed here: libpq finds it in
        PGPASSWORD, ~/.pgpass or a service file), suggested from the last server used."""
        last = next((t for t in self.window.settings.recent_databases() if isinstance(t, str)), "")
        url = self.window.prompts.server_url(str(last))
        if url:
            self.open_database(url)

    def new_database(self) -> None:
        path = self.window.prompts.new_database_path(self.window.workspace.folder)
        if path is None:
            return
        if path.exists():
            self.window.prompts.error("New database", f"{path} already exists; choose a new name.")
            return
        self.open_database(path, create=True)

    def open_sample(self) -> None:
        self._open_made(ensure_sample_database, "the sample database")

    def open_showcase(self) -> None:
        self._open_made(ensure_showcase_database, "the illustrative partnership")

    def _open_made(self, make: Callable[[], Path], what: str) -> None:
        """Open a database made (the first time) from the bundled data."""
        try:
            path = make()
        except DatabaseOpenError as exc:
            self.window.prompts.error(f"Cannot open {what}", str(exc))
            return
        self.open_database(path)

    def restore_from_backup(self) -> None:
        """File > Restore from backup…: check the chosen copy, ask before another database's copy,
        keep one of the current file, restore, check again and reopen."""
        from scr_desk.services.database_files import (
            BackupError,
            belongs,
            check_backup,
            list_backups,
            restore_backup,
            suggested_backup,
        )
        prompts = self.window.prompts
        if self.window.workspace.is_server:
            prompts.info("Restore from backup", f"{self.window.workspace.database.name} is a database on a "
                         "PostgreSQL server: it is restored from the server's own backups, by whoever runs the "
                         "server (your IT). SCR Desk restores files only.")
            return
        path = self.window.workspace.path
        backups = list_backups(path)
        if not backups:
            prompts.info("Restore from backup", f"There are no backups of {path.name} yet. One is made "
                                                "before every import and every upgrade.")
            return
        chosen = prompts.choose_backup(backups, suggested_backup(backups))
        if chosen is None:
            return
        try:
            check_backup(chosen)
        except BackupError as exc:
            prompts.error("Restore from backup", f"{exc}; the database was not changed.")
            return
        foreign = belongs(path, chosen) is False
        which = next((f"the backup {b.label}" for b in backups if b.path == chosen), "this backup")
        question = (f"{chosen.name} is a backup of another database, not of {path.name}. Replace everything in "
                    f"{path.name} with it anyway?" if foreign else
                    f"Replace everything in {path.name} with {which}?")
        if not prompts.confirm("Restore from backup", question + " A copy of the database as it is now is "
                               f"kept first, so this can itself be reversed.\n\nBackup file: {chosen.name}", "Restore"):
            return
        self.window.close_workspace(remember_selection=False)
        try:
            result = restore_backup(path, chosen, allow_foreign=foreign)
        except BackupError as exc:
            prompts.error("Restore from backup", f"The backup could not be restored: {exc}.")
            result = None
        self.reopen(path)
        if result is not None:
            kept = f" The database as it was is kept as {result.kept.name}." if result.kept else ""
            prompts.info("Restore from backup", f"Restored {chosen.name} and checked it: sound.{kept}")


def _same(one: Path | str, other: Path | str) -> bool:
    """Whether two databases are the same place: one file, or one server URL (passwords aside)."""
    if isinstance(one, str) or isinstance(other, str):
        return isinstance(one, str) and isinstance(other, str) and without_password(one) == without_password(other)
    return one.resolve() == other.resolve()
