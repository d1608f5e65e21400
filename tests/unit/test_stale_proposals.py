"""A contributor's proposal on an item another return changed after this return was exported is a
conflict like any other: left out by default, shown side by side, taken only by the lead's choice.

The harm: the police return (exported before the council's return moved CLARE-R1 to Amber) put
it back to Green when applied with `--proposals apply`, silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database, open_database
from scr_desk.domain.enums import Rag
from scr_desk.services import items
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import ConflictChoice, Outcome
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.tree import load_tree
from tests.returns_kit import export, fill

pytestmark = pytest.mark.both_engines


def rec_id(db: Database, reference: str) -> int:
    return next(n.id for n in load_tree(db.sessions).walk() if n.reference == reference)


def police_exported_then_council_moved_it(db: Database, tmp_path: Path) -> Path:
    """Both returns go out; the council's comes back first and moves CLARE-R1 to Amber; the
    police's, filled against what it was sent, proposes Green."""
    police = export(db, tmp_path, "HC")
    council = fill(export(db, tmp_path, "SCC"), {"CLARE-R1": {"update": "Front door audit slipped",
                                                              "proposed_rag": "Amber"}})
    apply_plan(db, plan_import(db, council))
    assert items.get_recommendation(db.sessions, rec_id(db, "CLARE-R1")).rag is Rag.AMBER
    return fill(police, {"CLARE-R1": {"update": "Police training delivered", "proposed_rag": "Green"}})


def test_a_stale_proposal_applied_from_the_command_line_no_longer_reverts_a_newer_change(
        with_actions: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    police = police_exported_then_council_moved_it(with_actions, tmp_path)
    with_actions.close()
    # WHEN the lead imports it asking for proposals to be applied
    code = main(["import", "--db", str(with_actions.location), str(police), "--proposals", "apply", "--json"])
    [result] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # THEN the row is a conflict, left out, said side by side; the council's Amber stands
    assert code == 0 and result["rows"]["conflicts"] == 1 and result["counts"]["changed_items"] == 0
    [said] = [w["message"] for w in result["warnings"] if "CLARE-R1" in w["message"]]
    assert "changed in the database since the return was sent" in said
    assert "RAG: sent as —, now Amber in the database, Green in the return" in said and "left out" in said
    reopened = open_database(with_actions.location)
    try:
        assert items.get_recommendation(reopened.sessions, rec_id(reopened, "CLARE-R1")).rag is Rag.AMBER
    finally:
        reopened.close()


def test_a_stale_proposal_is_taken_only_by_on_conflict_file(with_actions: Database, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    police = police_exported_then_council_moved_it(with_actions, tmp_path)
    with_actions.close()
    code = main(["import", "--db", str(with_actions.location), str(police), "--on-conflict", "file", "--json"])
    [result] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and result["counts"]["changed_items"] == 1
    reopened = open_database(with_actions.location)
    try:
        assert items.get_recommendation(reopened.sessions, rec_id(reopened, "CLARE-R1")).rag is Rag.GREEN
    finally:
        reopened.close()


def test_a_stale_proposal_is_a_conflict_in_the_preview_plan(with_actions: Database, tmp_path: Path) -> None:
    police = police_exported_then_council_moved_it(with_actions, tmp_path)
    plan = plan_import(with_actions, police)
    [row] = [r for r in plan.rows if r.reference == "CLARE-R1"]
    # The preview shows the row as a conflict, left out until the lead chooses, with its sides
    assert row.outcome is Outcome.CONFLICT and row.choice is ConflictChoice.SKIP and not row.proposal
    assert row.sides == (("RAG", "—", "Amber", "Green"),)
    apply_plan(with_actions, plan)
    assert items.get_recommendation(with_actions.sessions, rec_id(with_actions, "CLARE-R1")).rag is Rag.AMBER


def test_a_contributors_proposal_on_an_unchanged_item_is_still_only_a_proposal(with_actions: Database,
                                                                              tmp_path: Path) -> None:
    police = fill(export(with_actions, tmp_path, "HC"), {"CLARE-R1": {"update": "Done", "proposed_rag": "Green"}})
    [row] = [r for r in plan_import(with_actions, police).rows if r.reference == "CLARE-R1"]
    assert row.outcome is Outcome.NEW_UPDATE and row.proposal and row.choice is ConflictChoice.DATABASE
