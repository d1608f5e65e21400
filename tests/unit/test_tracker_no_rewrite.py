"""A hand-made tracker never silently rewrites an existing item (issue 20, item 2). Its progress on
an existing item lands as a dated update that moves status and RAG only forward in time; what defines
the item (its text, number, lead agency, target) is filled where the database has nothing and, where
the two differ, shown (each field's value now and in the file) and taken only by the lead's choice."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import Status
from scr_desk.services import items, updates
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import ConflictChoice, Outcome
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.tree import load_tree
from tests.returns_kit import add_actions, export

CLARE_4 = ("Review,Rec,Recommendation,Lead agency,Status,RAG,Target date,Update\n"
           "SCR Clare,4,Something else entirely,Hampshire Constabulary,Complete,Green,31/12/2030,We did it\n")


def _rec(db: Database, reference: str) -> items.RecommendationRow:
    node = next(n for n in load_tree(db.sessions).walk() if n.reference == reference)
    return items.get_recommendation(db.sessions, node.id)


def test_a_two_line_csv_no_longer_rewrites_another_agencys_recommendation(sample_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "clare.csv"
    path.write_text(CLARE_4, encoding="utf-8")
    before = _rec(sample_db, "CLARE-R4")
    plan = plan_import(sample_db, path, today=date(2021, 2, 1))
    [row] = [r for r in plan.rows if r.reference]
    # THEN the row is a conflict showing each field's value now and in the file
    assert row.outcome is Outcome.CONFLICT and row.choice is ConflictChoice.DATABASE
    sides = {label: (now, file) for label, _, now, file in row.sides}
    assert sides["Text"] == (before.text, "Something else entirely")
    assert sides["Lead agency"][1] == "Hampshire Constabulary"
    assert sides["Target date"] == ("—", "31/12/2030")  # even an empty target is not filled by default
    apply_plan(sample_db, plan)
    after = _rec(sample_db, "CLARE-R4")
    # AND by default nothing that defines the item is rewritten: its progress lands as a dated update
    assert (after.text, after.lead_agency_id, after.number, after.target_date) == (
        before.text, before.lead_agency_id, "4", None)
    newest = updates.list_updates(sample_db.sessions, ItemKey.recommendation(after.id))[0]
    assert newest.narrative == "We did it" and newest.status is Status.COMPLETE
    assert after.status is Status.COMPLETE  # the update is newer than the item's newest: it moves it


def test_the_files_values_are_taken_only_when_the_lead_chooses_them(sample_db_path: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "clare.csv"
    path.write_text(CLARE_4, encoding="utf-8")
    assert main(["import", "--db", str(sample_db_path), str(path), "--dry-run", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    [read] = [r for r in shown["row_readings"] if r.get("differs")]
    assert {d["field"] for d in read["differs"]} >= {"Text", "Lead agency"}
    assert main(["import", "--db", str(sample_db_path), str(path), "--on-conflict", "file"]) == 0
    capsys.readouterr()
    assert main(["dump", "--db", str(sample_db_path)]) == 0
    dumped = json.loads(capsys.readouterr().out)
    clare = next(r for r in dumped["reviews"] if r["name"] == "Clare")
    assert next(r for r in clare["recommendations"] if r["number"] == "4")["text"] == "Something else entirely"


def test_an_update_older_than_the_items_newest_moves_nothing(sample_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_text("Review,Rec,Recommendation,Status,RAG,Date of update,Update\n"
                    "SCR Clare,4,,Complete,Blue,01/06/2019,An old note found in a drawer\n", encoding="utf-8")
    before = _rec(sample_db, "CLARE-R4")
    apply_plan(sample_db, plan_import(sample_db, path, today=date(2021, 2, 1)))
    after = _rec(sample_db, "CLARE-R4")
    assert (after.status, after.rag) == (before.status, before.rag)
    history = updates.list_updates(sample_db.sessions, ItemKey.recommendation(after.id))
    assert any(u.narrative == "An old note found in a drawer" and u.as_at == date(2019, 6, 1) for u in history)


def test_a_return_stripped_of_its_hidden_part_rewrites_nothing_a_return_could_not(sample_db: Database,
                                                                                  tmp_path: Path) -> None:
    add_actions(sample_db)
    sent = export(sample_db, tmp_path)
    book = openpyxl.load_workbook(sent)
    for name in [n for n in book.sheetnames if n != "Returns"]:
        del book[name]
    sheet = book["Returns"]
    sheet.delete_cols(1)  # the key column
    renamed = {"Reference": "Ref", "Review": "Case", "Rec no.": "No", "Recommendation": "Recommendation wording",
               "Action": "Task", "Lead / owner": "Who", "Target date": "Due", "Current status": "State",
               "Current RAG": "Rating", "Last update date": "Last", "Last update": "Previously",
               "Update this period": "Progress", "Evidence": "Proof", "Proposed status": "New status",
               "Proposed RAG": "New rating", "Revised target date": "New due", "Completed by": "Signed"}
    for cell in sheet[1]:
        cell.value = renamed.get(cell.value, cell.value)
    for row in sheet.iter_rows(min_row=2):
        row[3].value = "Every agency should rewrite this recommendation in words of its own choosing"
        row[6].value = date(2030, 1, 1)
        row[11].value = "We finished it all"
    book.save(tmp_path / "stripped.xlsx")
    before = {n.reference: (n.title, n.target) for n in load_tree(sample_db.sessions).walk()}
    plan = plan_import(sample_db, tmp_path / "stripped.xlsx", today=date(2021, 2, 1))
    assert plan.kind == "legacy" and plan.errors == []
    assert plan.counts()["created_reviews"] == 0 and plan.counts()["created_recommendations"] == 0
    assert any(r.outcome is Outcome.CONFLICT and "Text" in {s[0] for s in r.sides} for r in plan.rows)
    apply_plan(sample_db, plan)
    after = {n.reference: (n.title, n.target) for n in load_tree(sample_db.sessions).walk()}
    assert after == before  # no text and no target rewritten
    r3 = _rec(sample_db, "CLARE-R3")
    newest = updates.list_updates(sample_db.sessions, ItemKey.recommendation(r3.id))[0]
    assert newest.narrative.startswith("We finished it all")


def test_an_unnumbered_row_no_longer_takes_the_number_another_row_gives_itself(sample_db: Database,
                                                                              tmp_path: Path) -> None:
    # GIVEN a tracker whose first item has no number and whose second is numbered '1' (found by the
    # property test: the first took 1, the second came anew as 2, then as 3 on the next import, ...)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Recommendation", "Recommendation"])
    sheet.append([0, "Total"])
    sheet.append([None, "1", 0])
    path = tmp_path / "messy.xlsx"
    book.save(path)
    plan = plan_import(sample_db, path, today=date(2026, 11, 26))
    assert sorted(r.reference for r in plan.rows if r.reference) == ["messy R1", "messy R2"]
    apply_plan(sample_db, plan)
    # THEN the same file again is every row matched, nothing made anew
    again = plan_import(sample_db, path, today=date(2026, 11, 26)).counts()
    assert (again["created_recommendations"], again["unchanged_rows"]) == (0, 2)
