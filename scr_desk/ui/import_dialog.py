"""The import preview: what each row would do, a choice for each conflict, and for a hand-made
tracker the column mapping, which can be corrected with the preview following at once."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QRadioButton, QSplitter, QTableView, QTabWidget, QTextBrowser, QVBoxLayout,
    QWidget,
)

from scr_desk.excel.legacy import FIELDS
from scr_desk.services.imports.plan import ConflictChoice, ImportPlan, Outcome, describe_counts
from scr_desk.ui.import_model import OutcomeFilter, PlanTableModel, describe

KIND_NAMES = {"returns": "a partner's return", "full": "a full SCR Desk workbook", "legacy": "a hand-made tracker"}
CHOICE_LABELS = {ConflictChoice.FILE: "Take the return's values", ConflictChoice.DATABASE:
                 "Keep the database's status, RAG and target (add the update text only)",
                 ConflictChoice.SKIP: "Skip this row"}


class ImportPreviewDialog(QDialog):
    apply_requested = Signal(object)  # the plan, with conflict choices made
    mapping_changed = Signal(object)  # {sheet: {"columns": {field: column}}}

    def __init__(self, plan: ImportPlan, headings: dict[str, dict[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_preview")
        self.setWindowTitle(f"Import {plan.path.name}")
        self.resize(1100, 700)
        self.plan = plan
        self.headings = headings
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.model = PlanTableModel(self)
        self.filter = OutcomeFilter(self)
        self.filter.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("import_rows")
        self.table.setAccessibleName("What each row of the file would do")
        self.table.setModel(self.filter)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.boxes: dict[Outcome, QCheckBox] = {}
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show:"))
        for outcome in Outcome:
            box = QCheckBox(outcome.value)
            box.setObjectName(f"show_{outcome.name.lower()}")
            box.setChecked(True)
            box.toggled.connect(self._filter_changed)
            self.boxes[outcome] = box
            filters.addWidget(box)
        filters.addStretch(1)
        self.detail = QTextBrowser()
        self.detail.setObjectName("import_row_detail")
        self.choice_box = QGroupBox("This conflict")
        self.choices = QButtonGroup(self)
        choice_layout = QVBoxLayout(self.choice_box)
        for choice, label in CHOICE_LABELS.items():
            button = QRadioButton(label)
            button.setObjectName(f"choose_{choice.value}")
            self.choices.addButton(button)
            button.setProperty("choice", choice.value)
            choice_layout.addWidget(button)
        self.choices.buttonClicked.connect(self._choose)
        self.choice_box.hide()
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.detail, 1)
        side_layout.addWidget(self.choice_box)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        rows_page = QWidget()
        rows_layout = QVBoxLayout(rows_page)
        rows_layout.addLayout(filters)
        rows_layout.addWidget(splitter, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(rows_page, "Rows")
        self.mapping_combos: dict[str, dict[str, QComboBox]] = {}
        self.answers_panel = None
        if plan.kind == "legacy":
            self._mapping_tabs()
            from scr_desk.ui.tracker_answers import attach
            self.answers_panel = attach(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText("Apply")
        self.apply_button.setObjectName("apply_import")
        self.buttons.accepted.connect(lambda: self.apply_requested.emit(self.plan))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.set_plan(plan)

    # --- plan ---------------------------------------------------------------------------
    def set_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.model.set_plan(plan)
        counts = plan.counts()
        text = [f"<b>{html.escape(plan.path.name)}</b> is {KIND_NAMES.get(plan.kind, plan.kind)}."]
        text.append(f"Importing it would give: {describe_counts(counts)}.")
        if plan.already_imported:
            text.append(f"This file was imported before, on {plan.already_imported}.")
        for issue in plan.file_errors + plan.notes:
            text.append(html.escape(("Sheet " + repr(issue.sheet) + ": " if issue.sheet else "") + issue.message))
        if plan.errors:
            text.append(f"<span style='color:#c62828'><b>{len(plan.errors)} error(s)</b>: fix them in the file "
                        "(or the column mapping) and preview again; nothing can be imported until then.</span>")
        self.summary.setText("<br>".join(text))
        self.apply_button.setEnabled(plan.can_apply and plan.has_changes)
        if getattr(self, "answers_panel", None) is not None:
            self.answers_panel.set_plan(plan)
        self._show_current()

    def _filter_changed(self) -> None:
        self.filter.set_shown({o for o, box in self.boxes.items() if box.isChecked()})

    def _current(self) -> tuple[int, Any] | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = self.filter.mapToSource(index).row()
        return row, self.model.planned(row)

    def _show_current(self) -> None:
        current = self._current()
        if current is None:
            self.detail.setHtml("<p>Select a row to see what it would change.</p>")
            self.choice_box.hide()
            return
        _, planned = current
        parts = [f"<h3>{html.escape(planned.outcome.value.capitalize())}: sheet {html.escape(planned.sheet)}, "
                 f"row {planned.row}</h3>", f"<p>{html.escape(describe(planned))}</p>"]
        if planned.changes:
            rows = "".join(f"<tr><td>{html.escape(c.label)}</td><td>{html.escape(c.before)}</td>"
                           f"<td>→</td><td><b>{html.escape(c.after)}</b></td></tr>" for c in planned.changes)
            parts.append(f"<table cellpadding='3'><tr><th>Field</th><th>Now</th><th></th><th>After</th></tr>{rows}</table>")
        if planned.sides:
            rows = "".join(f"<tr><td>{html.escape(label)}</td><td>{html.escape(db)}</td><td>{html.escape(new)}</td></tr>"
                           for label, db, new in planned.sides)
            parts.append(f"<p><b>Side by side</b></p><table cellpadding='3'><tr><th>Field</th><th>In the database "
                         f"now</th><th>In the return</th></tr>{rows}</table>")
        self.detail.setHtml("".join(parts))
        self.choice_box.setVisible(planned.outcome is Outcome.CONFLICT)
        for button in self.choices.buttons():
            button.setChecked(button.property("choice") == planned.choice.value)

    def _choose(self, button: QRadioButton) -> None:
        current = self._current()
        if current is None:
            return
        row, planned = current
        planned.choice = ConflictChoice(button.property("choice"))
        self.model.refresh(row)
        self.set_plan(self.plan)

    # --- mapping ------------------------------------------------------------------------
    def _mapping_tabs(self) -> None:
        for sheet, detected in self.plan.mapping.items():
            page = QWidget()
            form = QFormLayout(page)
            form.addRow(QLabel(f"Header row {detected['header_row']}; review "
                               f"<b>{html.escape(detected['review'] or '(from the Review column)')}</b> "
                               f"(taken from the {detected['review_from']})."))
            headings = self.headings.get(sheet, {})
            by_text = {text: column for column, text in headings.items()}
            combos = {}
            for name, label in FIELDS.items():
                combo = QComboBox()
                combo.setAccessibleName(f"Column for {label}")
                combo.setObjectName(f"map_{sheet}_{name}")
                combo.addItem("(not in this sheet)", 0)
                for column, text in sorted(headings.items()):
                    combo.addItem(f"{_letter(column)}: {text}", column)
                chosen = by_text.get(detected["columns"].get(name, ""), 0)
                combo.setCurrentIndex(max(combo.findData(chosen), 0))
                combo.currentIndexChanged.connect(self._mapping_edited)
                combos[name] = combo
                form.addRow(f"{label}:", combo)
            self.mapping_combos[sheet] = combos
            self.tabs.addTab(page, f"Columns: {sheet}")

    def mapping(self) -> dict[str, dict[str, Any]]:
        return {sheet: {"columns": {name: combo.currentData() for name, combo in combos.items() if combo.currentData()}}
                for sheet, combos in self.mapping_combos.items()}

    def _mapping_edited(self) -> None:
        self.mapping_changed.emit(self.mapping())


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(column)
