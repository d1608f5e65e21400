"""Choosing what File > Export returns… writes: period, deadline, agencies and folder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scr_desk.domain.colours import ALERT
from scr_desk.domain.rules import parse_period
from scr_desk.domain.wording import words
from scr_desk.ui.widgets import DateField, all_or_none_buttons

__all__ = ["ExportReturnsDialog", "ReturnsRequest"]


@dataclass(frozen=True)
class ReturnsRequest:
    period: str
    deadline: date
    agency_ids: tuple[int, ...]
    folder: Path
    drafts: bool = True  # an email draft beside each return, the return attached


class ExportReturnsDialog(QDialog):
    def __init__(self, agencies: Sequence[tuple[int, str, str, int]], period: str, deadline: date, folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export returns")
        self.resize(560, 520)
        self.period = QLineEdit(period)
        self.period.setAccessibleName("Reporting period")
        self.period.setObjectName("export_period")
        self.deadline = DateField("Return deadline")
        self.deadline.set_value(deadline)
        self.folder = QLineEdit(str(folder))
        self.folder.setAccessibleName("Folder for the returns")
        self.folder.setObjectName("export_folder")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.agencies = QListWidget()
        self.agencies.setObjectName("export_agencies")
        self.agencies.setAccessibleName("Agencies to send returns to")
        for agency_id, name, code, count in agencies:
            item = QListWidgetItem(f"{name} ({code}): {count} {words(count, 'open item')}")
            item.setData(Qt.ItemDataRole.UserRole, agency_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if count else Qt.CheckState.Unchecked)
            self.agencies.addItem(item)
        self.drafts = QCheckBox("An &email draft beside each return, to send from Outlook or Thunderbird")
        self.drafts.setToolTip("Addressed to the agency's contacts (Edit > Agencies), with the return attached; "
                               "SCR Desk never sends anything itself")
        self.drafts.setObjectName("export_drafts")
        self.drafts.setChecked(True)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setObjectName("export_error")
        self.error.setStyleSheet(f"color: {ALERT}")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Reporting period:", self.period)
        form.addRow("Return by:", self.deadline)
        form.addRow("Save into:", folder_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("One workbook per agency (those with open items are ticked):"))
        layout.addWidget(self.agencies, 1)
        layout.addLayout(all_or_none_buttons(self.agencies))
        layout.addWidget(self.drafts)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Save the returns into", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def request(self) -> ReturnsRequest | None:
        """The choices, or None with the reason shown in the dialog."""
        try:
            period = str(parse_period(self.period.text()))
        except ValueError as exc:
            self.error.setText(str(exc))
            return None
        deadline = self.deadline.value()
        ids = tuple(self.agencies.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.agencies.count())
                    if self.agencies.item(i).checkState() == Qt.CheckState.Checked)
        if deadline is None:
            self.error.setText("Choose the date returns are due.")
            return None
        if not ids:
            self.error.setText("Tick at least one agency.")
            return None
        if not self.folder.text().strip():
            self.error.setText("Choose a folder for the returns.")
            return None
        return ReturnsRequest(period, deadline, ids, Path(self.folder.text().strip()).expanduser(),
                              self.drafts.isChecked())

    def accept(self) -> None:
        if self.request() is not None:
            super().accept()
