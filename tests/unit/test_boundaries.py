"""The core has no Qt: import-linter's contracts (in pyproject.toml) must hold."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout
    for contract in ("The core has no Qt", "Layers", "The window goes through the services",  # (issue 25)
                     "The command line and the renderers do not import the window"):
        assert f"{contract} KEPT" in result.stdout


def test_no_qt_import_statement_below_ui() -> None:
    offenders = []
    for package in ("domain", "db", "services", "excel"):
        for path in (ROOT / "scr_desk" / package).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                stripped = line.strip()
                if stripped.startswith(("import PySide6", "from PySide6", "import shiboken6", "from shiboken6")):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []
