"""`returns send` writes each agency's return with an email draft beside it; the board follows
each return out and back; `returns chase` drafts a chaser with the same return attached for each
one still out, rebuilding it from the record when the file has gone. Every draft is parsed back
with the standard `email` package, as a mail program would read it."""

from __future__ import annotations

import email
import json
import shutil
from datetime import date
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import openpyxl
import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database, open_database
from scr_desk.excel.return_meta import export_id_of
from scr_desk.services import agencies
from scr_desk.services.imports.batches import undo_batch
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.returns_board import ReturnState, load_board
from tests.returns_kit import fill

pytestmark = pytest.mark.both_engines

PERIOD = "2020-21 Q4"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def parsed(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    return message


def attachment(message: EmailMessage) -> tuple[str, bytes]:
    [part] = list(message.iter_attachments())
    assert part.get_content_type() == XLSX
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return str(part.get_filename()), payload


def all_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: [tuple(c.value for c in row) for row in sheet.iter_rows()] for sheet in book.worksheets}


def with_contacts(db: Database) -> Database:
    by_code = {a.code: a for a in agencies.list_agencies(db.sessions)}
    agencies.update_agency(db.sessions, by_code["HC"].id, {"contact_name": "J Smith", "contact_email":
                                                          "j.smith@police.example; safeguarding@police.example"})
    agencies.update_agency(db.sessions, by_code["SCC"].id, {"contact_name": "A Patel",
                                                           "contact_email": "a.patel@council.example"})
    return db


