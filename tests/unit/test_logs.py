"""One log, configured once: an unexpected failure is one sentence on screen and a traceback in
an owner-only file in the data folder; a run with nothing to report leaves no log behind."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from scr_desk.cli import main, records


def test_an_unexpected_failure_is_one_line_and_a_logged_traceback(data_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a command that meets a failure nobody foresaw
    def broken(_args: object) -> int:
        raise RuntimeError("the unforeseen")
    monkeypatch.setitem(records.COMMANDS, "new", broken)
    # WHEN it runs
    code = main(["new", "--db", str(tmp_path / "x.sqlite")])
    _, err = capsys.readouterr()
    # THEN the user reads one line naming the log, and the log holds the traceback, owner-only
    log = data_dir / "logs" / "scr_desk-errors.log"
    assert code == 1 and err.count("\n") == 1 and str(log) in err and "Traceback" not in err
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError: the unforeseen" in text and "Traceback" in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_a_run_with_nothing_to_report_leaves_no_log(data_dir: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--db", str(tmp_path / "x.sqlite")]) == 0
    assert not (data_dir / "logs" / "scr_desk-errors.log").exists()
