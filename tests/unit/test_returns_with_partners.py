"""Partners work the way the README says: the return as sent sorts and takes inserted rows in
LibreOffice's own Sort and Insert Rows, and still verifies; and many imports of one return at
once land once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from scr_desk.db.engine import Database, open_database
from scr_desk.domain.dto import ItemKey
from scr_desk.services import updates
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.tree import load_tree
from tests.returns_kit import export, fill

pytestmark = pytest.mark.both_engines

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = Path("/usr/bin/python3")


def _has_uno() -> bool:
    if shutil.which("soffice") is None or not SYSTEM_PYTHON.exists():
        return False
    return subprocess.run([str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _has_uno(), reason="LibreOffice with its Python UNO bridge (python3-uno) is not installed")
def test_libreoffice_sorts_and_inserts_rows_in_the_return_as_sent(with_actions: Database, tmp_path: Path) -> None:
    # GIVEN the return as exported, with one update typed in
    filled = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "Sorted and still found",
                                                                "proposed_status": "Complete"}})
    # WHEN LibreOffice's own Sort and Insert Rows are used on it, and it is saved again
    out = tmp_path / "sorted.xlsx"
    result = subprocess.run([str(SYSTEM_PYTHON), str(ROOT / "tests" / "uno_sort_insert.py"), str(filled), str(out),
                             str(tmp_path / "lo-profile")], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split() == ["sorted", "inserted"]
    # THEN it still verifies, and the update lands on its own item
    plan = plan_import(with_actions, out)
    assert plan.kind == "returns" and plan.errors == [], [e.text for e in plan.errors]
    apply_plan(with_actions, plan)
    rec3 = next(n for n in load_tree(with_actions.sessions).walk() if n.reference == "CLARE-R3")
    latest = updates.list_updates(with_actions.sessions, ItemKey.recommendation(rec3.id))[0]
    assert latest.narrative == "Sorted and still found" and latest.status is not None


def test_twenty_imports_of_one_return_at_once_land_once(with_actions: Database, tmp_path: Path) -> None:
    filled = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "Exactly once"},
                                                   "CLARE-R3-A1": {"update": "Also once", "proposed_rag": "Green"}})
    path = with_actions.location
    with_actions.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(_n: int) -> int:
        return subprocess.run([sys.executable, "-m", "scr_desk", "import", "--db", str(path), str(filled)],
                              capture_output=True, text=True, timeout=240, env=env).returncode
    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(run, range(20)))
    assert codes == [0] * 20
    database = open_database(path)
    try:
        texts = [u.narrative for node in load_tree(database.sessions).walk() if node.kind != "review"
                 for u in updates.list_updates(database.sessions, ItemKey(node.kind, node.id))]
    finally:
        database.close()
    assert texts.count("Exactly once") == 1 and texts.count("Also once") == 1
