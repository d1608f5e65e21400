"""The import preview of a hand-made tracker on a 1280×800 laptop screen at 150 %: within the
screen (its eight 'Show' boxes on one line, and a Columns tab a field per line, once pushed it
past the screen's right and bottom edges, Apply out of reach), every tab too. Run in its own
process: QT_SCALE_FACTOR is read once, at start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.trackers.corrections import two_reviews_tracker

PROBE = r'''
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from scr_desk.services.imports.importer import plan_import
from scr_desk.ui.import_dialog import ImportPreviewDialog
from scr_desk.ui.workspace import open_workspace

app = QApplication(sys.argv)
workspace = open_workspace(Path(sys.argv[1]))
plan = plan_import(workspace.database, Path(sys.argv[2]))
dialog = ImportPreviewDialog(plan, plan.headings)
dialog.show()
screen = dialog.screen().availableGeometry()
tabs = []
for index in range(dialog.tabs.count()):
    dialog.tabs.setCurrentIndex(index)
    app.processEvents()
    frame = dialog.frameGeometry()
    tabs.append({"tab": dialog.tabs.tabText(index), "within": screen.contains(frame),
                 "size": [frame.width(), frame.height()], "apply": dialog.apply_button.isVisible()})
dialog.grab().save(sys.argv[3])
print("RESULT", json.dumps({"screen": [screen.width(), screen.height()], "tabs": tabs}))
'''


def test_the_tracker_preview_fits_a_laptop_at_150_percent(empty_db_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 800,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": "1.5",
           "SCR_DESK_DATA_DIR": str(tmp_path / "data")}
    tracker = two_reviews_tracker(tmp_path / "Adult D and E.xlsx")
    shot = tmp_path / "preview-150.png"
    done = subprocess.run([sys.executable, "-c", PROBE, str(empty_db_path), str(tracker), str(shot)],
                          capture_output=True, text=True, env=env, timeout=120)
    line = next((out for out in done.stdout.splitlines() if out.startswith("RESULT ")), None)
    assert line, done.stderr[-2000:]
    result = json.loads(line.removeprefix("RESULT "))
    assert [t["tab"] for t in result["tabs"]][:3] == ["Rows", "Reading", "Questions"]
    for tab in result["tabs"]:
        assert tab["within"] and tab["apply"], (tab, result["screen"])
    assert shot.stat().st_size > 10_000
