"""`scr-desk import --on-conflict`: each conflict says what was done with it, and a file from
which nothing was taken says so rather than "Imported"."""

from __future__ import annotations

from pathlib import Path

import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database
from scr_desk.services import items
from scr_desk.services.tree import load_tree
from tests.returns_kit import export, fill

pytestmark = pytest.mark.both_engines


def _return_with_a_conflict(db: Database, tmp_path: Path) -> Path:
    """CLARE-R3's return proposes Complete; the database moved it to On hold since the export."""
    filled = fill(export(db, tmp_path), {"CLARE-R3": {"proposed_status": "Complete", "update": "All done"}})
    rec3 = next(n for n in load_tree(db.sessions).walk() if n.reference == "CLARE-R3")
    items.update_recommendation(db.sessions, rec3.id, {"status": "On hold"})
    db.close()
    return filled


@pytest.mark.parametrize(("choice", "said"), [
    ("file", "the file's values are taken (--on-conflict file)"),
    ("database", "the database's values are kept, the update added (--on-conflict database)"),
])
def test_a_chosen_conflict_says_what_was_done(with_actions: Database, tmp_path: Path, choice: str, said: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    filled = _return_with_a_conflict(with_actions, tmp_path)
    assert main(["import", "--db", str(with_actions.location), "--on-conflict", choice, str(filled)]) == 0
    out = capsys.readouterr().out
    assert said in out
    assert "Choose in the preview" not in out and "choose in the preview" not in out
    assert out.startswith("Imported ")


def test_conflicts_left_out_say_nothing_was_imported(with_actions: Database, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a return whose only proposal conflicts, imported with --on-conflict skip
    filled = _return_with_a_conflict(with_actions, tmp_path)
    assert main(["import", "--db", str(with_actions.location), "--on-conflict", "skip", str(filled)]) == 0
    out = capsys.readouterr().out
    # THEN the summary says nothing new came in, and the conflict how it could be taken
    first = out.splitlines()[0]
    assert first.startswith("Imported nothing new from ") and "left out" in first
    assert "left out; to take it, choose in the preview, or use --on-conflict file" in out
