"""The bundle workflow (.github/workflows/bundle.yml, run by GitHub on Windows and macOS) does what
a lead's download needs: it starts the window entry offscreen, makes a Mac app, archives so the
executable bit survives, and prints names that are not ASCII; and the README builds with the
venv's own pip and pyinstaller (Debian 12 refuses them outside a venv). These machines cannot run
the workflow, so its text is checked here; tests/unit/test_bundle.py runs the bundle on Linux."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = (ROOT / ".github" / "workflows" / "bundle.yml").read_text(encoding="utf-8")
SPEC = (ROOT / "scr-desk.spec").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _step(name: str) -> str:
    """The text of the workflow step whose name starts with `name`."""
    steps = re.split(r"\n      - ", WORKFLOW)
    found = [step for step in steps if step.startswith(f"name: {name}")]
    assert found, name
    return found[0]


def test_the_window_entry_is_started_offscreen() -> None:
    assert re.search(r"^\s+QT_QPA_PLATFORM: offscreen$", WORKFLOW, re.MULTILINE)
    step = _step("The window entry")
    assert '"$gui" --showcase --exit-when-ready' in step and "scr-desk-gui" in step


def test_a_mac_app_is_made_and_started() -> None:
    assert 'if sys.platform == "darwin":' in SPEC and 'BUNDLE(coll, name="SCR Desk.app"' in SPEC
    assert '"CFBundleExecutable": "scr-desk-gui"' in SPEC  # a double click opens the window
    step = _step("The Mac app starts")
    assert "if: runner.os == 'macOS'" in step and "SCR Desk.app/Contents/MacOS/scr-desk-gui" in step


def test_the_archive_keeps_the_executable_bit() -> None:
    archive = _step("Archive")
    assert "ditto -c -k" in archive and "test -x" in archive  # unpacked again and checked
    upload = WORKFLOW.split("actions/upload-artifact", 1)[1]
    assert "path: release/" in upload and "dist/scr-desk" not in upload  # never the bare folder


def test_the_smoke_run_prints_names_that_are_not_ascii() -> None:
    step = _step("Names that are not ASCII")
    assert any(ord(ch) > 127 for ch in step)
    assert re.search(r'settings --db "\$db"\s*$', step, re.MULTILINE)  # printed to the runner's console
    assert 'dump --db "$db" > dump.json' in step  # redirected: cp1252 on Windows


def test_the_readme_builds_with_the_venvs_own_pip_and_pyinstaller() -> None:
    section = README.split("## Without Python", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in section.split("```")[1].splitlines() if line.strip()]
    assert commands == ["python3 -m venv .venv", ".venv/bin/pip install -e '.[bundle]'",
                        ".venv/bin/pyinstaller --noconfirm scr-desk.spec"]
    assert "Build dist/scr-desk" in WORKFLOW and '"$bin/pyinstaller" --noconfirm scr-desk.spec' in WORKFLOW
