"""Composition root for the window: the application object, the database, the main window.

Start-up paints the real window first: menus, toolbar, the find box and the tree listing the
reviews read straight from the file, usable at once. SQLAlchemy, the services and the parts of
the window that need the database load on a worker meanwhile, and fill the window in when the
database is open; a row the user selected meanwhile stays selected.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from scr_desk import APP_NAME, APP_TITLE, __version__
from scr_desk.db.errors import DatabaseInUseError, DatabaseMissingError, DatabaseOpenError
from scr_desk.db.location import without_password
from scr_desk.domain.tree import TreeNode, review_node
from scr_desk.locale_env import ensure_utf8_locale
from scr_desk.logs import log_unexpected
from scr_desk.paths import default_database_path, resource_path

if TYPE_CHECKING:
    from scr_desk.db.backup import BackupInfo
    from scr_desk.ui.prompts import Prompts
    from scr_desk.ui.workspace import Workspace

__all__ = [
    "ExceptHook", "choose_start_path", "early_reviews", "early_server_reviews", "install_excepthook",
    "make_application", "open_with_recovery", "restore_chosen_backup", "run_window", "start_workspace",
    "unexpected_sentence", "warn_once_if_synced",
]


def make_application() -> QApplication:
    QCoreApplication.setOrganizationName("scr_desk")
    QCoreApplication.setApplicationName(APP_NAME)
    if override := os.environ.get("SCR_DESK_DATA_DIR"):
        # A data folder named by the user (portable use, tests) holds the window's settings too,
        # so nothing of SCR Desk's is left in the user's own profile.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, override)
    QCoreApplication.setApplicationVersion(__version__)
    ensure_utf8_locale()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationDisplayName(APP_TITLE)
    _private_settings_file()
    icon = resource_path("icons/scr_desk.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def _private_settings_file() -> None:
    """The settings list recent database paths, whose folder names can identify a case: the file
    and its folder are the user's only (one written by an older version is tightened)."""
    from scr_desk.db.private import private_file, private_folder
    settings = Path(QSettings().fileName())
    if settings.is_absolute() and settings.parent.is_dir():  # a file (Linux, macOS), not the registry
        private_folder(settings.parent)
        if settings.exists():
            private_file(settings)


# The reviews with their numbers of recommendations, as the first paint lists them: the same query
# on a file (sqlite3) and on a server (psycopg), each with its own placeholder.
EARLY_REVIEWS = ("SELECT id, code, name, review_type, partnership, status, "
                 "(SELECT count(*) FROM recommendation r WHERE r.review_id = v.id) "
                 "FROM review v ORDER BY position, id LIMIT {}")


def _early_nodes(rows: list[Any]) -> list[TreeNode]:
    """The tree's review rows from the early query's rows; none if a value is not as expected."""
    from scr_desk.domain.enums import ReviewType
    kinds = {kind.value: kind.short for kind in ReviewType}
    try:
        return [review_node(int(row_id), str(code), str(name), kinds.get(str(kind), str(kind)), str(partnership or ""),
                            str(status), total=int(total), counted=False)
                for row_id, code, name, kind, partnership, status, total in rows]
    except (TypeError, ValueError):
        return []


def early_reviews(path: Path, limit: int = 5000) -> list[TreeNode]:
    """The reviews, each with its number of recommendations, read straight from the file
    (read-only, no SQLAlchemy yet) so the first paint lists them. Any trouble (an older layout, a
    locked or damaged file) just leaves the list empty: opening the database properly says what is
    wrong."""
    import sqlite3

    if not path.is_file():
        return []
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            rows = connection.execute(EARLY_REVIEWS.format("?"), (limit,)).fetchall()
        finally:
            connection.close()
    except (sqlite3.Error, OSError, ValueError):
        return []
    return _early_nodes(rows)


def early_server_reviews(url: str, limit: int = 5000) -> list[TreeNode]:
    """The reviews of a database on a server, read with psycopg alone (SQLAlchemy loads behind
    the first paint), so the window lists them as it lists a file's. Any trouble (the server away,
    a password wanted, no schema yet) leaves the list empty: opening says what is wrong."""
    try:
        import psycopg
        conninfo = url.strip().replace("+psycopg", "", 1)  # libpq reads the same URL, without the driver
        with psycopg.connect(conninfo, connect_timeout=3, application_name=APP_TITLE, autocommit=True,
                             options="-c default_transaction_read_only=on") as connection:
            rows = connection.execute(EARLY_REVIEWS.format("%s"), (limit,)).fetchall()
    except Exception:  # noqa: BLE001 - any failure: opening properly says why
        return []
    return _early_nodes(rows)


