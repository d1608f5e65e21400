"""The illustrative partnership (data/showcase.json): invented and labelled so, and rich enough that
the dashboard, the panel report and the returns all have something to show, whatever the date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from scr_desk.cli import main
from scr_desk.db.engine import Database, open_database
from scr_desk.db.models import Update
from scr_desk.domain.enums import AssuranceDecision, ReviewType
from scr_desk.services.dashboard import work_out_dashboard
from scr_desk.services.meetings import list_meetings
from scr_desk.services.returns_export import agencies_with_open_items
from scr_desk.services.reviews import list_reviews
from scr_desk.services.sample import load_showcase, relative_date

TODAY = date(2026, 3, 31)


@pytest.mark.parametrize(("text", "expected"), [
    ("today", date(2026, 3, 31)), ("today-1m", date(2026, 2, 28)), ("today-25m", date(2024, 2, 29)),
    ("today+10d", date(2026, 4, 10)), ("today+9m", date(2026, 12, 31)),
])
def test_relative_dates(text: str, expected: date) -> None:
    assert relative_date(text, TODAY) == expected


def test_a_date_that_is_not_relative_is_refused() -> None:
    with pytest.raises(ValueError, match="not a date relative to today"):
        relative_date("2024-01-01", TODAY)


@pytest.fixture
def showcase(db: Database) -> Database:
    load_showcase(db.sessions, today=TODAY)
    return db


def test_it_is_invented_and_says_so(showcase: Database) -> None:
    reviews = list_reviews(showcase.sessions)
    assert 4 <= len(reviews) <= 6
    for review in reviews:
        assert "(illustrative)" in review.name and "invented" in review.partnership
        assert review.summary.startswith("INVENTED FOR ILLUSTRATION")
    assert len({review.review_type for review in reviews}) >= 4
    assert {ReviewType.LCSPR, ReviewType.SAR, ReviewType.DHR, ReviewType.RAPID_REVIEW} <= {
        review.review_type for review in reviews}


def test_two_years_of_quarterly_updates_from_several_agencies(showcase: Database) -> None:
    with showcase.sessions() as session:
        updates = session.execute(select(Update.as_at, Update.period, Update.agency_id)).all()
    dates = sorted(u.as_at for u in updates)
    assert (TODAY - dates[0]).days > 600 and (TODAY - dates[-1]).days < 100  # about two years, up to now
    assert len({u.period for u in updates}) >= 8
    assert len({u.agency_id for u in updates}) >= 5


def test_the_dashboard_has_rag_overdue_items_and_quarters(showcase: Database) -> None:
    board = work_out_dashboard(showcase.sessions, None, TODAY)
    for review in board.reviews:
        assert sum(review.by_rag.values()) > 0, review.name
    assert len(board.overdue) >= 4 and all(item.days > 0 for item in board.overdue)
    assert {"Red", "Amber", "Green", "Blue"} <= {rag for review in board.reviews for rag in review.by_rag}
    filled = [q for q in board.quarters if sum(q.counts.values())]
    assert len(filled) == len(board.quarters) >= 8
    assert any(agency.overdue for agency in board.agencies) and any(agency.complete for agency in board.agencies)


def test_a_meeting_with_attendees_and_decisions(showcase: Database) -> None:
    [meeting] = list_meetings(showcase.sessions)
    assert len(meeting.attendees) >= 5 and len(meeting.decisions) >= 4
    assert {d.decision for d in meeting.decisions} == set(AssuranceDecision)


def test_every_agency_with_open_items_has_a_return(showcase: Database) -> None:
    agencies = {row[0] for row in agencies_with_open_items(showcase.sessions)}
    assert len(agencies) >= 5


def test_demo_showcase_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "invented.sqlite"
    assert main(["demo", "--db", str(path), "--showcase"]) == 0
    assert "illustrative partnership (invented)" in capsys.readouterr().out
    database = open_database(path, read_only=True)
    try:
        assert len(list_reviews(database.sessions)) == 5
    finally:
        database.close()
    assert main(["report", "--db", str(path), "--out", str(tmp_path / "report.docx")]) == 0
