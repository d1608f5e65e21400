"""The Returns view beside the dashboard: the board after returns went out and one came back, the
dashboard's headline opening it, chasers drafted from it, and proposals accepted and declined
there (each audited, and undoable)."""

from __future__ import annotations

import email
from datetime import date
from email.policy import default
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scr_desk.db.models import AuditEntry
from scr_desk.domain.enums import Rag, Status
from scr_desk.services import items
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.returns_export import agencies_with_open_items
from scr_desk.services.returns_mail import send_returns
from scr_desk.ui.main_window import MainWindow
from tests.returns_kit import fill
from tests.ui.window_helpers import trigger

PERIOD = "2020-21 Q4"


def board_shown(qtbot: QtBot, window: MainWindow, action: Any) -> None:
    """Do `action`, then wait for the board to be drawn again."""
    host = window.returns_board
    before = host.shown
    action()
    qtbot.waitUntil(lambda: host.shown > before and not window.runner.busy, timeout=10000)


def quarter_sent_and_one_back(window: MainWindow, tmp_path: Path) -> Path:
    """Every agency's return sent; the police's comes back proposing CLARE-R1 complete (they
    contribute to it, so their proposal is recorded only) and the council's comes back too."""
    database = window.workspace.database
    folder = tmp_path / "out"
    ids = [agency_id for agency_id, _name, _code, n in agencies_with_open_items(database.sessions) if n]
    send_returns(database.sessions, folder, ids, period=PERIOD, deadline=date(2021, 4, 14))
    police = fill(folder / f"{PERIOD} return - HC - Hampshire Constabulary.xlsx", {"CLARE-R1": {
        "update": "Police training complete", "proposed_status": "Complete", "proposed_rag": "Blue"}},
        out=tmp_path / "hc.xlsx")
    council = fill(folder / f"{PERIOD} return - SCC - Southampton City Council Children's Services.xlsx", {
        "CLARE-R3": {"update": "Forty staff trained", "proposed_rag": "Green"}}, out=tmp_path / "scc.xlsx")
    for path in (police, council):
        apply_plan(database, plan_import(database, path))
    return folder


def test_the_board_beside_the_dashboard(qtbot: QtBot, qtmodeltester: Any, window: MainWindow,
                                        tmp_path: Path) -> None:
    quarter_sent_and_one_back(window, tmp_path)
    view = window.returns_board.view
    # The dashboard shows the board's headline, and choosing it opens the board
    board_shown(qtbot, window, lambda: trigger(window, "dashboard"))
    headline = window.dashboard.returns_headline
    assert headline.isVisibleTo(window.dashboard)
    assert "2 of 4 returns in, 2 overdue, 1 proposal waiting" in headline.text()
    board_shown(qtbot, window, lambda: headline.linkActivated.emit("returns"))
    assert window.right_tabs.currentWidget() is view
    qtmodeltester.check(view.returns_model)
    qtmodeltester.check(view.proposals_model)
    states = {view.returns_model.row_values(r)[0]: view.returns_model.row_values(r)[1]
              for r in range(view.returns_model.rowCount())}
    assert states["HC — Hampshire Constabulary"] == "Received"
    assert states["SOLENT — Solent NHS Trust"].startswith("Overdue (")
    assert view.headline.text() == "2 of 4 returns in, 2 overdue, 1 proposal waiting."
    rows = [view.returns_model.row_values(r) for r in range(view.returns_model.rowCount())]
    police = next(i for i, row in enumerate(rows) if row[0].startswith("HC"))
    assert view.returns_model.row_values(police)[-1].endswith(f"{PERIOD} return - HC - Hampshire Constabulary.xlsx")
    assert view.proposals_model.rowCount() == 1
    assert view.proposals_model.row_values(0)[1:5] == ("CLARE-R1", "HC", PERIOD,
                                                       "Status In progress → Complete; RAG — → Blue")


