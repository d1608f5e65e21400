"""What every edit shares: what it changed (for the views to refresh) and how it is undone.

An edit is an object, as moneyguru keeps its undo in its core: made from what the lead chose,
applied once by `do()`, then undone and redone any number of times. Each step is one short
transaction through the services, so the rules hold wherever the edit came from:

- `do()` is checked against the version of the item the edit was made from (another person's
  change since refuses it: StaleEditError), and is written as the connecting role (on a server)
  or the computer's user (on a file), as every change is;
- `undo()` and `redo()` refuse to overwrite a value changed since by anyone (ChangedSince), and the
  audit trail records them as the undo or the redo they are, not as typing;
- a refused step raises and changes nothing.

The window keeps these on its QUndoStack through a thin adapter (ui/commands.py); the tests run
them without a window.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.services import audit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Change", "Edit", "FieldsEdit", "review_of"]


@dataclass(frozen=True)
class Change:
    """What an edit changed, so views refresh only what they must."""

    review_id: int | None = None  # the review subtree to refresh; None with structural = all
    structural: bool = False  # rows were added, removed or reordered
    select: ItemKey | None = None  # select this item afterwards
    agencies: bool = False


class Edit(ABC):
    """One change the lead made, with its undo and its redo (see the module's words)."""

    def __init__(self, sessions: sessionmaker[Session], text: str) -> None:
        self.sessions = sessions
        self.text = text  # what Edit > Undo names: "change of RAG on CLARE-R3"

    @abstractmethod
    def do(self) -> Change:
        """Make the change the first time."""

    def undo(self) -> Change:
        with audit.recorded_as(audit.UNDO):
            return self._undo()

    def redo(self) -> Change:
        with audit.recorded_as(audit.REDO):
            return self._redo()

    @abstractmethod
    def _undo(self) -> Change: ...

    @abstractmethod
    def _redo(self) -> Change: ...


class FieldsEdit(Edit):
    """Some fields of one record set to new values: undo puts back those before, redo the new
    ones, each only while the fields still hold what the step before left there (ChangedSince)."""

    def __init__(self, sessions: sessionmaker[Session], text: str, before: object, values: Mapping[str, object],
                 change: Change) -> None:
        super().__init__(sessions, text)
        self.before = {name: getattr(before, name) for name in values}  # `before`: the record as shown
        self.after = dict(values)
        self._left = dict(self.before)  # what the last step left, as stored
        self._change = change

    def do(self) -> Change:
        return self._set(self.after)

    def _undo(self) -> Change:
        return self._set(self.before)

    def _redo(self) -> Change:
        return self._set(self.after)

    def _set(self, values: Mapping[str, object]) -> Change:
        row = self._write(values, self._left)
        self._left = {name: getattr(row, name) for name in self.before}
        return self._change

    @abstractmethod
    def _write(self, values: Mapping[str, object], expected: Mapping[str, object]) -> object:
        """Store `values` while the fields hold `expected`; the record as stored after."""


def review_of(sessions: sessionmaker[Session], item: ItemKey) -> int:
    """The review an item belongs to (its own id for a review): the subtree to refresh."""
    from scr_desk.services import items
    if item.kind == ItemKind.REVIEW:
        return item.id
    if item.kind == ItemKind.ACTION:
        item = ItemKey(ItemKind.RECOMMENDATION, items.get_action(sessions, item.id).recommendation_id)
    return items.get_recommendation(sessions, item.id).review_id
