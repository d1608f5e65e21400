"""Import history: every batch with its file, kind, date and counts; any live one can be undone."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scr_desk.services.imports.batches import BatchRow
from scr_desk.services.imports.plan import describe_counts

# What each kind of import is called in the window ("legacy" is the code's word for a tracker).
KIND_WORDS = {"returns": "Partner's return", "full": "Full workbook", "legacy": "Tracker"}


class ImportHistoryDialog(QDialog):
    undo_requested = Signal(object)

    def __init__(self, batches: Sequence[BatchRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import history")
        self.resize(860, 420)
        self.batches = list(batches)
        self.table = QTableWidget(len(self.batches), 5)
        self.table.setObjectName("import_history")
        self.table.setAccessibleName("Imports, newest first")
        self.table.setHorizontalHeaderLabels(["File", "Kind", "Imported", "What it brought", "Undone"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, batch in enumerate(self.batches):
            # In the preview's own words ("7 new updates, 1 new review").
            brought = describe_counts(batch.counts, skip=("unchanged_rows", "skipped_rows"))
            kind = KIND_WORDS.get(str(getattr(batch.kind, "value", batch.kind)), str(batch.kind))
            for column, text in enumerate((batch.file_name, kind, f"{batch.imported_at:%d/%m/%Y %H:%M}",
                                           brought,
                                           f"{batch.undone_at:%d/%m/%Y %H:%M}" if batch.undone_at else "")):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.undo_button = QPushButton("Undo this import…")
        self.undo_button.setObjectName("undo_selected_import")
        self.undo_button.clicked.connect(self._undo)
        self.table.currentCellChanged.connect(lambda *_: self._enable())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self._enable()

    def _selected(self) -> BatchRow | None:
        row = self.table.currentRow()
        return self.batches[row] if 0 <= row < len(self.batches) else None

    def _enable(self) -> None:
        batch = self._selected()
        self.undo_button.setEnabled(batch is not None and batch.undone_at is None)

    def _undo(self) -> None:
        batch = self._selected()
        if batch is not None:
            self.undo_requested.emit(batch)
