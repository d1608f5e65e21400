"""Edits of the progress timeline: an update added (undo retracts it) and an update corrected
(undo puts back what it said)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from scr_desk.domain.dto import ItemKey, UpdateRow
from scr_desk.services import updates
from scr_desk.services.edits.base import Change, Edit, review_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

__all__ = ["NewUpdate", "UpdateCorrection"]


class NewUpdate(Edit):
    """An update written in the detail pane, against the version of the item shown. Undo removes
    it and puts back the status and RAG it moved (while the item still shows what it set); redo
    adds it again with the same key."""

    def __init__(self, sessions: sessionmaker[Session], item: ItemKey, values: Mapping[str, object],
                 reference: str, shown_version: int | None = None) -> None:
        super().__init__(sessions, f"update added to {reference}")
        self.item, self.values, self.reference = item, dict(values), reference
        self._shown_version = shown_version
        self._change = Change(review_id=review_of(sessions, item))
        self._added: UpdateRow | None = None  # knowing the status and RAG before it

    def do(self) -> Change:
        self._added = updates.add_update(self.sessions, self.item, self.values, expected_version=self._shown_version)
        return self._change

    def _undo(self) -> Change:
        assert self._added is not None
        updates.retract_update(self.sessions, self._added.uid, self._added.previous_status, self._added.previous_rag)
        return self._change

    def _redo(self) -> Change:
        assert self._added is not None
        self._added = updates.add_update(self.sessions, self.item, self.values, uid=self._added.uid)
        return self._change


class UpdateCorrection(Edit):
    """A correction of an update as shown: refused if the update was corrected meanwhile; undo
    puts back what it said, redo the correction, each only while it still says what the step
    before left."""

    def __init__(self, sessions: sessionmaker[Session], shown: UpdateRow, corrected: Mapping[str, object],
                 reference: str) -> None:
        super().__init__(sessions, f"correction of an update on {reference}")
        self.update_id = shown.id
        self.before = {name: getattr(shown, name) for name in corrected}
        self.after = dict(corrected)
        self._left: dict[str, object] = dict(self.before)  # what the last step left, as stored
        self._change = Change(review_id=review_of(sessions, shown.item))

    def do(self) -> Change:
        return self._correct(self.after)

    def _undo(self) -> Change:
        return self._correct(self.before)

    def _redo(self) -> Change:
        return self._correct(self.after)

    def _correct(self, values: Mapping[str, object]) -> Change:
        row = updates.correct_update(self.sessions, self.update_id, values, expected_values=self._left)
        self._left = {name: getattr(row, name) for name in self.before}
        return self._change
