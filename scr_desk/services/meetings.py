"""Panel and board meetings: attendees, and the assurance decisions taken on each item."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from scr_desk.db.items import get_item, pointing_at
from scr_desk.db.models import Attendee, Decision, Meeting, Recommendation
from scr_desk.domain.dto import AttendeeRow, DecisionRow, ItemKey, MeetingRow
from scr_desk.domain.enums import AssuranceDecision, Rag, SourceKind, Status
from scr_desk.domain.rules import period_of
from scr_desk.services import audit, fields, snapshot
from scr_desk.services.changes import Coercer, apply_changes
from scr_desk.services.errors import NotFoundError, ValidationError
from scr_desk.services.mapping import meeting_row
from scr_desk.services.updates import append_update, remove_update

__all__ = [
    "MEETING_FIELDS", "RecordedDecision", "add_meeting", "create_meeting", "delete_meeting", "get_meeting",
    "list_meetings", "record_decision", "update_meeting", "withdraw_decision",
]


def _review_id(_session: Session, value: Any) -> int | None:
    return fields.as_int("Review", value) if value not in (None, "") else None


MEETING_FIELDS: dict[str, Coercer] = {
    "body": fields.text("Body", required=True, max_length=200),
    "held_on": fields.required_date("Date"),
    "agenda_item": fields.text("Agenda item", max_length=200),
    "notes": fields.text("Notes"),
    "review_id": _review_id,
}


def _load(session: Session, meeting_id: int) -> Meeting:
    meeting = session.scalar(select(Meeting).where(Meeting.id == meeting_id).options(
        selectinload(Meeting.attendees), selectinload(Meeting.decisions)))
    if meeting is None:
        raise NotFoundError("meeting", meeting_id)
    return meeting


def list_meetings(sessions: sessionmaker[Session], review_id: int | None = None) -> list[MeetingRow]:
    """Meetings newest first; for a review, those linked to it or deciding on its items."""
    with sessions() as session:
        query = select(Meeting).options(selectinload(Meeting.attendees),
                                        selectinload(Meeting.decisions))
        if review_id is not None:
            decided = select(Decision.meeting_id).join(
                Recommendation, Recommendation.id == Decision.recommendation_id, isouter=True
            ).where(Recommendation.review_id == review_id)
            query = query.where((Meeting.review_id == review_id) | Meeting.id.in_(decided))
        return [meeting_row(m) for m in session.scalars(query.order_by(Meeting.held_on.desc(), Meeting.id))]


def get_meeting(sessions: sessionmaker[Session], meeting_id: int) -> MeetingRow:
    with sessions() as session:
        return meeting_row(_load(session, meeting_id))


def _set_attendees(session: Session, meeting: Meeting, attendees: Sequence[AttendeeRow]) -> None:
    """The meeting's attendees become `attendees`, in order. One already there (by key, else by
    name, role and agency) keeps its row, and one put back by an undo its key: a change of the
    meeting's notes does not make new people of those who attended."""
    wanted = []
    for person in attendees:
        name = " ".join(person.name.split())
        if not name:
            raise ValidationError("Attendee", "every attendee needs a name")
        fields.agency_id("Attendee agency")(session, person.agency_id)
        wanted.append(AttendeeRow(name, person.role.strip(), person.agency_id, person.uid))
    there = list(meeting.attendees)
    kept: list[Attendee | None] = []
    for person in wanted:
        same = next((a for a in there if a.uid == person.uid), None) if person.uid else None
        same = same or next((a for a in there if (a.name, a.role, a.agency_id) ==
                             (person.name, person.role, person.agency_id)), None)
        if same is not None:
            there.remove(same)
        kept.append(same)
    for gone in there:
        meeting.attendees.remove(gone)
        session.delete(gone)
    session.flush()
    for position, (person, row) in enumerate(zip(wanted, kept, strict=True), start=1):
        if row is None:  # new here; an undo's key back, unless it is another meeting's (copied from it)
            free = person.uid and session.scalar(select(Attendee.id).where(Attendee.uid == person.uid)) is None
            row = Attendee(name=person.name, role=person.role, agency_id=person.agency_id,
                           **({"uid": person.uid} if free else {}))
            meeting.attendees.append(row)
        row.position = position
    meeting.attendees.sort(key=lambda a: a.position)  # (as they are read back)


def add_meeting(session: Session, values: Mapping[str, object],
                attendees: Sequence[AttendeeRow] = (), *, uid: str | None = None) -> Meeting:
    if unknown := set(values) - set(MEETING_FIELDS):
        raise ValidationError(", ".join(sorted(unknown)), "is not a field of a meeting")
    data = {k: MEETING_FIELDS[k](session, v) for k, v in values.items()}
    for required in ("body", "held_on"):
        if required not in data:
            MEETING_FIELDS[required](session, None)
    meeting = Meeting(**data)
    if uid:
        meeting.uid = uid
    session.add(meeting)
    session.flush()
    _set_attendees(session, meeting, attendees)
    audit.record_created(session, "meeting", meeting, {"body": meeting.body, "held_on": meeting.held_on})
    return meeting


