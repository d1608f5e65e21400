"""What an outside reader's Word action plan taught: a Word action plan whose opening paragraph names the
day the review was held and then 'Progress as at 31 October 2026' is dated as at the latter, and a
period the lead gives for its updates never dates them after today; 'In progress – amber' under
Status gives the rating too; a post ('Maternity Matron') under Responsible is no agency."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import docx
import pytest

from scr_desk.cli import main

HELD_THEN_PROGRESS = ("Rapid Review – Baby L: single-agency action plan. This plan responds to the Rapid Review of "
                      "Baby L held by Riverside Safeguarding Children Partnership on 4 August 2026. Progress as at "
                      "31 October 2026.")
ROWS = [("1", "Midwives to complete safe sleep discussion at every postnatal contact", "Head of Midwifery",
         "30/11/2026", "In progress – amber", "Audit tool agreed; first audit due November."),
        ("2", "Add ICON 'coping with crying' leaflet to discharge pack", "Maternity Matron", "30/09/2026",
         "Complete", "Leaflet in all packs since mid-September."),
        ("3", "Health visitors to be notified of all paternal mental health concerns",
         "Named Nurse Safeguarding Children", "31/01/2027", "Not started", "Awaiting a change to the record.")]


def _plan(tmp_path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Riverside NHS Foundation Trust")
    document.add_paragraph(HELD_THEN_PROGRESS)
    table = document.add_table(rows=1, cols=6)
    for cell, heading in zip(table.rows[0].cells, ("Action no.", "Learning point / action", "Responsible",
                                                    "By when", "Status", "Comments"), strict=True):
        cell.text = heading
    for row in ROWS:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    path = tmp_path / "Baby L rapid review plan.docx"
    document.save(str(path))
    return path


def _dry_run(db: Path, path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    assert main(["import", "--db", str(db), str(path), "--dry-run", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_progress_date_dates_the_tracker_not_the_day_the_review_was_held(
        empty_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _dry_run(empty_db_path, _plan(tmp_path), capsys)
    assert result["tracker_date"] == "2026-10-31"


def test_a_rating_after_the_status_words_is_the_items(empty_db_path: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--db", str(empty_db_path), str(_plan(tmp_path))]) == 0
    capsys.readouterr()
    assert main(["dump", "--db", str(empty_db_path)]) == 0
    [review] = json.loads(capsys.readouterr().out)["reviews"]
    items = [item for rec in review["recommendations"] for item in [rec, *rec["actions"]]
             if "safe sleep" in (item.get("text") or "")]
    assert items and items[-1]["status"] == "In progress" and items[-1]["rag"] == "Amber", items


def test_a_period_answered_for_the_updates_never_dates_them_after_today(
        empty_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _plan(tmp_path)
    [question] = [q for q in _dry_run(empty_db_path, path, capsys)["questions"] if q["kind"] == "period"]
    answers = tmp_path / "answers.json"
    running = "2026-27 Q3"  # the quarter running on the day this was written (07/12/2026): ends 31/12/2026
    answers.write_text(json.dumps({question["id"]: running}))
    assert main(["import", "--db", str(empty_db_path), str(path), "--answers", str(answers)]) == 0
    capsys.readouterr()
    assert main(["dump", "--db", str(empty_db_path)]) == 0
    dumped = json.loads(capsys.readouterr().out)
    dates = [u["as_at"] for r in dumped["reviews"] for rec in r["recommendations"] for item in [rec, *rec["actions"]]
             for u in item["updates"]]
    assert dates and all(date.fromisoformat(d) <= max(date.today(), date(2026, 10, 1)) for d in dates), dates


def test_a_post_under_responsible_is_no_new_agency(empty_db_path: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    result = _dry_run(empty_db_path, _plan(tmp_path), capsys)
    assert "Maternity Matron" not in result.get("new_agencies", []), result.get("new_agencies")
    assert not any("Maternity Matron" in w["message"] and "agenc" in w["message"] for w in result["warnings"])
