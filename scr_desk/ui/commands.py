"""Undo and redo in the window: each edit (services.edits) on the QUndoStack through a thin
adapter, and an import, whose undo the import controller carries out.

An edit is applied (and validated) before it is pushed, so a refused edit never reaches the
stack; the command's first redo() is then a no-op.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack

from scr_desk.services.edits.base import Change, Edit

__all__ = ["EditCommand", "Editor", "ImportCommand"]


class EditCommand(QUndoCommand):
    """An edit on the stack: undo and redo are the edit's own; a refusal is reported, and the
    entry leaves the stack (what it would undo has changed since)."""

    def __init__(self, edit: Edit, first_change: Change, notify: Callable[[Change], None],
                 report: Callable[[str, Exception], None], say: Callable[[str], None] | None = None) -> None:
        super().__init__(edit.text)
        self.edit = edit
        self._notify = notify
        self._report = report
        self._say = say
        self._first_change: Change | None = first_change

    def redo(self) -> None:
        if self._first_change is not None:  # already applied when it was pushed
            change, self._first_change = self._first_change, None
            self._notify(change)
            return
        self._run(self.edit.redo, "Redo")

    def undo(self) -> None:
        self._run(self.edit.undo, "Undo")

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
    """Runs an edit now and keeps it on the undo stack."""

    def __init__(self, stack: QUndoStack, notify: Callable[[Change], None],
                 report: Callable[[str, Exception], None], say: Callable[[str], None] | None = None) -> None:
        self.stack = stack
        self._notify = notify
        self._report = report
        self._say = say  # each edit says what it did in the status bar, replacing an older message

    def run(self, edit: Edit) -> bool:
        """Apply `edit`; on success push it (True), else report why not (False)."""
        try:
            change = edit.do()
        except Exception as exc:
            self._report(edit.text, exc)
            return False
        self.stack.push(EditCommand(edit, change, self._notify, self._report, self._say))
        if self._say is not None:
            self._say(f"Saved: {edit.text}.")
        return True


class ImportCommand(QUndoCommand):
    """An import on the undo stack, so Edit > Undo offers it ("Undo import of … (12 new updates)")
    rather than an older edit. Undo hands over to the importer's own undo, which asks first and
    runs on a worker, and which answers later: `undone` (the entry leaves the stack: an import is
    not redone) or `kept` (declined or refused: the import stands, and its entry is put back on
    the undo side, to be offered again)."""

    def __init__(self, text: str, undo_import: Callable[[ImportCommand], object], stack: QUndoStack) -> None:
        super().__init__(text)
        self._undo_import = undo_import
        self._stack = stack

    def redo(self) -> None:
        pass  # applied before it was pushed; stepped over again when its undo did not happen

    def undo(self) -> None:
        self._undo_import(self)

    def undone(self) -> None:
        self._step_back(remove=True)

    def kept(self) -> None:
        self._step_back(remove=False)

    def _step_back(self, *, remove: bool) -> None:
        # After the stack's own undo() has returned (it moves its index only then): a no-op redo
        # puts the index back over this entry, or, the command being obsolete, removes it.
        QTimer.singleShot(0, lambda: self._redo_over(remove))

    def _redo_over(self, remove: bool) -> None:
        index = self._stack.index()
        if index < self._stack.count() and self._stack.command(index) is self:  # still next to redo
            self.setObsolete(remove)
            self._stack.redo()
