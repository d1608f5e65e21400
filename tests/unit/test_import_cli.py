"""`scr-desk import`: detection, --dry-run, --json's contract, exit codes, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scr_desk.cli import main
from tests.workbooks import legacy_tracker


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_contract_and_dry_run(empty_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tracker = str(legacy_tracker(tmp_path / "tracker.xlsx"))
    code, out, _ = run(capsys, "import", "--db", str(empty_db_path), tracker, "--dry-run", "--json")
    assert code == 0
    result = json.loads(out)
    assert set(result) >= {"kind", "applied", "counts", "errors", "warnings"}
    assert result["kind"] == "legacy" and result["applied"] is False
    assert set(result["counts"]) == {"new_updates", "changed_items", "unchanged_rows", "created_reviews",
                                     "created_recommendations", "created_actions", "skipped_rows"}
    assert all(set(w) == {"sheet", "row", "message"} for w in result["warnings"])
    assert result["mapping"]["Clare"]["columns"]["rec_number"] == "Rec No."
    code, out, _ = run(capsys, "dump", "--db", str(empty_db_path))
    assert json.loads(out)["reviews"] == []  # the dry run wrote nothing
    code, out, _ = run(capsys, "import", "--db", str(empty_db_path), tracker, "--json")
    assert code == 0 and json.loads(out)["applied"] is True
    code, out, _ = run(capsys, "import", "--db", str(empty_db_path), tracker)
    assert code == 0 and "imported before" in out and "new updates" not in out


def test_errors_exit_1_and_nothing_from_any_file(empty_db_path: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl
    good = legacy_tracker(tmp_path / "good.xlsx")
    bad = tmp_path / "bad.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Minutes of the panel", "held on 3 December"])  # readable, but no tracker in it
    book.save(bad)
    code, out, err = run(capsys, "import", "--db", str(empty_db_path), str(good), str(bad), "--json")
    assert code == 1
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["applied"] for r in results] == [False, False]
    assert [e["message"] for e in results[1]["errors"]] == [
        "no sheet looks like a recommendations tracker: no table in it holds recommendations or actions under a "
        "row of headings"]
    assert "bad.xlsx: no sheet looks like" in err and "nothing was imported" in err
    assert "Traceback" not in err
    _, out, _ = run(capsys, "dump", "--db", str(empty_db_path))
    assert json.loads(out)["reviews"] == []


def test_usage(capsys: pytest.CaptureFixture[str], empty_db_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["import", "--db", str(empty_db_path)])
    assert exited.value.code == 2
    code, _, err = run(capsys, "import", "--db", str(empty_db_path), "/nowhere/x.xlsx")
    assert code == 1 and "does not exist" in err
