"""The import preview: what each row would do, a choice for each conflict, and for a hand-made
tracker the column mapping, which can be corrected with the preview following at once."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from scr_desk.domain.colours import ALERT, CAUTION
from scr_desk.domain.enums import ImportKind
from scr_desk.domain.wording import count
from scr_desk.excel.legacy import FIELDS
from scr_desk.services.imports.plan import ConflictChoice, ImportPlan, Outcome, PlannedRow, describe_counts
from scr_desk.ui.dialogs import fit_to_screen
from scr_desk.ui.import_model import (
    OUTCOME_LABELS,
    OUTCOME_ORDER,
    OUTCOME_WORDS,
    OutcomeFilter,
    PlanTableModel,
    describe,
    outcome_label,
)
from scr_desk.ui.widgets import literal

KIND_NAMES = {ImportKind.RETURNS: "a partner's return", ImportKind.FULL: "a full SCR Desk workbook",
              ImportKind.LEGACY: "a hand-made tracker"}
CONFLICT_CHOICES = {ConflictChoice.DATABASE: "Keep the database's (add the update text only)",
                    ConflictChoice.FILE: "Take the file's", ConflictChoice.SKIP: "Skip this row"}
FULL_CONFLICT_CHOICES = {ConflictChoice.SKIP: "Keep the database's", ConflictChoice.FILE: "Take the file's"}
PROPOSAL_CHOICES = {ConflictChoice.DATABASE: "Record the proposal only (the lead agency decides)",
                    ConflictChoice.FILE: "Apply the proposal"}


def header_html(plan: ImportPlan) -> str:
    """Kind, file, and for a return the agency, period and deadline from the database's record."""
    facts = plan.facts
    lines = [f"<b>{html.escape(plan.path.name)}</b> is {KIND_NAMES[plan.kind] if plan.kind else ''}."]
    if plan.kind == ImportKind.RETURNS and facts.get("agency"):
        lines.append(f"Sent to <b>{html.escape(str(facts['agency']))}</b> on {html.escape(str(facts.get('exported')))} "
                     f"for <b>{html.escape(str(facts.get('period')))}</b>, due back by "
                     f"{html.escape(str(facts.get('deadline')))}.")
    return "<br>".join(lines)


def summary_html(plan: ImportPlan) -> str:
    # What it brings; the rows' own sentence below accounts for those unchanged or left out.
    brings = describe_counts(plan.counts(), skip=("unchanged_rows", "skipped_rows"))
    text = [f"Importing it would give: {html.escape(brings)}.", html.escape(rows_sentence(plan))]
    if plan.already_imported:
        text.append(f"This file was imported before, on {html.escape(plan.already_imported)}.")
    for issue in plan.file_errors + plan.notes:
        text.append(html.escape(("Sheet " + repr(issue.sheet) + ": " if issue.sheet else "") + issue.text))
    if plan.errors:
        text.append(f"<span style='color:{ALERT}'><b>{count(len(plan.errors), 'error')}</b>: fix them in the file "
                    "(or the column mapping) and preview again; nothing can be imported until then.</span>")
    return "<br>".join(text)


def rows_sentence(plan: ImportPlan) -> str:
    """'12 rows: 2 new updates, 6 unchanged, 4 not items.': every row once, in the words and
    numbers of the Show boxes beside the table."""
    parts = []
    # Conflicts and errors are always said (none is news); the rest when there are some.
    for outcome in [o for o in OUTCOME_ORDER if o not in (Outcome.ERROR, Outcome.CONFLICT)] + \
            [Outcome.CONFLICT, Outcome.ERROR]:
        number = plan.count(outcome)
        if number or outcome in (Outcome.ERROR, Outcome.CONFLICT):
            singular, plural = OUTCOME_WORDS[outcome]
            parts.append(f"{number:,} {singular if number == 1 else plural}")
    return f"{count(len(plan.rows), 'row')}: {', '.join(parts)}."


