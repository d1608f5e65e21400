"""Returns come back sorted, re-saved by LibreOffice, with dates typed as text: every update
lands on its item, with the right agency and period, and importing again adds nothing."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scr_desk.db.engine import Database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import Rag, SourceKind, Status
from scr_desk.excel.layout import META_SHEET
from scr_desk.services import items, updates
from scr_desk.services.dump import dump_records
from scr_desk.services.imports.apply import ImportRefused
from scr_desk.services.imports.batches import undo_batch
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import ConflictChoice, Outcome
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.tree import load_tree
from tests.returns_kit import COL, export, fill, libreoffice_resave

pytestmark = pytest.mark.both_engines


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed here")
def test_round_trip_through_libreoffice(with_actions: Database, tmp_path: Path) -> None:
    # GIVEN a return filled in, sorted backwards and re-saved by LibreOffice, dates typed as text
    sent = export(with_actions, tmp_path)
    filled = fill(sent, {
        "CLARE-R3-A1": {"update": "Training delivered to 40 staff", "evidence": "Register",
                        "proposed_status": "Complete", "proposed_rag": "Blue", "completed_by": "J Watkins"},
        "CLARE-R1": {"update": "MASH audit: 95% of thresholds correct", "proposed_rag": "G",
                     "revised_target": "30/06/2021"},
    }, reverse=True)
    back = libreoffice_resave(filled, tmp_path)
    assert openpyxl.load_workbook(back)[META_SHEET].sheet_state == "hidden"  # LibreOffice's doing
    # WHEN it is imported
    plan = plan_import(with_actions, back, today=date(2021, 4, 10))
    assert plan.kind == "returns" and plan.errors == []
    assert plan.counts()["new_updates"] == 2 and plan.counts()["changed_items"] == 2
    apply_plan(with_actions, plan)
    # THEN each update is on its own item, attributed to the agency and period
    tree = {n.reference: n for n in load_tree(with_actions.sessions).walk()}
    action = items.get_action(with_actions.sessions, tree["CLARE-R3-A1"].id)
    assert (action.status, action.rag) == (Status.COMPLETE, Rag.BLUE)
    [latest] = updates.list_updates(with_actions.sessions, ItemKey.action(action.id))
    assert (latest.period, latest.agency_name, latest.author) == ("2020-21 Q4", "Southampton City Council "
                                                                  "Children's Services", "J Watkins")
    assert latest.source_kind is SourceKind.IMPORTED and "row" in latest.source_detail
    rec1 = items.get_recommendation(with_actions.sessions, tree["CLARE-R1"].id)
    assert rec1.rag is Rag.GREEN and rec1.revised_target_date == date(2021, 6, 30)
    assert items.get_action(with_actions.sessions, tree["CLARE-R3-A2"].id).status is Status.NOT_STARTED
    # AND importing the same file again adds nothing, and says so
    before = dump_records(with_actions.sessions)
    again = plan_import(with_actions, back, today=date(2021, 4, 11))
    assert again.already_imported and again.counts()["new_updates"] == 0
    assert again.count(Outcome.UNCHANGED) == 4  # every row: two recommendations and two actions
    assert apply_plan(with_actions, again).batch_id == 0
    assert dump_records(with_actions.sessions) == before


def test_row_errors_name_the_cell_and_block_the_import(with_actions: Database, tmp_path: Path) -> None:
    before = dump_records(with_actions.sessions)
    filled = fill(export(with_actions, tmp_path), {
        "CLARE-R1": {"update": "ok", "revised_target": "31/02/2021"},
        "CLARE-R3": {"proposed_status": "Nearly there"},
        "CLARE-R3-A1": {"proposed_rag": "Purple"},
    })
    book = openpyxl.load_workbook(filled)
    sheet = book["Returns"]
    sheet.cell(sheet.max_row + 1, COL["update"]).value = "A row added by hand"
    sheet.cell(sheet.max_row, COL["reference"]).value = "new item?"
    keys = [sheet.cell(r, 1).value for r in range(2, 6)]
    sheet.cell(4, 1).value = keys[0]  # a copied row: the same key twice
    sheet.cell(4, COL["update"]).value = "On a copied row"
    sheet.cell(5, 1).value = "action:0000"
    sheet.cell(5, COL["update"]).value = "On an edited key"
    book.save(filled)
    plan = plan_import(with_actions, filled)
    errors = {e.row: e for e in plan.errors}
    assert any("no key" in e.message for e in plan.errors)
    assert any("is not a status" in e.message for e in plan.errors)  # row 3's own value, checked first
    assert sum("appears 2 times" in e.message for e in plan.errors) == 2
    assert any("action:0000 is not in the return sent to Southampton City Council" in e.message for e in plan.errors)
    assert not plan.can_apply and errors
    with pytest.raises(ImportRefused, match="nothing was imported"):
        apply_plan(with_actions, plan)
    assert dump_records(with_actions.sessions) == before


def test_bad_values_are_errors_even_when_nothing_else_changed(with_actions: Database, tmp_path: Path) -> None:
    filled = fill(export(with_actions, tmp_path), {"CLARE-R3-A1": {"proposed_rag": "Purple"},
                                                   "CLARE-R3": {"proposed_status": "Nearly there"},
                                                   "CLARE-R1": {"revised_target": "12/31/2021"}})
    plan = plan_import(with_actions, filled)
    columns = sorted(e.column or "" for e in plan.errors)
    assert columns[0].startswith("Proposed RAG (P") and columns[1].startswith("Proposed status (O")
    assert columns[2].startswith("Revised target date (Q")
    assert any("US date" in e.message for e in plan.errors)


def test_locked_edits_are_reported_not_applied(with_actions: Database, tmp_path: Path) -> None:
    filled = fill(export(with_actions, tmp_path), {
        "CLARE-R1": {"status": "Complete", "update": "Audit done"},
        "CLARE-R3": {"owner": "Someone else"},
    })
    plan = plan_import(with_actions, filled)
    warnings = [w.message for w in plan.warnings]
    assert any("Current status (I" in m and "“In progress” to “Complete”" in m for m in warnings)
    assert any("Lead / owner" in m for m in warnings)
    apply_plan(with_actions, plan)
    rec1 = next(n for n in load_tree(with_actions.sessions).walk() if n.reference == "CLARE-R1")
    assert items.get_recommendation(with_actions.sessions, rec1.id).status is Status.IN_PROGRESS


@pytest.mark.parametrize(("choice", "status", "updates_added"), [
    (ConflictChoice.SKIP, Status.ON_HOLD, 0), (ConflictChoice.FILE, Status.COMPLETE, 1),
    (ConflictChoice.DATABASE, Status.ON_HOLD, 1)])
def test_conflicts_offer_a_choice(with_actions: Database, tmp_path: Path, choice: ConflictChoice,
                                  status: Status, updates_added: int) -> None:
    filled = fill(export(with_actions, tmp_path), {"CLARE-R3": {"proposed_status": "Complete",
                                                                "update": "All done"}})
    rec3 = next(n for n in load_tree(with_actions.sessions).walk() if n.reference == "CLARE-R3")
    items.update_recommendation(with_actions.sessions, rec3.id, {"status": "On hold"})  # edited since the export
    plan = plan_import(with_actions, filled)
    [conflict] = [r for r in plan.rows if r.outcome is Outcome.CONFLICT]
    assert conflict.sides == (("Status", "In progress", "On hold", "Complete"),)  # as sent, now, in the file
    assert "CLARE-R3" in conflict.message and "--on-conflict" not in conflict.message  # the choice is said apart
    conflict.choice = choice
    before = len(updates.list_updates(with_actions.sessions, ItemKey.recommendation(rec3.id)))
    apply_plan(with_actions, plan)
    assert items.get_recommendation(with_actions.sessions, rec3.id).status is status
    after = len(updates.list_updates(with_actions.sessions, ItemKey.recommendation(rec3.id)))
    assert after - before == updates_added


def test_apply_refuses_when_the_database_moved_after_the_preview(with_actions: Database, tmp_path: Path) -> None:
    filled = fill(export(with_actions, tmp_path), {"CLARE-R1": {"proposed_rag": "Red"}})
    plan = plan_import(with_actions, filled)
    rec1 = next(n for n in load_tree(with_actions.sessions).walk() if n.reference == "CLARE-R1")
    items.update_recommendation(with_actions.sessions, rec1.id, {"text": "edited meanwhile"})
    with pytest.raises(ImportRefused, match="Preview the file again"):
        apply_plan(with_actions, plan)


def test_another_databases_return_and_an_old_format(with_actions: Database, empty_db_path: Path,
                                                    tmp_path: Path) -> None:
    from scr_desk.db.engine import open_database
    sent = export(with_actions, tmp_path)
    other = open_database(empty_db_path)
    plan = plan_import(other, sent)
    assert plan.kind == "returns" and f"was sent from another database, {with_actions.name}" in plan.errors[0].message
    other.close()
    book = openpyxl.load_workbook(sent)
    meta = book[META_SHEET]
    assert meta["A3"].value == "format_version"
    meta["B3"] = 1  # as the first release wrote them
    book.save(sent)
    plan = plan_import(with_actions, sent)
    assert "earlier version of SCR Desk" in plan.errors[0].message and not plan.can_apply


def test_undo_of_a_return_import(with_actions: Database, tmp_path: Path) -> None:
    before = dump_records(with_actions.sessions)
    plan = plan_import(with_actions, fill(export(with_actions, tmp_path), {
        "CLARE-R3-A1": {"update": "Done", "proposed_status": "Complete"}}))
    result = apply_plan(with_actions, plan)
    # A file is backed up first; on a server the backups are the server's, and the undo record is the safety.
    assert (result.backup is None) if with_actions.is_server else (result.backup is not None and result.backup.exists())
    undo_batch(with_actions, result.batch_id)
    after = dump_records(with_actions.sessions)
    strip = lambda d: {**d, "reviews": [{**r, "recommendations": [  # noqa: E731
        {**rec, "version": 0, "actions": [{**a, "version": 0} for a in rec["actions"]]}
        for rec in r["recommendations"]]} for r in d["reviews"]]}
    assert strip(after) == strip(before)
