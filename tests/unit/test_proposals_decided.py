"""Partners' proposals decided in one place: a proposal the import recorded but did not apply
waits on the board; the lead accepts (the item moves through a dated update, audited) or declines
it (it stays on its update, marked, audited), from the command line here (the window's own test
is in tests/ui)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from scr_desk.cli import main
from scr_desk.db.engine import Database, open_database
from scr_desk.db.models import AuditEntry, Proposal
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ProposalState, Rag, Status
from scr_desk.services import items, updates
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.proposals import decide_proposals, list_proposals, reopen_proposals
from scr_desk.services.returns_board import load_board
from scr_desk.services.tree import load_tree
from tests.returns_kit import export, fill

pytestmark = pytest.mark.both_engines


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rec_id(db: Database, reference: str) -> int:
    return next(n.id for n in load_tree(db.sessions).walk() if n.reference == reference)


def police_proposes(db: Database, tmp_path: Path) -> None:
    """The police contribute to CLARE-R1 (the council leads): their proposals are recorded only."""
    police = fill(export(db, tmp_path, "HC"), {"CLARE-R1": {
        "update": "Police training complete", "proposed_status": "Complete", "proposed_rag": "Blue",
        "revised_target": "31/03/2022"}})
    apply_plan(db, plan_import(db, police))


def proposal_audit(db: Database, reference: str) -> list[tuple[str | None, str | None]]:
    uid = items.get_recommendation(db.sessions, rec_id(db, reference)).uid
    with db.sessions() as session:
        return [(e.old_value, e.new_value) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.entity_uid == uid, AuditEntry.field == "proposal"))]


def test_a_recorded_proposal_waits_on_the_board(with_actions: Database, tmp_path: Path) -> None:
    police_proposes(with_actions, tmp_path)
    [waiting] = list_proposals(with_actions.sessions)
    assert waiting.reference == "CLARE-R1" and waiting.agency_code == "HC" and waiting.period == "2020-21 Q4"
    assert waiting.proposed == "Status In progress → Complete; RAG — → Blue; Revised target — → 31/03/2022"
    assert waiting.narrative == "Police training complete"
    [row] = [r for r in load_board(with_actions.sessions).rows if r.code == "HC"]
    assert row.proposals_waiting == 1
    assert load_board(with_actions.sessions).headline().endswith("1 proposal waiting")


def test_proposals_accepted_and_declined_from_the_command_line_each_audited(
        with_actions: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    police_proposes(with_actions, tmp_path)
    council = fill(export(with_actions, tmp_path, "SCC"), {"CLARE-R1": {"update": "Front door audit"}})
    apply_plan(with_actions, plan_import(with_actions, council))
    # a second proposal: the council's, on CLARE-R3, kept on the database's side of a conflict
    rec3 = rec_id(with_actions, "CLARE-R3")
    second = fill(export(with_actions, tmp_path, "SCC"),
                  {"CLARE-R3": {"update": "All trained", "proposed_rag": "Green"}}, out=tmp_path / "scc-second.xlsx")
    items.update_recommendation(with_actions.sessions, rec3, {"rag": "Amber"})  # changed since it was sent
    with_actions.close()
    code, _, _ = run(capsys, "import", "--db", str(with_actions.location), str(second), "--on-conflict", "database")
    assert code == 0
    db = str(with_actions.location)
    code, out, _ = run(capsys, "proposals", "--db", db, "--json")
    waiting = json.loads(out)
    assert code == 0 and [p["item"] for p in waiting] == ["CLARE-R1", "CLARE-R3"]
    first, other = waiting
    assert first["proposed"] == {"status": "Complete", "rag": "Blue", "revised_target_date": "2022-03-31"}
    assert first["now"]["status"] == "In progress" and first["update"]["text"] == "Police training complete"
    code, out, _ = run(capsys, "proposals", "--db", db)
    assert out.startswith("2 proposals waiting for your decision:") and f"{first['id']:>4}  CLARE-R1" in out
    # WHEN the lead accepts the police's and declines the council's
    code, out, _ = run(capsys, "proposals", "--db", db, "--accept", str(first["id"]), "--decline", str(other["id"]))
    assert code == 0 and out.startswith("Accepted 1 proposal (CLARE-R1); declined 1 proposal (CLARE-R3).")
    reopened = open_database(with_actions.location)
    try:
        # THEN CLARE-R1 moved, through a dated update saying so, every field audited
        rec1 = items.get_recommendation(reopened.sessions, rec_id(reopened, "CLARE-R1"))
        assert (rec1.status, rec1.rag, rec1.revised_target_date) == (Status.COMPLETE, Rag.BLUE, date(2022, 3, 31))
        latest = updates.list_updates(reopened.sessions, ItemKey.recommendation(rec1.id))[0]
        assert latest.narrative.startswith("Proposal from Hampshire Constabulary (2020-21 Q4 return) accepted by the "
                                           "lead: Status Complete; RAG Blue")
        assert latest.as_at == date.today() and latest.status is Status.COMPLETE
        assert proposal_audit(reopened, "CLARE-R1")[-1][1] == "accepted"
        # AND CLARE-R3 did not move; the declined proposal stays on its update, marked and audited
        rec3_now = items.get_recommendation(reopened.sessions, rec3)
        assert rec3_now.rag is Rag.AMBER
        assert proposal_audit(reopened, "CLARE-R3")[-1][1] == "declined"
        with reopened.sessions() as session:
            declined = session.get(Proposal, other["id"])
            assert declined is not None and declined.state is ProposalState.DECLINED
            assert declined.decided_at is not None and declined.update.narrative == "All trained"
    finally:
        reopened.close()
    code, out, _ = run(capsys, "proposals", "--db", db)
    assert out == "No proposals are waiting.\n"


def test_deciding_a_proposal_twice_decides_nothing(with_actions: Database, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    police_proposes(with_actions, tmp_path)
    [waiting] = list_proposals(with_actions.sessions)
    decide_proposals(with_actions.sessions, decline=[waiting.id])
    with_actions.close()
    code, _, err = run(capsys, "proposals", "--db", str(with_actions.location), "--accept", str(waiting.id), "99")
    assert code == 1 and "There is no proposal 99" in err
    code, _, err = run(capsys, "proposals", "--db", str(with_actions.location), "--accept", str(waiting.id))
    assert code == 1 and f"1 proposal already decided: {waiting.id} (declined); nothing was decided." in err
    with pytest.raises(SystemExit) as usage:
        main(["proposals", "--db", str(with_actions.location), "--accept", "1", "--decline", "1"])
    assert usage.value.code == 2 and "cannot be both accepted and declined" in capsys.readouterr().err


def test_an_acceptance_undone_puts_the_item_back_and_the_proposal_waits_again(with_actions: Database,
                                                                              tmp_path: Path) -> None:
    police_proposes(with_actions, tmp_path)
    [waiting] = list_proposals(with_actions.sessions)
    rec1 = rec_id(with_actions, "CLARE-R1")
    before = items.get_recommendation(with_actions.sessions, rec1)
    decided = decide_proposals(with_actions.sessions, accept=[waiting.id])
    reopen_proposals(with_actions.sessions, decided)
    after = items.get_recommendation(with_actions.sessions, rec1)
    assert (after.status, after.rag, after.revised_target_date) == (before.status, before.rag,
                                                                     before.revised_target_date)
    assert [p.id for p in list_proposals(with_actions.sessions)] == [waiting.id]
    assert proposal_audit(with_actions, "CLARE-R1")[-1] == ("accepted", "waiting")
