"""Messages in plain English: plurals that agree with their numbers (no "(s)"), field labels in
place of column names, and dates shown dd/mm/yyyy wherever a person reads them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.wording import possessive, the_columns, with_article
from scr_desk.services import updates
from scr_desk.services.errors import ValidationError
from scr_desk.services.history import item_history
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.tree import load_tree
from tests.returns_kit import add_actions, export

pytestmark = pytest.mark.both_engines


def _clare_r1(db: Database) -> ItemKey:
    node = next(n for n in load_tree(db.sessions).walk() if n.reference == "CLARE-R1")
    return ItemKey(node.kind, node.id)


def test_the_helpers_agree_with_their_numbers() -> None:
    assert the_columns(["Key"]) == "the column 'Key' is"
    assert the_columns(["Key", "RAG", "Evidence"]) == "the columns 'Key', 'RAG' and 'Evidence' are"
    assert (with_article("update"), with_article("recommendation"), with_article("action")) == \
        ("an update", "a recommendation", "an action")


def test_an_agency_named_in_the_plural_is_not_given_a_second_s() -> None:
    # a council's letter read "Children's Services's quarterly return"
    assert possessive("Southampton City Council Children's Services") == "Southampton City Council Children's Services'"
    assert possessive("Hampshire Constabulary") == "Hampshire Constabulary's"
    assert possessive("St Mary's") == "St Mary's"
    assert possessive("Wessex Business Access") == "Wessex Business Access's"


def test_a_field_an_update_cannot_take_is_named_by_its_label(sample_db: Database) -> None:
    # GIVEN an update on CLARE-R1
    item = _clare_r1(sample_db)
    update = updates.add_update(sample_db.sessions, item, {"as_at": "03/12/2020", "narrative": "Audit begun"})
    # WHEN a correction tries to change a field of the item, not of the update (its status and
    # RAG, date and agency may be corrected: tests/unit/test_corrections.py)
    with pytest.raises(ValidationError) as raised:
        updates.correct_update(sample_db.sessions, update.id, {"lead_agency_id": 1})
    # THEN the message names the field as the window does, with the right article
    assert str(raised.value) == "Lead agency: cannot be changed on an update"


def test_a_corrected_update_date_shows_in_the_history_as_dd_mm_yyyy(sample_db: Database) -> None:
    item = _clare_r1(sample_db)
    update = updates.add_update(sample_db.sessions, item, {"as_at": "03/12/2020", "narrative": "Audit begun"})
    updates.correct_update(sample_db.sessions, update.id, {"as_at": "04/12/2020"})
    line = next(line for line in item_history(sample_db.sessions, item) if line.what == "update date")
    assert (line.before, line.after) == ("03/12/2020", "04/12/2020")


def test_a_return_without_its_key_column_names_it_in_the_singular(sample_db: Database, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a return whose key column the partner deleted
    path = export(add_actions(sample_db), tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["Returns"]
    column = next(c.column for c in sheet[1] if c.value == "Key (do not edit)")
    sheet.delete_cols(column)
    book.save(path)
    sample_db.close()
    # WHEN it is imported
    assert main(["import", "--db", str(sample_db.location), str(path)]) == 1
    # THEN one column is "the column … is missing"
    err = capsys.readouterr().err
    assert "the column 'Key (do not edit)' is missing" in err and "(s)" not in err


def test_a_tracker_date_cell_is_previewed_as_dd_mm_yyyy(db: Database, tmp_path: Path) -> None:
    # GIVEN a tracker whose target date is a real date cell
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Child Z"
    sheet.append(["Rec No.", "Recommendation", "Lead Agency", "Target Date", "Progress Update", "Date"])
    sheet.append(["1", "Thresholds are applied consistently", "Anytown Council", date(2026, 6, 30),
                  "Audit begun", date(2026, 1, 15)])
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    # WHEN it is previewed
    plan = plan_import(db, path, today=date(2026, 2, 1))
    # THEN the preview's "the file says" shows the date as everywhere else in the interface
    shown = next(row.shown for row in plan.rows if row.shown.get("Target date"))
    assert shown["Target date"] == "30/06/2026"


def test_cells_point_to_skipped_rows_only_when_there_are_some(empty_db_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from tests.trackers.build_trackers import FILES
    assert main(["import", "--db", str(empty_db_path), str(FILES / "Child G numbering.xlsx"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "0 skipped." in out and "not an item" not in out
    assert main(["import", "--db", str(empty_db_path), str(FILES / "SAR sections.xlsx"), "--dry-run"]) == 0
    assert "6 skipped (see the rows marked 'not an item'" in capsys.readouterr().out