def create_meeting(sessions: sessionmaker[Session], values: Mapping[str, object],
                   attendees: Sequence[AttendeeRow] = ()) -> MeetingRow:
    with sessions.begin() as session:
        meeting = add_meeting(session, values, attendees)
        session.flush()
        return meeting_row(_load(session, meeting.id))


def update_meeting(sessions: sessionmaker[Session], meeting_id: int, changes: Mapping[str, object],
                   attendees: Sequence[AttendeeRow] | None = None) -> MeetingRow:
    with sessions.begin() as session:
        meeting = _load(session, meeting_id)
        apply_changes(session, meeting, "meeting", changes, MEETING_FIELDS)
        if attendees is not None:
            before = "; ".join(a.name for a in meeting.attendees)
            _set_attendees(session, meeting, attendees)
            after = "; ".join(a.name for a in attendees)
            if before != after:
                audit.record(session, "meeting", meeting.uid, "changed", field="attendees",
                             old=before, new=after)
        session.flush()
        session.expire(meeting)
        return meeting_row(_load(session, meeting_id))


@dataclass(frozen=True)
class RecordedDecision:
    """A decision as recorded, with what withdrawing it must put back."""

    decision: DecisionRow
    update_uid: str
    previous_status: Status
    previous_rag: Rag | None
    decision_uid: str = ""


def record_decision(sessions: sessionmaker[Session], meeting_id: int, item: ItemKey,
                    decision: AssuranceDecision | str, comment: str = "", *,
                    again: RecordedDecision | None = None) -> RecordedDecision:
    """The panel's decision on an item: kept on the meeting, shown in the item's timeline,
    and moving the item's status where the decision closes or embeds it. A redo passes the
    decision it recorded before (`again`): the decision and its timeline entry keep their keys."""
    with sessions.begin() as session:
        meeting = _load(session, meeting_id)
        choice = fields.enum_value("Decision", AssuranceDecision)(session, decision)
        target = get_item(session, item)
        if target is None:
            raise NotFoundError(item.kind, item.id)
        before_status, before_rag = target.status, target.rag
        keys = {"uid": again.decision_uid} if again is not None and again.decision_uid else {}
        row = Decision(meeting=meeting, decision=choice, comment=comment.strip(), **keys, **pointing_at(item))
        session.add(row)
        session.flush()
        audit.record_created(session, "decision", row, {"decision": choice, "on": f"{item.kind} {item.id}"})
        narrative = f"Panel decision: {choice.value}." + (f" {comment.strip()}" if comment.strip() else "")
        values: dict[str, object] = {"as_at": meeting.held_on, "period": str(period_of(meeting.held_on)),
                                     "narrative": narrative}
        if choice.resulting_status is not None:
            values["status"] = choice.resulting_status
        update = append_update(session, item, values, source_kind=SourceKind.MINUTED,
                               source_detail=f"{meeting.body}, {meeting.held_on:%d/%m/%Y}"
                                             + (f", item {meeting.agenda_item}" if meeting.agenda_item else ""),
                               meeting_id=meeting.id, uid=again.update_uid if again is not None else None)
        return RecordedDecision(DecisionRow(item, choice, row.comment, row.id), update.uid,
                                before_status, before_rag, row.uid)


def withdraw_decision(sessions: sessionmaker[Session], recorded: RecordedDecision) -> None:
    """Undo of a decision just recorded: remove it and its timeline entry, restore the status."""
    with sessions.begin() as session:
        row = session.get(Decision, recorded.decision.id)
        if row is None:
            raise NotFoundError("decision", recorded.decision.id)
        audit.record(session, "decision", row.uid, "deleted", old=row.decision, source="undo")
        session.delete(row)
        remove_update(session, recorded.update_uid, recorded.previous_status, recorded.previous_rag)


def delete_meeting(sessions: sessionmaker[Session], meeting_id: int) -> snapshot.Snapshot:
    """Delete a meeting with its attendees and decisions; the snapshot returned undoes it.

    Updates minuted at the meeting stay in their items' timelines (they lose the link only).
    """
    with sessions.begin() as session:
        meeting = _load(session, meeting_id)
        label = f"Meeting of the {meeting.body} on {meeting.held_on:%d/%m/%Y}"
        taken = snapshot.capture(session, "meeting", meeting_id, label)
        snapshot.delete_captured(session, taken)
        return taken
