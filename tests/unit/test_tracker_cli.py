"""`scr-desk import` of a hand-made tracker: no answers needed (defaults apply, each question is a
warning, exit 0), `--answers FILE.json` in the shape `--json` prints its questions, and answers
remembered for the partnership's next import."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scr_desk.cli import main
from tests.trackers.build_trackers import FILES

SECTIONS = FILES / "SAR sections.xlsx"  # its 'Progress' column names no period: asked
NUMBERING = FILES / "Child G numbering.xlsx"  # 'End of year' with no year known: asked


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_defaults_apply_and_each_question_is_a_warning(empty_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", "--db", str(empty_db_path), str(NUMBERING))
    assert code == 0 and out.startswith("Imported Child G numbering.xlsx (a tracker)")
    assert "warning: Which date is the target 'End of year'" in out and "Keep as text" in out
    assert "Cells: 40 mapped, 3 kept as text, 0 skipped" in out  # the % complete cells are kept as text
    assert "4 new agencies: Anytown Council Children's Services" in out


def test_answers_file_in_the_shape_of_the_questions(empty_db_path: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN the questions --json prints for a tracker
    code, out, _ = run(capsys, "import", "--db", str(empty_db_path), str(SECTIONS), "--dry-run", "--json")
    result = json.loads(out)
    assert code == 0 and result["cells"] == {"mapped": 30, "kept_as_text": 0, "skipped": 6}
    questions = {q["id"]: q for q in result["questions"]}
    period = questions["period:SAR action plans:Progress"]
    assert period["asked"] is True and re.fullmatch(r"\d{4}-\d\d Q[1-4]", period["default"])  # today's quarter
    assert questions["rag:yellow"]["default"] == "Amber" and questions["review:Adult C"]["default"]["code"] == "ADULTC"
    # WHEN the lead answers three of them in the same shape and imports with --answers
    period["answer"] = "2026-27 Q2"
    questions["review:Adult C"]["answer"] = {"name": "Adult C (2025)", "code": "SARC", "type": "SAR in Rapid Time"}
    questions["rag:on track"]["answer"] = "Amber"
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(list(questions.values())), encoding="utf-8")
    code, out, _ = run(capsys, "import", "--db", str(empty_db_path), str(SECTIONS), "--answers", str(answers))
    assert code == 0 and "Which reporting period" not in out  # answered: no longer a warning
    # THEN the records follow the answers
    _, out, _ = run(capsys, "dump", "--db", str(empty_db_path))
    reviews = {r["name"]: r for r in json.loads(out)["reviews"]}
    adult_c = reviews["Adult C (2025)"]
    assert (adult_c["code"], adult_c["review_type"]) == ("SARC", "SAR in Rapid Time")
    capacity = adult_c["recommendations"][1]["actions"][0]
    assert capacity["rag"] == "Amber" and capacity["updates"][0]["period"] == "2026-27 Q2"
    # AND they are remembered: the same tracker again, without --answers, is read the same way
    code, out, _ = run(capsys, "import", "--db", str(empty_db_path), str(SECTIONS), "--dry-run", "--json")
    again = json.loads(out)
    assert again["counts"]["created_reviews"] == 0 and again["counts"]["new_updates"] == 0
    remembered = {q["id"]: q for q in again["questions"]}
    assert remembered["period:SAR action plans:Progress"]["answer"] == "2026-27 Q2"


def test_a_broken_answers_file_is_one_sentence(empty_db_path: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "answers.json").write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "import", "--db", str(empty_db_path), str(SECTIONS), "--answers",
                       str(tmp_path / "answers.json"))
    assert code == 1 and "answers.json: the answers file is not JSON" in err and err.count("\n") == 1


def test_wrong_answers_are_an_error_naming_them(empty_db_path: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN answers with an id no question has, and a RAG answer that is not one of its choices
    answers = tmp_path / "bad.json"
    answers.write_text(json.dumps({"bogus:id": "x", "rag:yellow": "Violet"}), encoding="utf-8")
    # WHEN the tracker is imported with them
    code, out, err = run(capsys, "import", "--db", str(empty_db_path), str(SECTIONS), "--answers", str(answers))
    # THEN one error names both, exit 1
    assert code == 1 and not out
    assert "'bogus:id'" in err and "'rag:yellow': 'Violet' is not one of its choices: Red, Amber" in err
    assert "Nothing was imported." in err and err.count("\n") == 1
    # AND nothing was written, nor remembered for the next import
    _, out, _ = run(capsys, "dump", "--db", str(empty_db_path))
    assert json.loads(out)["reviews"] == []
    _, out, _ = run(capsys, "import", "--db", str(empty_db_path), str(SECTIONS), "--dry-run", "--json")
    assert all("answer" not in q for q in json.loads(out)["questions"])


def test_answers_are_read_whatever_their_case(empty_db_path: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"rag:yellow": "no rating", "rag:on track": "amber",
                                   "period:SAR action plans:Progress": "2026-27 Q2"}), encoding="utf-8")
    code, _, err = run(capsys, "import", "--db", str(empty_db_path), str(SECTIONS), "--answers", str(answers))
    assert code == 0 and not err
    _, out, _ = run(capsys, "import", "--db", str(empty_db_path), str(SECTIONS), "--dry-run", "--json")
    remembered = {q["id"]: q.get("answer") for q in json.loads(out)["questions"]}
    assert remembered["rag:yellow"] == "no rating" and remembered["rag:on track"] == "amber"
