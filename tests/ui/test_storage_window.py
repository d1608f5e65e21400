"""The window and hostile or unusual storage: unknown values load, unusual dates are asked about,
the lock and settings files are private."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from scr_desk.domain.enums import ItemKind
from scr_desk.services import items
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.workspace import open_workspace


def test_the_tree_loads_values_this_version_does_not_know(qtbot: QtBot, qtmodeltester: Any,
                                                           make_window: Callable[..., MainWindow],
                                                           sample_db_path: Path) -> None:
    # GIVEN a status from a newer version, a date stored as text and bytes in a text field
    raw = sqlite3.connect(sample_db_path)
    raw.execute("UPDATE recommendation SET status = 'Paused', target_date = '01/02/2021' WHERE number = '1'")
    raw.execute("UPDATE progress_update SET narrative = x'00ff41'")
    raw.commit()
    raw.close()
    # WHEN the window opens it, THEN the tree loads, shows the status as stored and marked
    window = make_window(sample_db_path)
    assert window.model.rowCount() == 1 and window.prompts.errors() == []
    qtmodeltester.check(window.model)
    shown = [node for review in window.model.tree.reviews for node in review.children]
    assert any(node.status_label == "Paused (unknown)" for node in shown)


def _first_rec(window: MainWindow) -> int:
    return window.model.tree.reviews[0].children[0].key[1]


@pytest.mark.parametrize("keep", [False, True])
def test_a_date_outside_the_century_is_kept_only_when_the_lead_says_so(window: MainWindow, keep: bool) -> None:
    rec_id = _first_rec(window)
    before = items.get_recommendation(window.sessions, rec_id).target_date
    window.prompts.answers["allow_unusual_date"] = keep
    window.editor.edit_field(ItemKind.RECOMMENDATION, rec_id, "target_date", "31/12/1999")
    stored = items.get_recommendation(window.sessions, rec_id).target_date
    assert any(name == "allow_unusual_date" for name, _ in window.prompts.asked)
    if keep:
        assert stored == date(1999, 12, 31)
    else:
        assert stored == before and "outside 2000-2100" in window.prompts.errors()[-1]


@pytest.mark.skipif(os.name != "posix", reason="modes are POSIX")
def test_the_lock_and_settings_files_are_private(sample_db_path: Path, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from scr_desk.app import _private_settings_file
    workspace = open_workspace(sample_db_path)
    try:
        lock = Path(f"{sample_db_path.resolve()}.lock")
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600
    finally:
        workspace.close()
    settings = QSettings()
    settings.setValue("databases/last", str(sample_db_path))
    settings.sync()
    path = Path(settings.fileName())
    os.chmod(path, 0o644)
    _private_settings_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
