"""The window's modules loaded before its first paint reach storage through the services
(issue 25, item 4) without bringing SQLAlchemy in earlier than before: the services module for
the database file's lifecycle imports the engine only when a database is opened."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BEFORE_THE_FIRST_PAINT = ["scr_desk.app", "scr_desk.ui.main_window", "scr_desk.ui.settings", "scr_desk.ui.prompts",
                          "scr_desk.ui.window_actions", "scr_desk.ui.window_team", "scr_desk.ui.window_tree",
                          "scr_desk.ui.server_dialog", "scr_desk.services.database_files"]


def test_the_modules_before_the_first_paint_do_not_load_sqlalchemy() -> None:
    probe = (f"import importlib, sys; [importlib.import_module(m) for m in {BEFORE_THE_FIRST_PAINT!r}]; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.stdout.strip() == "[]"


def test_opening_a_database_through_the_services_loads_the_engine(tmp_path: Path) -> None:
    probe = ("import sys; from pathlib import Path; from scr_desk.services.database_files import open_database, "
             f"last_backup; db = open_database(Path({str(tmp_path)!r}) / 'x.sqlite', create=True); "
             "print('sqlalchemy' in sys.modules, db.is_server, last_backup(db.path)); db.close()")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "False", "None"]
