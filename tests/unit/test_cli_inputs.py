"""What the command line is given: dates held to 2000-2100 (a deadline not before its period),
folders that must exist, a folder where a file is meant; and what a look at a file leaves (nothing)
and says (one sentence, counts in plain English)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database
from scr_desk.services.errors import ValidationError
from scr_desk.services.returns_export import export_returns


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exited:  # a usage error: argparse's way
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("options", "said"), [
    (["export", "--agency", "SCC", "--deadline", "01/01/1990"], "--deadline: 01/01/1990 is outside 2000-2100"),
    (["export", "--agency", "SCC", "--period", "2030-31 Q1", "--deadline", "01/01/2020"],
     "--deadline: 01/01/2020 is before 2030-31 Q1 begins (01/04/2030)"),
    (["export", "--agency", "SCC", "--period", "2230-31 Q1"], "--period: 2230-31 Q1 is outside 2000-2100"),
    (["export", "--agency", "SCC", "--period", "2030-32 Q1"], "--period: "),
    (["export", "--agency", "SCC", "--deadline", "31/02/2021"], "--deadline: '31/02/2021' is not a real date"),
    (["report", "--as-of", "01/01/1999"], "--as-of: 01/01/1999 is outside 2000-2100"),
])
def test_dates_outside_the_apps_range_are_usage_errors(sample_db_path: Path, tmp_path: Path, options: list[str],
                                                       said: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / ("r.pdf" if options[0] == "report" else "r.xlsx")
    code, _, err = run(capsys, *options, "--db", str(sample_db_path), "--out", str(out))
    assert code == 2 and said in err and "Traceback" not in err, err
    assert len([line for line in err.splitlines() if "error:" in line]) == 1
    assert err.startswith(f"usage: scr-desk {options[0]} ")  # the command's own usage line
    assert not out.exists()


def test_a_deadline_inside_its_period_is_allowed(sample_db_path: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", "--db", str(sample_db_path), "--agency", "SCC", "--period", "2030-31 Q1",
                       "--deadline", "01/04/2030", "--out", str(tmp_path / "r.xlsx"))
    assert code == 0 and "Wrote the return" in out


def test_the_windows_export_keeps_the_same_rule(sample_db: Database, tmp_path: Path) -> None:
    # File > Export returns… goes through export_returns: refused once, before any file is written
    with pytest.raises(ValidationError, match="before 2030-31 Q1 begins"):
        export_returns(sample_db.sessions, tmp_path / "returns", [1], period="2030-31 Q1", deadline=date(2020, 1, 1))
    assert not (tmp_path / "returns").exists()


@pytest.mark.parametrize("command", [["new"], ["demo"], ["import", "--dry-run"], ["import"]])
def test_a_database_is_never_created_in_a_missing_folder(tmp_path: Path, command: list[str],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from tests.workbooks import legacy_tracker
    files = [str(legacy_tracker(tmp_path / "t.xlsx"))] if command[0] == "import" else []
    target = tmp_path / "missing" / "deeper" / "x.sqlite"
    code, _, err = run(capsys, *command, "--db", str(target), *files)
    assert code == 1 and f"the folder {target.parent} does not exist; nothing was created" in err, err
    assert err.count("\n") == 1 and not (tmp_path / "missing").exists()


@pytest.mark.parametrize("command", ["new", "demo", "import"])
def test_a_folder_named_as_the_database_is_called_a_folder(tmp_path: Path, command: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "somefolder").mkdir()
    code, _, err = run(capsys, command, "--db", str(tmp_path / "somefolder"),
                       *([str(tmp_path / "t.xlsx")] if command == "import" else []))
    assert code == 1 and "somefolder is a folder" in err and "already exists" not in err, err


def test_a_look_at_the_file_leaves_nothing_beside_it(sample_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a database closed cleanly (nothing beside it)
    assert sorted(p.name for p in sample_db_path.parent.iterdir()) == ["sample.sqlite"]
    before = sample_db_path.read_bytes()
    # WHEN it is checked and dumped, THEN no empty -wal or -shm is left, and the file is unchanged
    code, out, _ = run(capsys, "check", "--db", str(sample_db_path))
    assert code == 0 and "Integrity: sound" in out
    assert run(capsys, "dump", "--db", str(sample_db_path))[0] == 0
    assert sorted(p.name for p in sample_db_path.parent.iterdir()) == ["sample.sqlite"]
    assert sample_db_path.read_bytes() == before


def test_a_look_leaves_a_log_another_connection_keeps(sample_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN the database open elsewhere (its -wal and -shm are in use): they are not touched
    with sample_db.engine.connect() as connection:
        connection.exec_driver_sql("SELECT count(*) FROM review").fetchall()
        assert run(capsys, "check", "--db", str(sample_db.path))[0] == 0
        assert Path(f"{sample_db.path}-shm").exists() and Path(f"{sample_db.path}-wal").exists()


def test_check_counts_in_plain_english(sample_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--db", str(sample_db_path))
    [records] = [line for line in out.splitlines() if line.startswith("Records: ")]
    assert code == 0 and "1 review," in records and "1 meeting" in records and "1 reviews" not in records, records
    assert "5 agencies" in records


def test_a_missing_database_is_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("check", "dump"):
        code, _, err = run(capsys, command, "--db", str(tmp_path / "none.sqlite"))
        assert code == 1 and err == f"scr-desk: {tmp_path / 'none.sqlite'}: does not exist.\n", err