def send(db: Database, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    db.close()
    return run(capsys, "returns", "send", "--db", str(db.location), "--period", PERIOD, "--deadline", "14/04/2021",
               "--out", str(out))


def test_send_writes_a_return_and_a_draft_per_agency_each_draft_carrying_its_return(
        with_actions: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with_contacts(with_actions)
    out = tmp_path / "out"
    code, said, err = send(with_actions, out, capsys)
    returns = sorted(out.glob("*.xlsx"))
    drafts = sorted(out.glob("*.eml"))
    # THEN N returns and N drafts, each draft beside its return
    assert code == 0 and len(returns) == len(drafts) == 4  # every agency with open items
    assert [d.stem for d in drafts] == [r.stem for r in returns]
    assert said.startswith(f"Wrote 4 returns for {PERIOD} (due 14/04/2021) and 4 email drafts to {out}:")
    for workbook in returns:
        message = parsed(workbook.with_suffix(".eml"))
        # an editable draft (X-Unsent), subject naming the partnership, the agency and the period
        assert message["X-Unsent"] == "1"
        assert message["Subject"].startswith("Southampton Safeguarding Children Partnership: 2020-21 Q4 return for ")
        name, data = attachment(message)
        assert name == workbook.name and data == workbook.read_bytes()  # the return written beside it
        plain = message.get_body(("plain",))
        html = message.get_body(("html",))
        assert plain is not None and html is not None
        assert "14/04/2021" in plain.get_content() and "shaded columns" in plain.get_content()
        assert "<p>" in html.get_content()
    police = parsed(out / f"{PERIOD} return - HC - Hampshire Constabulary.eml")
    assert [a.addr_spec for a in police["To"].addresses] == ["j.smith@police.example", "safeguarding@police.example"]
    assert police["To"].addresses[0].display_name == "J Smith"
    body = police.get_body(("plain",))
    assert body is not None and "Dear J Smith," in body.get_content() and "Hampshire Constabulary" in police["Subject"]
    # AND an agency with no address: a draft with no recipient, and a warning naming it
    solent = parsed(out / f"{PERIOD} return - SOLENT - Solent NHS Trust.eml")
    assert solent["To"] is None and "Dear colleague," in solent.get_body(("plain",)).get_content()
    assert "Solent NHS Trust has no email address: its draft has no recipient" in err


def test_the_board_follows_each_return_out_and_back(with_actions: Database, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    send(with_actions, out, capsys)
    db = open_database(with_actions.location)
    try:
        board = load_board(db.sessions, today=date(2021, 4, 10))
        assert board.period == PERIOD and {r.code: r.state for r in board.rows} == {
            "SCC": ReturnState.SENT, "HC": ReturnState.SENT, "CCG": ReturnState.SENT, "SOLENT": ReturnState.SENT}
        assert board.headline() == "0 of 4 returns in, 0 overdue, 0 proposals waiting"
        # WHEN the council's filled return is imported THEN the council's return is received
        council = fill(out / f"{PERIOD} return - SCC - Southampton City Council Children's Services.xlsx", {
            "CLARE-R3": {"update": "Forty staff trained", "proposed_status": "Complete"}}, out=tmp_path / "scc.xlsx")
        applied = apply_plan(db, plan_import(db, council))
        later = load_board(db.sessions, today=date(2021, 4, 20))
        rows = {r.code: r for r in later.rows}
        assert rows["SCC"].state is ReturnState.RECEIVED and rows["SCC"].rows_landed == 1
        assert rows["HC"].state is ReturnState.OVERDUE and rows["HC"].days_overdue == 6
        assert later.headline() == "1 of 4 returns in, 3 overdue, 0 proposals waiting"
        # AND undoing that import takes the receipt back with it
        undo_batch(db, applied.batch_id)
        assert {r.code: r.state for r in load_board(db.sessions, today=date(2021, 4, 20)).rows}["SCC"] \
            is ReturnState.OVERDUE
    finally:
        db.close()


def test_a_return_with_a_conflict_left_out_is_partly_received(with_actions: Database, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from scr_desk.services import items
    from scr_desk.services.tree import load_tree
    out = tmp_path / "out"
    send(with_actions, out, capsys)
    db = open_database(with_actions.location)
    try:
        rec3 = next(n for n in load_tree(db.sessions).walk() if n.reference == "CLARE-R3")
        items.update_recommendation(db.sessions, rec3.id, {"status": "On hold"})  # changed since it was sent
        council = fill(out / f"{PERIOD} return - SCC - Southampton City Council Children's Services.xlsx", {
            "CLARE-R3": {"update": "Trained", "proposed_status": "Complete"},
            "CLARE-R1": {"update": "MASH audit done"}}, out=tmp_path / "scc.xlsx")
        apply_plan(db, plan_import(db, council))
        [row] = [r for r in load_board(db.sessions, today=date(2021, 4, 10)).rows if r.code == "SCC"]
        assert row.state is ReturnState.PARTLY and row.rows_landed == 1 and row.rows_left_out == 1
    finally:
        db.close()


def test_board_json_has_every_field_the_issue_lists(with_actions: Database, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    send(with_actions, tmp_path / "out", capsys)
    code, out, _ = run(capsys, "returns", "--db", str(with_actions.location), "--json", "--period", PERIOD)
    rows = json.loads(out)
    assert code == 0 and len(rows) == 4
    for row in rows:
        assert {"agency", "name", "period", "state", "deadline", "sent", "received", "rows_sent", "rows_landed",
                "proposals_waiting", "days_overdue", "chased"} <= set(row)
        assert row["period"] == PERIOD and row["deadline"] == "2021-04-14" and row["chased"] == []
    code, out, _ = run(capsys, "returns", "--db", str(with_actions.location))
    assert code == 0 and out.startswith(f"Returns for {PERIOD}: 0 of 4 returns in, 4 overdue, 0 proposals waiting.")


def test_chase_drafts_only_for_returns_still_out_with_the_same_return_attached(
        with_actions: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with_contacts(with_actions)
    out, chasers = tmp_path / "out", tmp_path / "chasers"
    send(with_actions, out, capsys)
    council = out / f"{PERIOD} return - SCC - Southampton City Council Children's Services.xlsx"
    police = out / f"{PERIOD} return - HC - Hampshire Constabulary.xlsx"
    db = open_database(with_actions.location)
    apply_plan(db, plan_import(db, fill(council, {"CLARE-R3": {"update": "Trained"}}, out=tmp_path / "scc.xlsx")))
    db.close()
    # WHEN chasers are drafted
    code, said, _ = run(capsys, "returns", "chase", "--db", str(with_actions.location), "--period", PERIOD,
                        "--out", str(chasers))
    drafts = sorted(chasers.glob("*.eml"))
    # THEN one per return still out, none for the council's (received)
    assert code == 0 and said.startswith(f"Drafted 3 chasers for {PERIOD} in {chasers}:")
    assert len(drafts) == 3 and not any(" - SCC - " in d.name for d in drafts)
    [police_chaser] = [d for d in drafts if " - HC - " in d.name]
    message = parsed(police_chaser)
    assert message["X-Unsent"] == "1" and message["Subject"].startswith("Overdue: ")
    name, data = attachment(message)
    # the same export: the very file sent (nothing rebuilt, no file written beside the chasers)
    assert name == police.name and data == police.read_bytes() and not list(chasers.glob("*.xlsx"))
    # AND the chase is on the board
    code, out_json, _ = run(capsys, "returns", "--db", str(with_actions.location), "--json")
    rows = {r["agency"]: r for r in json.loads(out_json)}
    assert len(rows["HC"]["chased"]) == 1 and rows["SCC"]["chased"] == []
    # AND the attachment, filled in, imports as the police's return
    attached = tmp_path / "from-the-chaser.xlsx"
    attached.write_bytes(data)
    filled = fill(attached, {"CLARE-R1": {"update": "Police training delivered"}}, out=tmp_path / "hc-filled.xlsx")
    code, out_json, _ = run(capsys, "import", "--db", str(with_actions.location), str(filled), "--json")
    [result] = [json.loads(line) for line in out_json.splitlines()]
    assert code == 0 and result["applied"] and result["counts"]["new_updates"] == 1
    code, out_json, _ = run(capsys, "returns", "--db", str(with_actions.location), "--json")
    assert {r["agency"]: r["state"] for r in json.loads(out_json)}["HC"] == "received"


def test_a_chaser_after_the_return_file_was_deleted_regenerates_the_same_rows(
        with_actions: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, chasers = tmp_path / "out", tmp_path / "chasers"
    send(with_actions, out, capsys)
    police = out / f"{PERIOD} return - HC - Hampshire Constabulary.xlsx"
    kept = tmp_path / "as-sent.xlsx"
    shutil.copy(police, kept)
    police.unlink()  # the lead tidied the folder
    # and the record moved on since: the rebuilt return must show what was sent, not what is now
    db = open_database(with_actions.location)
    from scr_desk.services import items
    from scr_desk.services.tree import load_tree
    rec1 = next(n for n in load_tree(db.sessions).walk() if n.reference == "CLARE-R1")
    items.update_recommendation(db.sessions, rec1.id, {"text": "Rewritten since", "rag": "Red"})
    db.close()
    code, said, _ = run(capsys, "returns", "chase", "--db", str(with_actions.location), "--period", PERIOD,
                        "--out", str(chasers))
    assert code == 0 and "written again from the record" in said
    rebuilt = chasers / police.name
    # THEN the return is written again: the same export, the same rows and values on every sheet
    assert export_id_of(rebuilt) == export_id_of(kept)
    assert all_values(rebuilt) == all_values(kept)
    message = parsed(next(chasers.glob("* - HC - *.eml")))
    assert attachment(message) == (police.name, rebuilt.read_bytes())
    # AND it imports as the police's return, checked against the same record
    filled = fill(rebuilt, {"CLARE-R1": {"update": "Delivered"}}, out=tmp_path / "hc.xlsx")
    db = open_database(with_actions.location)
    try:
        plan = plan_import(db, filled)
        assert plan.can_apply and plan.facts["agency"] == "Hampshire Constabulary" and plan.facts["period"] == PERIOD
    finally:
        db.close()


def test_nothing_to_chase_says_so(sample_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, said, _ = run(capsys, "returns", "chase", "--db", str(sample_db_path), "--period", PERIOD,
                        "--out", str(sample_db_path.parent / "chasers"))
    assert code == 0 and said == f"No return for {PERIOD} is outstanding: no chaser was drafted.\n"


def test_a_board_before_any_return_is_sent_lists_who_has_open_items(sample_db_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, said, _ = run(capsys, "returns", "--db", str(sample_db_path), "--period", PERIOD)
    lines = said.splitlines()
    assert code == 0 and lines[0] == f"Returns for {PERIOD}: No returns sent yet."
    assert "  SCC     Southampton City Council Children's Services: not sent (2 open items)" in lines
    assert not any("SSCP" in line for line in lines)  # nothing open, nothing to send
