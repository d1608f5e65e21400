"""The panel report's content and its Word form; the dashboard's figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document

from scr_desk.cli import main
from scr_desk.db.engine import Database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import Rag, Status
from scr_desk.domain.search import FilterCriteria
from scr_desk.services import items, meetings, reviews, updates
from scr_desk.services.dashboard import work_out_dashboard
from scr_desk.services.report_docx import write_docx
from scr_desk.services.reports import build_report
from scr_desk.services.tree import load_tree

pytestmark = pytest.mark.both_engines


def _recs(db: Database) -> dict[str, int]:
    return {n.reference: n.id for n in load_tree(db.sessions).walk()}


def test_report_reads_like_the_minute(sample_db: Database) -> None:
    report = build_report(sample_db.sessions, as_of=date(2020, 12, 3))
    assert report.panel == "Children and Families Scrutiny Panel"
    assert report.partnership == "Southampton Safeguarding Children Partnership"
    [clare] = report.sections
    assert [line.number for line in clare.lines] == ["1", "3", "4"]
    assert clare.summary == ("Of the 3 recommendations, 0 are assured, 0 are complete and awaiting assurance, "
                             "3 are in progress and 0 have not progressed; 0 are overdue.")
    r4 = clare.lines[2]
    assert (r4.lead, r4.contributors) == ("Solent NHS Trust", ("NHS Southampton Clinical Commissioning Group",))
    assert r4.latest is not None and r4.latest.text.startswith("Solent NHS trust had completed an internal audit")
    assert r4.latest.on == date(2020, 12, 3) and r4.change == "first report"


def test_report_as_at_a_date_and_change_since_the_last_report(sample_db: Database) -> None:
    ids = _recs(sample_db)
    updates.add_update(sample_db.sessions, ItemKey.recommendation(ids["CLARE-R1"]),
                       {"as_at": "10/02/2021", "narrative": "Audit complete", "status": "Complete", "rag": "Green",
                        "evidence": "MASH audit"})
    items.update_recommendation(sample_db.sessions, ids["CLARE-R4"], {"target_date": "31/01/2021"})
    later = build_report(sample_db.sessions, as_of=date(2021, 3, 4))
    lines = {line.number: line for line in later.sections[0].lines}
    assert later.sections[0].previous_report == date(2020, 12, 3)
    assert (lines["1"].status, lines["1"].rag, lines["1"].change) == (Status.COMPLETE, Rag.BLUE,
                                                                       "status was In progress; RAG was not rated")
    assert lines["1"].evidence == "MASH audit" and lines["3"].change == "no change"
    assert lines["4"].days_overdue == 32
    assert later.sections[0].summary == ("Of the 3 recommendations, 0 are assured, 1 is complete and awaiting "
                                         "assurance, 2 are in progress and 0 have not progressed; 1 is overdue.")
    # the December view is unchanged by what came later
    december = build_report(sample_db.sessions, as_of=date(2020, 12, 3))
    assert december.sections[0].lines[0].status is Status.IN_PROGRESS


def test_word_report(sample_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    write_docx(build_report(sample_db.sessions, as_of=date(2020, 12, 3)), out)
    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Recommendation 3 (CLARE-R3)" in text and "Of the 3 recommendations" in text
    assert "Children and Families Scrutiny Panel" in document.sections[0].header.paragraphs[0].text
    footer_xml = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    glance = document.tables[1]
    assert [row.cells[0].text for row in glance.rows] == ["Recommendation", "Recommendation 1", "Recommendation 3",
                                                          "Recommendation 4"]
    assert "w:tblHeader" in glance.rows[0]._tr.xml and all("w:cantSplit" in r._tr.xml for r in glance.rows)


def test_report_command(sample_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", str(sample_db_path), "--out", str(tmp_path / "r.docx"), "--review", "Clare",
                 "--as-of", "03/12/2020"]) == 0
    assert (tmp_path / "r.docx").exists()
    assert main(["report", "--db", str(sample_db_path), "--out", str(tmp_path / "r.txt")]) == 1
    assert main(["report", "--db", str(sample_db_path), "--out", str(tmp_path / "r.docx"), "--review", "Nobody"]) == 1
    assert "no review called 'Nobody'" in capsys.readouterr().err  # echoed as typed


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_report_on_an_empty_database_says_so_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    # GIVEN a new database with no reviews
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    db = tmp_path / "e.sqlite"
    assert main(["new", "--db", str(db)]) == 0
    capsys.readouterr()
    # WHEN a report is asked for, in either format
    out = tmp_path / f"e{suffix}"
    # THEN one plain sentence, exit 1 and no file: the window's answer too
    assert main(["report", "--db", str(db), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "There are no reviews to report on yet." in err
    assert "unexpected" not in err and "Traceback" not in err
    assert not out.exists()


def test_dashboard_figures(sample_db: Database) -> None:
    ids = _recs(sample_db)
    review = reviews.list_reviews(sample_db.sessions)[0]
    other = reviews.create_review(sample_db.sessions, {"name": "Adult B", "review_type": "SAR"})
    items.create_recommendation(sample_db.sessions, other.id, {"number": "1", "themes": "Voice of the child",
                                                               "target_date": "01/01/2021", "rag": "Red"})
    items.update_recommendation(sample_db.sessions, ids["CLARE-R3"], {"target_date": "01/06/2021"})
    updates.add_update(sample_db.sessions, ItemKey.recommendation(ids["CLARE-R1"]),
                       {"as_at": "10/02/2021", "narrative": "x", "rag": "Amber"})
    data = work_out_dashboard(sample_db.sessions, None, date(2021, 7, 1))
    assert [r.name for r in data.reviews] == ["Clare (SCR)", "Adult B (SAR)"]
    assert data.reviews[0].by_rag == {"Amber": 1, "Not rated": 2}
    assert [o.reference for o in data.overdue] == ["ADULTB-R1", "CLARE-R3"]  # oldest first
    assert data.overdue[0].days == 181
    assert data.themes[0].theme == "Voice of the child" and len(data.themes[0].reviews) == 2
    assert [q.period for q in data.quarters][-1] == "2021-22 Q2" and len(data.quarters) == 8
    assert {q.period: q.counts["Amber"] for q in data.quarters}["2020-21 Q4"] == 1
    assert {q.period: q.counts["Amber"] for q in data.quarters}["2020-21 Q3"] == 0
    solent = next(a for a in data.agencies if a.name == "Solent NHS Trust")
    assert (solent.open, solent.overdue, solent.complete, solent.assured) == (1, 0, 0, 0)
    only_adult = work_out_dashboard(sample_db.sessions, FilterCriteria(text="Adult B"), date(2021, 7, 1))
    assert [r.name for r in only_adult.reviews] == ["Adult B (SAR)"]
    assert meetings.list_meetings(sample_db.sessions, review.id)
