"""ORM objects to frozen rows, done inside the session that loaded them."""

from __future__ import annotations

from scr_desk.db.models import Action, Agency, Meeting, Recommendation, Review
from scr_desk.domain.dto import (
    ActionRow,
    AgencyRow,
    AttendeeRow,
    DecisionRow,
    ItemKey,
    MeetingRow,
    RecommendationRow,
    ReviewRow,
)
from scr_desk.domain.rules import action_reference, recommendation_reference
from scr_desk.services.fields import split_themes

__all__ = ["action_row", "agency_row", "meeting_row", "recommendation_row", "review_row"]


def agency_row(agency: Agency) -> AgencyRow:
    return AgencyRow(agency.id, agency.uid, agency.name, agency.code, agency.contact_name,
                     agency.contact_email, agency.phone)


def review_row(review: Review) -> ReviewRow:
    return ReviewRow(
        id=review.id, uid=review.uid, position=review.position, review_type=review.review_type,
        name=review.name, code=review.code, reference=review.reference,
        partnership=review.partnership, reviewer=review.reviewer,
        commissioned_on=review.commissioned_on, endorsed_on=review.endorsed_on,
        published_on=review.published_on, report_url=review.report_url,
        response_url=review.response_url, summary=review.summary, status=review.status)


def recommendation_row(rec: Recommendation, review_code: str,
                       contributor_ids: tuple[int, ...]) -> RecommendationRow:
    return RecommendationRow(
        id=rec.id, uid=rec.uid, review_id=rec.review_id,
        reference=recommendation_reference(review_code, rec.number), number=rec.number,
        position=rec.position, text=rec.text, scope=rec.scope, themes=split_themes(rec.themes),
        lead_agency_id=rec.lead_agency_id, contributor_ids=contributor_ids,
        target_date=rec.target_date, revised_target_date=rec.revised_target_date,
        status=rec.status, rag=rec.rag, version=rec.version, target_note=rec.target_note)


def action_row(action: Action, review_code: str, rec_number: str) -> ActionRow:
    return ActionRow(
        id=action.id, uid=action.uid, recommendation_id=action.recommendation_id,
        reference=action_reference(review_code, rec_number, action.number), number=action.number,
        position=action.position, text=action.text, owner_agency_id=action.owner_agency_id,
        owner_name=action.owner_name, target_date=action.target_date,
        revised_target_date=action.revised_target_date, success_measure=action.success_measure,
        status=action.status, rag=action.rag, version=action.version, target_note=action.target_note)


def meeting_row(meeting: Meeting) -> MeetingRow:
    return MeetingRow(
        id=meeting.id, uid=meeting.uid, body=meeting.body, held_on=meeting.held_on,
        agenda_item=meeting.agenda_item, notes=meeting.notes, review_id=meeting.review_id,
        attendees=tuple(AttendeeRow(a.name, a.role, a.agency_id, a.uid) for a in meeting.attendees),
        decisions=tuple(
            DecisionRow(ItemKey.pointed_at(d.recommendation_id, d.action_id), d.decision, d.comment, d.id)
            for d in sorted(meeting.decisions, key=lambda d: d.id)))
