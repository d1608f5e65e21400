"""The tracker engine's readings of single values and headings, each by a principle rather than a
list of a file's words: a status phrase read by its own words, a heading's qualifier, an agency's
name ending in what it names, a review named inside a reference, a rating leading a progress note."""

from __future__ import annotations

import pytest

from scr_desk.domain.enums import Rag, Status
from scr_desk.excel.tracker_naming import looks_like_agency
from scr_desk.excel.tracker_readings import read_status, read_target
from scr_desk.excel.tracker_refs import parse_ref
from scr_desk.excel.tracker_titles import review_from_line
from scr_desk.excel.tracker_values import leading_rating, trailing_rating
from scr_desk.excel.tracker_vocab import heading_field, heading_scores


@pytest.mark.parametrize(("written", "status"), [
    ("Not due yet", Status.NOT_STARTED),
    ("Closed - superseded by new plan", Status.SUPERSEDED),  # the specific outcome outranks 'closed'
    ("partially complete", Status.IN_PROGRESS),
    ("On hold pending funding", Status.ON_HOLD),
    ("Awaiting sign off", None),  # what has not happened yet is no status
    ("not complete", None),
    ("Yet to be completed", None),
])
def test_a_status_phrase_is_read_by_its_own_words(written: str, status: Status | None) -> None:
    assert read_status(written).status is status


@pytest.mark.parametrize(("written", "rag"), [
    ("In progress – amber", Rag.AMBER), ("On hold (red)", Rag.RED), ("Ongoing - Green.", Rag.GREEN),
    ("In progress", None), ("Plan B", None), ("Not started", None),
])
def test_a_rating_after_the_status_words_is_kept(written: str, rag: Rag | None) -> None:
    # an outside reader's Word plan: 'In progress – amber' under Status lost its Amber
    assert trailing_rating(written) is rag


def test_a_rating_before_the_status_words_is_kept() -> None:
    found = read_status("Amber – slipped")
    assert (found.rag, found.status, found.partial) == (Rag.AMBER, Status.IN_PROGRESS, True)


@pytest.mark.parametrize(("heading", "role"), [
    ("Please describe the progress made this quarter including any evidence of impact", "update"),
    ("Progress (RAG)", "update"),
    ("Completed?", "status"),
    ("Done (Y/N)", "status"),
    ("Date completed", "completion"),
])
def test_a_heading_names_what_its_main_words_name(heading: str, role: str) -> None:
    assert heading_field(heading) == role


def test_lead_and_owner_leave_person_or_agency_to_the_values() -> None:
    for heading in ("Lead", "Owner", "Responsible"):
        scores = heading_scores(heading)
        assert {"owner", "lead_agency"} <= scores.keys()
    assert "lead_agency" not in heading_scores("Lead officer")


@pytest.mark.parametrize(("text", "agency"), [
    ("Dunmere ASC", True), ("North Elmshire ICB", True), ("Children's social care", True),
    ("Police public protection unit", True), ("Health visiting", True),
    ("GP record flags", False), ("MARAC referral audit", False), ("Jane Smith", False),
])
def test_an_agency_name_ends_in_what_it_names(text: str, agency: bool) -> None:
    assert looks_like_agency(text) is agency


@pytest.mark.parametrize(("line", "name"), [
    ("Thematic review of neglect – Cresthaven SCP", "neglect"),
    ("SAR in respect of Adult K", "Adult K"),
    ("Serious case review into the death of Baby L", "Baby L"),
    ("DHR re: Mrs A", "Mrs A"),
])
def test_a_title_s_linking_words_are_not_the_review_s_name(line: str, name: str) -> None:
    found = review_from_line(line)
    assert found is not None and found.name == name


def test_a_review_named_inside_a_reference_is_not_a_kind() -> None:
    ref = parse_ref("SAR-ANNA-01")
    assert ref is not None and (ref.number, ref.review) == ("1", "SAR Anna")
    kind = parse_ref("AFI1")
    assert kind is not None and kind.number == "AFI1"


def test_a_system_timestamp_is_its_day() -> None:
    assert str(read_target("2026-10-14T09:32:00Z", date1904=False, fiscal_year=None).when) == "2026-10-14"


@pytest.mark.parametrize(("narrative", "rag"), [
    ("Amber – policy in draft", Rag.AMBER), ("(G) relaunched", Rag.GREEN), ("A new policy is drafted", None),
    ("Green light given by the board", None),
])
def test_a_rating_leading_a_progress_note(narrative: str, rag: Rag | None) -> None:
    assert leading_rating(narrative) is rag