def choose_start_path(db: Path | str | None, sample: bool, showcase: bool = False) -> tuple[Path | str, bool]:
    """(path, create): --db, else --sample or --showcase, else the last database used (if it is
    still there), else the default file in the data folder, created empty the first time."""
    from scr_desk.ui.settings import UiSettings
    if db is not None:
        return db, False
    if sample or showcase:  # made from the services on first use (which brings SQLAlchemy early)
        from scr_desk.ui.workspace import ensure_sample_database, ensure_showcase_database
        return (ensure_sample_database() if sample else ensure_showcase_database()), False
    last = UiSettings().last_database()
    if last is not None and (isinstance(last, str) or last.exists()):  # a server's database is tried
        return last, False
    default = default_database_path()
    return default, not default.exists()


def start_workspace(db: Path | str | None, sample: bool, prompts: Prompts,
                    showcase: bool = False) -> Workspace | None:
    """The database the window starts on, or None when the user declined or quit.

    A --db that does not exist is a new database only if the user says so: a mistyped name
    must not silently become an empty database."""
    path, create = choose_start_path(db, sample, showcase)
    if isinstance(path, Path) and db is not None and not path.exists():
        if not prompts.create_missing_database(path):
            return None
        create = True
    return open_with_recovery(path, create, prompts)


def open_with_recovery(path: Path | str, create: bool, prompts: Prompts,
                       first_refusal: DatabaseOpenError | None = None) -> Workspace | None:
    """Open `path` (or start from `first_refusal`, when it was refused already); when it is
    refused, say why and offer its backups, another file, the sample, or quit."""
    from scr_desk.db.backup import list_backups
    from scr_desk.ui.workspace import ensure_sample_database, open_workspace
    refusal = first_refusal
    while True:
        if refusal is None:
            try:
                return open_workspace(path, create=create)
            except DatabaseOpenError as exc:
                refusal = exc
        if isinstance(refusal, DatabaseMissingError) and isinstance(path, str) and not create \
                and prompts.create_missing_database(without_password(path)):
            create, refusal = True, None  # an empty database on a server: the schema made there when asked
            continue
        backups = list_backups(path) if isinstance(path, Path) and path.is_file() \
            and not isinstance(refusal, DatabaseInUseError) else []
        choice = prompts.database_refused(str(refusal), backups)
        refusal = None
        if choice == "quit":
            return None
        if choice == "restore" and isinstance(path, Path):
            restore_chosen_backup(path, backups, prompts)
            continue
        if choice == "sample":
            try:
                path, create = ensure_sample_database(), False
            except DatabaseOpenError as exc:
                prompts.error(APP_TITLE, str(exc))
            continue
        chosen = prompts.open_database_path(path.parent if isinstance(path, Path) else None)
        if chosen is None:
            return None
        path, create = chosen, False


def restore_chosen_backup(path: Path, backups: list[BackupInfo], prompts: Prompts) -> bool:
    """Let the lead pick one of `path`'s backups and put it back (asking first when it cannot be
    shown to be this database's own); True when it was restored."""
    from scr_desk.db.errors import BackupError
    from scr_desk.db.restore import belongs, restore_backup, suggested_backup
    chosen = prompts.choose_backup(backups, suggested_backup(backups))
    if chosen is None:
        return False
    owner = belongs(path, chosen)
    if owner is not True and not prompts.confirm(
            "Restore from backup", f"{chosen.name} "
            + ("is a backup of another database" if owner is False else
               f"cannot be confirmed as a backup of {path.name} (that file cannot be read)")
            + f". Replace {path.name} with it anyway? The file as it is now is kept in the backups folder.",
            "Restore anyway"):
        return False
    try:
        result = restore_backup(path, chosen, allow_foreign=True)
    except BackupError as exc:
        prompts.error("Restore from backup", f"{exc}.")
        return False
    kept = f" The file as it was is kept as {result.kept.name}." if result.kept else ""
    prompts.info("Restore from backup", f"Restored {chosen.name} and checked it: sound.{kept}")
    return True


