"""A hand-made tracker's rows, corrected in the import preview's Rows tab: beside the selected
row, what it was read as and why, a 'Read as' choice and 'Reset'; the same on the table's context
menu, for every selected row at once. A change is the answer 'row:SHEET:N' (the shape `--json`
prints and `--answers` takes), re-planned in the background through the answers panel."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
)

from scr_desk.excel.tracker_rows import ROLES
from scr_desk.services.imports.plan import PlannedRow
from scr_desk.ui.tracker_answers import TrackerAnswersPanel, reset_button

__all__ = ["CHOOSABLE", "ROW_ROLE_LABELS", "RowRoleEditor", "attach", "reading_of"]

ROW_ROLE_LABELS = {  # each begins with its own letter: typed in the closed list, it is chosen
    "item": "Item (recommendation or action)", "continuation": "Continuation of the row above",
    "section": "Section naming a review", "group": "Group heading within the sheet", "note": "Note",
    "legend": "Key or legend", "totals": "Totals or counts", "spacer": "Blank row", "heading": "Headings repeated",
    "title": "Title above the table", "header": "The table's headings",
}
FIXED = {"title", "header"}  # set by the header row (the Reading tab), not row by row
CHOOSABLE = [r for r in ROLES if r not in FIXED]


def reading_of(planned: PlannedRow) -> dict[str, Any]:
    return planned.reading if isinstance(planned.reading, dict) else {}


class RowRoleEditor:
    """The 'How this row was read' box under the row's detail, and the table's context menu."""

    def __init__(self, dialog: Any, answers: TrackerAnswersPanel) -> None:
        self.dialog = dialog
        self.answers = answers
        self.table: QTableView = dialog.table
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.box = QGroupBox("How this row was read")
        self.box.setObjectName("row_reading")
        self.said = QLabel()
        self.said.setObjectName("row_reading_said")
        self.said.setWordWrap(True)
        self.combo = QComboBox()
        self.combo.setObjectName("read_row_as")
        self.combo.setAccessibleName("Read the selected rows as")
        self.combo.setToolTip("What the selected rows are; the rows are read again at once")
        for role in CHOOSABLE:
            self.combo.addItem(ROW_ROLE_LABELS[role], role)
        self.combo.activated.connect(lambda _i: self.read_as(str(self.combo.currentData())))
        self.reset = reset_button("the selected rows")
        self.reset.setObjectName("reset_row_reading")
        self.reset.clicked.connect(self.reset_rows)
        label = QLabel("&Read as:")
        label.setBuddy(self.combo)
        line = QHBoxLayout()
        line.addWidget(label)
        line.addWidget(self.combo, 1)
        line.addWidget(self.reset)
        layout = QVBoxLayout(self.box)
        layout.addWidget(self.said)
        layout.addLayout(line)
        self.shortcut = QAction("Reset to how it was read", self.table)
        self.shortcut.setShortcut(QKeySequence("Ctrl+Backspace"))
        self.shortcut.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.shortcut.triggered.connect(self.reset_rows)
        self.table.addAction(self.shortcut)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show())

    # --- what is selected ---------------------------------------------------------------
    def selected(self) -> list[PlannedRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        found = [self.dialog.model.planned(self.dialog.filter.mapToSource(self.dialog.filter.index(r, 0)).row())
                 for r in rows]
        return [p for p in found if reading_of(p).get("id")]

    def show(self) -> None:
        rows = self.selected()
        if not rows:
            self.box.hide()
            return
        self.box.show()
        roles = {reading_of(p).get("role", "") for p in rows}
        corrected = [p for p in rows if self._corrected(p)]
        self.reset.setEnabled(bool(corrected))
        movable = [p for p in rows if reading_of(p).get("role") not in FIXED]
        self.combo.setEnabled(bool(movable))
        if len(rows) == 1:
            reading = reading_of(rows[0])
            role = str(reading.get("role", ""))
            why = reading.get("reason") or ("as corrected" if corrected else "")
            text = f"Read as <b>{html.escape(ROW_ROLE_LABELS.get(role, role).lower())}</b>"
            text += f": {html.escape(str(why))}." if why else "."
            if role in FIXED:
                text += " Change the header row in the Reading tab to read it otherwise."
        else:
            text = f"{len(rows)} rows selected, read as " + ", ".join(
                html.escape(ROW_ROLE_LABELS.get(r, r).lower()) for r in sorted(roles)) + "."
        self.said.setText(text)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(self.combo.findData(next(iter(roles))) if len(roles) == 1 else -1)
        self.combo.blockSignals(False)

    def _corrected(self, planned: PlannedRow) -> bool:
        row_id = reading_of(planned).get("id")
        plan = self.dialog.plan
        return bool(row_id) and (plan.answers or {}).get(row_id) is not None \
            or reading_of(planned).get("reason") == "as corrected"

    # --- corrections --------------------------------------------------------------------
    def read_as(self, role: str) -> None:
        rows = [p for p in self.selected() if reading_of(p).get("role") not in FIXED]
        changed = {reading_of(p)["id"]: role for p in rows if reading_of(p).get("role") != role}
        if changed:
            self.answers.correct_many(changed)

    def reset_rows(self) -> None:
        rows = [p for p in self.selected() if self._corrected(p)]
        if rows:
            self.answers.correct_many({reading_of(p)["id"]: None for p in rows})

    def _menu(self, point: QPoint) -> None:
        rows = self.selected()
        if not rows:
            return
        menu = QMenu(self.table)
        read_as = menu.addMenu("&Read as")
        current = {reading_of(p).get("role") for p in rows}
        for role in CHOOSABLE:
            action = read_as.addAction(ROW_ROLE_LABELS[role])
            action.setCheckable(True)
            action.setChecked(current == {role})
            action.triggered.connect(lambda _c=False, r=role: self.read_as(r))
        read_as.setEnabled(any(reading_of(p).get("role") not in FIXED for p in rows))
        reset = menu.addAction("Reset to how it was &read")
        reset.setShortcut(self.shortcut.shortcut())  # shown beside it: the table's own key for it
        reset.setEnabled(any(self._corrected(p) for p in rows))
        reset.triggered.connect(self.reset_rows)
        menu.popup(self.table.viewport().mapToGlobal(point))
        self.menu = menu  # kept for the tests, which choose from it


def attach(dialog: Any, answers: TrackerAnswersPanel, side_layout: QVBoxLayout) -> RowRoleEditor:
    editor = RowRoleEditor(dialog, answers)
    side_layout.addWidget(editor.box)
    editor.show()
    return editor