def test_chasers_drafted_from_the_board(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    quarter_sent_and_one_back(window, tmp_path)
    chasers = tmp_path / "chasers"
    window.prompts.answers["chase_folder"] = chasers
    board_shown(qtbot, window, window.returns_board.show)
    board_shown(qtbot, window, window.returns_board.view.chase.click)
    asked = dict(window.prompts.asked)
    assert asked["chase_folder"][1:] == (PERIOD, 2)  # the two returns still out
    drafts = sorted(chasers.glob("*.eml"))
    assert [d.name.split(" - ")[1] for d in drafts] == ["CCG", "SOLENT"]
    message = email.message_from_bytes(drafts[0].read_bytes(), policy=default)
    assert message["X-Unsent"] == "1" and len(list(message.iter_attachments())) == 1
    assert "2 chasers drafted in" in asked["written"]
    view = window.returns_board.view
    chased = [view.returns_model.row_values(r)[8] for r in range(view.returns_model.rowCount())]
    assert chased.count(date.today().strftime("%d/%m/%Y")) == 2


def test_proposals_accepted_and_declined_from_the_window_each_audited(qtbot: QtBot, window: MainWindow,
                                                                     tmp_path: Path) -> None:
    quarter_sent_and_one_back(window, tmp_path)
    database = window.workspace.database
    rec1 = next(n for n in window.model.tree.walk() if n.reference == "CLARE-R1")
    board_shown(qtbot, window, window.returns_board.show)
    view = window.returns_board.view
    [proposal] = view.data.proposals if view.data else []
    # WHEN the lead selects it and accepts
    view.proposals.selectRow(0)
    assert view.buttons["accept"].isEnabled() and view.buttons["accept_return"].isEnabled()
    board_shown(qtbot, window, view.buttons["accept"].click)
    # THEN the item moved, the decision is audited, and nothing waits
    rec = items.get_recommendation(window.sessions, rec1.id)
    assert (rec.status, rec.rag) == (Status.COMPLETE, Rag.BLUE)
    with database.sessions() as session:
        decided = [e.new_value for e in session.scalars(select(AuditEntry).where(
            AuditEntry.entity_uid == rec.uid, AuditEntry.field == "proposal"))]
    assert decided == ["accepted"]
    assert view.proposals_model.rowCount() == 0 and view.no_proposals.isVisibleTo(view)
    assert window.undo_stack.undoText() == "acceptance of 1 proposal"
    # AND undo puts it back, waiting; then the lead declines it instead
    board_shown(qtbot, window, window.undo_stack.undo)
    assert items.get_recommendation(window.sessions, rec1.id).status is Status.IN_PROGRESS
    assert [p.id for p in (view.data.proposals if view.data else [])] == [proposal.id]
    view.proposals.selectRow(0)
    board_shown(qtbot, window, view.buttons["decline_return"].click)
    assert items.get_recommendation(window.sessions, rec1.id).status is Status.IN_PROGRESS
    with database.sessions() as session:
        decided = [e.new_value for e in session.scalars(select(AuditEntry).where(
            AuditEntry.entity_uid == rec.uid, AuditEntry.field == "proposal"))]
    assert decided == ["accepted", "waiting", "declined"]
    assert window.undo_stack.undoText() == "declining of 1 proposal"


def test_the_quarters_writing_commands_refuse_a_database_open_in_a_window(
        window: MainWindow, tmp_path: Path, capsys: Any) -> None:
    from scr_desk.cli import main
    db = str(window.workspace.path)
    for args in (["returns", "send", "--period", PERIOD, "--deadline", "14/04/2021", "--out", str(tmp_path / "o")],
                 ["returns", "chase", "--period", PERIOD, "--out", str(tmp_path / "c")],
                 ["proposals", "--accept", "1"], ["agencies", "edit", "HC", "--phone", "1"]):
        code = main([*args, "--db", db])
        err = capsys.readouterr().err
        assert code == 1 and "open in an SCR Desk window" in err, (args, err)
    assert not (tmp_path / "o").exists() and not (tmp_path / "c").exists()
