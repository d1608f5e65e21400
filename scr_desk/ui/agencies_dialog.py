"""Edit > Agencies…: the list of partner agencies with how much each is used; edit one, merge a
duplicate into another, delete one nothing names, or add one. The dialog only chooses; the
AgencyController carries the choice out (undoably where it can) and opens the list again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from scr_desk.domain.dto import AgencyRow
from scr_desk.domain.wording import count
from scr_desk.services import agencies as agency_service
from scr_desk.services.agency_merge import agencies_with_usage, merge_agencies
from scr_desk.ui.commands import Change
from scr_desk.ui.dashboard_models import RowsTableModel

if TYPE_CHECKING:
    from scr_desk.ui.edit_controller import EditController
    from scr_desk.ui.window_interface import WindowInterface

AgencyChoice = tuple[str, int, int | None]  # ("edit" | "delete" | "merge" | "new", agency id, merge target)


class AgenciesDialog(QDialog):
    def __init__(self, rows: Sequence[tuple[AgencyRow, int]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Agencies")
        self.rows = list(rows)
        self.choice: AgencyChoice | None = None
        self.model = RowsTableModel(("Agency", "Code", "Named on"))
        self.model.set_rows([(a.name, a.code, count(used, "record")) for a, used in self.rows],
                            [a.id for a, _ in self.rows])
        self.table = QTableView()
        self.table.setObjectName("agencies")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
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
                      "duplicates to move everything that names it.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(620, 420)
        if self.rows:
            self.table.selectRow(0)
        self._enable()

    def selected(self) -> tuple[AgencyRow, int] | None:
        index = self.table.currentIndex()
        return self.rows[index.row()] if index.isValid() else None

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
        self.accept()


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
        if not answer:
            return
        old = {k: getattr(before, k) for k in answer}
        self.edits.editor.run(
            f"change of agency {before.name}",
            lambda: self._update(agency_id, answer), lambda: self._update(agency_id, old))

    def _update(self, agency_id: int, values: dict[str, Any]) -> Change:
        agency_service.update_agency(self.window.sessions, agency_id, values)
        return Change(agencies=True, structural=True)

    def _delete(self, agency_id: int) -> None:
        row = self._row(agency_id)
        if not self.window.prompts.confirm("Delete agency", f"Delete the agency {row.name} ({row.code})?",
                                           "Delete"):
            return
        state: dict[str, AgencyRow] = {}

        def do() -> Change:
            state["row"] = agency_service.delete_agency(self.window.sessions, agency_id)
            return Change(agencies=True, structural=True)

        def undo() -> Change:
            agency_service.restore_agency(self.window.sessions, state["row"])
            return Change(agencies=True, structural=True)
        self.edits.editor.run(f"deletion of agency {row.name}", do, undo)

    def _merge(self, duplicate_id: int, keep_id: int) -> None:
        duplicate, keep = self._row(duplicate_id), self._row(keep_id)
        if not self.window.prompts.confirm(
                "Merge agencies", f"Move everything that names {duplicate.name} to {keep.name}, then delete "
                f"{duplicate.name}?\n\nA merge cannot be undone with Edit > Undo; a backup of the database is "
                "made first (File > Restore from backup).", "Merge"):
            return
        from scr_desk.db.backup import backup_database
        from scr_desk.db.writer_lock import writer_lock
        try:
            with writer_lock(self.window.workspace.path, "a merge of agencies"):
                backup_database(self.window.workspace.path, "before merging agencies")
                moved = merge_agencies(self.window.sessions, duplicate_id, keep_id)
        except Exception as exc:  # reported in words; nothing was changed
            self.window.report_error(f"Merging {duplicate.name} into {keep.name}", exc)
            return
        self.window.show_last_backup()
        self.window.show_status(f"Merged {duplicate.name} into {keep.name}: {count(moved, 'record')} moved.")
        self.window.notify(Change(agencies=True, structural=True))


def choose_agency_action(rows: Sequence[tuple[AgencyRow, int]], parent: QWidget | None) -> AgencyChoice | None:
    dialog = AgenciesDialog(rows, parent)
    return dialog.choice if dialog.exec() == QDialog.DialogCode.Accepted else None

