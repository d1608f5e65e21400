"""Opening databases from the window: each bad file gets its dialog, and nothing is written."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from scr_desk.app import open_with_recovery
from scr_desk.db.errors import DatabaseInUseError
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.workspace import open_workspace
from tests.ui.conftest import AnsweringPrompts
from tests.ui.window_helpers import trigger


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.commit()
    conn.close()


def _foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name)")
    conn.commit()
    conn.close()


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[8192:20480] = b"\xff" * 12288
    path.write_bytes(bytes(data))


def _read_only(path: Path) -> None:
    os.chmod(path, 0o400)


@pytest.mark.parametrize(("spoil", "words"), [
    (_newer, "newer version"), (_foreign, "not an SCR Desk database"), (_corrupt, "damaged"),
    (_read_only, "read-only"),
])
def test_each_refusal_is_shown_and_the_file_left_alone(sample_db_path: Path, spoil: Callable[[Path], None],
                                                       words: str, prompts: AnsweringPrompts) -> None:
    spoil(sample_db_path)
    before = _digest(sample_db_path)
    assert open_with_recovery(sample_db_path, False, prompts) is None  # the user chose Quit
    [(name, message)] = prompts.asked
    assert name == "database_refused" and words in message and str(sample_db_path) in message
    assert _digest(sample_db_path) == before
    os.chmod(sample_db_path, 0o600)


def test_refusal_offers_another_file(sample_db_path: Path, empty_db_path: Path, prompts: AnsweringPrompts) -> None:
    _newer(sample_db_path)
    prompts.answers["database_refused"] = "open"
    prompts.answers["open_database_path"] = empty_db_path
    workspace = open_with_recovery(sample_db_path, False, prompts)
    assert workspace is not None and workspace.path == empty_db_path.resolve()
    workspace.close()


def test_refusal_offers_the_sample(sample_db_path: Path, prompts: AnsweringPrompts, data_dir: Path) -> None:
    _corrupt(sample_db_path)
    prompts.answers["database_refused"] = "sample"
    workspace = open_with_recovery(sample_db_path, False, prompts)
    assert workspace is not None and workspace.path.is_relative_to(data_dir)
    workspace.close()


def test_second_window_is_told_the_file_is_in_use(window: MainWindow, sample_db_path: Path,
                                                  prompts: AnsweringPrompts) -> None:
    with pytest.raises(DatabaseInUseError, match="already open in another SCR Desk window"):
        open_workspace(sample_db_path)
    probe = ("import sys; from scr_desk.ui.workspace import open_workspace\n"
             "try:\n    open_workspace(sys.argv[1])\nexcept Exception as e:\n    print(e)\n")
    other = subprocess.run([sys.executable, "-c", probe, str(sample_db_path)], capture_output=True, text=True,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert "already open in another SCR Desk window" in other.stdout
    window.close()
    open_workspace(sample_db_path).close()  # free once the window has gone


def test_open_refused_file_from_the_menu_keeps_the_current_one(window: MainWindow, empty_db_path: Path,
                                                               qtbot: QtBot, prompts: AnsweringPrompts) -> None:
    _newer(empty_db_path)
    prompts.answers["open_database_path"] = empty_db_path
    trigger(window, "open_db")
    assert "newer version" in prompts.errors()[-1]
    assert window.model.rowCount() == 1 and window.workspace.database.engine is not None


def test_new_database_from_the_menu(window: MainWindow, tmp_path: Path, qtbot: QtBot,
                                    prompts: AnsweringPrompts) -> None:
    prompts.answers["new_database_path"] = tmp_path / "fresh.sqlite"
    trigger(window, "new_db")
    qtbot.waitUntil(lambda: window.workspace.path.name == "fresh.sqlite" and window.model.rowCount() == 0,
                    timeout=3000)
    assert window.windowTitle().startswith("fresh.sqlite")


def test_exit_when_ready_prints_the_time(sample_db_path: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SCR_DESK_DATA_DIR": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run([sys.executable, "-m", "scr_desk", "--db", str(sample_db_path), "--exit-when-ready"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("shown in ") and lines[-1].startswith("ready in ") and lines[-1].endswith(" ms")
    assert any(line.startswith("content in ") for line in lines)  # a tree with rows, before the rest
    assert any(line.startswith("usable in ") for line in lines)  # menus, find box and reviews: before it is ready


def test_the_first_paint_lists_the_reviews_under_the_menus(qtbot: QtBot, sample_db_path: Path,
                                                           tmp_path: Path) -> None:
    from scr_desk.app import early_reviews
    from scr_desk.ui.main_window import MainWindow
    # The reviews are read straight from the file, each knowing how many recommendations it has.
    reviews = early_reviews(sample_db_path)
    assert [(r.reference, r.title, r.child_count) for r in reviews] == [("CLARE", "Clare (SCR)", 3)]
    # The window paints with its menus, toolbar and find box before the database is open; what
    # needs the database is greyed, and the detail side says the file is opening.
    window = MainWindow(opening=sample_db_path)
    qtbot.addWidget(window)
    window.show_opening(sample_db_path, reviews)
    assert [a.text() for a in window.menuBar().actions()][:2] == ["&File", "&Edit"]
    assert window.menu_actions["find"].isEnabled() and not window.menu_actions["import"].isEnabled()
    assert window.model.rowCount() == 1 and window.model.hasChildren(window.model.index(0, 0))
    assert window.opening_note.text() == "Opening sample.sqlite…"
    # an unreadable file lists nothing; opening it properly says what is wrong
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a database at all" * 100)
    assert early_reviews(broken) == [] and early_reviews(tmp_path / "missing.sqlite") == []


def test_refusal_of_a_damaged_database_offers_its_backups(sample_db_path: Path, prompts: AnsweringPrompts) -> None:
    # GIVEN a database with a backup, then damaged
    from scr_desk.db.backup import backup_database
    backup_database(sample_db_path, "before-import")
    _corrupt(sample_db_path)
    # WHEN the lead chooses "Restore from a backup…" and the newest backup
    answers = iter(["restore", "quit"])
    prompts.answers["database_refused"] = lambda _message: next(answers)
    prompts.answers["choose_backup"] = lambda backups: backups[0].path
    workspace = open_with_recovery(sample_db_path, False, prompts)
    # THEN the backup is put back and the database opens
    assert workspace is not None
    assert [b.reason for b in prompts.backups] == ["before-import"]
    assert any(name == "info" and "checked it: sound" in detail for name, detail in prompts.asked)
    workspace.close()


def test_a_synced_folder_is_warned_about_once(sample_db_path: Path, prompts: AnsweringPrompts) -> None:
    from scr_desk.app import warn_once_if_synced
    (sample_db_path.parent / ".dropbox").write_text("{}")
    assert warn_once_if_synced(sample_db_path, prompts) is True
    assert warn_once_if_synced(sample_db_path, prompts) is False
    assert [name for name, _ in prompts.asked] == ["info"]
