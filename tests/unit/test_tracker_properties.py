"""Two properties over trackers hypothesis makes up (tests/trackers/generated.py):

- no words lost: every sentence of every non-empty cell in a data row arrives in an item, an update,
  a note, a target note, or the import's account of the rows that are not items, with its reason;
- never a database error: planning and applying never raise and never hit a constraint, however the
  layout varies (duplicate references, a review named twice, control characters, long words), and
  importing the same file again adds nothing."""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scr_desk.db.engine import open_database
from scr_desk.services.dump import dump_records
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from tests.trackers.generated import Tracker, trackers, write, write_csv

TODAY = date(2026, 11, 26)
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w%]+", " ", text.casefold()).split())


def _sinks(dump: dict[str, Any], plan: Any) -> str:
    """Every place a tracker's words may go: the records, and the plan's account of its rows."""
    found: list[str] = []
    agencies = {a["uid"]: a["name"] for a in dump["agencies"]}
    found += agencies.values()
    for review in dump["reviews"]:
        found += [review["name"], review.get("summary", ""), review.get("partnership", "")]
        for rec in review["recommendations"]:
            found += [rec["text"], rec["target_note"], rec.get("themes", "")]
            found += [f"{u['narrative']} {u['evidence']} {u['author']}" for u in rec["updates"]]
            for action in rec["actions"]:
                found += [action["text"], action["target_note"], action["owner_name"], action["success_measure"]]
                found += [f"{u['narrative']} {u['evidence']} {u['author']}" for u in action["updates"]]
    for row in plan.rows:
        if row.reading.get("text") and (row.reading.get("reason") or row.message):
            found.append(row.reading["text"])
        found.append(row.message)
    return " | ".join(_plain(text) for text in found if text)


@given(trackers(), st.booleans())
@SETTINGS
def test_no_words_lost(template_paths: dict[str, Path], tracker: Tracker, as_csv: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(shutil.copy2(template_paths["empty"], Path(folder) / "db.sqlite"))
        database = open_database(db_path)
        try:
            csv_form = as_csv and tracker.placement != "sheets"
            path = write_csv(tracker, Path(folder) / "tracker.csv") if csv_form else write(
                tracker, Path(folder) / "tracker.xlsx")
            plan = plan_import(database, path, today=TODAY)
            assert plan.errors == [], plan.errors
            apply_plan(database, plan)
            sinks = _sinks(dump_records(database.sessions), plan)
            sentences = [part for text in tracker.texts for line in text.splitlines()
                         for part in re.split(r"(?<=\.)\s+", line) if part.strip()]
            lost = [text for text in sentences if _plain(text) not in sinks]
            assert not lost, f"{len(lost)} sentences lost, e.g. {lost[:3]}"
            assert len({r.title for r in tracker.reviews}) == len(dump_records(database.sessions)["reviews"])
        finally:
            database.close()


MESSY = st.one_of(
    st.none(), st.integers(-5, 60000), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(date(1990, 1, 1), date(2090, 12, 31)),
    st.sampled_from(["1", "1", "1.1", "R1", "R1", "AFI1", "2 (i)", "a", "x", "NH(25/26)01", "DHR6/R1", "Total", "Key:",
                     "G", "Amber/Green", "Complete", "Ongoing", "TBC", "31/02/2027", "12/31/2026", "March 2027",
                     "LCSPR Child A", "SAR – Adult B", "Rapid Review Child A", "Police / Health and Council",
                     "J Smith", "Head of Service", "N/A", "-", "14/10/26 – done\n12/07/26 – started", "=SUM(A1)",
                     "Recommendation 2: Partners should work together", "Note: read me", "ÉCOLE nationale",
                     "Ecole Nationale", "école nationale"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.text(st.sampled_from("abc xyz\t\n\x07\x1b"), min_size=1, max_size=700))


@given(st.lists(st.lists(MESSY, min_size=0, max_size=8), min_size=1, max_size=14),
       st.lists(st.sampled_from(["Ref", "Recommendation", "Action", "Lead agency", "Target date", "RAG", "Status",
                                 "Update", "Review", "Update Q1 2026/27", "Update Q2 2026/27", "Owner", "", "Notes"]),
                min_size=2, max_size=8), st.booleans())
@example(rows=[[None, 0, None, "A"]], header=["Ref", "Recommendation", "Ref", "Action"], two_sheets=False)  # no
# number and no words: imported again, it is the wordless recommendation the first import made, not another
@SETTINGS
def test_planning_and_applying_never_raise_or_hit_a_constraint(template_paths: dict[str, Path], rows: list[list[Any]],
                                                               header: list[str], two_sheets: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(shutil.copy2(template_paths["sample"], Path(folder) / "db.sqlite"))
        database = open_database(db_path)
        try:
            book = openpyxl.Workbook()
            for index in range(2 if two_sheets else 1):
                sheet = book.active if index == 0 else book.create_sheet("Adult B")
                sheet.append(header)
                for row in rows:
                    sheet.append([_cell(v) for v in row])
            path = Path(folder) / "messy.xlsx"
            book.save(path)
            plan = plan_import(database, path, today=TODAY)
            if plan.errors:  # only 'no sheet looks like a tracker' may refuse a readable file
                assert all("no sheet looks like a recommendations tracker" in e.message for e in plan.errors)
                return
            apply_plan(database, plan)
            again = plan_import(database, path, today=TODAY)
            made = again.counts()
            assert (made["created_reviews"], made["created_recommendations"], made["created_actions"]) == (0, 0, 0)
            apply_plan(database, again)
        finally:
            database.close()


def _cell(value: Any) -> Any:
    """A value openpyxl can write (it refuses some control characters, as Excel does)."""
    if isinstance(value, str):
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", value)
    return value
