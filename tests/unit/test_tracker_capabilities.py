"""What the tracker fixtures of tests/trackers/layouts_d.py teach, checked beyond their golden files:
references kept as identities with their kind, a key's meanings used, links and comments kept, a
dated log as dated updates, several agencies in a cell, a repeated reference asked, the same plan on
a sheet per quarter, an archive of closed actions, Word tables joined, .xls and .ods read (saying
once what is lost), UTF-16 text, and the partnership recorded."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database
from scr_desk.services.dump import dump_records
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from tests.trackers.build_trackers import FILES, GOLDEN, TODAY
from tests.trackers.golden_helpers import projection


def _imported(db: Database, name: str, answers: dict[str, object] | None = None) -> dict:
    plan = plan_import(db, FILES / name, today=TODAY, answers=answers)
    assert plan.errors == []
    apply_plan(db, plan)
    return dump_records(db.sessions)


def _updates(record: dict) -> list[dict]:
    return sorted(record["updates"], key=lambda u: u["as_at"])


def test_references_keep_their_kind_and_the_key_is_used(db: Database) -> None:
    plan = plan_import(db, FILES / "ILACS improvement plan.xlsx", today=TODAY)
    ratings = {q["written"]: q["default"] for q in plan.questions if q["id"].startswith("rag:")}
    assert ratings == {"1": "Blue", "2": "No rating", "3": "No rating"}  # '1 = Met', by the key under the table
    apply_plan(db, plan)
    [review] = dump_records(db.sessions)["reviews"]
    assert [r["number"] for r in review["recommendations"]] == ["1", "2", "AFI1", "AFI2"]  # R1 is not AFI1
    first = review["recommendations"][0]["actions"][0]
    assert first["success_measure"] == "Audit reports (https://example.org/audit/supervision)"  # the link kept
    second = review["recommendations"][1]["actions"][0]
    assert "Comment: Dates agreed at the board" in _updates(second)[-1]["narrative"]


def test_a_dated_log_several_agencies_and_a_repeated_reference(db: Database) -> None:
    plan = plan_import(db, FILES / "SCR Kit progress log.xlsx", today=TODAY)
    [repeated] = [q for q in plan.questions if q["kind"] == "duplicate"]
    assert "Health visitors should see fathers" in repeated["question"] and repeated["default"] == "separate"
    [split] = [q for q in plan.questions if q["kind"] == "agencies"]
    assert split["default"] == "Anytown Council Children's Services; Anytown Police"
    apply_plan(db, plan)
    dump = dump_records(db.sessions)
    names = {a["uid"]: a["name"] for a in dump["agencies"]}
    [review] = dump["reviews"]
    first = review["recommendations"][0]
    assert names[first["lead_agency"]] == "Anytown Council Children's Services"
    assert [names[c] for c in first["contributors"]] == ["Anytown Police"]  # the second agency contributes
    log = _updates(first)
    assert [(u["as_at"], u["narrative"].splitlines()[0]) for u in log] == [
        ("2026-07-12", "12/07/2026 – Chronology template agreed"),
        ("2026-10-14", "14/10/2026 – Audit of ten cases done")]
    assert "and sent to every team" in log[0]["narrative"]  # the wrapped row runs on in its cell's last words
    assert log[-1]["evidence"] == "Audit report (https://example.org/audit)"
    assert "Comment: Pilot in two areas only" in review["recommendations"][1]["updates"][0]["narrative"]


def test_two_rows_claiming_one_reference_are_one_item_when_the_lead_says_so(db: Database) -> None:
    question = next(q for q in plan_import(db, FILES / "SCR Kit progress log.xlsx", today=TODAY).questions
                    if q["kind"] == "duplicate")
    dump = _imported(db, "SCR Kit progress log.xlsx", {question["id"]: "same"})
    recs = dump["reviews"][0]["recommendations"]
    assert [r["number"] for r in recs] == ["1", "2"] and len(recs[1]["updates"]) == 2


def test_the_same_plan_on_a_sheet_per_quarter_is_one_review_with_its_history(db: Database) -> None:
    dump = _imported(db, "LCSPR Noor quarterly sheets.xlsx")
    [review] = dump["reviews"]
    first = review["recommendations"][0]
    assert [(u["period"], u["narrative"]) for u in _updates(first)] == [
        ("2026-27 Q1", "Scoping started"), ("2026-27 Q2", "Pilot in two teams")]
    assert first["rag"] == "Green"  # the latest sheet's rating


def test_an_archive_of_closed_actions_belongs_to_its_review(db: Database) -> None:
    [review] = _imported(db, "SAR Mr Q open and closed.xlsx")["reviews"]
    assert [a["status"] for a in review["recommendations"][0]["actions"]] == ["Complete", "In progress"]


def test_tables_of_recommendations_then_actions_are_joined_and_each_report_keeps_its_own_afi1(db: Database) -> None:
    reviews = {r["name"]: r for r in _imported(db, "Case review actions board paper.docx")["reviews"]}
    assert set(reviews) == {"Adult K", "Leah"}
    leah = {r["number"]: r for r in reviews["Leah"]["recommendations"]}
    assert leah["AFI1"]["actions"][0]["text"] == "Coercive control training for officers"
    assert reviews["Adult K"]["recommendations"][0]["text"] == "Hoarding assessments were not shared"


@pytest.mark.parametrize(("name", "same_as"), [("Child G numbering (LibreOffice).ods", "Child G numbering.json"),
                                               ("Westshire SAB appendix (old Excel).xls", None)])
def test_ods_and_xls_are_read_and_say_once_what_is_lost(db: Database, name: str, same_as: str | None) -> None:
    plan = plan_import(db, FILES / name, today=TODAY)
    assert plan.errors == [] and plan.kind == "legacy"
    lost = [w.message for w in plan.warnings if "gives its values only" in w.message]
    assert len(lost) == 1 and "cell colours" in lost[0]
    apply_plan(db, plan)
    if same_as:
        assert projection(db.sessions) == json.loads((GOLDEN / same_as).read_text(encoding="utf-8"))
    else:  # the RAG was shown only by colour, which an .xls gives no more: read without it, and said
        assert [r["rag"] for r in projection(db.sessions)["reviews"][0]["recommendations"]] == [None] * 4


def test_utf16_text_and_a_percentage_complete(db: Database) -> None:
    [review] = _imported(db, "DHR 7 performance export.txt")["reviews"]
    assert review["name"] == "DHR 7"  # named by its references, not by the file's noise
    assert [r["status"] for r in review["recommendations"]] == ["In progress", "Complete"]


def test_the_partnership_named_in_the_title_is_recorded(db: Database) -> None:
    [review] = _imported(db, "Ava quarterly tracker.xlsx")["reviews"]
    assert review["partnership"] == "Anytown Safeguarding Children Partnership"


def test_a_partnership_named_in_a_review_cell_is_that_reviews(db: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["Learning review action tracker"])
    sheet.append(["Review", "Rec no", "Recommendation", "Lead agency", "RAG"])
    sheet.append(["SAR Joan (Southdale SAB)", "1", "Adult social care should review how referrals are triaged.",
                  "Adult Social Care", "Amber"])
    sheet.append(["DHR Mark (Southdale CSP)", "1", "Police should share concern reports the same day.", "Police",
                  "Red"])
    book.save(tmp_path / "two partnerships.xlsx")
    plan = plan_import(db, tmp_path / "two partnerships.xlsx", today=TODAY)
    apply_plan(db, plan)
    reviews = {r["name"]: r["partnership"] for r in dump_records(db.sessions)["reviews"]}
    assert reviews == {"Joan": "Southdale SAB", "Mark": "Southdale CSP"}


def test_a_trackers_title_headings_and_continuations_are_not_counted_as_left_out(db: Database,
                                                                                   tmp_path: Path) -> None:
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["Rapid Review Child P - action tracker"])
    sheet.append([])
    sheet.append(["No.", "Recommendation", "Lead agency", "RAG", "Update"])
    sheet.append(["1", "Health visitors should ask about fathers at every", "Community Health", "Green", "Started."])
    sheet.append([None, "contact, and record what they learn.", None, None, None])  # the text wrapped by hand
    sheet.append(["2", "Schools should share attendance concerns with social care.", "Education", "Amber", "Agreed."])
    book.save(tmp_path / "Child P.xlsx")
    rows = plan_import(db, tmp_path / "Child P.xlsx", today=TODAY).row_counts()
    assert rows == {"rows": 6, "new": 2, "unchanged": 0, "left_out": 0, "errors": 0, "conflicts": 0,
                    "not_items": 3, "joined": 1}


def test_the_command_line_names_each_review_made_and_how_values_were_read(empty_db_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--db", str(empty_db_path), str(FILES / "Child G numbering.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "Review Child G (code CHILDG, Local Child Safeguarding Practice Review): new" in out
    assert "Read 'Sept 2026' → 30/09/2026 (month only)." in out
    assert main(["import", "--db", str(empty_db_path), str(FILES / "Child G numbering.xlsx"), "--dry-run",
                 "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["reviews"] == [{"name": "Child G", "code": "CHILDG", "partnership": "", "new": False,
                                 "type": "Local Child Safeguarding Practice Review", "read_from": "sheet"}]
    assert {"written": "Sept 2026", "read": "30/09/2026", "how": "month only", "count": 1} in shown["readings"]
    rows = {r["row"]: r for r in shown["row_readings"]}
    assert rows[1]["role"] == "title" and rows[2]["role"] == "header" and rows[3]["outcome"] == "unchanged"


def test_every_row_of_a_dry_run_is_listed_with_its_reason(empty_db_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--db", str(empty_db_path), str(FILES / "SCR Sam tracker 2026-27 Q3.xlsx"), "--dry-run",
                 "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    listed = shown["row_readings"]
    assert [r["row"] for r in listed] == list(range(1, len(listed) + 1))
    for row in listed:
        if row["role"] not in ("item",):
            assert row.get("reason") and "text" in row, row


def test_a_dated_log_older_than_today_is_dated_by_its_entries(db: Database) -> None:
    plan = plan_import(db, FILES / "SCR Kit progress log.xlsx", today=date(2027, 1, 5))
    apply_plan(db, plan)
    first = dump_records(db.sessions)["reviews"][0]["recommendations"][0]
    assert [u["as_at"] for u in _updates(first)] == ["2026-07-12", "2026-10-14"]
