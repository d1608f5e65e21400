"""Tests never touch the user's files: the run has a home of its own (tests/conftest.py), and the
commands and the window, run as a user would in fresh processes, leave nothing of SCR Desk's in
the home folder outside the data folder they were given."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

from tests.conftest import isolated_environment


def test_the_run_has_a_home_of_its_own() -> None:
    home = Path(os.environ["HOME"])
    assert home != Path(pwd.getpwuid(os.getuid()).pw_dir)
    assert home == Path.home() and home.name.startswith("scr_desk-test-home-")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "SCR_DESK_DATA_DIR"):
        assert Path(os.environ[name]).is_relative_to(home), name


def _scr_desk_files(folder: Path) -> list[Path]:
    words = ("scr_desk", "scr-desk", "scr desk")
    return [p for p in folder.rglob("*") if any(word in p.name.lower() for word in words)]


def test_commands_and_the_window_leave_a_fresh_home_alone(tmp_path: Path) -> None:
    # GIVEN an empty home, its XDG folders inside it, and a data folder outside it
    home, data, work = tmp_path / "home", tmp_path / "data", tmp_path / "work"
    for folder in (home, work):
        folder.mkdir()
    env = {**os.environ, **isolated_environment(home), "SCR_DESK_DATA_DIR": str(data),
           "QT_QPA_PLATFORM": "offscreen"}

    def run(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "scr_desk", *args], capture_output=True, text=True,
                                env=env, cwd=work, timeout=120)
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout

    # WHEN a representative set of commands runs, and the window opens on a file and on the sample
    run("new", "--db", "empty.sqlite")
    run("--db", "sample.sqlite", "demo")
    run("check", "--db", "sample.sqlite")
    run("dump", "--db", "sample.sqlite", "--out", "dump.json")
    run("export", "--db", "sample.sqlite", "--out", "full.xlsx")
    run("export", "--db", "sample.sqlite", "--agency", "SCC", "--out", "return.xlsx")
    run("import", "--db", "restored.sqlite", "full.xlsx")
    run("report", "--db", "sample.sqlite", "--out", "report.pdf")
    run("report", "--db", "sample.sqlite", "--out", "report.docx")
    assert run("--db", "sample.sqlite", "--exit-when-ready").rstrip().endswith(" ms")
    assert run("--sample", "--exit-when-ready").rstrip().endswith(" ms")

    # THEN the home holds nothing of SCR Desk's; the sample and the window's settings are in the data folder
    assert _scr_desk_files(home) == []
    assert (data / "sample").is_dir() and list(data.rglob("*.ini"))
    assert {p.name for p in work.iterdir()} >= {"empty.sqlite", "sample.sqlite", "restored.sqlite", "dump.json",
                                                 "full.xlsx", "return.xlsx", "report.pdf", "report.docx"}
