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


def test_the_window_is_launched_without_loading_the_commands(tmp_path: Path) -> None:
    # GIVEN the command names the short way to the window knows, and the parser's own
    from scr_desk.cli.dispatch import COMMAND_NAMES, commands
    parser_names = {name for name in commands() if name}
    # THEN they are the same: a new command cannot be mistaken for the window's options
    assert set(COMMAND_NAMES) == parser_names
    # AND parsing a window launch imports none of the command modules
    probe = ("import sys; from scr_desk.cli import dispatch; dispatch.cmd_window = lambda args: 0; "
             "code = dispatch.main(['--db', 'x.sqlite', '--exit-when-ready']); "
             "print(code, sorted(m for m in sys.modules if m.startswith('scr_desk.cli.')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "SCR_DESK_DATA_DIR": str(tmp_path)})
    assert result.stdout.split(" ", 1) == ["0", "['scr_desk.cli.common', 'scr_desk.cli.dispatch']\n"], result.stderr


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


def test_db_goes_before_or_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    assert run(capsys, "--db", str(first), "demo")[0] == 0
    assert run(capsys, "demo", "--db", str(second))[0] == 0
    code, out, _ = run(capsys, "--db", str(first), "check")
    assert code == 0 and "Integrity: sound" in out


def test_new_creates_an_empty_database_and_never_overwrites(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "new.sqlite"
    code, out, _ = run(capsys, "new", "--db", str(db))
    assert code == 0 and "Created" in out
    assert json.loads(run(capsys, "dump", "--db", str(db))[1])["reviews"] == []
    code, _, err = run(capsys, "new", "--db", str(db))
    assert code == 1 and "already exists" in err


def test_import_creates_the_database_it_is_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a full workbook from one database and a path where no database is yet
    source = tmp_path / "source.sqlite"
    run(capsys, "demo", "--db", str(source))
    workbook = tmp_path / "full.xlsx"
    assert run(capsys, "export", "--db", str(source), "--out", str(workbook))[0] == 0
    target = tmp_path / "laptop" / "new.sqlite"
    target.parent.mkdir()
    # WHEN a dry run is asked for, nothing is left behind
    code, out, _ = run(capsys, "import", "--db", str(target), str(workbook), "--dry-run")
    assert code == 0 and "would be created" in out and not target.exists()
    # AND the import itself creates the database, says so, and restores every record
    code, out, _ = run(capsys, "import", "--db", str(target), str(workbook))
    assert code == 0 and f"Created {target}" in out
    assert run(capsys, "dump", "--db", str(target))[1] == run(capsys, "dump", "--db", str(source))[1]


def test_a_refused_import_leaves_no_new_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook, just text")
    target = tmp_path / "new.sqlite"
    code, _, err = run(capsys, "import", "--db", str(target), str(junk))
    assert code == 1 and "not an Excel workbook" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.xlsx"]


def test_a_closed_pipe_ends_quietly(sample_db_path: Path) -> None:
    command = (f"{sys.executable} -m scr_desk dump --db '{sample_db_path}' | head -c 10 >/dev/null; "
               "echo \"exit=${PIPESTATUS[0]}\"")
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "exit=0" and result.stderr == ""


def test_the_window_without_a_display_says_so_in_one_sentence(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "scr_desk", "--sample"], capture_output=True, text=True,
                            env={**env, "SCR_DESK_DATA_DIR": str(tmp_path)}, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == ("SCR Desk needs a desktop session: no display was found. (Command-line "
                                     "commands such as `scr-desk export` work without one.)")
