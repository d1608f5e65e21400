"""Agencies have contacts (a name, several email addresses checked for form, a phone), edited and
listed from the command line as in Edit > Agencies; codes are what people would write; and a
merged agency's old name still finds it on the next import of the tracker that named it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from scr_desk.cli import main
from scr_desk.db.engine import Database, open_database
from scr_desk.db.models import AuditEntry
from scr_desk.domain.contacts import AddressError, parse_addresses, suggest_code
from scr_desk.services import agencies
from scr_desk.services.agency_merge import merge_agencies
from scr_desk.services.dump import dump_records
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan

pytestmark = pytest.mark.both_engines


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_contacts_edited_and_listed_from_the_command_line(sample_db_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = str(sample_db_path)
    code, out, _ = run(capsys, "agencies", "edit", "hc", "--db", db, "--contact", "J Smith", "--email",
                       "J Smith <j.smith@hampshire.police.example>", "safeguarding@hampshire.police.example",
                       "--phone", "023 8000 0000")
    assert code == 0 and out.startswith("Saved Hampshire Constabulary (HC): contact J Smith; emails "
                                        "j.smith@hampshire.police.example; safeguarding@hampshire.police.example")
    code, out, _ = run(capsys, "agencies", "--db", db, "--json")
    listed = {a["code"]: a for a in json.loads(out)}
    assert code == 0 and listed["HC"] == {
        "code": "HC", "name": "Hampshire Constabulary", "contact": "J Smith", "phone": "023 8000 0000",
        "emails": ["j.smith@hampshire.police.example", "safeguarding@hampshire.police.example"]}
    assert listed["SCC"]["emails"] == []
    code, out, _ = run(capsys, "agencies", "--db", db)
    assert "J Smith" in out and "No email address for CCG, SOLENT, SCC, SSCP" in out
    # Each change is audited as any edit is
    database = open_database(sample_db_path)
    try:
        with database.sessions() as session:
            changed = {e.field for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "agency",
                                                                                AuditEntry.action == "changed"))}
    finally:
        database.close()
    assert changed == {"contact_name", "contact_email", "phone"}


def test_an_address_that_is_not_one_is_refused_and_nothing_changes(sample_db_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "agencies", "edit", "HC", "--db", str(sample_db_path), "--contact", "J Smith",
                       "--email", "j.smith@police", "--phone", "1")
    assert code == 1 and "'j.smith@police' is not an email address" in err and err.count("\n") == 1
    code, out, _ = run(capsys, "agencies", "--db", str(sample_db_path), "--json")
    assert next(a for a in json.loads(out) if a["code"] == "HC")["contact"] == ""


def test_an_unknown_code_lists_the_codes(sample_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "agencies", "edit", "XX", "--db", str(sample_db_path), "--phone", "1")
    assert code == 1 and "the codes are: CCG, HC, SCC, SOLENT, SSCP" in err


def test_email_addresses_are_checked_for_form_only() -> None:
    assert parse_addresses(["a@b.org; c@d.gov.uk", "A@B.org"]) == ["a@b.org", "c@d.gov.uk"]
    for wrong in ("police", "a@b", "a b@c.org", "a@b..org", "@b.org"):
        with pytest.raises(AddressError):
            parse_addresses(wrong)


def test_childrens_social_care_gets_a_code_people_would_write() -> None:
    # The harm: "Children's Social Care" was given the code "CSSC" (the possessive's s as a word)
    assert suggest_code("Children's Social Care") == "CSC"
    assert suggest_code("Children’s Social Care") == "CSC"
    assert suggest_code("Hampshire Constabulary") == "HC"
    assert suggest_code("Police") == "POLICE"
    assert suggest_code("NHS England") == "NHSE"
    assert suggest_code("Northmere Police (illustrative)") == "NP"


def test_a_new_agency_gets_the_suggested_code(db: Database) -> None:
    assert agencies.create_agency(db.sessions, "Children's Social Care").code == "CSC"


def test_a_merged_agency_is_not_new_on_the_next_import_of_the_same_tracker(empty_db_path: Path,
                                                                           tmp_path: Path) -> None:
    # GIVEN a tracker naming "Police", imported: the agency "Police" is made
    tracker = tmp_path / "tracker.csv"
    tracker.write_text("Rec No.,Recommendation,Lead Agency,RAG,Progress update\n"
                       "1,Training on the voice of the child,Police,G,Training delivered\n"
                       "2,Joint visits audit,Hampshire Constabulary,A,Audit started\n", encoding="utf-8")
    database = open_database(empty_db_path)
    try:
        first = plan_import(database, tracker)
        assert any("2 new agencies" in n.message for n in first.notes)
        apply_plan(database, first)
        # WHEN the lead merges "Police" into "Hampshire Constabulary"
        by_name = {a.name: a for a in agencies.list_agencies(database.sessions)}
        merge_agencies(database.sessions, by_name["Police"].id, by_name["Hampshire Constabulary"].id)
        before = dump_records(database.sessions)
        # THEN the same tracker imported again finds the merged agency: no "1 new agency: Police"
        again = plan_import(database, tracker)
        assert not any("new agenc" in n.message for n in again.notes), [n.message for n in again.notes]
        assert again.new_agencies == []
        apply_plan(database, again)
        assert [a.name for a in agencies.list_agencies(database.sessions)] == ["Hampshire Constabulary"]
        assert dump_records(database.sessions)["agencies"] == before["agencies"]
        # AND the old name finds the agency it became, wherever an agency is named
        with database.sessions() as session:
            found = agencies.find_agency(session, "police")
            assert found is not None and found.name == "Hampshire Constabulary"
    finally:
        database.close()
