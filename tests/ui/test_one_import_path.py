"""The command line and the window import through one function (services.imports.together.
import_files), the preview being its first half: the same return through both leaves the same
database, and a preview overtaken by another import is not carried out as if nothing had happened."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scr_desk.cli import main
from scr_desk.db.engine import open_database
from scr_desk.services.audit import newest_audit_id
from scr_desk.services.dump import dump_records
from scr_desk.services.imports import together
from scr_desk.services.imports.apply import ImportRefused
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.settings import name_partnership
from tests.records_kit import dumped
from tests.returns_kit import add_actions, export, fill
from tests.ui.window_helpers import import_dialog

MOMENT = {"uid", "created_at", "updated_at", "at", "imported_at"}  # what differs between two runs by nature


def _settled(value: Any) -> Any:
    """The record without what names the moment or the random id of what the import created."""
    if isinstance(value, dict):
        return {k: _settled(v) for k, v in value.items() if k not in MOMENT}
    if isinstance(value, list):
        return [_settled(v) for v in value]
    return value


def _filled_return(db_path: Path, tmp_path: Path) -> Path:
    database = open_database(db_path)
    try:
        exported = export(add_actions(database), tmp_path)
    finally:
        database.close()
    return fill(exported, {"CLARE-R3": {"update": "Training delivered to 40 staff; audit booked.",
                                        "proposed_status": "Complete", "proposed_rag": "Green"},
                           "CLARE-R3-A1": {"update": "All staff trained."}}, reverse=True)


def test_the_same_return_through_the_command_line_and_the_window_leaves_the_same_database(
        qtbot: QtBot, make_window: Any, sample_db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    returned = _filled_return(sample_db_path, tmp_path)
    before = tmp_path / "before.sqlite"
    shutil.copy(sample_db_path, before)  # a return is imported only where it was sent: the same file twice
    calls: list[str] = []
    real = together.import_files

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append("import_files")
        return real(*args, **kwargs)
    monkeypatch.setattr(together, "import_files", counted)

    assert main(["import", "--db", str(sample_db_path), str(returned)]) == 0
    assert calls == ["import_files"]
    records = [_settled(dumped(sample_db_path))]
    shutil.copy(before, sample_db_path)

    window = make_window(sample_db_path)
    window.importer.import_files([returned])
    qtbot.waitUntil(lambda: import_dialog(window) is not None and import_dialog(window).isVisible(), timeout=10000)
    dialog = import_dialog(window)
    assert dialog.plan.counts()["new_updates"] == 2
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: import_dialog(window) is None, timeout=10000)
    assert calls == ["import_files", "import_files"]
    window.close()

    records.append(_settled(dumped(sample_db_path)))
    assert "Training delivered to 40 staff" in str(records[1])  # the window's import landed
    assert records[0] == records[1]



def test_a_preview_overtaken_by_the_same_return_imported_elsewhere_imports_nothing(
        sample_db_path: Path, tmp_path: Path) -> None:
    returned = _filled_return(sample_db_path, tmp_path)
    database = open_database(sample_db_path)
    try:
        previewed = plan_import(database, returned)
        assert main(["import", "--db", str(sample_db_path), str(returned)]) == 0  # another window, meanwhile
        before = dump_records(database.sessions)
        with pytest.raises(ImportRefused, match="Preview the file again"):
            apply_plan(database, previewed)
        assert dump_records(database.sessions) == before
    finally:
        database.close()


def test_a_preview_after_an_unrelated_change_is_carried_out_with_the_leads_choices(
        sample_db_path: Path, tmp_path: Path) -> None:
    returned = _filled_return(sample_db_path, tmp_path)
    database = open_database(sample_db_path)
    try:
        previewed = plan_import(database, returned)
        name_partnership(database.sessions, "Southshire Safeguarding Partnership")  # recorded meanwhile
        with database.sessions() as session:
            assert newest_audit_id(session) > previewed.seen_change  # so the plan is made again, under the lock
        result = apply_plan(database, previewed)
        assert result.batch_id and result.counts["new_updates"] == 2
    finally:
        database.close()