def row_html(planned: PlannedRow) -> str:
    parts = [f"<h3>{html.escape(outcome_label(planned))}: {html.escape(planned.reference or 'row')}, sheet "
             f"{html.escape(planned.sheet)}, row {planned.row}</h3>"]
    said = [(label, value) for label, value in planned.shown.items() if value]
    if said:
        rows = "".join(f"<tr><td valign='top'>{html.escape(label)}</td><td>{html.escape(value)}</td></tr>"
                       for label, value in said)
        parts.append(f"<p><b>The file says</b></p><table cellpadding='3'>{rows}</table>")
    if planned.sides:  # the table below shows the changes; the sentence says why and how to choose
        where = f"{planned.column}: " if planned.column else ""
        parts.append(f"<p>{html.escape(where + planned.message)}</p>")
    elif planned.message or planned.column:
        parts.append(f"<p>{html.escape(describe(planned))}</p>")
    if planned.sides:
        sent_known = any(sent for _, sent, _, _ in planned.sides)  # a return was sent; a full workbook was not
        rows = "".join(f"<tr><td>{html.escape(label)}</td>" + (f"<td>{html.escape(sent)}</td>" if sent_known else "")
                       + f"<td>{html.escape(now)}</td><td><b>{html.escape(new)}</b></td></tr>"
                       for label, sent, now, new in planned.sides)
        parts.append("<table border='1' cellspacing='0' cellpadding='4'><tr><th>Field</th>"
                     + ("<th>As sent</th>" if sent_known else "")
                     + f"<th>In the database now</th><th>In the file</th></tr>{rows}</table>")
    elif planned.changes:
        rows = "".join(f"<tr><td>{html.escape(c.label)}</td><td>{html.escape(c.before)}</td><td>→</td>"
                       f"<td><b>{html.escape(c.after)}</b></td></tr>" for c in planned.changes)
        parts.append(f"<table cellpadding='3'><tr><th>Field</th><th>Now</th><th></th><th>After</th></tr>{rows}</table>")
    for note in planned.notes:
        parts.append(f"<p style='color:{CAUTION}'>{html.escape(note)}</p>")
    return "".join(parts)


