"""Composition root for the window: the application object, the database, the main window.

Start-up paints a frame first: an empty main window at the remembered size saying what it is
opening. Loading SQLAlchemy and the rest costs more than a bare Qt window does, so the user sees
the window at once and its contents a moment later, rather than nothing for a second.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QMainWindow

from scr_desk import APP_NAME, APP_TITLE, __version__
from scr_desk.db.errors import DatabaseMissingError, DatabaseOpenError
from scr_desk.paths import default_database_path, resource_path

if TYPE_CHECKING:
    from scr_desk.ui.prompts import Prompts
    from scr_desk.ui.workspace import Workspace


def make_application() -> QApplication:
    QCoreApplication.setOrganizationName("scr_desk")
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationDisplayName(APP_TITLE)
    icon = resource_path("icons/scr_desk.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app  # type: ignore[return-value]


def start_frame(path: Path | None) -> QMainWindow:
    """The window as it will be while the rest loads: at the remembered size (within the screen),
    with the database's reviews already listed when they can be read at once."""
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
    reviews = early_reviews(path) if path is not None else []
    if reviews:
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
        content = QWidget()
        layout = QVBoxLayout(content)
        label.setText(f"Opening {path.name}… the reviews are listed; their recommendations follow.")
        layout.addWidget(label)
        layout.addWidget(tree, 1)
        frame.setCentralWidget(content)
    else:
        frame.setCentralWidget(label)
    frame.setWindowTitle(APP_TITLE)
    return frame


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


def choose_start_path(db: Path | None, sample: bool) -> tuple[Path, bool]:
    """(path, create): --db, else --sample, else the last database, else the default file."""
    from scr_desk.ui.settings import UiSettings
    from scr_desk.ui.workspace import ensure_sample_database
    if db is not None:
        return db, False
    if sample:
        return ensure_sample_database(), False
    last = UiSettings().last_database()
    if last is not None and last.exists():
        return last, False
    default = default_database_path()
    return default, not default.exists()


def open_with_recovery(path: Path, create: bool, prompts: Prompts) -> Workspace | None:
    """Open `path`; when it is refused, say why and offer another file, the sample, or quit."""
    from scr_desk.ui.workspace import ensure_sample_database, open_workspace
    while True:
        try:
            return open_workspace(path, create=create)
        except DatabaseOpenError as exc:
            choice = prompts.database_refused(str(exc))
        if choice == "quit":
            return None
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


def run_window(db: Path | None = None, sample: bool = False, exit_when_ready: bool = False) -> int:
    started = time.perf_counter()
    app = make_application()
    if db is not None and not db.exists():
        raise DatabaseMissingError(db)
    frame = start_frame(db)
    frame.show()
    app.processEvents()
    early = frame.findChild(QAbstractItemView, "early_reviews")
    if exit_when_ready:
        print(f"shown in {1000 * (time.perf_counter() - started):.0f} ms", flush=True)
        if early is not None:
            print(f"content in {1000 * (time.perf_counter() - started):.0f} ms", flush=True)
    # Everything below loads SQLAlchemy, the services and the window's widgets.
    from scr_desk.ui.main_window import MainWindow
    from scr_desk.ui.prompts import Prompts
    prompts = Prompts(frame)
    path, create = choose_start_path(db, sample)
    workspace = open_with_recovery(path, create, prompts)
    if workspace is None:
        frame.close()
        return 1
    window = MainWindow(workspace)
    if exit_when_ready:
        if early is None:  # else the first frame already showed the reviews
            window.content_shown.connect(lambda: print(
                f"content in {1000 * (time.perf_counter() - started):.0f} ms", flush=True))

        def finish() -> None:
            print(f"ready in {1000 * (time.perf_counter() - started):.0f} ms", flush=True)
            QTimer.singleShot(0, window.close)
        window.ready.connect(finish)
    window.show()
    frame.close()
    return app.exec()
