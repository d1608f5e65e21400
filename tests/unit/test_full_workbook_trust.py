"""A full workbook is signed by the database that wrote it: merged into a database that holds
records only one it wrote is taken; one from elsewhere goes only into an empty database (a move),
which says which returns it cannot take; and an older one never brings back what was deleted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database, create_database, open_database
from scr_desk.domain.enums import ItemKind
from scr_desk.excel.layout import META_SHEET
from scr_desk.services import items
from scr_desk.services.dump import dump_records
from scr_desk.services.full_export import export_full
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import Outcome
from scr_desk.services.tree import load_tree
from tests.returns_kit import export, fill

pytestmark = pytest.mark.both_engines


def records(path: Path) -> Any:
    database = open_database(path, read_only=True)
    try:
        return dump_records(database.sessions)
    finally:
        database.close()


def _append(book: Any, sheet: str, values: dict[str, Any]) -> None:
    headers = [cell.value for cell in book[sheet][1]]
    book[sheet].append([values.get(header) for header in headers])


def _meta(book: Any) -> dict[str, int]:
    return {book[META_SHEET].cell(r, 1).value: r for r in range(1, 30) if book[META_SHEET].cell(r, 1).value}


def forged_full_workbook(lead: Database, tmp_path: Path) -> Path:
    """What a partner holding only its own return can make: an empty database's full workbook,
    with an Assured/Blue 'Minuted' update and a panel meeting closing an item it only contributes to."""
    partner = create_database(tmp_path / "partner.sqlite")
    forged = tmp_path / "forged.xlsx"
    export_full(partner.sessions, forged)
    partner.close()
    rec = next(n for n in load_tree(lead.sessions).walk() if n.reference == "CLARE-R3")
    rec_uid = items.get_recommendation(lead.sessions, rec.id).uid
    book = openpyxl.load_workbook(forged)
    _append(book, "Meetings", {"uid": "f" * 32, "Body": "Children and Families Scrutiny Panel",
                               "Date": "2021-03-01", "Agenda item": "9"})
    _append(book, "Updates", {"uid": "e" * 32, "Recommendation uid": rec_uid, "Date": "2021-03-01",
                              "Period": "2020-21 Q4", "Update": "Assured by the panel", "Status": "Assured",
                              "RAG": "Blue", "Source": "Minuted", "Meeting uid": "f" * 32,
                              "Created": "2021-03-01T10:00:00"})
    _append(book, "Decisions", {"uid": "d" * 32, "Meeting uid": "f" * 32, "Recommendation uid": rec_uid,
                                "Decision": "Closed", "Comment": "Closed"})
    book.save(forged)
    return forged


def test_a_partners_home_made_full_workbook_is_refused(sample_db: Database, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: a 'full workbook' built from an empty database's export added an Assured/Blue
    'Minuted' update and a fake panel meeting closing an item the partner only contributes to."""
    forged = forged_full_workbook(sample_db, tmp_path)
    before = dump_records(sample_db.sessions)
    sample_db.close()
    assert main(["import", "--db", str(sample_db.location), str(forged), "--on-conflict", "file"]) == 1
    err = capsys.readouterr().err
    assert "this full workbook was written by another database, partner.sqlite (identity " in err
    assert "imported only into an empty database" in err and "nothing was imported" in err
    assert records(sample_db.location) == before


def test_an_unsigned_or_edited_full_workbook_is_refused_by_a_database_with_records(
        sample_db: Database, tmp_path: Path) -> None:
    own = tmp_path / "own.xlsx"
    export_full(sample_db.sessions, own)
    assert plan_import(sample_db, own).errors == []  # this database's own: taken (all unchanged)
    book = openpyxl.load_workbook(own)
    rows = _meta(book)
    book[META_SHEET].cell(rows["signature"], 2).value = "0" * 64
    book.save(tmp_path / "edited.xlsx")
    [error] = plan_import(sample_db, tmp_path / "edited.xlsx").errors
    assert "names this database, but its signature does not match" in error.message
    for name in ("signature", "export_id"):
        book[META_SHEET].cell(rows[name], 2).value = None
    book.save(tmp_path / "unsigned.xlsx")
    [error] = plan_import(sample_db, tmp_path / "unsigned.xlsx").errors
    assert "carries no signature" in error.message and "only into an empty database" in error.message


