"""Hostile and broken files: one clear sentence within seconds and bounded memory, nothing
written; every spreadsheet in tests/corpus/calamine (third-party test files, see its SOURCE.md)
gets a clean plan or such a sentence."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database
from scr_desk.excel.guard import WorkbookError
from scr_desk.services.dump import dump_records
from scr_desk.services.imports.importer import plan_import
from tests.conftest import TESTS
from tests.workbooks import entity_bomb, legacy_tracker, phantom_rows, truncated, zip_bomb

pytestmark = pytest.mark.both_engines

CORPUS = TESTS / "corpus" / "calamine"


def _refused(db: Database, path: Path, words: str) -> None:
    before = dump_records(db.sessions)
    started = time.monotonic()
    with pytest.raises(WorkbookError) as caught:
        plan_import(db, path)
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert path.name in message and words in message and "\n" not in message
    assert dump_records(db.sessions) == before


def test_not_a_workbook(db: Database, tmp_path: Path) -> None:
    (tmp_path / "notes.xlsx").write_text("Minutes of the panel meeting.\n")
    _refused(db, tmp_path / "notes.xlsx", "not an Excel workbook")


def test_csv_renamed(db: Database, tmp_path: Path) -> None:
    (tmp_path / "tracker.xlsx").write_text("Rec No.,Recommendation,Status\n1,MASH,Ongoing\n")
    _refused(db, tmp_path / "tracker.xlsx", "text (CSV) file")


def test_empty_file(db: Database, tmp_path: Path) -> None:
    (tmp_path / "empty.xlsx").touch()
    _refused(db, tmp_path / "empty.xlsx", "empty")


def test_truncated(db: Database, tmp_path: Path) -> None:
    source = legacy_tracker(tmp_path / "whole.xlsx")
    _refused(db, truncated(source, tmp_path / "cut.xlsx"), "damaged or incomplete")


def test_zip_bomb(db: Database, tmp_path: Path) -> None:
    path = zip_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 5 * 1024 * 1024
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _refused(db, path, "zip bomb")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 200 * 1024  # KiB: under 200 MB


def test_entity_bomb(db: Database, tmp_path: Path) -> None:
    path = entity_bomb(tmp_path / "laughs.xlsx")
    started = time.monotonic()
    try:
        plan = plan_import(db, path)
    except WorkbookError as exc:
        assert "laughs.xlsx" in str(exc)
    else:  # the entities were not expanded: the file is simply not a tracker
        assert plan.errors and "no sheet looks like" in plan.errors[0].message
    assert time.monotonic() - started < 10


def test_million_phantom_rows(db: Database, tmp_path: Path) -> None:
    path = phantom_rows(tmp_path / "phantom.xlsx")
    started = time.monotonic()
    plan = plan_import(db, path)
    assert time.monotonic() - started < 10
    assert plan.errors == [] and [r.row for r in plan.rows] == [1, 2]  # the headings and the one item


@pytest.mark.parametrize(("name", "words"), [
    ("pass_protected.xlsx", "password"), ("issue_385.xls", "password"), ("pass_protected.ods", "password"),
    ("issue_594_dos.ods", "zip bomb"), ("any_sheets.xlsb", "binary workbook"),
    ("strict_iso_paths.xlsx", "Strict Open XML"), ("too_small.xls", "not an Excel workbook"),
])
def test_named_refusals_from_the_corpus(db: Database, name: str, words: str) -> None:
    _refused(db, CORPUS / name, words)


def _corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix != ".md")


def test_the_corpus_is_in_the_repository() -> None:
    assert len(_corpus_files()) > 100 and (CORPUS / "LICENSE-MIT.md").is_file()


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_every_corpus_file_gets_a_plan_or_a_sentence(db: Database, path: Path) -> None:
    started = time.monotonic()
    try:
        plan = plan_import(db, path)
    except WorkbookError as exc:
        assert path.name in str(exc) and "\n" not in str(exc)
    else:
        for issue in plan.errors + plan.warnings:
            assert issue.message and "\n" not in issue.message
    assert time.monotonic() - started < 10


def test_cli_refuses_with_one_line(sample_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.xlsx").write_text("a,b\n1,2\n")
    assert main(["import", "--db", str(sample_db_path), str(tmp_path / "x.xlsx")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "x.xlsx: this is a text (CSV) file" in err
