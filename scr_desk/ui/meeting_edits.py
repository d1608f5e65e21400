"""Panel meetings from the detail pane: add (pre-filled from the last), edit, delete, each with
its assurance decisions, all undoable (services.edits.meetings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scr_desk.domain.dto import ItemKey, MeetingRow
from scr_desk.domain.enums import ItemKind
from scr_desk.domain.wording import count
from scr_desk.services import meetings
from scr_desk.services.edits.meetings import MeetingChange, MeetingDeletion, NewMeeting

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session, sessionmaker

    from scr_desk.services.tree import TreeNode
    from scr_desk.ui.commands import Editor
    from scr_desk.ui.window_interface import WindowInterface

__all__ = ["MeetingEdits"]


class MeetingEdits:
    """Mixed into EditController, which provides window, editor, sessions and _children()."""

    window: WindowInterface
    editor: Editor

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.window.sessions

    def _children(self, key: ItemKey) -> Sequence[TreeNode]:
        return self.window.children_of(key)

    def _decision_items(self, review_id: int) -> list[tuple[str, ItemKey]]:
        """The review's recommendations and actions, labelled for the decision chooser."""
        choices = []
        for rec in self._children(ItemKey(ItemKind.REVIEW, review_id)):
            choices.append((f"{rec.reference}  {rec.title[:60]}", ItemKey.recommendation(rec.id)))
            choices += [(f"{a.reference}  {a.title[:60]}", ItemKey.action(a.id)) for a in rec.children]
        return choices

    def add_meeting(self, review_id: int, decide_each: bool = False) -> None:
        """A new meeting for the review, pre-filled from its last one; with `decide_each`, a
        decision row is ready for every recommendation (recording the panel's assurance)."""
        previous = meetings.list_meetings(self.sessions, review_id)
        choices = self._decision_items(review_id)
        decide = [ref for _, ref in choices if ref.kind is ItemKind.RECOMMENDATION] if decide_each else []
        answer = self.window.prompts.meeting_details(
            self.window.agencies, _as_new(previous[0]) if previous else None, choices, decide)
        if not answer:
            return
        values, attendees, decisions = answer
        self.editor.run(NewMeeting(self.sessions, review_id, values, attendees, decisions))

    def edit_meeting(self, meeting_id: int) -> None:
        before = meetings.get_meeting(self.sessions, meeting_id)
        review_id = before.review_id or self._review_of_key()
        answer = self.window.prompts.meeting_details(self.window.agencies, before,
                                                     self._decision_items(review_id) if review_id else [])
        if not answer:
            return
        values, attendees, decisions = answer
        self.editor.run(MeetingChange(self.sessions, before, values, attendees, decisions, review_id))

    def _review_of_key(self) -> int | None:
        key = self.window.selected_key()
        return self.window.review_id_of(key) if key else None

    def delete_meeting(self, meeting_id: int) -> None:
        meeting = meetings.get_meeting(self.sessions, meeting_id)
        held = f"the meeting of the {meeting.body} on {meeting.held_on:%d/%m/%Y}"
        taking = f"{count(len(meeting.attendees), 'attendee')} and {count(len(meeting.decisions), 'decision')}"
        if not self.window.prompts.confirm("Delete meeting", f"Delete {held}, with its {taking}?", "Delete"):
            return
        self.editor.run(MeetingDeletion(self.sessions, meeting))


def _as_new(previous: MeetingRow) -> MeetingRow:
    """A new meeting pre-filled from the last one: same body and attendees, today's date."""
    from dataclasses import replace
    from datetime import date
    return replace(previous, id=0, uid="", held_on=date.today(), agenda_item="", notes="", decisions=())