def test_moving_by_full_workbook_says_which_returns_cannot_follow(with_actions: Database, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: moving to a new laptop by the full workbook left every outstanding return
    refused, with nothing said at the move."""
    scc = fill(export(with_actions, tmp_path, "SCC"), {"CLARE-R3": {"update": "Training delivered"}})
    police = export(with_actions, tmp_path, "HC")
    with_actions.close()
    assert main(["import", "--db", str(with_actions.location), str(scc)]) == 0  # the council's is in
    full = tmp_path / "everything.xlsx"
    assert main(["export", "--db", str(with_actions.location), "--out", str(full)]) == 0
    laptop = tmp_path / "laptop" / "cases.sqlite"
    laptop.parent.mkdir()
    capsys.readouterr()
    assert main(["import", "--db", str(laptop), str(full)]) == 0
    out = capsys.readouterr().out
    assert (f"This full workbook was written by another database, {with_actions.name} (identity "
            f"{with_actions.database_uid[:8]}); it was imported because this database was empty.") in out
    assert (f"Returns sent from {with_actions.name} cannot be imported here, as a return goes only into the "
            "database that sent it: Hampshire Constabulary (2020-21 Q4, sent ") in out
    assert "was outstanding when it was written, so send those agencies fresh returns from this database." in out
    assert "Southampton City Council (" not in out  # its return came back before the move
    assert records(laptop) == records(with_actions.location)
    assert main(["import", "--db", str(laptop), str(full)]) == 0  # the same file again adds nothing
    assert "Imported nothing new" in capsys.readouterr().out
    assert main(["import", "--db", str(laptop), str(fill(police, {}))]) == 1
    assert f"was sent from another database, {with_actions.name}" in capsys.readouterr().err


def test_an_older_full_workbook_never_brings_back_what_was_deleted(sample_db: Database, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: an older full workbook gave '1 new recommendation, 2 new updates' though the audit
    trail held the delete."""
    old = tmp_path / "last-quarter.xlsx"
    export_full(sample_db.sessions, old)
    rec = next(n for n in load_tree(sample_db.sessions).walk() if n.reference == "CLARE-R1")
    items.delete_item(sample_db.sessions, ItemKind.RECOMMENDATION, rec.id)
    before = dump_records(sample_db.sessions)
    plan = plan_import(sample_db, old)
    held = [r for r in plan.rows if r.outcome is Outcome.CONFLICT]
    assert held and not [r for r in plan.rows if r.outcome is Outcome.NEW_ITEM]
    assert plan.counts()["created_recommendations"] == 0 and plan.counts()["new_updates"] == 0
    [deleted] = [r for r in held if r.sheet == "Recommendations"]
    assert deleted.message.startswith("recommendation CLARE-R1 was deleted from this database on ")
    assert all(r.message.startswith("it belongs to recommendation CLARE-R1, deleted from this database on ")
               for r in held if r is not deleted)
    sample_db.close()
    assert main(["import", "--db", str(sample_db.location), str(old)]) == 0
    assert "Imported nothing new" in capsys.readouterr().out
    assert records(sample_db.location) == before
    # Taken by the lead's choice, it comes back whole
    assert main(["import", "--db", str(sample_db.location), str(old), "--on-conflict", "file"]) == 0
    reopened = open_database(sample_db.location, read_only=True)
    assert "CLARE-R1" in {node.reference for node in load_tree(reopened.sessions).walk()}
    reopened.close()
