"""The command line's contract: outputs, exit codes 0/1/2, and one line (no traceback) on error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scr_desk import __version__
from scr_desk.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_dump_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.sqlite"
    assert run(capsys, "demo", "--db", str(db))[0] == 0
    code, out, _ = run(capsys, "dump", "--db", str(db))
    assert code == 0
    record = json.loads(out)
    [review] = record["reviews"]
    assert (review["name"], review["review_type"]) == ("Clare", "Serious Case Review")
    assert [r["number"] for r in review["recommendations"]] == ["1", "3", "4"]
    assert all(len(r["updates"]) == 1 for r in review["recommendations"])
    assert "Domestic Violence" in review["recommendations"][1]["updates"][0]["narrative"]
    [meeting] = record["meetings"]
    assert meeting["held_on"] == "2020-12-03" and meeting["agenda_item"] == "24"
    assert "Derek Benson" in [a["name"] for a in meeting["attendees"]]
    assert {a["name"] for a in record["agencies"]} >= {"Hampshire Constabulary", "Solent NHS Trust"}
    code, out, _ = run(capsys, "check", "--db", str(db))
    assert code == 0 and "Integrity: sound" in out and "3 recommendations" in out


def test_dump_is_stable_and_can_go_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.sqlite"
    run(capsys, "demo", "--db", str(db))
    _, first, _ = run(capsys, "dump", "--db", str(db))
    assert run(capsys, "dump", "--db", str(db), "--out", str(tmp_path / "d.json"))[0] == 0
    assert (tmp_path / "d.json").read_text(encoding="utf-8") == first


def test_demo_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.sqlite"
    db.write_text("precious")
    code, _, err = run(capsys, "demo", "--db", str(db))
    assert code == 1 and "already exists" in err
    assert db.read_text() == "precious"


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 10])
def test_bad_files_give_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            content: bytes) -> None:
    db = tmp_path / "bad.sqlite"
    db.write_bytes(content)
    for command in ("dump", "check"):
        code, out, err = run(capsys, command, "--db", str(db))
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and "Traceback" not in err and str(db) in err
    assert db.read_bytes() == content


def test_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "dump", "--db", str(tmp_path / "none.sqlite"))
    assert code == 1 and "does not exist" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["dump"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["frobnicate"])
    assert exited.value.code == 2


def test_check_reports_damage(sample_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(sample_db_path.read_bytes())
    data[2 * 4096:5 * 4096] = b"\x00" * (3 * 4096)
    sample_db_path.write_bytes(bytes(data))
    code, _, err = run(capsys, "check", "--db", str(sample_db_path))
    assert code == 1 and ("damaged" in err or "problems" in err)


def test_installed_entry_points_and_no_qt_for_the_core(tmp_path: Path) -> None:
    env = {**os.environ, "SCR_DESK_DATA_DIR": str(tmp_path)}
    version = subprocess.run([sys.executable, "-m", "scr_desk", "--version"], capture_output=True,
                             text=True, env=env, check=True)
    assert version.stdout.strip() == f"scr-desk {__version__}"
    db = tmp_path / "y.sqlite"
    probe = ("import sys; from scr_desk.cli import main; "
             f"code = main(['demo', '--db', {str(db)!r}]) or main(['dump', '--db', {str(db)!r}]); "
             "print('QT-LOADED' if any(m.startswith('PySide6') for m in sys.modules) else 'NO-QT', "
             "file=sys.stderr); sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("NO-QT")