def warn_once_if_synced(path: Path, prompts: Prompts) -> bool:
    """Say once per database (remembered in the settings) that it sits in a synchronised folder."""
    from scr_desk.db.sync_folders import sync_warning
    text = sync_warning(path)
    if text is None:
        return False
    settings = QSettings()
    from scr_desk.ui.settings import stored_strings
    warned = stored_strings(settings.value("warnings/synced", []))
    if str(path) in warned:
        return False
    prompts.info("Database in a synchronised folder", text + ".")
    settings.setValue("warnings/synced", [*warned, str(path)][-20:])
    settings.sync()
    return True


def run_window(db: Path | str | None = None, sample: bool = False, exit_when_ready: bool = False,
               showcase: bool = False) -> int:
    started = time.perf_counter()

    def say(what: str) -> None:  # --exit-when-ready: when each stage was reached, for the benchmark
        if exit_when_ready:
            print(f"{what} in {1000 * (time.perf_counter() - started):.0f} ms", flush=True)
    app = make_application()
    if exit_when_ready and isinstance(db, Path) and not db.exists():
        raise DatabaseMissingError(db)  # nobody is there to be asked whether to create it
    from scr_desk.ui.main_window import MainWindow
    path, create = choose_start_path(db, sample, showcase)
    if isinstance(path, Path) and db is not None and not path.exists():
        from scr_desk.ui.prompts import Prompts
        if not Prompts(None).create_missing_database(path):
            return 1  # a mistyped name must not silently become an empty database
        create = True
    window = MainWindow(opening=path, paint_first=True)
    window.show()
    app.processEvents()
    say("shown")
    window.build_shell()
    install_excepthook(window.prompts)  # an error in a slot: logged, and one sentence in the window
    reviews = early_reviews(path) if isinstance(path, Path) else early_server_reviews(path)
    window.show_opening(path, reviews)
    app.processEvents()
    if reviews:
        say("content")
    say("usable")  # menus, toolbar, find box and the reviews: a row selected now is kept
    refused: list[BaseException] = []

    def opened_or_refused(error: BaseException) -> None:
        if exit_when_ready:  # unattended: the entry point says why, in one sentence, and exits 1
            refused.append(error)
            app.exit(1)
            return
        if not isinstance(error, DatabaseOpenError):
            window.report_error("Opening the database", error)
            return
        workspace = open_with_recovery(path, create, window.prompts, first_refusal=error)
        if workspace is None:
            app.exit(1)
            return
        window.compose()
        window.start_workspace(workspace)

    def ready_once() -> None:
        window.ready.disconnect(ready_once)
        if not window.workspace.is_server:
            warn_once_if_synced(window.workspace.path, window.prompts)
    window.ready.connect(ready_once)
    window.open_in_background(path, create, opened_or_refused)
    if exit_when_ready:
        window.content_shown.connect(lambda: say("content") if not reviews else None)

        def finish() -> None:
            say("ready")
            QTimer.singleShot(0, window.close)
        window.ready.connect(finish)
    code = app.exec()
    if refused:
        raise refused[0]
    return code


# An exception nobody caught on the GUI thread (in a slot, a timer, an event handler) reaches
# sys.excepthook: by default a traceback on a stderr the GUI entry point hides, and the user sees
# nothing happen. Installed here, it writes the traceback to the log (scr_desk/logs.py) and tells
# the user in one plain sentence, with where the details are; never a traceback on screen.
ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def unexpected_sentence(logged: Path | None) -> str:
    where = f"the details are in {logged}" if logged else "the details could not be written to the log"
    return f"Something unexpected went wrong, and what you were doing may not have finished; {where}."


def install_excepthook(prompts: Prompts) -> ExceptHook:
    """Send uncaught exceptions to the log and `prompts`; returns the hook it replaced."""
    previous = sys.excepthook
    reporting = False

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        nonlocal reporting
        if issubclass(kind, KeyboardInterrupt) or reporting:  # Ctrl+C in a terminal; a failing report
            sys.__excepthook__(kind, error, trace)
            return
        reporting = True
        try:
            logged = log_unexpected(error.with_traceback(trace), "in the window")
            prompts.error(APP_TITLE, unexpected_sentence(logged))
        finally:
            reporting = False
    sys.excepthook = hook
    return previous