class ImportPreviewDialog(QDialog):
    apply_requested = Signal(object)  # the plan, with conflict choices made
    mapping_changed = Signal(object)  # {sheet: {"columns": {field: column}}}
    plan_shown = Signal(object)  # the plan on view, after the first and after each re-plan

    def __init__(self, plan: ImportPlan, headings: dict[str, dict[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_preview")
        self.setWindowTitle(f"Import {plan.path.name}")
        fit_to_screen(self, 1100, 700)
        self.plan = plan
        self.headings = headings
        self.header = QLabel()
        self.header.setObjectName("import_header")
        self.header.setWordWrap(True)
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
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((170, 80, 50, 110, 260)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.boxes: dict[Outcome, QCheckBox] = {}
        # Two lines of four: one line of eight was 930 points wide and, at 150 % on a laptop's
        # 1280 × 800, pushed the preview past the screen's edge.
        filters = QGridLayout()
        filters.addWidget(QLabel("Show:"), 0, 0)
        half = (len(OUTCOME_ORDER) + 1) // 2
        for place, outcome in enumerate(OUTCOME_ORDER):
            box = QCheckBox(OUTCOME_LABELS[outcome])
            box.setObjectName(f"show_{outcome.name.lower()}")
            box.setChecked(outcome is not Outcome.UNCHANGED)  # the rows needing a look, first
            box.toggled.connect(self._filter_changed)
            self.boxes[outcome] = box
            filters.addWidget(box, place // half, 1 + place % half)
        filters.setColumnStretch(half + 1, 1)
        self.detail = QTextBrowser()
        self.detail.setObjectName("import_row_detail")
        self.choice_box = QGroupBox("Your choice for this row")
        self.choices = QButtonGroup(self)
        self.choice_layout = QVBoxLayout(self.choice_box)
        self.choices.buttonClicked.connect(self._choose)
        self.choice_box.hide()
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.detail, 1)
        side_layout.addWidget(self.choice_box)
        self.side_layout = side_layout
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
        self.sheets_panel = None
        self.row_roles = None
        if plan.kind == ImportKind.LEGACY:
            from scr_desk.ui import tracker_answers, tracker_row_roles, tracker_sheets
            self.answers_panel = tracker_answers.attach(self)
            self.sheets_panel = tracker_sheets.attach(self, self.answers_panel)
            self.row_roles = tracker_row_roles.attach(self, self.answers_panel, side_layout)
            self._mapping_tabs()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText("Apply")
        self.apply_button.setObjectName("apply_import")
        self.buttons.accepted.connect(lambda: self.apply_requested.emit(self.plan))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        # A tracker's notes can run to many lines: they scroll, the rows keep their room
        summary = QScrollArea()
        summary.setWidgetResizable(True)
        summary.setFrameShape(QScrollArea.Shape.NoFrame)
        summary.setWidget(self.summary)
        summary.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)
        summary.setSizeAdjustPolicy(QScrollArea.SizeAdjustPolicy.AdjustToContents)
        layout.addWidget(summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.set_plan(plan)

    # --- plan ---------------------------------------------------------------------------
    def set_plan(self, plan: ImportPlan) -> None:
        places = self._selected_places()  # a re-plan keeps the rows the lead was on (by sheet and row)
        self.plan = plan
        self.model.set_plan(plan)
        self._select_places(places)
        self.header.setText(header_html(plan))
        counts = {o: plan.count(o) for o in Outcome}
        for outcome, box in self.boxes.items():
            box.setText(f"{OUTCOME_LABELS[outcome]} ({counts[outcome]})")
        self._refresh_summary()
        if self.answers_panel is not None:
            self.answers_panel.set_plan(plan)
        if self.sheets_panel is not None:
            self.sheets_panel.set_plan(plan)
        self._show_current()
        if self.row_roles is not None:
            self.row_roles.show()
        self.plan_shown.emit(plan)

    def _selected_places(self) -> list[tuple[str, int]]:
        current = self._current()
        rows = {self.filter.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        places = [(p.sheet, p.row) for p in map(self.model.planned, sorted(rows))]
        if current is not None:  # the current row last: it stays current
            here = (current[1].sheet, current[1].row)
            places = [x for x in places if x != here] + [here]
        return places

    def _select_places(self, places: list[tuple[str, int]]) -> None:
        wanted = set(places)
        found = {}
        for row in range(self.filter.rowCount()):
            planned = self.model.planned(self.filter.mapToSource(self.filter.index(row, 0)).row())
            if (planned.sheet, planned.row) in wanted:
                found[(planned.sheet, planned.row)] = self.filter.index(row, 0)
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        for place in places:
            if place in found:
                selection.select(found[place], flags.Select | flags.Rows)
        if places and places[-1] in found:
            selection.setCurrentIndex(found[places[-1]], flags.NoUpdate)
            self.table.scrollTo(found[places[-1]])

    def _refresh_summary(self) -> None:
        self.summary.setText(summary_html(self.plan))
        self.apply_button.setEnabled(self.plan.can_apply and self.plan.has_changes)

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
            self.detail.setHtml("<p>Select a row to see what the file says and what it would change.</p>")
            self.choice_box.hide()
            return
        _, planned = current
        self.detail.setHtml(row_html(planned))
        offered: dict[ConflictChoice, str] = {}
        if planned.outcome is Outcome.CONFLICT:
            offered = FULL_CONFLICT_CHOICES if self.plan.kind == ImportKind.FULL else CONFLICT_CHOICES
        elif planned.proposal:
            offered = PROPOSAL_CHOICES
        for button in self.choices.buttons():
            self.choices.removeButton(button)
            button.deleteLater()
        for choice, label in offered.items():
            button = QRadioButton(label)
            button.setObjectName(f"choose_{choice.value}")
            button.setProperty("choice", choice.value)
            button.setChecked(choice is planned.choice)
            self.choices.addButton(button)
            self.choice_layout.addWidget(button)
        self.choice_box.setVisible(bool(offered))

    def _choose(self, button: QRadioButton) -> None:
        current = self._current()
        if current is None:
            return
        row, planned = current
        planned.choice = ConflictChoice(button.property("choice"))
        # Only this row's text and the totals change: the selection and the choice stay on view.
        self.model.refresh(row)
        self.detail.setHtml(row_html(planned))
        self._refresh_summary()

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
            scroll = QScrollArea()  # a field per line: taller than a laptop's screen at 150 %
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.tabs.addTab(scroll, literal(f"Columns: {sheet}"))

    def mapping(self) -> dict[str, dict[str, Any]]:
        return {sheet: {"columns": {name: combo.currentData() for name, combo in combos.items() if combo.currentData()}}
                for sheet, combos in self.mapping_combos.items()}

    def _mapping_edited(self) -> None:
        self.mapping_changed.emit(self.mapping())


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter
    letter: str = get_column_letter(column)
    return letter
