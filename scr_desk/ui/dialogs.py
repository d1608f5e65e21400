"""Dialog widgets. They only collect values; the facade in prompts.py opens them and the window
turns what they return into undoable service calls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scr_desk.domain.colours import ALERT
from scr_desk.domain.dto import AgencyRow, AttendeeRow, ItemKey, MeetingRow, UpdateRow
from scr_desk.domain.enums import AssuranceDecision, Rag, Status
from scr_desk.domain.wording import count
from scr_desk.ui.widgets import AgencyCombo, DateField, EnumCombo

__all__ = ["CorrectUpdateDialog", "MeetingDialog", "NO_DECISION", "fit_to_screen"]


NO_DECISION = "No decision"


def fit_to_screen(dialog: QDialog, width: int, height: int) -> None:
    """Open at `width` × `height`, or smaller on a screen with less room (a laptop at 150 %):
    the tables inside scroll, and the buttons at the foot stay on the screen."""
    screen = dialog.screen().availableGeometry()
    dialog.resize(min(width, screen.width() - 40), min(height, screen.height() - 60))


def _buttons(dialog: QDialog, ok_text: str = "OK") -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class MeetingDialog(QDialog):
    """A panel or board meeting: body, date, agenda item, notes and attendees."""

    COLUMNS = ("Name", "Role", "Agency")

    def __init__(self, agencies: Sequence[AgencyRow], meeting: MeetingRow | None = None,
                 items: Sequence[tuple[str, ItemKey]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit meeting" if meeting and meeting.id else "New meeting")
        fit_to_screen(self, 960, 680)
        self._agencies = list(agencies)
        self._items = list(items)
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
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(1, 300)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for person in (meeting.attendees if meeting else ()):
            self.add_attendee(person)
        add = QPushButton("Add attendee")
        add.clicked.connect(lambda: self.add_attendee(AttendeeRow("")))
        remove = QPushButton("Remove attendee")
        remove.clicked.connect(lambda: self._remove_rows(self.table))
        self.decisions = QTableWidget(0, 3)
        self.decisions.setObjectName("decisions")
        self.decisions.setAccessibleName("New assurance decisions")
        self.decisions.setHorizontalHeaderLabels(("Item", "Decision", "Critical-friend comment"))
        self.decisions.horizontalHeader().setStretchLastSection(True)
        self.decisions.setColumnWidth(0, 260)
        self.decisions.setColumnWidth(1, 120)
        recorded = [f"{self._label(d.item)}: {d.decision.value}" + (f" ({d.comment})" if d.comment else "")
                    for d in (meeting.decisions if meeting else ())]
        self.recorded = QLabel("Recorded: " + "; ".join(recorded) if recorded else "")
        self.recorded.setWordWrap(True)
        self.recorded.setVisible(bool(recorded))
        self.recorded.setTextFormat(Qt.TextFormat.PlainText)  # comments and references are user text
        add_decision = QPushButton("Add decision")
        add_decision.setObjectName("add_decision")
        add_decision.setEnabled(bool(self._items))
        add_decision.clicked.connect(lambda: self.add_decision())
        remove_decision = QPushButton("Remove decision")
        remove_decision.clicked.connect(self._remove_decisions)
        self.undecided_label = QLabel()
        self.undecided_label.setObjectName("undecided")
        self.undecided_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error = QLabel()
        self.error.setObjectName("meeting_error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(f"color: {ALERT}")

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
        layout.addWidget(QLabel("Assurance decisions (each appears in its item's timeline; "
                                "Closed and Embedded move the item's status):"))
        layout.addWidget(self.recorded)
        layout.addWidget(self.decisions, 1)
        decision_buttons = QHBoxLayout()
        decision_buttons.addWidget(add_decision)
        decision_buttons.addWidget(remove_decision)
        decision_buttons.addWidget(self.undecided_label, 1)
        layout.addLayout(decision_buttons)
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

    def _remove_rows(self, table: QTableWidget) -> None:
        for row in sorted({i.row() for i in table.selectedIndexes()}, reverse=True):
            table.removeRow(row)

    def _remove_decisions(self) -> None:
        self._remove_rows(self.decisions)
        self._count_undecided()

    def _label(self, item: ItemKey) -> str:
        return next((label for label, ref in self._items if ref == item), item.kind)

    def add_decision(self, item: ItemKey | None = None, decision: AssuranceDecision | None = None,
                     comment: str = "") -> None:
        """A decision row. It starts at "No decision": saving without choosing records nothing for
        it, never an acceptance the panel did not give."""
        row = self.decisions.rowCount()
        self.decisions.insertRow(row)
        choose_item = QComboBox()
        choose_item.setAccessibleName(f"Item for decision {row + 1}")
        for label, ref in self._items:
            choose_item.addItem(label, ref)
        if item is not None:
            choose_item.setCurrentIndex(max(0, next((i for i, (_, r) in enumerate(self._items) if r == item), 0)))
        choose = EnumCombo(AssuranceDecision, f"Decision {row + 1}", none_label=NO_DECISION)
        choose.set_value(decision)
        choose.currentIndexChanged.connect(lambda _i: self._count_undecided())
        self.decisions.setCellWidget(row, 0, choose_item)
        self.decisions.setCellWidget(row, 1, choose)
        self.decisions.setItem(row, 2, QTableWidgetItem(comment))
        self._count_undecided()

    def undecided(self) -> int:
        """Decision rows still at "No decision"."""
        return sum(1 for row in range(self.decisions.rowCount())
                   if isinstance(combo := self.decisions.cellWidget(row, 1), EnumCombo) and combo.value() is None)

    def _count_undecided(self) -> None:
        rows, open_rows = self.decisions.rowCount(), self.undecided()
        if not rows:
            self.undecided_label.setText("")
        elif open_rows:
            self.undecided_label.setText(
                f"{open_rows} of {count(rows, 'decision')} still undecided: "
                f"{'it is' if open_rows == 1 else 'those are'} not recorded unless you choose one.")
        else:
            self.undecided_label.setText(f"All {count(rows, 'decision')} chosen." if rows > 1 else "Decision chosen.")

    def new_decisions(self) -> list[tuple[ItemKey, AssuranceDecision, str]]:
        chosen: list[tuple[ItemKey, AssuranceDecision, str]] = []
        for row in range(self.decisions.rowCount()):
            item_combo = self.decisions.cellWidget(row, 0)
            decision_combo = self.decisions.cellWidget(row, 1)
            comment = self.decisions.item(row, 2)
            if isinstance(item_combo, QComboBox) and isinstance(decision_combo, EnumCombo):
                item, decision = item_combo.currentData(), decision_combo.value()
                if isinstance(item, ItemKey) and isinstance(decision, AssuranceDecision):
                    chosen.append((item, decision, comment.text().strip() if comment else ""))
        return chosen

    def attendees(self) -> list[AttendeeRow]:
        people = []
        for row in range(self.table.rowCount()):
            name, role = (_cell_text(self.table.item(row, column)) for column in (0, 1))
            combo = self.table.cellWidget(row, 2)
            agency = combo.value() if isinstance(combo, AgencyCombo) else None
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
    """Correct any part of an update: date, period, agency, author, text, evidence, status and
    RAG. The previous values stay in the audit trail; only what was changed is returned."""

    def __init__(self, update: UpdateRow, agencies: Sequence[AgencyRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Correct update")
        self.resize(560, 440)
        self.update_row = update
        self.as_at = DateField("Update date")
        self.as_at.set_value(update.as_at)
        self.period = QLineEdit(update.period)
        self.period.setAccessibleName("Reporting period")
        self.period.setToolTip("Follows the date when it was the date's own quarter")
        self.agency = AgencyCombo("Reporting agency", allow_new=False)
        self.agency.set_agencies(agencies)
        self.agency.set_value(update.agency_id)
        self.author = QLineEdit(update.author)
        self.author.setAccessibleName("Author")
        self.narrative = QPlainTextEdit(update.narrative)
        self.narrative.setAccessibleName("Progress")
        self.narrative.setObjectName("correct_narrative")
        self.narrative.setTabChangesFocus(True)
        self.evidence = QLineEdit(update.evidence)
        self.evidence.setAccessibleName("Evidence")
        self.status = EnumCombo(Status, "Status it gave", none_label="(none)")
        self.status.set_value(update.status)
        self.rag = EnumCombo(Rag, "RAG it gave", none_label="(none)")
        self.rag.set_value(update.rag)
        note = QLabel("The values before the correction stay on show: the timeline marks the update as "
                      "corrected, and the item's Changes tab lists every correction. Where this is the item's "
                      "newest update, a corrected status or RAG moves the item too.")
        note.setWordWrap(True)
        dated = QHBoxLayout()
        dated.addWidget(self.as_at, 1)
        dated.addWidget(self.period, 1)
        moves = QHBoxLayout()
        moves.addWidget(self.status, 1)
        moves.addWidget(self.rag, 1)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("Date / period:", dated)
        form.addRow("Agency:", self.agency)
        form.addRow("Author:", self.author)
        form.addRow("Progress:", self.narrative)
        form.addRow("Evidence:", self.evidence)
        form.addRow("Status / RAG:", moves)
        form.addRow(_buttons(self, "Save correction"))

    def values(self) -> dict[str, object]:
        """What was changed, by field."""
        now: dict[str, object] = {
            "as_at": self.as_at.value(), "period": self.period.text().strip(), "agency_id": self.agency.value(),
            "author": self.author.text().strip(), "narrative": self.narrative.toPlainText().strip(),
            "evidence": self.evidence.text().strip(), "status": self.status.value(), "rag": self.rag.value()}
        return {field: value for field, value in now.items() if value != getattr(self.update_row, field)}


def _cell_text(cell: QTableWidgetItem | None) -> str:
    return cell.text().strip() if cell is not None else ""
