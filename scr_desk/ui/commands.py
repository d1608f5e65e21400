"""Undo and redo for every edit: each is a pair of service calls wrapped in a QUndoCommand.

An edit is applied (and validated) before it is pushed, so a refused edit never reaches the
stack; the command's first redo() is then a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand, QUndoStack

from scr_desk.domain.dto import ItemKey


@dataclass(frozen=True)
class Change:
    """What an operation changed, so views refresh only what they must."""

    review_id: int | None = None  # the review subtree to refresh; None with structural = all
    structural: bool = False  # rows were added, removed or reordered
    select: ItemKey | None = None  # select this item afterwards
    agencies: bool = False


class ServiceCommand(QUndoCommand):
    def __init__(self, text: str, do: Callable[[], Change], undo: Callable[[], Change],
                 notify: Callable[[Change], None], report: Callable[[str, Exception], None],
                 first_change: Change, say: Callable[[str], None] | None = None) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo
        self._notify = notify
        self._report = report
        self._say = say
        self._first_change: Change | None = first_change

    def redo(self) -> None:
        if self._first_change is not None:  # already applied when it was pushed
            change, self._first_change = self._first_change, None
            self._notify(change)
            return
        self._run(self._do, "Redo")

    def undo(self) -> None:
        self._run(self._undo, "Undo")

    def _run(self, step: Callable[[], Change], verb: str) -> None:
        try:
            change = step()
        except Exception as exc:  # the database refused (changed meanwhile, locked, full)
            self.setObsolete(True)
            text = self.text()
            self._report(f"{verb} {text[:1].lower()}{text[1:]}", exc)
            self._notify(Change(structural=True))
            return
        self._notify(change)
        if self._say is not None:  # the status bar says what this did, in place of the last message
            self._say(f"{verb}ne: {self.text()}.")  # "Undone: …", "Redone: …"


class Editor:
    """Runs an edit now and records how to undo and redo it."""

    def __init__(self, stack: QUndoStack, notify: Callable[[Change], None],
                 report: Callable[[str, Exception], None], say: Callable[[str], None] | None = None) -> None:
        self.stack = stack
        self._notify = notify
        self._report = report
        self._say = say  # each edit says what it did in the status bar, replacing an older message

    def run(self, text: str, do: Callable[[], Change], undo: Callable[[], Change],
            redo: Callable[[], Change] | None = None) -> bool:
        """Apply `do`; on success push a command whose undo is `undo` and redo `redo or do`."""
        try:
            change = do()
        except Exception as exc:
            self._report(text, exc)
            return False
        self.stack.push(ServiceCommand(text, redo or do, undo, self._notify, self._report, change, self._say))
        if self._say is not None:
            self._say(f"Saved: {text}.")
        return True


class ImportCommand(QUndoCommand):
    """An import on the undo stack, so Edit > Undo offers it ("Undo import of … (12 new updates)")
    rather than an older edit. Undo hands over to the importer's own undo, which asks first and
    runs on a worker; once undone the entry leaves the stack (an import is not redone). If the
    user declines, the import stays and Redo simply steps back over it."""

    def __init__(self, text: str, undo_import: Callable[[], bool]) -> None:
        super().__init__(text)
        self._undo_import = undo_import

    def redo(self) -> None:
        pass  # applied before it was pushed; after a declined undo, still applied

    def undo(self) -> None:
        if self._undo_import():
            self.setObsolete(True)
