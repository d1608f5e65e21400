"""Edits of panel meetings: one recorded, changed or deleted, each with the assurance decisions
made at it (a decision is an entry in its item's timeline, and may close the item)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from scr_desk.domain.dto import AttendeeRow, ItemKey, MeetingRow
from scr_desk.domain.enums import AssuranceDecision
from scr_desk.services import meetings, snapshot
from scr_desk.services.edits.base import Change, Edit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Decisions", "MeetingChange", "MeetingDeletion", "NewMeeting"]

# The decisions chosen in the meeting's dialog: (item, decision, comment).
Decisions = Sequence[tuple[ItemKey, AssuranceDecision, str]]


class _WithDecisions(Edit):
    """Records a meeting's new decisions, and withdraws them again on undo (last first)."""

    def __init__(self, sessions: sessionmaker[Session], text: str, decisions: Decisions) -> None:
        super().__init__(sessions, text)
        self.decisions = list(decisions)
        self._recorded: list[meetings.RecordedDecision] = []
        self._before: list[meetings.RecordedDecision] = []  # as first recorded: a redo keeps their keys

    def _record(self, meeting_id: int) -> None:
        """Record every decision, or none: one refused (its item deleted meanwhile) withdraws
        those recorded before it, and the refusal is raised."""
        self._recorded = []
        try:
            for index, (item, decision, comment) in enumerate(self.decisions):
                again = self._before[index] if index < len(self._before) else None
                self._recorded.append(meetings.record_decision(self.sessions, meeting_id, item, decision, comment,
                                                               again=again))
        except Exception:
            self._withdraw()
            raise

    def _withdraw(self) -> None:
        self._before = self._before or list(self._recorded)
        for recorded in reversed(self._recorded):
            meetings.withdraw_decision(self.sessions, recorded)
        self._recorded = []


class NewMeeting(_WithDecisions):
    """A meeting recorded for a review with its decisions; undo withdraws the decisions and
    deletes the meeting, redo puts the same meeting back (same id) and decides again."""

    def __init__(self, sessions: sessionmaker[Session], review_id: int, values: Mapping[str, object],
                 attendees: Sequence[AttendeeRow], decisions: Decisions) -> None:
        super().__init__(sessions, "recording of a meeting", decisions)
        self.values = {**values, "review_id": review_id}
        self.attendees = list(attendees)
        self.meeting_id: int | None = None  # once recorded
        self._snapshot: snapshot.Snapshot | None = None
        self._change = Change(review_id=review_id, structural=bool(decisions))

    def do(self) -> Change:
        self.meeting_id = meetings.create_meeting(self.sessions, self.values, self.attendees).id
        try:
            self._record(self.meeting_id)
        except Exception:  # a meeting without the decisions asked for is not what the lead recorded
            meetings.delete_meeting(self.sessions, self.meeting_id)
            raise
        return self._change

    def _undo(self) -> Change:
        assert self.meeting_id is not None
        self._withdraw()
        self._snapshot = meetings.delete_meeting(self.sessions, self.meeting_id)
        return self._change

    def _redo(self) -> Change:
        assert self._snapshot is not None and self.meeting_id is not None
        snapshot.restore(self.sessions, self._snapshot)
        self._record(self.meeting_id)
        return self._change


class MeetingChange(_WithDecisions):
    """A meeting's details and attendees changed, and new decisions made at it; undo withdraws
    those decisions and puts back the details and attendees before."""

    def __init__(self, sessions: sessionmaker[Session], before: MeetingRow, values: Mapping[str, object],
                 attendees: Sequence[AttendeeRow], decisions: Decisions, review_id: int | None) -> None:
        super().__init__(sessions, "change to a meeting", decisions)
        self.meeting_id = before.id
        self.before = ({name: getattr(before, name) for name in values}, list(before.attendees))
        self.after = (dict(values), list(attendees))
        self._change = Change(review_id=review_id, structural=bool(decisions))

    def do(self) -> Change:
        stored = meetings.update_meeting(self.sessions, self.meeting_id, *self.after)
        self.after = (self.after[0], list(stored.attendees))  # with their keys, which a redo keeps
        try:
            self._record(self.meeting_id)
        except Exception:  # all or nothing: the details go back with the decisions
            meetings.update_meeting(self.sessions, self.meeting_id, *self.before)
            raise
        return self._change

    def _undo(self) -> Change:
        self._withdraw()
        meetings.update_meeting(self.sessions, self.meeting_id, *self.before)
        return self._change

    def _redo(self) -> Change:
        return self.do()


class MeetingDeletion(Edit):
    """A meeting with its attendees and decisions (updates minuted at it stay in their timelines);
    undo puts it all back."""

    def __init__(self, sessions: sessionmaker[Session], meeting: MeetingRow) -> None:
        super().__init__(sessions, "deletion of a meeting")
        self.meeting_id = meeting.id
        self._snapshot: snapshot.Snapshot | None = None

    def do(self) -> Change:
        self._snapshot = meetings.delete_meeting(self.sessions, self.meeting_id)
        return Change()

    def _undo(self) -> Change:
        assert self._snapshot is not None
        snapshot.restore(self.sessions, self._snapshot)
        return Change()

    def _redo(self) -> Change:
        return self.do()
