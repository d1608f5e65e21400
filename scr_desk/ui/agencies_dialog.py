"""Edit > Agencies…: the list of partner agencies with their contacts and how much each is used;
edit one, merge a duplicate into another, delete one nothing names, or add one. The list stays on
screen while a choice is carried out (its confirmation opens over it), and shows the result.
The dialogs only choose; the AgencyController carries the choice out (undoably where it can)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scr_desk.domain.colours import ALERT
from scr_desk.domain.contacts import AddressError, parse_addresses
from scr_desk.domain.dto import AgencyRow
from scr_desk.domain.wording import count
from scr_desk.services import agencies as agency_service
from scr_desk.services.agency_merge import agencies_with_usage
from scr_desk.services.edits.records import AgencyChange, AgencyDeletion, AgencyMerge
from scr_desk.ui.dashboard_models import RowsTableModel

if TYPE_CHECKING:
    from scr_desk.ui.edit_controller import EditController
    from scr_desk.ui.window_interface import WindowInterface

__all__ = ["AgenciesDialog", "AgencyChoice", "AgencyController", "AgencyDialog", "choose_agency_action"]


AgencyChoice = tuple[str, int, int | None]  # ("edit" | "delete" | "merge" | "new", agency id, merge target)


class AgencyDialog(QDialog):
    """Name, short code and contact of a partner agency: laid out to read whole on a laptop at
    100 % and 150 % (the fields take the width of a long agency name)."""

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
        self.contact_name.setObjectName("agency_contact")
        self.contact_email = QLineEdit("; ".join(agency.emails) if agency else "")
        self.contact_email.setAccessibleName("Contact email addresses")
        self.contact_email.setObjectName("agency_emails")
        self.contact_email.setPlaceholderText("name@agency.org.uk; team@agency.org.uk")
        self.phone = QLineEdit(agency.phone if agency else "")
        self.phone.setAccessibleName("Contact phone")
        self.phone.setObjectName("agency_phone")
        self.error = QLabel()
        self.error.setObjectName("agency_error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ALERT}")
        self.error.hide()
        note = QLabel("Returns and chasers are drafted to these addresses; SCR Desk never sends email itself.")
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Name:", self.name)
        form.addRow("&Code:", self.code)
        form.addRow("C&ontact:", self.contact_name)
        form.addRow("&Email:", self.contact_email)
        form.addRow("&Phone:", self.phone)
        form.addRow(note)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        # About 60 characters wide: "Southampton City Council Children's Services" and the title
        # read whole (the dialog was 200 px wide, its title and names cut).
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)

    def values(self) -> dict[str, str]:
        return {"name": self.name.text().strip(), "code": self.code.text().strip(),
                "contact_name": self.contact_name.text().strip(), "contact_email": self.contact_email.text().strip(),
                "phone": self.phone.text().strip()}

    def accept(self) -> None:
        """Only with a name and addresses that are addresses; the reason shows in the dialog."""
        try:
            parse_addresses(self.contact_email.text())
        except AddressError as exc:
            self._refuse(f"Email: {exc}.", self.contact_email)
            return
        if not self.name.text().strip():
            self._refuse("Give the agency's name.", self.name)
            return
        super().accept()

    def _refuse(self, text: str, field: QLineEdit) -> None:
        self.error.setText(text)
        self.error.show()
        field.setFocus()


class AgenciesDialog(QDialog):
    """The list. Each button emits its choice through `chosen` and the dialog stays open: the
    facade (Prompts.agency_choice) hands the choice to the controller and shows the list again."""

    def __init__(self, rows: Sequence[tuple[AgencyRow, int]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Agencies")
        self.rows: list[tuple[AgencyRow, int]] = []
        self.choice: AgencyChoice | None = None
        self.model = RowsTableModel(("Agency", "Code", "Contact", "Email", "Named on"))
        self.table = QTableView()
        self.table.setObjectName("agencies")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)  # the whole text is in each cell's tooltip
        header = self.table.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        for column, mode, chars in ((0, QHeaderView.ResizeMode.Interactive, 38),
                                    (1, QHeaderView.ResizeMode.ResizeToContents, 0),
                                    (2, QHeaderView.ResizeMode.Interactive, 14),
                                    (3, QHeaderView.ResizeMode.Stretch, 0),
                                    (4, QHeaderView.ResizeMode.ResizeToContents, 0)):
            header.setSectionResizeMode(column, mode)
            if chars:
                header.resizeSection(column, chars * char)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self.table.doubleClicked.connect(lambda _index: self._choose("edit"))
        self.into = QComboBox()
        self.into.setObjectName("merge_into")
        self.into.setAccessibleName("Merge into")
        buttons = {name: QPushButton(text) for name, text in (("new", "&New…"), ("edit", "&Edit…"),
                                                               ("merge", "&Merge into:"), ("delete", "&Delete"))}
        self.buttons = buttons
        for name, button in buttons.items():
            button.setObjectName(f"agency_{name}")
            button.clicked.connect(lambda _=False, n=name: self._choose(n))
        row = QHBoxLayout()
        for name in ("new", "edit", "delete", "merge"):
            row.addWidget(buttons[name])
        row.addWidget(self.into, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel("An agency named on no record can be deleted; merge a duplicate into the agency it "
                      "duplicates to move everything that names it (its name then finds the agency kept).")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(self.fontMetrics().averageCharWidth() * 110, self.fontMetrics().height() * 26)
        self._loop: QEventLoop | None = None
        self.finished.connect(lambda _result: self._loop.exit() if self._loop is not None else None)
        self.set_rows(rows)

    def set_rows(self, rows: Sequence[tuple[AgencyRow, int]]) -> None:
        """Show `rows`, keeping the selected agency selected (or the first)."""
        chosen = self.selected()
        self.rows = list(rows)
        self.model.set_rows([(a.name, a.code, a.contact_name, "; ".join(a.emails), count(used, "record"))
                             for a, used in self.rows], [a.id for a, _ in self.rows])
        ids = [a.id for a, _ in self.rows]
        if self.rows:
            self.table.selectRow(ids.index(chosen[0].id) if chosen and chosen[0].id in ids else 0)
        self._enable()

    def next_choice(self) -> AgencyChoice | None:
        """Wait, the list on screen, until a button is chosen (the choice) or the list is closed (None)."""
        self.choice = None
        if not self.isVisible():
            self.open()
        self._loop = QEventLoop()
        self._loop.exec()
        self._loop = None
        return self.choice if self.isVisible() else None

    def selected(self) -> tuple[AgencyRow, int] | None:
        index = self.table.currentIndex()
        return self.rows[index.row()] if index.isValid() and index.row() < len(self.rows) else None

    def _enable(self) -> None:
        chosen = self.selected()
        self.into.clear()
        for agency, _used in self.rows:
            if chosen is None or agency.id != chosen[0].id:
                self.into.addItem(agency.name, agency.id)
        for name in ("edit", "merge"):
            self.buttons[name].setEnabled(chosen is not None and (name == "edit" or self.into.count() > 0))
        unused = chosen is not None and chosen[1] == 0
        self.buttons["delete"].setEnabled(unused)
        self.buttons["delete"].setToolTip("" if unused or chosen is None else
                                          f"{chosen[0].name} is named on {count(chosen[1], 'record')}; merge it "
                                          "into another agency instead")

    def _choose(self, verb: str) -> None:
        chosen = self.selected()
        if verb != "new" and chosen is None:
            return
        target = self.into.currentData() if verb == "merge" else None
        self.choice = (verb, chosen[0].id if chosen else 0, target)
        if self._loop is not None:
            self._loop.exit()


class AgencyController:
    def __init__(self, window: WindowInterface, edits: EditController) -> None:
        self.window = window
        self.edits = edits

    def manage(self) -> None:
        """Show the list; carry out each choice and show the list again, until closed."""
        while (choice := self.window.prompts.agency_choice(agencies_with_usage(self.window.sessions))) is not None:
            verb, agency_id, target = choice
            if verb == "new":
                self.edits.new_agency()
            elif verb == "edit":
                self._edit(agency_id)
            elif verb == "delete":
                self._delete(agency_id)
            elif verb == "merge" and target is not None:
                self._merge(agency_id, target)

    def _row(self, agency_id: int) -> AgencyRow:
        return next(a for a in agency_service.list_agencies(self.window.sessions) if a.id == agency_id)

    def _edit(self, agency_id: int) -> None:
        before = self._row(agency_id)
        answer = self.window.prompts.agency_details(before)
        if answer:
            self.edits.editor.run(AgencyChange(self.window.sessions, before, answer))

    def _delete(self, agency_id: int) -> None:
        row = self._row(agency_id)
        if self.window.prompts.confirm("Delete agency", f"Delete the agency {row.name} ({row.code})?", "Delete"):
            self.edits.editor.run(AgencyDeletion(self.window.sessions, row))

    def _merge(self, duplicate_id: int, keep_id: int) -> None:
        duplicate, keep = self._row(duplicate_id), self._row(keep_id)
        if not self.window.prompts.confirm(
                "Merge agencies", f"Move everything that names {duplicate.name} to {keep.name}, then delete "
                f"{duplicate.name}?\n\nYou can undo this with Edit > Undo; "
                + ("the server's own backups also hold the database as it was." if self.window.workspace.is_server
                   else "a backup of the database is also made first (File > Restore from backup)."), "Merge"):
            return
        merge = AgencyMerge(self.window.sessions, duplicate, keep, self.window.workspace.database)
        if self.edits.editor.run(merge) and merge.merged is not None:
            self.window.show_last_backup()
            self.window.show_status(f"Merged {duplicate.name} into {keep.name}: "
                                    f"{count(merge.merged.moved, 'record')} moved.")


def choose_agency_action(rows: Sequence[tuple[AgencyRow, int]], parent: QWidget | None,
                         dialog: AgenciesDialog | None) -> tuple[AgencyChoice | None, AgenciesDialog | None]:
    """The next choice from the list (kept on screen between choices), and the dialog to ask again
    (None once it is closed)."""
    if dialog is None:
        dialog = AgenciesDialog(rows, parent)
    else:
        dialog.set_rows(rows)
    choice = dialog.next_choice()
    if choice is None:
        dialog.deleteLater()
        return None, None
    return choice, dialog
