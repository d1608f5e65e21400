"""Screenshots for the README, taken from the real window on a real X server.

Run: xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_screenshots.py [--dark | --dashboard]
     [--laptop] [--db FILE] [--out NAME.png]
--laptop sizes the window as a 1280×800 laptop screen gives it (with QT_SCALE_FACTOR=1.5 and a
1920×1200 screen: a laptop at 150 %); --db shows another database (the large one, say) instead of
the sample; --out names the picture written into docs/.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "xcb"
os.environ.setdefault("SCR_DESK_DATA_DIR", tempfile.mkdtemp(prefix="scr_desk-shots-"))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from scr_desk.app import make_application  # noqa: E402
from scr_desk.ui.main_window import MainWindow  # noqa: E402
from scr_desk.ui.workspace import ensure_sample_database, ensure_showcase_database, open_workspace  # noqa: E402

DOCS = Path(__file__).resolve().parent


def main() -> int:
    app = make_application()
    dark = "--dark" in sys.argv
    if dark:  # a dark desktop palette, as Windows and GNOME dark modes give Qt
        from PySide6.QtGui import QColor, QPalette
        app.setStyle("Fusion")
        palette = QPalette()
        role = QPalette.ColorRole
        for r, colour in ((role.Window, "#2b2b2b"), (role.WindowText, "#e0e0e0"), (role.Base, "#1e1e1e"),
                          (role.AlternateBase, "#262626"), (role.Text, "#e0e0e0"), (role.Button, "#353535"),
                          (role.ButtonText, "#e0e0e0"), (role.Highlight, "#2a6fb0"),
                          (role.HighlightedText, "#ffffff"), (role.Link, "#7fb2ff"),
                          (role.PlaceholderText, "#8a8a8a"), (role.ToolTipBase, "#353535"),
                          (role.ToolTipText, "#e0e0e0")):
            palette.setColor(r, QColor(colour))
        app.setPalette(palette)
    dashboard = "--dashboard" in sys.argv
    name = _option("--out") or ("dashboard.png" if dashboard else "window-dark.png" if dark else "window.png")
    database = _option("--db") or (ensure_showcase_database() if dashboard else ensure_sample_database())
    window = MainWindow(open_workspace(database))
    if "--laptop" in sys.argv:
        window.resize(app.primaryScreen().availableGeometry().size())  # the whole screen, as a lead works
    else:
        window.resize(1500, 900)
    window.move(0, 0)  # the whole window on the screen
    window.show()

    def shoot() -> None:
        if dashboard:
            window.right_tabs.setCurrentWidget(window.dashboard)
        else:
            window.filter_bar.text.setText("domestic")
            window.filter_bar.apply_now()
        QTimer.singleShot(400, capture_when_drawn)

    def capture_when_drawn() -> None:
        if dashboard and not window.dashboards.dashboard_shown:  # its figures are worked out on a worker
            QTimer.singleShot(200, capture_when_drawn)
            return
        QTimer.singleShot(200, capture)

    def capture() -> None:
        screen = QApplication.primaryScreen()
        screen.grabWindow(0, window.x(), window.y(), window.frameGeometry().width(),
                          window.frameGeometry().height()).save(str(DOCS / name))
        print(f"wrote {DOCS / name}")
        window.close()

    window.ready.connect(lambda: QTimer.singleShot(300, shoot))
    return app.exec()


def _option(name: str) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv[:-1] else None


if __name__ == "__main__":
    sys.exit(main())
