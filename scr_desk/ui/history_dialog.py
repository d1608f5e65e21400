"""Import history: every batch with its file, kind, date and counts; any live one can be undone."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from scr_desk.services.imports.batches import BatchRow

COUNT_NAMES = (("new_updates", "updates"), ("changed_items", "changed"), ("created_reviews", "reviews"),
               ("created_recommendations", "recommendations"), ("created_actions", "actions"))


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
            brought = ", ".join(f"{batch.counts.get(key, 0)} {name}" for key, name in COUNT_NAMES
                                if batch.counts.get(key))
            for column, text in enumerate((batch.file_name, batch.kind, f"{batch.imported_at:%d/%m/%Y %H:%M}",
                                           brought or "nothing new",
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
