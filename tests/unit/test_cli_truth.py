"""What the command line tells a lead is true: an empty or unknown agency never gets the full
workbook, output never fails on a console that is not UTF-8, the partnership is named, export
says the period and deadline it used, a database file alone opens the window, a misspelt command
gets the nearest one, and a return row's mistakes are reported all at once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from scr_desk.cli import main
from scr_desk.db.engine import Database, open_database
from tests.returns_kit import export, fill


@pytest.mark.parametrize("agency", ["", "  ", "Nobody"])
def test_export_to_an_empty_or_unknown_agency_never_writes_the_full_workbook(
        sample_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], agency: str) -> None:
    # GIVEN an --agency from an empty shell variable, or a name no agency has
    out = tmp_path / "for-one-partner.xlsx"
    # WHEN the return is exported
    code = main(["export", "--db", str(sample_db_path), "--agency", agency, "--out", str(out)])
    # THEN it is refused in one sentence listing the codes, and no file is written
    err = capsys.readouterr().err.strip()
    assert code == 1 and not out.exists()
    assert len(err.splitlines()) == 1 and err.count(". ") == 0, err
    assert "so nothing was written" in err
    for code_name in ("CCG", "HC", "SCC", "SOLENT"):
        assert code_name in err


def test_export_says_the_period_and_deadline_it_used(sample_db_path: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scc.xlsx"
    assert main(["export", "--db", str(sample_db_path), "--agency", "SCC", "--out", str(out),
                 "--period", "2020-21 Q4"]) == 0
    said = capsys.readouterr().out
    assert "for 2020-21 Q4, due 14/04/2021," in said  # the default deadline, two weeks after the quarter
    assert main(["export", "--db", str(sample_db_path), "--agency", "SCC", "--out", str(out),
                 "--period", "2020-21 Q4", "--deadline", "30/04/2021"]) == 0
    assert "for 2020-21 Q4, due 30/04/2021," in capsys.readouterr().out


def test_the_partnership_is_named_by_new_and_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "lscp.sqlite"
    # GIVEN a database made with its partnership's name
    assert main(["new", "--db", str(db), "--partnership", "Solent & Wight Partnership"]) == 0
    assert "for Solent & Wight Partnership." in capsys.readouterr().out
    assert main(["settings", "--db", str(db)]) == 0
    assert capsys.readouterr().out.strip() == "Partnership: Solent & Wight Partnership"
    # WHEN it is renamed
    assert main(["settings", "--db", str(db), "--partnership", "Isle of Wight Partnership"]) == 0
    assert "now named 'Isle of Wight Partnership'" in capsys.readouterr().out
    from scr_desk.services.settings import read_partnership_name
    database = open_database(db)
    try:
        assert read_partnership_name(database.sessions) == "Isle of Wight Partnership"
    finally:
        database.close()
    # AND a name too long to keep is refused, leaving the name as it was
    assert main(["settings", "--db", str(db), "--partnership", "x" * 201]) == 1
    assert "longer than 200 characters" in capsys.readouterr().err


def test_returns_and_reports_show_the_partnership_named_in_settings(
        sample_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl
    from docx import Document
    assert main(["settings", "--db", str(sample_db_path), "--partnership", "Named Partnership"]) == 0
    out = tmp_path / "scc.xlsx"
    assert main(["export", "--db", str(sample_db_path), "--agency", "SCC", "--out", str(out)]) == 0
    instructions = openpyxl.load_workbook(out)["Instructions"]
    assert "Named Partnership" in [c.value for row in instructions.iter_rows() for c in row]
    assert main(["report", "--db", str(sample_db_path), "--out", str(tmp_path / "r.docx")]) == 0
    assert "Named Partnership" in Document(str(tmp_path / "r.docx")).sections[0].header.paragraphs[0].text


def _tracker_with_names_a_console_cannot_hold(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet.append(["Rec No.", "Recommendation", "Lead agency", "Target date", "RAG", "Progress update"])
    sheet.append([1, "Żaneta’s learning ✓ shared across the partnership", "Łódź Community Trust",
                  date(2027, 3, 31), "Red", "Audit “delayed” ✓ by vacancies"])
    book.save(path)
    return path


def _scr_desk(*words: str, encoding: str = "cp1252") -> subprocess.CompletedProcess[bytes]:
    # Windows with output redirected: the console's encoding is the ANSI code page.
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([sys.executable, "-m", "scr_desk", *words], capture_output=True, env=env, timeout=120)


def test_a_console_that_is_not_utf8_never_fails_an_import_that_saved(tmp_path: Path) -> None:
    # GIVEN a tracker naming an agency whose letters cp1252 cannot hold
    tracker = _tracker_with_names_a_console_cannot_hold(tmp_path / "plan.xlsx")
    db = tmp_path / "lscp.sqlite"
    # WHEN it is imported with output going to a cp1252 console
    done = _scr_desk("import", "--db", str(db), str(tracker))
    # THEN the import is saved, said (what cp1252 cannot hold replaced), and the exit code says so
    out = done.stdout.decode("cp1252")
    assert done.returncode == 0, done.stderr.decode("cp1252")
    assert "Traceback" not in done.stderr.decode("cp1252")
    assert "1 new agency: ?ód? Community Trust" in out  # Ł and ź are not in cp1252; ó is
    database = open_database(db)
    try:
        from scr_desk.services.agencies import list_agencies
        assert [a.name for a in list_agencies(database.sessions)] == ["Łódź Community Trust"]
    finally:
        database.close()
    # AND dump to that console is the same records, \u-escaped
    dumped = _scr_desk("dump", "--db", str(db))
    assert dumped.returncode == 0
    text = dumped.stdout.decode("ascii")  # every other character escaped
    assert json.loads(text)["agencies"][0]["name"] == "Łódź Community Trust"
    # AND --json stays \u-escaped, so it reads back exactly
    again = _scr_desk("import", "--db", str(db), str(tracker), "--dry-run", "--json")
    assert again.returncode == 0
    assert json.loads(again.stdout.decode("ascii"))["file"] == str(tracker)


def test_a_database_file_named_alone_opens_the_window_on_it(tmp_path: Path) -> None:
    from scr_desk.cli.dispatch import _database_named_alone
    assert _database_named_alone(["lscp.sqlite"]) == ["--db=lscp.sqlite"]
    assert _database_named_alone(["--exit-when-ready", "C:/data/lscp.db"]) == ["--exit-when-ready",
                                                                               "--db=C:/data/lscp.db"]
    assert _database_named_alone(["--db", "a.sqlite", "b.sqlite"]) == ["--db", "a.sqlite", "b.sqlite"]
    assert _database_named_alone(["exprot"]) == ["exprot"]  # not a file: a misspelt command
    # The window, offscreen, on a file that is not there: named as the database, not as a command.
    missing = tmp_path / "mistyped.sqlite"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "scr_desk", str(missing), "--exit-when-ready"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1 and f"{missing}: does not exist" in done.stderr, done.stderr


def test_a_misspelt_command_gets_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["exprot", "--db", "x.sqlite"])
    assert exited.value.code == 2
    assert "'exprot' is not a command; did you mean export?" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["imprt"])
    assert "did you mean import?" in capsys.readouterr().err


def test_a_return_row_with_several_problems_reports_them_all_at_once(
        sample_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a return row with a status, a RAG and a date that are all wrong
    sent = export(sample_db, tmp_path)
    filled = fill(sent, {"CLARE-R3": {"update": "Done", "proposed_status": "Finished", "proposed_rag": "Pink",
                                      "revised_target": "31/02/2021"}})
    path = sample_db.path
    sample_db.close()
    # WHEN it is imported
    assert main(["import", "--db", str(path), str(filled)]) == 1
    err = capsys.readouterr().err
    # THEN each of the three cells is named in the one error, and every date said is dd/mm/yyyy
    [line] = [x for x in err.splitlines() if "CLARE-R3" in x]
    assert "'Finished' is not a status" in line
    assert "'Pink' is not a RAG rating" in line
    assert "'31/02/2021' is not a real date" in line
    assert not re.search(r"\d{4}-\d{2}-\d{2}", err), err
