"""Reports > Panel report…: which reviews, as at which date, for which panel, PDF or Word."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
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
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from scr_desk.domain.colours import ALERT
from scr_desk.ui.widgets import DateField, all_or_none_buttons

__all__ = ["ReportDialog", "ReportRequest"]


@dataclass(frozen=True)
class ReportRequest:
    reviews: tuple[str, ...]
    as_of: date
    panel: str
    path: Path


class ReportDialog(QDialog):
    def __init__(self, reviews: Sequence[str], selected: str | None, panel: str, folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Panel report")
        self.resize(520, 460)
        self.reviews = QListWidget()
        self.reviews.setObjectName("report_reviews")
        self.reviews.setAccessibleName("Reviews in the report")
        for name in reviews:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if selected in (None, name) else Qt.CheckState.Unchecked)
            self.reviews.addItem(item)
        self.as_of = DateField("Report as at")
        self.as_of.set_value(date.today())
        self.panel = QLineEdit(panel)
        self.panel.setAccessibleName("Panel")
        self.pdf = QRadioButton("PDF")
        self.pdf.setChecked(True)
        self.word = QRadioButton("Word (.docx)")
        self.path = QLineEdit(str(folder / f"Panel report {date.today():%Y-%m-%d}.pdf"))
        self.path.setAccessibleName("Save the report as")
        self.path.setObjectName("report_path")
        self.pdf.toggled.connect(self._suffix)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(f"color: {ALERT}")
        formats = QHBoxLayout()
        formats.addWidget(self.pdf)
        formats.addWidget(self.word)
        formats.addStretch(1)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("As at:", self.as_of)
        form.addRow("Panel:", self.panel)
        form.addRow("Format:", formats)
        form.addRow("Save as:", where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Write report")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Reviews:"))
        layout.addWidget(self.reviews, 1)
        layout.addLayout(all_or_none_buttons(self.reviews))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _suffix(self) -> None:
        path = Path(self.path.text())
        self.path.setText(str(path.with_suffix(".pdf" if self.pdf.isChecked() else ".docx")))

    def _browse(self) -> None:
        wanted = "PDF (*.pdf)" if self.pdf.isChecked() else "Word (*.docx)"
        name, _ = QFileDialog.getSaveFileName(self, "Save the report as", self.path.text(), wanted)
        if name:
            self.path.setText(name)
            self._suffix()

    def request(self) -> ReportRequest | None:
        chosen = tuple(self.reviews.item(i).text() for i in range(self.reviews.count())
                       if self.reviews.item(i).checkState() == Qt.CheckState.Checked)
        as_of = self.as_of.value()
        if not chosen:
            self.error.setText("Tick at least one review.")
            return None
        if as_of is None:
            self.error.setText("Choose the date the report is as at.")
            return None
        path = Path(self.path.text().strip()).expanduser()
        if path.suffix.lower() not in (".pdf", ".docx"):
            self.error.setText("Save the report as .pdf or .docx.")
            return None
        return ReportRequest(chosen, as_of, self.panel.text().strip(), path)

    def accept(self) -> None:
        if self.request() is not None:
            super().accept()
