"""A rating standing before each period's update ('Last quarter RAG | Last quarter commentary |
This quarter RAG | This quarter commentary') is that period's: the history's ratings are each
update's own, never the next update's, and no rating is appended to an update as text."""

from __future__ import annotations

from scr_desk.db.engine import Database
from scr_desk.services.dump import dump_records
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from tests.trackers.build_trackers import FILES, TODAY


def test_each_rating_belongs_to_the_update_after_it(db: Database) -> None:
    apply_plan(db, plan_import(db, FILES / "DHR Nia ratings before commentary.xlsx", today=TODAY))
    recs = dump_records(db.sessions)["reviews"][0]["recommendations"]
    history = [[(u["period"], u["rag"], u["narrative"]) for u in sorted(r["updates"], key=lambda u: u["period"])]
               for r in recs]
    assert history == [
        [("2026-27 Q2", "Red", "Not started"), ("2026-27 Q3", "Amber", "Question added to the visit form")],
        [("2026-27 Q2", "Amber", "Advocacy provider chosen"),
         ("2026-27 Q3", "Green", "Advocacy offered in all cases since July")]]
    assert [r["rag"] for r in recs] == ["Amber", "Green"]
