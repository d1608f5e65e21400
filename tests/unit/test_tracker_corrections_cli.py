"""`scr-desk import --answers FILE.json` takes every correction the preview offers, in the shape
`--json` prints them: a row's role (its entry in "row_readings" given an "answer"), a sheet's header
row, a column's role, the review a sheet belongs to, two rows claiming one reference, how a cell
naming several agencies splits (asked or not), and a review's name, code, type and partnership."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from scr_desk.cli import main
from tests.trackers.corrections import two_reviews_tracker

PAIR = "agencies:kingsmere police; kingsmere council adult social care"
JOINED = "agencies:fennimoor and brantwick icb"  # read as one agency: a question not asked


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_every_kind_of_correction_in_the_shape_json_prints(empty_db_path: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    tracker = two_reviews_tracker(tmp_path / "Adult D and E.xlsx")
    db = str(empty_db_path)
    code, out = _run(capsys, "import", "--db", db, str(tracker), "--dry-run", "--json")
    printed = json.loads(out)
    questions = {q["id"]: q for q in printed["questions"]}
    rows = {r["id"]: r for r in printed["row_readings"]}
    assert code == 0 and questions[JOINED]["asked"] is False and questions[PAIR]["asked"] is True
    assert questions[JOINED]["choices"] == ["Fennimoor and Brantwick ICB", "Fennimoor; Brantwick ICB"]
    assert questions["review:Adult D"]["default"]["partnership"] == "Kingsmere Safeguarding Adults Board"
    title = rows["row:Adult D:1"]  # a row not an item: its role, its words and the reason
    assert title["role"] == "title" and title["reason"] and title["text"].startswith("Kingsmere")
    # GIVEN the lead's answers written into what --json printed
    rows["row:Adult D:6"]["answer"] = "note"
    questions["column:Adult D:F"]["answer"] = "evidence"
    questions["review_of:Adult E"]["answer"] = "Adult D"
    questions["duplicate:Adult D:5"]["answer"] = "same"
    questions[PAIR]["answer"] = "Kingsmere Police"
    questions[JOINED]["answer"] = "Fennimoor ICB; Brantwick ICB"
    questions["review:Adult D"]["answer"] = {"name": "Adult D", "code": "SARD", "type": "Safeguarding Adults Review",
                                             "partnership": "Kingsmere SAB"}
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(printed), encoding="utf-8")
    code, out = _run(capsys, "import", "--db", db, str(tracker), "--answers", str(answers))
    assert code == 0, out
    # THEN the records follow every one of them
    _, out = _run(capsys, "dump", "--db", db)
    data = json.loads(out)
    names = {a["uid"]: a["name"] for a in data["agencies"]}
    [review] = data["reviews"]
    assert (review["name"], review["code"], review["partnership"]) == ("Adult D", "SARD", "Kingsmere SAB")
    texts = {r["text"][:20]: r for r in review["recommendations"]}
    assert "Please note the boar" not in texts and "Audit the use of the" not in texts  # a note; one R2
    assert "Train front-door sta" in texts and "Commission an indepe" in texts  # Adult E joined Adult D
    first = texts["Improve the sharing "]
    assert names[first["lead_agency"]] == "Kingsmere Police" and first["contributors"] == []
    joined = texts["Train front-door sta"]
    assert names[joined["lead_agency"]] == "Fennimoor ICB"
    assert [names[c] for c in joined["contributors"]] == ["Brantwick ICB"]
    assert all(u["narrative"] != "Training plan agreed" for u in first["updates"])  # F read as evidence


def test_a_header_row_answered_as_no_tracker(empty_db_path: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    tracker = two_reviews_tracker(tmp_path / "Adult D and E.xlsx")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"header:Adult E": 0}), encoding="utf-8")
    code, out = _run(capsys, "import", "--db", str(empty_db_path), str(tracker), "--dry-run", "--json",
                     "--answers", str(answers))
    printed = json.loads(out)
    adult_e = [r for r in printed["row_readings"] if r["sheet"] == "Adult E"]
    assert code == 0 and [q["id"] for q in printed["questions"] if q["kind"] == "review"] == ["review:Adult D"]
    assert not any(r["role"] == "item" for r in adult_e)


def test_a_sheet_of_several_reviews_names_none_until_the_lead_names_one(
        empty_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "All reviews"
    sheet.append(["Review", "Rec No", "Recommendation", "Lead agency", "RAG"])
    sheet.append(["Child T", "R1", "Strengthen escalation between schools and social care", "Police", "Amber"])
    sheet.append(["Baby K", "R1", "Share safe sleep advice at every health visit", "Health", "Green"])
    tracker = tmp_path / "composite.xlsx"
    book.save(tracker)
    db = str(empty_db_path)
    _, out = _run(capsys, "import", "--db", db, str(tracker), "--dry-run", "--json")
    printed = json.loads(out)
    question = next(q for q in printed["questions"] if q["id"] == "review_of:All reviews")
    # GIVEN a sheet whose Review column names two reviews: no one name is offered as the sheet's
    assert question["default"] == "" and "now 2: Child T, Baby K" in question["question"]
    # WHEN the lead names one, the sheet is one review
    question["answer"] = "Child T"
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(printed), encoding="utf-8")
    code, out = _run(capsys, "import", "--db", db, str(tracker), "--answers", str(answers))
    assert code == 0, out
    _, out = _run(capsys, "dump", "--db", db)
    assert [r["name"] for r in json.loads(out)["reviews"]] == ["Child T"]
