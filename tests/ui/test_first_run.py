"""What the window opens when it starts: a --db that does not exist is created only when the user
says so; with no --db, the last database used, else the default file in the data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QLockFile
from pytestqt.qtbot import QtBot

from scr_desk.app import choose_start_path, start_workspace
from scr_desk.paths import default_database_path, showcase_database_path
from scr_desk.services.stats import record_counts
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.settings import UiSettings
from scr_desk.ui.workspace import ensure_showcase_database, open_workspace
from tests.ui.conftest import AnsweringPrompts
from tests.ui.window_helpers import trigger


def test_a_missing_db_is_created_when_the_user_agrees(tmp_path: Path, prompts: AnsweringPrompts,
                                                      qtbot: QtBot) -> None:
    # GIVEN a --db naming a file (in a folder) that does not exist yet
    path = tmp_path / "new folder" / "partnership.sqlite"
    prompts.answers["create_missing_database"] = True
    # WHEN the window starts on it and the user answers Create
    workspace = start_workspace(path, False, prompts)
    # THEN the question named the file, and an empty database is open there
    assert workspace is not None and prompts.asked[0] == ("create_missing_database", path)
    assert path.is_file() and workspace.path == path.resolve()
    assert all(count == 0 for count in record_counts(workspace.database.sessions).values())
    window = MainWindow(workspace, prompts=prompts)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.loads >= 1, timeout=5000)
    assert window.model.rowCount() == 0 and window.windowTitle().startswith("partnership.sqlite")
    window.close()


def test_a_missing_db_declined_creates_nothing(tmp_path: Path, prompts: AnsweringPrompts) -> None:
    path = tmp_path / "typo.sqlite"
    prompts.answers["create_missing_database"] = False
    assert start_workspace(path, False, prompts) is None
    assert [name for name, _ in prompts.asked] == ["create_missing_database"]
    assert list(tmp_path.iterdir()) == []


def test_an_existing_db_is_opened_without_a_question(sample_db_path: Path, prompts: AnsweringPrompts) -> None:
    workspace = start_workspace(sample_db_path, False, prompts)
    assert workspace is not None and workspace.path == sample_db_path.resolve() and prompts.asked == []
    workspace.close()


def test_no_db_opens_the_default_file_first_then_the_last_one_used(data_dir: Path, sample_db_path: Path,
                                                                   prompts: AnsweringPrompts) -> None:
    # GIVEN a first run: nothing used before, no file in the data folder
    path, create = choose_start_path(None, False)
    assert path == default_database_path() == data_dir / "scr_desk.sqlite" and create
    workspace = start_workspace(None, False, prompts)
    assert workspace is not None and workspace.path == path.resolve() and prompts.asked == []
    workspace.close()
    # WHEN another database has been opened since, THEN that one is opened next time
    UiSettings().remember_database(sample_db_path)
    assert choose_start_path(None, False) == (sample_db_path.resolve(), False)
    # and once it has gone, the default file again (no longer created: it exists)
    sample_db_path.unlink()
    assert choose_start_path(None, False) == (path, False)


def test_exit_when_ready_on_a_missing_db_refuses_without_asking(tmp_path: Path) -> None:
    # --exit-when-ready runs unattended (benchmarks, smoke tests): nobody is there to answer.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SCR_DESK_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "scr_desk", "--db", str(tmp_path / "no.sqlite"),
                             "--exit-when-ready"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1 and "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "no.sqlite").exists()


def test_file_menu_opens_the_illustrative_partnership(window: MainWindow, data_dir: Path, qtbot: QtBot) -> None:
    # GIVEN the window on the Clare sample; WHEN File > Open the illustrative partnership (invented)
    menu_texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Open the &sample database" in menu_texts and "Open the &illustrative partnership (invented)" in menu_texts
    trigger(window, "showcase")
    # THEN the invented partnership opens from this month's copy in the data folder, labelled as invented
    qtbot.waitUntil(lambda: window.model.rowCount() == 5, timeout=10000)
    assert window.workspace.path.parent == (data_dir / "sample").resolve()
    assert "invented" in window.windowTitle()
    names = [window.model.index(row, 0).data() for row in range(window.model.rowCount())]
    assert all("(illustrative)" in str(name) for name in names), names
    trigger(window, "sample")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10000)


def test_showcase_on_the_command_line_opens_the_window(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SCR_DESK_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "scr_desk", "--showcase", "--exit-when-ready"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "data" / "sample").glob("*.sqlite")] == [
        f"invented-partnership-{date.today():%Y-%m}.sqlite"]


def test_the_illustrative_partnership_is_made_afresh_each_month(data_dir: Path) -> None:
    # GIVEN last year's copy, and a copy whose making was cut short
    sample = data_dir / "sample"
    sample.mkdir(parents=True)
    (sample / "invented-partnership-2020-01.sqlite").write_bytes(b"last year's")
    (sample / "invented-partnership-2020-02.sqlite").write_bytes(b"open in another window")
    held = QLockFile(str(sample / "invented-partnership-2020-02.sqlite.lock"))
    assert held.tryLock(0)
    this_month = showcase_database_path()
    (sample / f"{this_month.name}.partial").write_bytes(b"half made")
    # WHEN it is asked for; THEN this month's is made in full, and the others are gone but the one in use
    assert ensure_showcase_database() == this_month
    assert sorted(p.name for p in sample.iterdir()) == [
        "invented-partnership-2020-02.sqlite", "invented-partnership-2020-02.sqlite.lock", this_month.name]
    held.unlock()
    workspace = open_workspace(this_month)
    assert record_counts(workspace.database.sessions)["reviews"] == 5
    workspace.close()
