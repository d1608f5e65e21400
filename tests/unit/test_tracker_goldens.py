"""Every tracker in tests/trackers/files imports as the careful person of its golden file reads
it; importing it again adds nothing; every non-empty cell of its rows is accounted for; next
quarter's copy adds only the new quarter's updates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scr_desk.db.engine import Database
from scr_desk.services.dump import dump_records
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import Outcome
from scr_desk.services.imports.together import apply_plan
from tests.trackers.build_trackers import FILES, GOLDEN, TODAY, TRACKERS
from tests.trackers.golden_helpers import projection

pytestmark = pytest.mark.both_engines


def _golden(path: Path) -> dict:
    return json.loads((GOLDEN / f"{path.stem}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(TRACKERS), ids=lambda n: n.rsplit(".", 1)[0])
def test_tracker_imports_as_a_person_reads_it(db: Database, name: str) -> None:
    path = FILES / name
    # GIVEN a fresh database WHEN the tracker is planned and applied with no answers at all
    plan = plan_import(db, path, today=TODAY)
    assert plan.kind == "legacy" and plan.errors == [], plan.errors
    apply_plan(db, plan)
    # THEN the database holds what the golden file says the tracker holds
    assert projection(db.sessions) == _golden(path)
    # AND every non-empty cell of every row under the header went somewhere
    cells = plan.cells
    assert set(cells) == {"mapped", "kept_as_text", "skipped"} and cells["mapped"] > 0
    # AND importing it again adds nothing and duplicates nothing
    before = dump_records(db.sessions)
    again = plan_import(db, path, today=TODAY)
    assert again.counts()["new_updates"] == 0 and again.counts()["created_recommendations"] == 0
    assert {r.outcome for r in again.rows} <= {Outcome.UNCHANGED, Outcome.SKIPPED}
    apply_plan(db, again)
    assert dump_records(db.sessions) == before


def test_next_quarters_copy_adds_only_the_new_quarter(db: Database) -> None:
    first = FILES / "LSCP case review action plans 2026-27.xlsx"
    copy = FILES / "LSCP case review action plans 2026-27 (Q3 copy).xlsx"
    apply_plan(db, plan_import(db, first, today=TODAY))
    plan = plan_import(db, copy, today=TODAY)
    counts = plan.counts()
    assert (counts["created_reviews"], counts["created_recommendations"], counts["created_actions"]) == (0, 0, 0)
    assert counts["new_updates"] == 2  # the Q3 column's two entries, nothing of Q1 or Q2 again
    apply_plan(db, plan)
    assert projection(db.sessions) == _golden(copy)


def test_every_cell_is_counted_once(db: Database) -> None:
    """The two-row-header tracker counted by hand: rows 5-7 hold 9 + 6 + 8 non-empty cells (B6 is
    merged into B5, so counted once); the key and footer rows' 6 cells are skipped with their reasons."""
    plan = plan_import(db, FILES / "SAB action plan Adult F.xlsx", today=TODAY)
    assert plan.cells == {"mapped": 23, "kept_as_text": 0, "skipped": 6}
    reasons = {r.row: r.message for r in plan.rows if r.outcome is Outcome.SKIPPED}
    assert reasons[9].startswith("not an item: a key to the ratings")
    assert reasons[12].startswith("not an item: a footer")


def test_next_quarters_copy_of_a_one_column_tracker_adds_only_changed_words(db: Database, tmp_path: Path) -> None:
    """A tracker whose one 'Update' column is overwritten each quarter: a row left as it was is no
    new progress, whatever quarter the copy is imported in."""
    from datetime import date

    import openpyxl
    path = FILES / "Partnership tracker.xlsx"
    apply_plan(db, plan_import(db, path, today=TODAY))
    copy = tmp_path / "Partnership tracker Q4.xlsx"
    book = openpyxl.load_workbook(path)
    book.active["I3"] = "Regional protocol adopted; ours withdrawn"  # one row has news
    book.save(copy)
    plan = plan_import(db, copy, today=date(2027, 2, 10))
    assert plan.counts()["new_updates"] == 1 and plan.counts()["created_recommendations"] == 0
    apply_plan(db, plan)
    hoarding = projection(db.sessions)["reviews"][0]["recommendations"][1]
    assert hoarding["updates"] == [["2026-27 Q3", "Replaced by the regional protocol"],
                                   ["2026-27 Q4", "Regional protocol adopted; ours withdrawn"]]
