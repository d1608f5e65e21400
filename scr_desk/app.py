"""Composition root for the window: the application object, the database, the main window.

Start-up paints a frame first: an empty main window at the remembered size saying what it is
opening. Loading SQLAlchemy and the rest costs more than a bare Qt window does, so the user sees
the window at once and its contents a moment later, rather than nothing for a second.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from scr_desk import APP_NAME, APP_TITLE, __version__
from scr_desk.db.errors import DatabaseInUseError, DatabaseMissingError, DatabaseOpenError
from scr_desk.locale_env import ensure_utf8_locale
from scr_desk.logs import log_unexpected
from scr_desk.paths import default_database_path, resource_path

if TYPE_CHECKING:
    from scr_desk.db.backup import BackupInfo
    from scr_desk.ui.prompts import Prompts
    from scr_desk.ui.workspace import Workspace


GUI_SWITCH_INTERVAL_S = 0.001


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
    # Workers run Python (the tree's load, the dashboard's figures, imports) while the window
    # paints, and every call from Qt into Python waits for the GIL: by default up to 5 ms each, so
    # a repaint that calls into Python a dozen times stalls for tens of milliseconds. A shorter
    # switch interval hands the GIL back sooner, at a small cost to the workers.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
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


def start_frame(path: Path | None) -> QMainWindow:
    """The window as it will be while the rest loads: at the remembered size (within the screen),
    saying which file it is opening. `list_early_reviews` fills it once it has been painted."""
    frame = QMainWindow()
    geometry = QSettings().value("window/geometry")
    if geometry is not None:
        frame.restoreGeometry(geometry)
    screen = frame.screen().availableGeometry()
    if geometry is None:
        frame.resize(min(1280, screen.width() - 16), min(800, screen.height() - 40))
    frame.resize(min(frame.width(), screen.width()), min(frame.height(), screen.height()))
    label = QLabel(f"Opening {path.name}…" if path else "Opening…")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    frame.setCentralWidget(label)
    frame.setWindowTitle(APP_TITLE)
    return frame


def list_early_reviews(frame: QMainWindow, path: Path | None) -> bool:
    """The database's reviews listed in the first frame, when they can be read at once; True when
    they were. (After the frame's first paint: the window shows before the file is read.)"""
    reviews = early_reviews(path) if path is not None else []
    if not reviews or path is None:
        return False
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTreeView, QVBoxLayout, QWidget
    model = QStandardItemModel(frame)
    model.setHorizontalHeaderLabels(["Item", "Status"])
    for code, name, status in reviews:
        model.appendRow([QStandardItem(f"{code}  {name}"), QStandardItem(status)])
    tree = QTreeView()
    tree.setObjectName("early_reviews")
    tree.setModel(model)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.header().resizeSection(0, max(300, frame.width() // 3))
    label = QLabel(f"Opening {path.name}… the reviews are listed; their recommendations follow.")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    content = QWidget()
    layout = QVBoxLayout(content)
    layout.addWidget(label)
    layout.addWidget(tree, 1)
    frame.setCentralWidget(content)
    return True


def early_reviews(path: Path, limit: int = 2000) -> list[tuple[str, str, str]]:
    """The reviews' codes, names and statuses, read straight from the file (read-only, no
    SQLAlchemy yet) so the first frame shows content. Any trouble (an older layout, a locked or
    damaged file) just leaves the frame empty: opening the database properly says what is wrong."""
    import sqlite3
    if not path.is_file():
        return []
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            rows = connection.execute("SELECT code, name, status FROM review ORDER BY position, id LIMIT ?",
                                      (limit,)).fetchall()
        finally:
            connection.close()
    except (sqlite3.Error, OSError, ValueError):
        return []
    return [(str(code), str(name), str(status)) for code, name, status in rows]


def choose_start_path(db: Path | None, sample: bool, showcase: bool = False) -> tuple[Path, bool]:
    """(path, create): --db, else --sample or --showcase, else the last database used (if it is
    still there), else the default file in the data folder, created empty the first time."""
    from scr_desk.ui.settings import UiSettings
    from scr_desk.ui.workspace import ensure_sample_database, ensure_showcase_database
    if db is not None:
        return db, False
    if sample:
        return ensure_sample_database(), False
    if showcase:
        return ensure_showcase_database(), False
    last = UiSettings().last_database()
    if last is not None and last.exists():
        return last, False
    default = default_database_path()
    return default, not default.exists()


def start_workspace(db: Path | None, sample: bool, prompts: Prompts, showcase: bool = False) -> Workspace | None:
    """The database the window starts on, or None when the user declined or quit.

    A --db that does not exist is a new database only if the user says so: a mistyped name
    must not silently become an empty database."""
    path, create = choose_start_path(db, sample, showcase)
    if db is not None and not path.exists():
        if not prompts.create_missing_database(path):
            return None
        create = True
    return open_with_recovery(path, create, prompts)


def open_unattended(db: Path | None, sample: bool, showcase: bool = False) -> Workspace:
    """The start database opened without asking anything (--exit-when-ready): when it is refused
    (open in another window, damaged, too new) the DatabaseOpenError goes up to the entry point,
    which prints its one sentence and exits 1; a message box nobody answers would wait forever."""
    from scr_desk.ui.workspace import open_workspace
    path, create = choose_start_path(db, sample, showcase)
    return open_workspace(path, create=create)


def open_with_recovery(path: Path, create: bool, prompts: Prompts) -> Workspace | None:
    """Open `path`; when it is refused, say why and offer its backups, another file, the sample,
    or quit."""
    from scr_desk.db.backup import list_backups
    from scr_desk.ui.workspace import ensure_sample_database, open_workspace
    while True:
        try:
            return open_workspace(path, create=create)
        except DatabaseOpenError as exc:
            backups = list_backups(path) if path.is_file() and not isinstance(exc, DatabaseInUseError) else []
            choice = prompts.database_refused(str(exc), backups)
        if choice == "quit":
            return None
        if choice == "restore":
            restore_chosen_backup(path, backups, prompts)
            continue
        if choice == "sample":
            try:
                path, create = ensure_sample_database(), False
            except DatabaseOpenError as exc:
                prompts.error(APP_TITLE, str(exc))
            continue
        chosen = prompts.open_database_path(path.parent)
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


def run_window(db: Path | None = None, sample: bool = False, exit_when_ready: bool = False,
               showcase: bool = False) -> int:
    started = time.perf_counter()
    app = make_application()
    if exit_when_ready and db is not None and not db.exists():
        raise DatabaseMissingError(db)  # nobody is there to be asked whether to create it
    frame = start_frame(db)
    frame.show()
    app.processEvents()
    if exit_when_ready:
        print(f"shown in {1000 * (time.perf_counter() - started):.0f} ms", flush=True)
    early = list_early_reviews(frame, db)
    if early:
        app.processEvents()
        if exit_when_ready:
            print(f"content in {1000 * (time.perf_counter() - started):.0f} ms", flush=True)
    # Everything below loads SQLAlchemy, the services and the window's widgets.
    from scr_desk.ui.main_window import MainWindow
    from scr_desk.ui.prompts import Prompts
    prompts = Prompts(frame)
    # unattended (--exit-when-ready): a file that cannot be opened (in use, damaged) is said, not asked about
    workspace = open_unattended(db, sample, showcase) if exit_when_ready else start_workspace(
        db, sample, prompts, showcase)
    if workspace is None:
        frame.close()
        return 1
    warn_once_if_synced(workspace.path, prompts)
    window = MainWindow(workspace)
    install_excepthook(window.prompts)  # an error in a slot: logged, and one sentence in the window
    if exit_when_ready:
        if not early:  # else the first frame already showed the reviews
            window.content_shown.connect(lambda: print(
                f"content in {1000 * (time.perf_counter() - started):.0f} ms", flush=True))

        def finish() -> None:
            print(f"ready in {1000 * (time.perf_counter() - started):.0f} ms", flush=True)
            QTimer.singleShot(0, window.close)
        window.ready.connect(finish)
    window.show()
    frame.close()
    return app.exec()


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
