"""Every use case against a real database, a SQLite file and a PostgreSQL server database alike:
results, validation, audit trail, undo."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from scr_desk.db.engine import Database
from scr_desk.db.models import AuditEntry, Recommendation
from scr_desk.domain.dto import AttendeeRow, ItemKey
from scr_desk.domain.enums import AssuranceDecision, Rag, ReviewType, SourceKind, Status
from scr_desk.services import agencies, audit, items, meetings, reviews, snapshot, updates
from scr_desk.services.dump import dump_records
from scr_desk.services.errors import InUseError, NotFoundError, ValidationError

pytestmark = pytest.mark.both_engines


def _audit(db: Database, uid: str) -> list[tuple[str, str, str | None, str | None]]:
    with db.sessions() as session:
        return [(e.action, e.field, e.old_value, e.new_value) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.entity_uid == uid).order_by(AuditEntry.id))]


def test_agencies_create_edit_delete(db: Database) -> None:
    police = agencies.create_agency(db.sessions, "Hampshire Constabulary")
    assert police.code == "HC"
    assert agencies.create_agency(db.sessions, "Health Care Trust").code == "HCT"
    with pytest.raises(ValidationError, match="already exists"):
        agencies.create_agency(db.sessions, "hampshire constabulary")
    edited = agencies.update_agency(db.sessions, police.id, {"contact_email": "safeguarding@example.org"})
    assert edited.contact_email == "safeguarding@example.org"
    assert ("changed", "contact_email", "", "safeguarding@example.org") in _audit(db, police.uid)
    removed = agencies.delete_agency(db.sessions, police.id)
    assert [a.name for a in agencies.list_agencies(db.sessions)] == ["Health Care Trust"]
    agencies.restore_agency(db.sessions, removed)
    assert len(agencies.list_agencies(db.sessions)) == 2


def test_agency_in_use_cannot_be_deleted(sample_db: Database) -> None:
    solent = next(a for a in agencies.list_agencies(sample_db.sessions) if a.code == "SOLENT")
    with pytest.raises(InUseError, match="Solent NHS Trust is named on 2 records and"):
        agencies.delete_agency(sample_db.sessions, solent.id)


def test_review_lifecycle_and_codes(db: Database) -> None:
    first = reviews.create_review(db.sessions, {"name": "Child T", "review_type": "LCSPR",
                                                "endorsed_on": "14/07/2022"})
    assert first.code == "CHILDT" and first.review_type is ReviewType.LCSPR
    assert first.endorsed_on == date(2022, 7, 14)
    second = reviews.create_review(db.sessions, {"name": "Child T (2)", "review_type": ReviewType.SAR})
    assert second.code == "CHILDT2"
    with pytest.raises(ValidationError, match="Endorsed"):
        reviews.update_review(db.sessions, first.id, {"endorsed_on": "31/02/2022"})
    with pytest.raises(ValidationError, match="code"):
        reviews.update_review(db.sessions, second.id, {"code": "CHILDT"})
    with pytest.raises(ValidationError, match="Name"):
        reviews.create_review(db.sessions, {"name": "  "})
    renamed = reviews.update_review(db.sessions, first.id, {"name": "Child T and U"})
    assert renamed.name == "Child T and U"
    assert reviews.move_review(db.sessions, second.id, -1) == [second.id, first.id]
    assert [r.id for r in reviews.list_reviews(db.sessions)] == [second.id, first.id]
    with pytest.raises(NotFoundError):
        reviews.get_review(db.sessions, 999)


def test_recommendations_and_actions(db: Database) -> None:
    lead = agencies.create_agency(db.sessions, "Solent NHS Trust", "SOLENT")
    other = agencies.create_agency(db.sessions, "Hampshire Constabulary", "HC")
    review = reviews.create_review(db.sessions, {"name": "Clare", "review_type": "SCR"})
    rec = items.create_recommendation(db.sessions, review.id, {
        "number": "3", "text": "Domestic abuse training",
        "themes": "Domestic abuse; voice of the child; Domestic abuse",
        "lead_agency_id": lead.id, "contributor_ids": [other.id], "target_date": "31/03/2021"})
    assert rec.reference == "CLARE-R3"
    assert rec.themes == ("Domestic abuse", "voice of the child")
    assert rec.contributor_ids == (other.id,)
    with pytest.raises(ValidationError, match="already a recommendation numbered '3'"):
        items.create_recommendation(db.sessions, review.id, {"number": "3"})
    action = items.create_action(db.sessions, rec.id, {"text": "Run a course", "owner_agency_id": lead.id,
                                                        "owner_name": "Head of Safeguarding"})
    assert action.reference == "CLARE-R3-A1" and action.number == "1"
    moved = items.update_recommendation(db.sessions, rec.id, {
        "revised_target_date": date(2021, 9, 30), "rag": "A", "contributor_ids": []})
    assert moved.target_date == date(2021, 3, 31)  # the original target is kept
    assert moved.revised_target_date == date(2021, 9, 30) and moved.rag is Rag.AMBER
    assert moved.version == rec.version + 1
    assert items.update_action(db.sessions, action.id, {"status": "Complete"}).status is Status.COMPLETE
    with pytest.raises(ValidationError, match="no agency"):
        items.update_action(db.sessions, action.id, {"owner_agency_id": 999})
    with pytest.raises(ValidationError, match="Status"):
        items.update_action(db.sessions, action.id, {"status": "Sort of done"})
    second = items.create_recommendation(db.sessions, review.id, {"number": "4"})
    assert items.move_recommendation(db.sessions, second.id, -1) == [second.id, rec.id]
    trail = _audit(db, rec.uid)
    assert ("changed", "revised_target_date", None, "2021-09-30") in trail
    assert ("changed", "contributors", str(other.id), "") in trail


def test_updates_move_status_and_can_be_retracted(sample_db: Database) -> None:
    rec = next(r for r in _recs(sample_db) if r.number == "3")
    item = ItemKey.recommendation(rec.id)
    row = updates.add_update(sample_db.sessions, item, {
        "as_at": "15/01/2021", "narrative": "Training delivered to 40 staff.", "status": "Complete",
        "rag": "Green", "evidence": "Attendance list"})
    assert row.period == "2020-21 Q4"
    assert (row.previous_status, row.previous_rag) == (Status.IN_PROGRESS, None)
    after = items.get_recommendation(sample_db.sessions, rec.id)
    assert (after.status, after.rag) == (Status.COMPLETE, Rag.GREEN)
    timeline = updates.list_updates(sample_db.sessions, item)
    assert [u.narrative[:8] for u in timeline] == ["Training", "Research"]
    assert timeline[0].previous_status is Status.IN_PROGRESS
    assert timeline[1].source_kind is SourceKind.MINUTED
    updates.retract_update(sample_db.sessions, row.uid, row.previous_status, row.previous_rag)
    back = items.get_recommendation(sample_db.sessions, rec.id)
    assert (back.status, back.rag) == (Status.IN_PROGRESS, None)
    redone = updates.add_update(sample_db.sessions, item, {"as_at": "15/01/2021", "narrative": "Again"},
                                uid=row.uid)
    assert redone.uid == row.uid
    with pytest.raises(ValidationError, match="write some progress"):
        updates.add_update(sample_db.sessions, item, {"as_at": "15/01/2021"})
    with pytest.raises(ValidationError, match="Period"):
        updates.add_update(sample_db.sessions, item, {"narrative": "x", "period": "Q3"})


def test_correcting_an_update_keeps_the_old_text(sample_db: Database) -> None:
    rec = _recs(sample_db)[0]
    first = updates.list_updates(sample_db.sessions, ItemKey.recommendation(rec.id))[0]
    corrected = updates.correct_update(sample_db.sessions, first.id, {"narrative": "Corrected text."})
    assert corrected.narrative == "Corrected text."
    trail = audit.history(sample_db.sessions, first.uid)
    assert trail[0].field == "narrative" and trail[0].old_value == first.narrative
    assert trail[0].source == "correction"


def test_delete_and_restore_is_exact(sample_db: Database) -> None:
    before = dump_records(sample_db.sessions)
    review = reviews.list_reviews(sample_db.sessions)[0]
    assert reviews.preview_delete_review(sample_db.sessions, review.id) == \
        "the review 'Clare', with 3 recommendations and 3 updates"
    taken = reviews.delete_review(sample_db.sessions, review.id)
    assert reviews.list_reviews(sample_db.sessions) == []
    assert meetings.list_meetings(sample_db.sessions)[0].review_id is None
    snapshot.restore(sample_db.sessions, taken)
    assert dump_records(sample_db.sessions) == before
    rec = _recs(sample_db)[1]
    taken = items.delete_item(sample_db.sessions, "recommendation", rec.id)
    assert taken.describe() == "CLARE-R3 'Domestic violence seen from the victim's perspective, socia…', with 1 update"
    snapshot.restore(sample_db.sessions, taken)
    assert dump_records(sample_db.sessions) == before


def test_meetings_attendees_and_decisions(sample_db: Database) -> None:
    [minuted] = meetings.list_meetings(sample_db.sessions)
    assert minuted.body == "Children and Families Scrutiny Panel" and len(minuted.attendees) == 7
    review = reviews.list_reviews(sample_db.sessions)[0]
    assert meetings.list_meetings(sample_db.sessions, review.id) == [minuted]
    new = meetings.create_meeting(sample_db.sessions, {
        "body": "Children and Families Scrutiny Panel", "held_on": "04/03/2021", "agenda_item": "9",
        "review_id": review.id}, list(minuted.attendees[:2]) + [AttendeeRow("A. Visitor", "Observer")])
    assert [a.name for a in new.attendees][-1] == "A. Visitor"
    rec = _recs(sample_db)[0]
    meetings.record_decision(sample_db.sessions, new.id, ItemKey.recommendation(rec.id),
                             "Closed", "Evidence of impact seen in audit.")
    assert items.get_recommendation(sample_db.sessions, rec.id).status is Status.ASSURED
    top = updates.list_updates(sample_db.sessions, ItemKey.recommendation(rec.id))[0]
    assert top.source_kind is SourceKind.MINUTED and top.meeting_id == new.id
    assert top.narrative.startswith("Panel decision: Closed.")
    challenged = meetings.record_decision(sample_db.sessions, new.id, ItemKey.recommendation(rec.id),
                                          AssuranceDecision.CHALLENGED)
    assert challenged.decision.decision is AssuranceDecision.CHALLENGED
    assert challenged.previous_status is Status.ASSURED
    edited = meetings.update_meeting(sample_db.sessions, new.id, {"agenda_item": "10"},
                                     [AttendeeRow("Chair")])
    assert edited.agenda_item == "10" and [a.name for a in edited.attendees] == ["Chair"]
    assert len(edited.decisions) == 2
    with pytest.raises(ValidationError):
        meetings.create_meeting(sample_db.sessions, {"body": "Panel"})
    meetings.withdraw_decision(sample_db.sessions, challenged)
    assert len(meetings.get_meeting(sample_db.sessions, new.id).decisions) == 1
    meetings.delete_meeting(sample_db.sessions, new.id)
    assert len(meetings.list_meetings(sample_db.sessions)) == 1


def test_withdrawing_a_decision_restores_the_item(sample_db: Database) -> None:
    before = dump_records(sample_db.sessions)
    [meeting] = meetings.list_meetings(sample_db.sessions)
    rec = _recs(sample_db)[2]
    recorded = meetings.record_decision(sample_db.sessions, meeting.id, ItemKey.recommendation(rec.id),
                                        "Embedded", "Impact seen in the CAMHS audit.")
    assert items.get_recommendation(sample_db.sessions, rec.id).status is Status.EMBEDDED
    meetings.withdraw_decision(sample_db.sessions, recorded)
    # Everything is as it was, except the item's edit counter, which keeps counting.
    assert _without_versions(dump_records(sample_db.sessions)) == _without_versions(before)


def _without_versions(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_versions(v) for k, v in value.items() if k != "version"}
    if isinstance(value, list):
        return [_without_versions(v) for v in value]
    return value


def test_every_change_leaves_an_audit_entry(sample_db: Database) -> None:
    with sample_db.sessions() as session:
        before = len(list(session.scalars(select(AuditEntry))))
    rec = _recs(sample_db)[0]
    items.update_recommendation(sample_db.sessions, rec.id, {"text": "New text", "scope": "Regional"})
    with sample_db.sessions() as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))[before:]
    assert [(e.field, e.source) for e in entries] == [("text", "typed in"), ("scope", "typed in")]
    with sample_db.sessions() as session:  # the login name on a file, the connecting role on a server
        author = audit.current_user(session)
    assert author == ("lead" if sample_db.is_server else audit.current_user())
    assert all(e.user == author for e in entries)


def _recs(database: Database) -> list:
    with database.sessions() as session:
        ids = list(session.scalars(select(Recommendation.id).order_by(Recommendation.position)))
    return [items.get_recommendation(database.sessions, i) for i in ids]


def test_meeting_delete_and_restore_is_exact(sample_db: Database) -> None:
    before = dump_records(sample_db.sessions)
    [meeting] = meetings.list_meetings(sample_db.sessions)
    taken = meetings.delete_meeting(sample_db.sessions, meeting.id)
    assert meetings.list_meetings(sample_db.sessions) == []
    assert taken.describe().startswith("Meeting of the Children and Families Scrutiny Panel on 03/12/2020")
    snapshot.restore(sample_db.sessions, taken)
    assert dump_records(sample_db.sessions) == before


def test_broken_characters_are_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="broken character"):
        reviews.create_review(db.sessions, {"name": "Child \ud800"})


def test_an_edit_that_changes_nothing_leaves_no_trace(sample_db: Database) -> None:
    # GIVEN a recommendation at some version
    sessions = sample_db.sessions
    rec = items.create_recommendation(sessions, reviews.list_reviews(sessions)[0].id, {"text": "Audit"})
    # WHEN it is "changed" to what it already holds
    same = items.update_recommendation(sessions, rec.id, {"text": "Audit", "status": rec.status})
    # THEN neither its version nor the audit trail moves
    assert same.version == rec.version
    assert [e.field for e in audit.history(sessions, rec.uid) if e.action == "changed"] == []
    # AND a real change moves the version once, however many fields it touches
    moved = items.update_recommendation(sessions, rec.id, {"text": "Audit 30 cases", "rag": "Amber"})
    assert moved.version == rec.version + 1


def test_new_items_are_numbered_past_the_largest_number(sample_db: Database) -> None:
    sessions = sample_db.sessions
    review_id = reviews.list_reviews(sessions)[0].id  # Clare holds recommendations 1, 3 and 4
    assert items.create_recommendation(sessions, review_id, {"text": "New"}).number == "5"
    rec = items.create_recommendation(sessions, review_id, {"number": "7"})
    items.create_action(sessions, rec.id, {"number": "2"})
    assert items.create_action(sessions, rec.id, {}).number == "3"
