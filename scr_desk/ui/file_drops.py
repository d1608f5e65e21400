"""Workbooks dropped on the window are imported (the main window's drag and drop)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QDragEnterEvent, QDropEvent

if TYPE_CHECKING:
    from scr_desk.ui.import_controller import ImportController

__all__ = ["FileDrops"]


class FileDrops:
    """Mixed into MainWindow, which provides importer."""

    importer: ImportController

    def _dropped_files(self, event: QDragEnterEvent | QDropEvent) -> list[Path]:
        from scr_desk.ui.import_controller import IMPORTABLE  # with the services: not before the first paint
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and u.toLocalFile().lower().endswith(IMPORTABLE)]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._dropped_files(event)
        if files:
            event.acceptProposedAction()
            self.importer.import_files(files)

