"""Panel meetings from the detail pane: add (pre-filled from the last), edit, delete, each with
its assurance decisions, all undoable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scr_desk.domain.dto import ItemKey, MeetingRow
from scr_desk.domain.enums import AssuranceDecision, ItemKind
from scr_desk.services import meetings, snapshot
from scr_desk.ui.commands import Change

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session, sessionmaker

    from scr_desk.services.tree import TreeNode
    from scr_desk.ui.commands import Editor
    from scr_desk.ui.window_interface import WindowInterface


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

    def _record(self, meeting_id: int, decisions: list[tuple[ItemKey, AssuranceDecision, str]],
                state: dict[str, Any]) -> None:
        state["recorded"] = [meetings.record_decision(self.sessions, meeting_id, item, decision, comment)
                             for item, decision, comment in decisions]

    def _withdraw(self, state: dict[str, Any]) -> None:
        for recorded in reversed(state.pop("recorded", [])):
            meetings.withdraw_decision(self.sessions, recorded)

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
        state: dict[str, Any] = {}
        changed = Change(review_id=review_id, structural=bool(decisions))

        def do() -> Change:
            if "snapshot" in state:  # redo: the same meeting comes back, with the same id
                snapshot.restore(self.sessions, state.pop("snapshot"))
            else:
                state["id"] = meetings.create_meeting(self.sessions, {**values, "review_id": review_id},
                                                      attendees).id
            self._record(state["id"], decisions, state)
            return changed

        def undo() -> Change:
            self._withdraw(state)
            state["snapshot"] = meetings.delete_meeting(self.sessions, state["id"])
            return changed
        self.editor.run("recording of a meeting", do, undo)

    def edit_meeting(self, meeting_id: int) -> None:
        before = meetings.get_meeting(self.sessions, meeting_id)
        review_id = before.review_id or self._review_of_key()
        answer = self.window.prompts.meeting_details(self.window.agencies, before,
                                                     self._decision_items(review_id) if review_id else [])
        if not answer:
            return
        values, attendees, decisions = answer
        old_values = {k: getattr(before, k) for k in values}
        state: dict[str, Any] = {}
        changed = Change(review_id=review_id, structural=bool(decisions))

        def do() -> Change:
            meetings.update_meeting(self.sessions, meeting_id, values, attendees)
            self._record(meeting_id, decisions, state)
            return changed

        def undo() -> Change:
            self._withdraw(state)
            meetings.update_meeting(self.sessions, meeting_id, old_values, list(before.attendees))
            return changed
        self.editor.run("change to a meeting", do, undo)

    def _review_of_key(self) -> int | None:
        key = self.window.selected_key()
        return self.window.review_id_of(key) if key else None

    def delete_meeting(self, meeting_id: int) -> None:
        meeting = meetings.get_meeting(self.sessions, meeting_id)
        if not self.window.prompts.confirm(
                "Delete meeting", f"Delete the meeting of the {meeting.body} on {meeting.held_on:%d/%m/%Y}, "
                f"with its {len(meeting.attendees)} attendees and {len(meeting.decisions)} decisions?", "Delete"):
            return
        state: dict[str, Any] = {}

        def do() -> Change:
            state["snapshot"] = meetings.delete_meeting(self.sessions, meeting_id)
            return Change()

        def undo() -> Change:
            snapshot.restore(self.sessions, state["snapshot"])
            return Change()
        self.editor.run("deletion of a meeting", do, undo)



def _as_new(previous: MeetingRow) -> MeetingRow:
    """A new meeting pre-filled from the last one: same body and attendees, today's date."""
    from dataclasses import replace
    from datetime import date
    return replace(previous, id=0, uid="", held_on=date.today(), agenda_item="", notes="", decisions=())
