"""Screenshots for the README, taken from the real window on a real X server.

Run: xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_screenshots.py
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
from scr_desk.ui.workspace import ensure_sample_database, open_workspace  # noqa: E402

DOCS = Path(__file__).resolve().parent


def main() -> int:
    app = make_application()
    window = MainWindow(open_workspace(ensure_sample_database()))
    window.resize(1500, 900)
    window.show()

    def shoot() -> None:
        window.filter_bar.text.setText("domestic")
        window.filter_bar.apply_now()
        QTimer.singleShot(400, capture)

    def capture() -> None:
        screen = QApplication.primaryScreen()
        screen.grabWindow(0, window.x(), window.y(), window.frameGeometry().width(),
                          window.frameGeometry().height()).save(str(DOCS / "window.png"))
        print(f"wrote {DOCS / 'window.png'}")
        window.close()

    window.ready.connect(lambda: QTimer.singleShot(300, shoot))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
