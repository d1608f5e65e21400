"""The app without Python: scr-desk.spec builds a one-folder bundle whose `scr-desk` runs every
command and the window with nothing but /usr/bin:/bin on PATH, moved away from where it was built.

One test (the build takes a minute or two); skipped where PyInstaller is not installed
(`pip install -e '.[bundle]'`; the README's test command installs it)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                       reason="PyInstaller is not installed (pip install -e '.[bundle]')"),
    pytest.mark.skipif(sys.platform.startswith("linux") and shutil.which("objdump") is None,
                       reason="PyInstaller needs objdump on Linux (apt-get install binutils)"),
]


def test_the_bundle_runs_every_command_and_the_window_without_python(tmp_path: Path, pg_cluster: Any,
                                                                    pg_database: Any) -> None:
    # GIVEN the bundle, built from the spec as the README says, then moved somewhere else
    build = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                            "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build"),
                            str(ROOT / "scr-desk.spec")], capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert build.returncode == 0, build.stderr[-4000:]
    bundle = tmp_path / "handed-over" / "scr-desk"
    bundle.parent.mkdir()
    (tmp_path / "dist" / "scr-desk").rename(bundle)
    executable = bundle / ("scr-desk.exe" if sys.platform == "win32" else "scr-desk")
    shipped = sorted(bundle.rglob("*"))
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "SCR_DESK_DATA_DIR": str(tmp_path / "data")}

    def run(*args: str, **extra: str) -> str:
        result = subprocess.run([str(executable), *args], capture_output=True, text=True, cwd=work,
                                env={**env, **extra}, timeout=180)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result.stdout

    # WHEN each command runs from it; THEN each does its work
    assert run("--version").startswith("scr-desk ")
    assert "Created" in run("demo", "--db", "sample.sqlite")
    assert "illustrative" in run("demo", "--db", "invented.sqlite", "--showcase")
    run("export", "--db", "invented.sqlite", "--out", "full.xlsx")
    run("export", "--db", "invented.sqlite", "--agency", "NPOL", "--out", "return.xlsx")
    assert "Created" in run("import", "--db", "restored.sqlite", "full.xlsx")  # migrations ran from the bundle
    assert "Integrity: sound" in run("check", "--db", "restored.sqlite")
    # it reaches a database on a PostgreSQL server too (team mode), with no client installed
    server = pg_cluster.url("lead", pg_database())
    assert "copy keeps the database's identity" in run("copy", "--from", "invented.sqlite", "--to", server)
    assert "Integrity: sound" in run("check", "--db", server)
    run("report", "--db", "invented.sqlite", "--out", "report.pdf")
    run("report", "--db", "invented.sqlite", "--out", "report.docx")
    assert (work / "report.pdf").read_bytes().startswith(b"%PDF")
    assert "word/document.xml" in zipfile.ZipFile(work / "report.docx").namelist()
    for name in ("full.xlsx", "return.xlsx"):
        assert "xl/workbook.xml" in zipfile.ZipFile(work / name).namelist()
    assert run("--db", "invented.sqlite", "--exit-when-ready", QT_QPA_PLATFORM="offscreen").rstrip().endswith(" ms")
    assert run("--sample", "--exit-when-ready", QT_QPA_PLATFORM="offscreen").rstrip().endswith(" ms")
    gui = executable.with_name(executable.name.replace("scr-desk", "scr-desk-gui"))
    window = subprocess.run([str(gui), "--showcase", "--exit-when-ready"], capture_output=True, text=True,
                            cwd=work, env={**env, "QT_QPA_PLATFORM": "offscreen"}, timeout=180)
    assert window.returncode == 0 and window.stdout.rstrip().endswith(" ms"), window.stderr
    # and it kept its data and settings in the data folder it was given: nothing in the home folder,
    # nothing written inside the program's own folder (so a new version can simply replace it)
    assert [p for p in home.rglob("*") if "scr_desk" in p.name] == []
    assert sorted(bundle.rglob("*")) == shipped
