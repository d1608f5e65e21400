"""What the controllers may ask of the main window (Mu's shape: controllers hold a narrow view).

The controllers (edits, exchange, imports, reports, agencies, databases) depend on these
Protocols, never on MainWindow's widgets, so the window can be rearranged without touching them
and mypy checks every call they make. MainWindow implements both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QWidget
    from sqlalchemy.orm import Session, sessionmaker

    from scr_desk.domain.dto import AgencyRow, ItemKey
    from scr_desk.services.edits.base import Change
    from scr_desk.services.tree import TreeNode
    from scr_desk.ui.detail_pane import DetailPane
    from scr_desk.ui.progress import Work
    from scr_desk.ui.prompts import Prompts
    from scr_desk.ui.settings import UiSettings
    from scr_desk.ui.workers import Task
    from scr_desk.ui.workspace import Workspace

__all__ = ["DatabaseWindow", "WindowInterface"]


T = TypeVar("T")


class WindowInterface(Protocol):
    """The window as the controllers see it."""

    prompts: Prompts  # every question and message to the user
    undo_stack: QUndoStack
    agencies: list[AgencyRow]  # the partner agencies, as the forms offer them
    detail: DetailPane  # the selected item's page: its forms are the edit controller's to clear

    @property
    def workspace(self) -> Workspace: ...

    @property
    def sessions(self) -> sessionmaker[Session]: ...

    @property
    def dialog_parent(self) -> QWidget:
        """The widget dialogs open over."""
        ...

    def run_op(self, label: str, work: Work[T], on_done: Callable[[T], object], *, cancellable: bool = False,
               doing: str | None = None, on_error: Callable[[BaseException], object] | None = None) -> Task:
        """Run `work` on a worker with progress shown and any failure reported (progress.Operations)."""
        ...

    def notify(self, change: Change) -> None:
        """The data changed: the views refresh what `change` says."""
        ...

    def report_error(self, doing: str, error: BaseException) -> None: ...

    def show_status(self, text: str, msecs: int = 0) -> None: ...

    def show_selected(self) -> None:
        """Show the selected item again (a refused edit springs back to what is stored)."""
        ...

    def show_last_backup(self) -> None: ...

    def offline(self) -> bool:
        """Whether the connection to the server is lost (the window is read-only until it is back,
        and an edit that did not save stays in its field)."""
        ...

    def after_next_load(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the tree has next loaded (and shows what a change selected)."""
        ...

    def selected_key(self) -> ItemKey | None: ...

    def review_id_of(self, key: ItemKey) -> int | None: ...

    def reference_of(self, key: ItemKey) -> str: ...

    def children_of(self, key: ItemKey) -> Sequence[TreeNode]: ...


class DatabaseWindow(WindowInterface, Protocol):
    """The window as the database controller sees it: it can also change the open file."""

    settings: UiSettings  # the recent databases, files and servers

    def close_workspace(self, *, remember_selection: bool = True) -> None:
        """Wait for the workers and close the open database (remembering the selection)."""
        ...

    def start_workspace(self, workspace: Workspace) -> None:
        """Show `workspace`, which is open, from the start."""
        ...

    def close(self) -> bool: ...
