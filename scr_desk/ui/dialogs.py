"""Dialog widgets. They only collect values; the facade in prompts.py opens them and the window
turns what they return into undoable service calls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from scr_desk.domain.dto import AgencyRow, AttendeeRow, MeetingRow, UpdateRow
from scr_desk.ui.widgets import AgencyCombo, DateField


def _buttons(dialog: QDialog, ok_text: str = "OK") -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class AgencyDialog(QDialog):
    """Name, short code and contact of a partner agency."""

    def __init__(self, parent: QWidget | None = None, agency: AgencyRow | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit agency" if agency else "New agency")
        self.name = QLineEdit(agency.name if agency else "")
        self.name.setAccessibleName("Agency name")
        self.name.setObjectName("agency_name")
        self.code = QLineEdit(agency.code if agency else "")
        self.code.setAccessibleName("Short code")
        self.code.setObjectName("agency_code")
        self.code.setPlaceholderText("Made from the initials if left empty")
        self.contact_name = QLineEdit(agency.contact_name if agency else "")
        self.contact_name.setAccessibleName("Contact name")
        self.contact_email = QLineEdit(agency.contact_email if agency else "")
        self.contact_email.setAccessibleName("Contact email")
        form = QFormLayout(self)
        form.addRow("Name:", self.name)
        form.addRow("Code:", self.code)
        form.addRow("Contact:", self.contact_name)
        form.addRow("Email:", self.contact_email)
        form.addRow(_buttons(self, "Save"))

    def values(self) -> dict[str, str]:
        return {"name": self.name.text().strip(), "code": self.code.text().strip(),
                "contact_name": self.contact_name.text().strip(),
                "contact_email": self.contact_email.text().strip()}


class MeetingDialog(QDialog):
    """A panel or board meeting: body, date, agenda item, notes and attendees."""

    COLUMNS = ("Name", "Role", "Agency")

    def __init__(self, agencies: Sequence[AgencyRow], meeting: MeetingRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit meeting" if meeting else "New meeting")
        self.resize(720, 520)
        self._agencies = list(agencies)
        self.body = QLineEdit(meeting.body if meeting else "")
        self.body.setAccessibleName("Meeting body")
        self.body.setObjectName("meeting_body")
        self.body.setPlaceholderText("e.g. Children and Families Scrutiny Panel")
        self.held_on = DateField("Meeting date")
        self.held_on.set_value(meeting.held_on if meeting else date.today())
        self.agenda_item = QLineEdit(meeting.agenda_item if meeting else "")
        self.agenda_item.setAccessibleName("Agenda item")
        self.agenda_item.setObjectName("meeting_item")
        self.notes = QPlainTextEdit(meeting.notes if meeting else "")
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(80)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("attendees")
        self.table.setAccessibleName("Attendees")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for person in (meeting.attendees if meeting else ()):
            self.add_attendee(person)
        add = QPushButton("Add attendee")
        add.clicked.connect(lambda: self.add_attendee(AttendeeRow("")))
        remove = QPushButton("Remove attendee")
        remove.clicked.connect(self._remove_selected)
        self.error = QLabel()
        self.error.setObjectName("meeting_error")
        self.error.setStyleSheet("color: #c62828")

        form = QFormLayout()
        form.addRow("Body:", self.body)
        form.addRow("Date:", self.held_on)
        form.addRow("Agenda item:", self.agenda_item)
        form.addRow("Notes:", self.notes)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Attendees:"))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "Save meeting"))

    def add_attendee(self, person: AttendeeRow) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(person.name))
        self.table.setItem(row, 1, QTableWidgetItem(person.role))
        combo = AgencyCombo(f"Agency of attendee {row + 1}", allow_new=False)
        combo.set_agencies(self._agencies)
        combo.set_value(person.agency_id)
        self.table.setCellWidget(row, 2, combo)

    def _remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def attendees(self) -> list[AttendeeRow]:
        people = []
        for row in range(self.table.rowCount()):
            name = (self.table.item(row, 0).text() if self.table.item(row, 0) else "").strip()
            role = (self.table.item(row, 1).text() if self.table.item(row, 1) else "").strip()
            combo = self.table.cellWidget(row, 2)
            agency = combo.value() if isinstance(combo, QComboBox | AgencyCombo) else None
            if name:
                people.append(AttendeeRow(name, role, agency))
        return people

    def values(self) -> dict[str, object]:
        return {"body": self.body.text().strip(), "held_on": self.held_on.value(),
                "agenda_item": self.agenda_item.text().strip(), "notes": self.notes.toPlainText().strip()}

    def accept(self) -> None:
        if not self.body.text().strip() or self.held_on.value() is None:
            self.error.setText("A meeting needs a body and a date.")
            return
        super().accept()


class CorrectUpdateDialog(QDialog):
    """Correct an update's wording; the previous text stays in the audit trail."""

    def __init__(self, update: UpdateRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Correct update")
        self.resize(560, 360)
        self.author = QLineEdit(update.author)
        self.author.setAccessibleName("Author")
        self.narrative = QPlainTextEdit(update.narrative)
        self.narrative.setAccessibleName("Progress")
        self.narrative.setObjectName("correct_narrative")
        self.narrative.setTabChangesFocus(True)
        self.evidence = QLineEdit(update.evidence)
        self.evidence.setAccessibleName("Evidence")
        note = QLabel("The text before the correction is kept in the audit trail.")
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("Author:", self.author)
        form.addRow("Progress:", self.narrative)
        form.addRow("Evidence:", self.evidence)
        form.addRow(_buttons(self, "Save correction"))

    def values(self) -> dict[str, str]:
        return {"author": self.author.text().strip(), "narrative": self.narrative.toPlainText().strip(),
                "evidence": self.evidence.text().strip()}
