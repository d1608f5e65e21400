"""The full workbook restores exactly; last quarter's tracker becomes reviews, recommendations,
actions and updates; both can be imported twice without duplicates and undone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scr_desk.db.engine import Database, open_database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import Rag, ReviewType, Status
from scr_desk.services import items, reviews, updates
from scr_desk.services.dump import dump_records
from scr_desk.services.full_export import export_full
from scr_desk.services.imports.batches import UndoRefused, list_batches, undo_batch
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import ConflictChoice, Outcome
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.tree import load_tree
from tests.unit.test_export import rich_db  # noqa: F401  (fixture)
from tests.workbooks import legacy_tracker

pytestmark = pytest.mark.both_engines


def test_full_workbook_restores_every_record(rich_db: Database, empty_db_path: Path, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "full.xlsx"
    export_full(rich_db.sessions, out)
    target = open_database(empty_db_path)
    plan = plan_import(target, out)
    assert plan.kind == "full" and plan.errors == []
    assert plan.counts()["created_recommendations"] == 4 and plan.counts()["created_actions"] == 8
    apply_plan(target, plan)
    assert dump_records(target.sessions) == dump_records(rich_db.sessions)
    # again: every record is matched by its key, nothing is duplicated
    again = plan_import(target, out)
    assert {r.outcome for r in again.rows} == {Outcome.UNCHANGED}
    target.close()


def test_full_workbook_into_a_database_that_holds_some_of_it(rich_db: Database, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "full.xlsx"
    export_full(rich_db.sessions, out)
    rec = next(n for n in load_tree(rich_db.sessions).walk() if n.reference == "CLARE-R5")
    items.update_recommendation(rich_db.sessions, rec.id, {"text": "changed locally"})
    before_counts = {k: len(v) for k, v in dump_records(rich_db.sessions).items() if isinstance(v, list)}
    plan = plan_import(rich_db, out)
    # the database's copy is newer than the workbook's: a conflict, never a silent revert
    changed = [r for r in plan.rows if r.outcome is Outcome.CONFLICT]
    assert [r.reference for r in changed] == ["CLARE-R5"]
    assert {c.field for c in changed[0].changes} >= {"text"}
    changed[0].choice = ConflictChoice.FILE  # the lead chooses the file's
    apply_plan(rich_db, plan)
    assert items.get_recommendation(rich_db.sessions, rec.id).text == "=1+2"
    after_counts = {k: len(v) for k, v in dump_records(rich_db.sessions).items() if isinstance(v, list)}
    assert after_counts == before_counts


def test_full_workbook_with_a_broken_reference(rich_db: Database, empty_db_path: Path, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "full.xlsx"
    export_full(rich_db.sessions, out)
    book = openpyxl.load_workbook(out)
    book["Actions"]["B3"] = "no-such-recommendation"
    book["Updates"]["E2"] = "31/02/2021"
    book.save(out)
    target = open_database(empty_db_path)
    plan = plan_import(target, out)
    messages = {(e.sheet, e.row): e.message for e in plan.errors}
    assert "neither in the database nor in this workbook" in messages[("Actions", 3)]
    assert "is not a real date" in messages[("Updates", 2)]
    assert not plan.can_apply
    target.close()


def test_legacy_tracker(db: Database, tmp_path: Path) -> None:
    path = legacy_tracker(tmp_path / "last quarter.xlsx")
    plan = plan_import(db, path, today=date(2021, 2, 1))
    assert plan.kind == "legacy" and plan.errors == []
    assert plan.mapping["Clare"]["header_row"] == 3  # under the merged title
    assert plan.mapping["Clare"]["columns"]["rag"] == "RAG Rating"
    assert plan.mapping["Adult B"]["columns"]["update"] == "Update Q3"  # the latest quarter
    assert plan.mapping["Adult B"]["update_columns"] == ["Update Q2", "Update Q3"]  # both kept, one update each
    assert any("'Update Q2'" in w.message for w in plan.warnings)  # no year named: the period is asked
    counts = plan.counts()
    assert (counts["created_reviews"], counts["created_recommendations"], counts["created_actions"]) == (2, 4, 4)
    apply_plan(db, plan)
    tree = {n.reference: n for n in load_tree(db.sessions).walk()}
    assert set(tree) == {"CLARE", "CLARE-R1", "CLARE-R1-A1", "CLARE-R1-A2", "CLARE-R3", "CLARE-R3-A1",
                         "CLARE-R3-A2", "ADULTB", "ADULTB-R1", "ADULTB-R2"}
    assert reviews.get_review(db.sessions, tree["CLARE"].id).review_type is ReviewType.SCR
    assert reviews.get_review(db.sessions, tree["ADULTB"].id).review_type is ReviewType.SAR
    # merged recommendation cells filled down onto both action rows
    assert tree["CLARE-R1"].title == "MASH thresholds are applied consistently"
    a1 = items.get_action(db.sessions, tree["CLARE-R1-A1"].id)
    assert a1.rag is Rag.RED  # from the cell's fill colour
    assert a1.target_date == date(2021, 3, 31) and a1.owner_name == "J Watkins"
    assert items.get_action(db.sessions, tree["CLARE-R1-A2"].id).target_date == date(2020, 12, 3)  # "3 Dec 2020"
    assert items.get_action(db.sessions, tree["CLARE-R3-A2"].id).rag is Rag.AMBER  # "Amber/Green"
    r1 = items.get_recommendation(db.sessions, tree["ADULTB-R1"].id)
    assert (r1.status, r1.rag) == (Status.COMPLETE, Rag.BLUE)
    assert items.get_recommendation(db.sessions, tree["ADULTB-R2"].id).status is Status.IN_PROGRESS  # "Ongoing"
    update, earlier = updates.list_updates(db.sessions, ItemKey.recommendation(tree["ADULTB-R1"].id))
    assert (update.narrative, update.evidence, update.period) == ("Guidance published and briefed",
                                                                  "Briefing slides", "2020-21 Q3")
    assert (earlier.narrative, earlier.period) == ("old news", "2020-21 Q2")  # the history is kept
    assert update.agency_name == "Solent NHS Trust"
    # importing the same tracker again adds nothing
    before = dump_records(db.sessions)
    again = plan_import(db, path, today=date(2021, 2, 2))
    assert again.counts()["new_updates"] == 0 and again.counts()["created_actions"] == 0
    apply_plan(db, again)
    assert dump_records(db.sessions) == before


def test_legacy_mapping_correction_is_used_and_remembered(db: Database, tmp_path: Path) -> None:
    from scr_desk.services.imports.legacy import remember_mappings
    path = legacy_tracker(tmp_path / "tracker.xlsx")
    plan = plan_import(db, path)
    columns = dict(plan.mapping["Adult B"]["columns"])
    # the user says: take the update from "Update Q2" (column F) instead
    adult = {name: index for name, index in (("rec_number", 1), ("rec_text", 2), ("lead_agency", 3),
                                              ("status", 4), ("rag", 5), ("update", 6), ("evidence", 8),
                                              ("update_date", 9))}
    corrected = plan_import(db, path, mapping={"Adult B": {"columns": adult}})
    assert corrected.mapping["Adult B"]["columns"]["update"] == "Update Q2"
    assert columns["update"] == "Update Q3"
    with db.sessions.begin() as session:
        remember_mappings(session, corrected, {"Adult B": {"columns": adult}})
    remembered = plan_import(db, path)
    assert remembered.mapping["Adult B"]["columns"]["update"] == "Update Q2"


def test_legacy_values_it_cannot_place_are_questions_not_refusals(db: Database, tmp_path: Path) -> None:
    path = legacy_tracker(tmp_path / "tracker.xlsx")
    book = openpyxl.load_workbook(path)
    book["Clare"]["F4"] = "31/02/2021"
    book["Adult B"]["D4"] = "Sort of"
    book.save(path)
    plan = plan_import(db, path)
    assert plan.errors == [] and plan.can_apply
    asked = {q["id"]: q for q in plan.questions if q["asked"]}
    assert asked["target_date:31/02/2021"]["where"] == "sheet 'Clare', F4"
    assert asked["status:sort of"]["default"] == "Keep as text"
    assert any("'Sort of'" in w.message for w in plan.warnings)
    apply_plan(db, plan)
    tree = {n.reference: n for n in load_tree(db.sessions).walk()}
    action = items.get_action(db.sessions, tree["CLARE-R1-A1"].id)
    assert (action.target_date, action.target_note) == (None, "31/02/2021")  # kept, never guessed
    rec = items.get_recommendation(db.sessions, tree["ADULTB-R2"].id)
    [update] = updates.list_updates(db.sessions, ItemKey.recommendation(rec.id))
    assert "Status: Sort of" in update.narrative


def test_1904_date_system_serials(db: Database, tmp_path: Path) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "Clare"
    sheet.append(["Rec No.", "Recommendation", "Target date", "Status"])
    sheet.append(["1", "MASH", 42706, "Ongoing"])  # a serial typed as a number: 03/12/2020 in 1904 days
    book.save(tmp_path / "mac.xlsx")
    plan = plan_import(db, tmp_path / "mac.xlsx")
    apply_plan(db, plan)
    rec = next(n for n in load_tree(db.sessions).walk() if n.kind == "recommendation")
    assert rec.target == date(2020, 12, 3)


def test_undo_of_a_legacy_import_and_its_refusal(db: Database, tmp_path: Path) -> None:
    path = legacy_tracker(tmp_path / "tracker.xlsx")
    result = apply_plan(db, plan_import(db, path))
    [batch] = list_batches(db.sessions)
    assert batch.kind == "legacy" and batch.counts["created_actions"] == 4
    rec = next(n for n in load_tree(db.sessions).walk() if n.reference == "ADULTB-R2")
    updates.add_update(db.sessions, ItemKey.recommendation(rec.id), {"narrative": "Typed after the import"})
    # the refusal names the item, and the update that blocks it
    with pytest.raises(UndoRefused, match=r"ADULTB-R2, which it created, has an update added since \(dated "):
        undo_batch(db, result.batch_id)
    assert len(load_tree(db.sessions).reviews) == 2
    latest = updates.list_updates(db.sessions, ItemKey.recommendation(rec.id))[0]
    updates.retract_update(db.sessions, latest.uid, latest.previous_status, latest.previous_rag)
    items.update_recommendation(db.sessions, rec.id, {"text": "Reworded after the import"})
    with pytest.raises(UndoRefused, match=r"the text of ADULTB-R2, which it created, was edited afterwards "
                                          r"\(changed from .* to Reworded after the import by "):
        undo_batch(db, result.batch_id)


def test_an_edit_put_back_does_not_stop_undoing_an_import(db: Database, tmp_path: Path) -> None:
    # GIVEN a tracker imported, and a number it created changed and then changed back (an edit, then its undo)
    result = apply_plan(db, plan_import(db, legacy_tracker(tmp_path / "tracker.xlsx")))
    rec = next(n for n in load_tree(db.sessions).walk() if n.reference == "ADULTB-R2")
    items.update_recommendation(db.sessions, rec.id, {"number": "9"})
    items.update_recommendation(db.sessions, rec.id, {"number": "2"})
    # WHEN the import is undone, THEN it is: the number holds what the import left, no work is lost
    assert undo_batch(db, result.batch_id).undone_at is not None
    assert not load_tree(db.sessions).reviews


def test_undo_of_a_fresh_legacy_import(db: Database, tmp_path: Path) -> None:
    before = dump_records(db.sessions)
    result = apply_plan(db, plan_import(db, legacy_tracker(tmp_path / "tracker.xlsx")))
    undone = undo_batch(db, result.batch_id)
    assert undone.undone_at is not None
    assert dump_records(db.sessions) == {**before}
    # and it can be applied again afterwards
    assert apply_plan(db, plan_import(db, tmp_path / "tracker.xlsx")).batch_id > 0
