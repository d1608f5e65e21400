"""Edits of the progress timeline: an update added (undo retracts it) and an update corrected
(undo puts back what it said)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from scr_desk.domain.dto import ItemKey, UpdateRow
from scr_desk.services import updates
from scr_desk.services.edits.base import Change, Edit, FieldsEdit, review_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

__all__ = ["AddsAnUpdate", "NewUpdate", "UpdateCorrection"]


class AddsAnUpdate(Edit):
    """An edit that adds one update to an item's timeline. Undo removes it and puts back the
    status and RAG it moved, while the item still shows what it set (ChangedSince otherwise)."""

    _added: UpdateRow | None  # once added: it knows the status and RAG before it
    _change: Change

    def _undo(self) -> Change:
        assert self._added is not None
        updates.retract_update(self.sessions, self._added.uid, self._added.previous_status, self._added.previous_rag)
        return self._change


class NewUpdate(AddsAnUpdate):
    """An update written in the detail pane, against the version of the item shown. Undo removes
    it and puts back the status and RAG it moved (while the item still shows what it set); redo
    adds it again with the same key."""

    def __init__(self, sessions: sessionmaker[Session], item: ItemKey, values: Mapping[str, object],
                 reference: str, shown_version: int | None = None) -> None:
        super().__init__(sessions, f"update added to {reference}")
        self.item, self.values, self.reference = item, dict(values), reference
        self._shown_version = shown_version
        self._change = Change(review_id=review_of(sessions, item))
        self._added = None

    def do(self) -> Change:
        self._added = updates.add_update(self.sessions, self.item, self.values, expected_version=self._shown_version)
        return self._change

    def _redo(self) -> Change:
        assert self._added is not None
        self._added = updates.add_update(self.sessions, self.item, self.values, uid=self._added.uid)
        return self._change


class UpdateCorrection(FieldsEdit):
    """A correction of an update as shown: refused if the update was corrected meanwhile; undo
    puts back what it said, redo the correction, each only while it still says what the step
    before left."""

    def __init__(self, sessions: sessionmaker[Session], shown: UpdateRow, corrected: Mapping[str, object],
                 reference: str) -> None:
        super().__init__(sessions, f"correction of an update on {reference}", shown, corrected,
                         Change(review_id=review_of(sessions, shown.item)))
        self.update_id = shown.id

    def _write(self, values: Mapping[str, object], expected: Mapping[str, object]) -> UpdateRow:
        return updates.correct_update(self.sessions, self.update_id, values, expected_values=expected)
