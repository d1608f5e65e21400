"""Rows linked by a parent code (tests/trackers/layouts_links.py): the links hold the hierarchy,
whatever the rows' order, and a code a row points at is a row, never a review's name."""

from __future__ import annotations

import csv
from pathlib import Path

from scr_desk.db.engine import Database
from scr_desk.services.dump import dump_records
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from tests.trackers.build_trackers import FILES, TODAY


def _reviews(db: Database, path: Path) -> list[dict]:
    plan = plan_import(db, path, today=TODAY)
    assert plan.errors == []
    apply_plan(db, plan)
    return dump_records(db.sessions)["reviews"]


def test_three_levels_of_links_are_reviews_recommendations_and_actions(db: Database) -> None:
    reviews = _reviews(db, FILES / "Eastmere learning plans export.xlsx")
    assert sorted(r["name"] for r in reviews) == ["Child K", "Marcus"]  # never 'RV12' or 'RV12.01'
    marcus = next(r for r in reviews if r["name"] == "Marcus")
    [learning] = marcus["recommendations"]
    # the task listed last, after the other review's rows, is still under its own learning point
    assert [a["text"] for a in learning["actions"]] == ["Add a housing question to the discharge checklist",
                                                       "Housing officers trained on the checklist"]


def test_two_levels_of_links_are_recommendations_and_their_actions(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "SAR Lena actions export.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([
            ["Ref", "Parent", "Description", "Due", "Status"],
            ["L1", "", "Carers should be offered an assessment at discharge", "31/03/2027", "Open"],
            ["L2", "", "Agencies should use the escalation policy", "31/01/2027", "Open"],
            ["L1-1", "L1", "Discharge letter prompts a carer's assessment", "31/12/2026", "Not started"],
            ["L2-1", "L2", "Escalation policy briefing", "30/11/2026", "Not started"],
            ["L1-2", "L1", "Carers' centre told of every discharge", "28/02/2027", "Not started"],
        ])
    [lena] = _reviews(db, path)
    assert lena["name"] == "Lena"
    recs = {r["text"]: [a["text"] for a in r["actions"]] for r in lena["recommendations"]}
    assert recs == {
        "Carers should be offered an assessment at discharge": ["Discharge letter prompts a carer's assessment",
                                                                "Carers' centre told of every discharge"],
        "Agencies should use the escalation policy": ["Escalation policy briefing"]}
