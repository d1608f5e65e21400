"""The window on a 1280×800 laptop screen at 100 %, 125 % and 150 % scaling: a screenshot of each,
the window within the screen, no horizontal scrollbar in the tree or the detail form, the tree's
Status, RAG and Target columns whole, and the
dashboard's sections one below the other without overlap. Each scale runs in its own process
(QT_SCALE_FACTOR is read once, at start), on an offscreen screen of the laptop's size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = r'''
import json, sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
from scr_desk.app import make_application
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.workspace import open_workspace

db, shot, settings = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
app = make_application()
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)
window = MainWindow(open_workspace(db))
window.show()
while window.loads < 1:
    app.processEvents()
ids = {n.reference: n.id for n in window.model.tree.walk()}
window.select_key(ItemKey.recommendation(ids["CLARE-R3"]))
for _ in range(20):
    app.processEvents()
screen = window.screen().availableGeometry()
frame = window.frameGeometry()
page = window.detail.pages[ItemKind.RECOMMENDATION]
from PySide6.QtWidgets import QScrollArea
form_scroll = page.form.parentWidget()
while not isinstance(form_scroll, QScrollArea):
    form_scroll = form_scroll.parentWidget()
result = {"screen": [screen.width(), screen.height()], "window": [frame.width(), frame.height()],
          "within": screen.contains(frame), "tree_hbar": window.tree.horizontalScrollBar().isVisible(),
          "form_hbar": form_scroll.horizontalScrollBar().isVisible(),
          "hidden_columns": [c for c in range(6) if window.tree.header().isSectionHidden(c)],
          "user_sized": window.columns.user_sized,
          "cut": [c for c, width in window.columns.widths(window.model.nodes()).items()
                  if c in (1, 2, 3) and window.tree.header().sectionSize(c) < width]}
window.grab().save(str(shot))
window.menu_actions["dashboard"].trigger()
shown = window.dashboards.dashboard_shown
while window.dashboards.dashboard_shown == shown or window.runner.busy:
    app.processEvents()
for _ in range(20):
    app.processEvents()
sections = [s for s in window.dashboard.sections.values() if s.isVisible()]
spans = sorted((s.geometry().top(), s.geometry().bottom()) for s in sections)
result["dashboard_overlap"] = any(a[1] >= b[0] for a, b in zip(spans, spans[1:]))
result["dashboard_hbar"] = window.dashboard.horizontalScrollBar().isVisible() or \
    window.dashboard.widget().width() > window.dashboard.viewport().width()  # nothing cut off at the right
window.grab().save(str(shot.with_name(shot.stem + "-dashboard.png")))
print("RESULT", json.dumps(result))
window.close()
'''


@pytest.mark.parametrize("scale", ["1", "1.25", "1.5"])
def test_fits_a_laptop_screen(scale: str, sample_db_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 800,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": scale,
           "SCR_DESK_DATA_DIR": str(tmp_path / "data")}
    shot = tmp_path / f"window-{scale}.png"
    done = subprocess.run([sys.executable, "-c", PROBE, str(sample_db_path), str(shot), str(tmp_path / "settings")],
                          capture_output=True, text=True, env=env, timeout=120)
    line = next((out for out in done.stdout.splitlines() if out.startswith("RESULT ")), None)
    assert line, done.stderr[-2000:]
    result = json.loads(line.removeprefix("RESULT "))
    assert result["within"], result  # the first window never exceeds the screen
    assert result["window"][0] <= result["screen"][0] and result["window"][1] <= result["screen"][1]
    assert not result["tree_hbar"] and not result["form_hbar"], result
    # the columns fitted to what they hold: Status, RAG and Target whole (a column that steps aside is
    # not a user's resizing)
    assert not result["user_sized"] and result["cut"] == [], result
    assert not result["dashboard_overlap"] and not result["dashboard_hbar"], result
    assert shot.stat().st_size > 10_000 and shot.with_name(shot.stem + "-dashboard.png").stat().st_size > 10_000
