"""What the panel report and the dashboard tell a panel is true: Complete (an agency's word) and
Assured (the panel's decision) counted apart, target dates shown, and a recommendation whose
progress is recorded on its actions never shown as empty."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document

from scr_desk.cli import main
from scr_desk.db.engine import Database, open_database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import Rag, Status
from scr_desk.services import items, meetings, updates
from scr_desk.services.dashboard import work_out_dashboard
from scr_desk.services.report_content import detail_rows, glance_row
from scr_desk.services.report_docx import write_docx
from scr_desk.services.reports import build_report
from scr_desk.services.tree import load_tree
from tests.trackers.corrections import four_row_tracker

pytestmark = pytest.mark.both_engines


def _ids(db: Database) -> dict[str, int]:
    return {n.reference: n.id for n in load_tree(db.sessions).walk()}


def _word_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_an_item_an_agency_marked_complete_is_not_reported_as_assured(sample_db: Database, tmp_path: Path) -> None:
    # GIVEN an agency's update that marks CLARE-R1 Complete, and no panel decision on it
    ids = _ids(sample_db)
    updates.add_update(sample_db.sessions, ItemKey.recommendation(ids["CLARE-R1"]),
                       {"as_at": "10/02/2021", "narrative": "Audit done", "status": "Complete"})
    # WHEN the report is written
    report = build_report(sample_db.sessions, as_of=date(2021, 3, 1))
    [clare] = report.sections
    # THEN it is complete and awaiting assurance, and nothing calls it assured
    assert clare.summary.startswith("Of the 3 recommendations, 0 are assured, 1 is complete and awaiting assurance")
    assert (clare.counts["assured"], clare.counts["complete, awaiting assurance"]) == (0, 1)
    r1 = clare.lines[0]
    assert dict(detail_rows(r1))["Status"].startswith("Complete, awaiting the panel's assurance;")
    assert "Panel assurance" not in dict(detail_rows(r1))
    write_docx(report, tmp_path / "r.docx")
    assert "assured by the panel" not in _word_text(tmp_path / "r.docx").casefold()


def test_assured_by_the_panel_is_said_only_where_a_decision_says_so(sample_db: Database, tmp_path: Path) -> None:
    ids = _ids(sample_db)
    review_id = load_tree(sample_db.sessions).reviews[0].id
    # GIVEN a panel that closes CLARE-R1 at its meeting, and a lead who sets CLARE-R3 to Assured by hand
    meeting = meetings.create_meeting(sample_db.sessions, {"body": "Children and Families Scrutiny Panel",
                                                           "held_on": "04/03/2021", "review_id": review_id})
    meetings.record_decision(sample_db.sessions, meeting.id, ItemKey.recommendation(ids["CLARE-R1"]), "Closed",
                             "Audit evidence seen")
    updates.add_update(sample_db.sessions, ItemKey.recommendation(ids["CLARE-R3"]),
                       {"as_at": "05/03/2021", "narrative": "Set by the lead", "status": "Assured"})
    # WHEN the report is written after both
    report = build_report(sample_db.sessions, as_of=date(2021, 3, 10))
    [clare] = report.sections
    r1, r3, _ = clare.lines
    # THEN the panel's decision is named with its date; the hand-set one says no decision is recorded
    assert dict(detail_rows(r1))["Panel assurance"] == ("Assured by the panel (Children and Families Scrutiny Panel) "
                                                        "on 04/03/2021: Audit evidence seen")
    assert "Panel assurance" not in dict(detail_rows(r3))
    assert dict(detail_rows(r3))["Status"].startswith("Assured (no panel decision is recorded);")
    assert clare.summary.startswith("Of the 3 recommendations, 2 are assured, 0 are complete and awaiting assurance")
    write_docx(report, tmp_path / "r.docx")
    assert _word_text(tmp_path / "r.docx").count("Assured by the panel") == 1
    # AND a report as at before the meeting says nothing of it
    before = build_report(sample_db.sessions, as_of=date(2021, 3, 1)).sections[0].lines[0]
    assert before.assurance is None


def test_the_dashboard_counts_complete_and_assured_apart(sample_db: Database) -> None:
    ids = _ids(sample_db)
    updates.add_update(sample_db.sessions, ItemKey.recommendation(ids["CLARE-R4"]),
                       {"as_at": "10/02/2021", "narrative": "Done", "status": "Complete"})
    updates.add_update(sample_db.sessions, ItemKey.recommendation(ids["CLARE-R1"]),
                       {"as_at": "10/02/2021", "narrative": "Closed by the panel", "status": "Assured"})
    data = work_out_dashboard(sample_db.sessions)
    solent = next(a for a in data.agencies if a.name == "Solent NHS Trust")
    council = next(a for a in data.agencies if a.name == "Southampton City Council Children's Services")
    assert (solent.complete, solent.assured) == (1, 0)
    assert (council.complete, council.assured) == (0, 1)


def test_the_report_shows_the_target_in_force_and_the_original_where_revised(
        sample_db: Database, tmp_path: Path) -> None:
    # GIVEN CLARE-R3 revised from 31/12/2026 to 31/03/2027, and CLARE-R4 with one target
    ids = _ids(sample_db)
    items.update_recommendation(sample_db.sessions, ids["CLARE-R3"], {"target_date": "31/12/2026",
                                                                      "revised_target_date": "31/03/2027"})
    items.update_recommendation(sample_db.sessions, ids["CLARE-R4"], {"target_date": "31/03/2027"})
    items.update_recommendation(sample_db.sessions, ids["CLARE-R1"], {"target_note": "Ongoing"})
    report = build_report(sample_db.sessions, as_of=date(2026, 6, 1))
    r1, r3, r4 = report.sections[0].lines
    # THEN each shows its target: the one in force, the original beside it, a note where there is no date
    assert dict(detail_rows(r3))["Target"] == "31/03/2027 (revised; originally 31/12/2026)"
    assert dict(detail_rows(r4))["Target"] == "31/03/2027"
    assert dict(detail_rows(r1))["Target"] == "Ongoing"
    assert glance_row(r3)[5] == "31/03/2027 (revised; originally 31/12/2026)"
    write_docx(report, tmp_path / "r.docx")
    assert "31/03/2027 (revised; originally 31/12/2026)" in _word_text(tmp_path / "r.docx")


def test_a_tracker_whose_progress_is_on_its_actions_reaches_the_panel(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a four-row tracker with an Action column, imported cleanly
    db_path = tmp_path / "t.sqlite"
    assert main(["import", "--db", str(db_path), str(four_row_tracker(tmp_path / "plan.xlsx"))]) == 0
    capsys.readouterr()
    database = open_database(db_path)
    try:
        tree = load_tree(database.sessions)
        assert all(rec.rag is None and rec.children for rec in tree.reviews[0].children)  # as the tracker holds it
        # WHEN the report is written
        report = build_report(database.sessions)
        lines = report.sections[0].lines
        # THEN no recommendation reads as unrated with no update: each carries its actions' roll-up
        for line in lines:
            rows = dict(detail_rows(line))
            assert "not rated" not in rows["Status"], rows["Status"]
            assert rows["Latest update"] != "No update recorded.", rows
            assert "on action" in rows["Latest update"]
            assert line.action_lines and line.action_lines[0].latest is not None
        assert [line.headline_rag for line in lines] == [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.AMBER]
        assert dict(detail_rows(lines[0]))["Target"] == "31/03/2027 (the latest of its actions)"
        assert dict(detail_rows(lines[0]))["Actions"].startswith("0 of 1 action complete; open actions at worst Red")
        # AND the Word report lists each recommendation's actions with RAG, target and latest update
        write_docx(report, tmp_path / "r.docx")
        document = Document(str(tmp_path / "r.docx"))
        action_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Action"]
        assert len(action_tables) == 4
        assert [c.text for c in action_tables[0].rows[1].cells][:5] == [
            "1. Audit MASH referrals", "Police", "In progress", "Red", "31/03/2027"]
        assert action_tables[0].rows[1].cells[5].text.startswith("Audit delayed by vacancies\n— Police, ")
        # AND the dashboard counts each recommendation by its actions' RAG, not as "Not rated"
        data = work_out_dashboard(database.sessions)
        assert data.reviews[0].by_rag == {"Red": 1, "Amber": 2, "Green": 1}
    finally:
        database.close()


def test_the_report_shows_the_last_words_a_person_wrote_not_the_forms_line(sample_db: Database) -> None:
    ids = _ids(sample_db)
    key = ItemKey.recommendation(ids["CLARE-R4"])
    updates.add_update(sample_db.sessions, key, {"as_at": "10/02/2021", "narrative": "Audit repeated"})
    updates.record_form_change(sample_db.sessions, key, "rag", Rag.RED)
    line = build_report(sample_db.sessions).sections[0].lines[2]
    assert line.latest is not None and line.latest.text == "Audit repeated"
    assert line.status is Status.IN_PROGRESS and line.rag is Rag.RED
