"""The 'Reading' tab of a hand-made tracker's import preview: how each sheet or table was read, and
the lead's correction of it. Per sheet: the row holding its headings (0: not a tracker), the review
its rows belong to (sheets and tables given one name are one review), and what each column holds
(every role the reader knows, or plain text). Each control shows the reading; a change re-plans in
the background through the answers panel, and 'Reset' returns to how the file was read."""

from __future__ import annotations

from typing import Any

from openpyxl.utils import column_index_from_string
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QToolButton,
    QWidget,
)

from scr_desk.excel.tracker_vocab import ROLES
from scr_desk.services.imports.plan import ImportPlan
from scr_desk.ui.tracker_answers import AnswerLine, TrackerAnswersPanel, beside, reset_button
from scr_desk.ui.widgets import clear_layout, heading_over_scroll, literal

__all__ = ["COLUMN_LABELS", "RowNumberBox", "TrackerSheetsPanel", "attach", "shorten"]

COLUMN_LABELS = {**ROLES, "text": "Text kept with the update"}  # every role, and plain text
MOST_ROWS = 100_000


class RowNumberBox(QSpinBox):
    """A row number whose Enter confirms it, and does not press the dialog's Apply button."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


def shorten(text: str, most: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= most else text[:most - 1] + "…"


def _sheet(question_id: str) -> str:
    kind, _, rest = question_id.partition(":")
    return rest.rpartition(":")[0] if kind == "column" else rest


class TrackerSheetsPanel(QWidget):
    """Built from the plan's structural questions ('header:', 'column:', 'review_of:')."""

    def __init__(self, answers: TrackerAnswersPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tracker_sheets")
        self.answers = answers
        intro = QLabel("How each sheet or table of the file was read. Correct what was misread: the rows follow "
                       "at once, and the correction is remembered for files laid out the same way.")
        intro.setWordWrap(True)
        self.inner, self.inner_layout = heading_over_scroll(self, intro)
        self.ids: list[str] = []
        self.headers: dict[str, QSpinBox] = {}
        self.columns: dict[str, QComboBox] = {}
        self.reviews: dict[str, QComboBox] = {}
        self.resets: dict[str, QToolButton] = {}
        self.questions: dict[str, dict[str, Any]] = {}

    def set_plan(self, plan: ImportPlan) -> None:
        self.questions = {q["id"]: q for q in plan.questions if q["kind"] in ("header", "column", "review_of")}
        names = sorted({str(q["default"]) for q in self.questions.values() if q["kind"] == "review_of"} - {""}
                       | {str(q["default"]["name"]) for q in plan.questions if q["kind"] == "review"})
        if list(self.questions) != self.ids:
            self._build(names, plan.headings or {})
            self.ids = list(self.questions)
        for question_id, question in self.questions.items():
            self.resets[question_id].setEnabled("answer" in question)
            self._show(question_id, question, names)

    def _show(self, question_id: str, question: dict[str, Any], names: list[str]) -> None:
        """The control shows the plan's reading (the correction, where one was made)."""
        value = question.get("answer", question["default"])
        if question_id in self.headers:
            spin = self.headers[question_id]
            spin.blockSignals(True)
            spin.setValue(int(value or 0))
            spin.blockSignals(False)
        elif question_id in self.columns:
            combo = self.columns[question_id]
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(str(question["default"])), 0))
            combo.blockSignals(False)
        elif question_id in self.reviews:
            combo = self.reviews[question_id]
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setCurrentText(str(value))
            combo.blockSignals(False)
            line = combo.lineEdit()
            if line is not None:  # a sheet of several reviews: said, with none of them chosen
                line.setPlaceholderText("Several reviews (from the sheet)" if not value else "")
            combo.setToolTip(question["question"])

    def _build(self, names: list[str], headings: dict[str, dict[int, str]]) -> None:
        clear_layout(self.inner_layout)
        self.headers, self.columns, self.reviews, self.resets = {}, {}, {}, {}
        forms: dict[str, QFormLayout] = {}
        for question_id, question in self.questions.items():
            sheet = _sheet(question_id)
            if sheet not in forms:
                box = QGroupBox(literal(f"Sheet or table {sheet!r}"))
                box.setAccessibleName(f"How {sheet!r} was read")
                forms[sheet] = QFormLayout(box)
                forms[sheet].setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                self.inner_layout.addWidget(box)
            kind = question["kind"]
            if kind == "header":
                control: QWidget = self.headers.setdefault(question_id, self._header(question_id, sheet))
                label = "Headings in row:"
            elif kind == "review_of":
                control = self.reviews.setdefault(question_id, self._review(question_id, sheet, names))
                label = "Belongs to the review:"
            else:
                control = self.columns.setdefault(question_id, self._column(question_id, question, sheet))
                letter = question_id.rpartition(":")[2]
                heading = headings.get(sheet, {}).get(column_index_from_string(letter), "")
                label = f"Column {letter} ({shorten(heading)}):" if heading else f"Column {letter}:"
            reset = reset_button(f"{label.rstrip(':')} of {sheet!r}")
            reset.clicked.connect(lambda _c=False, q=question_id: self.answers.correct(q, None))
            self.resets[question_id] = reset
            text = QLabel(literal(label))
            text.setBuddy(control)
            text.setToolTip(question["question"])
            forms[sheet].addRow(text, beside(control, reset))
        self.inner_layout.addStretch(1)

    def _header(self, question_id: str, sheet: str) -> QSpinBox:
        spin = RowNumberBox()
        spin.setObjectName(f"correct_{question_id}")
        spin.setAccessibleName(f"The row holding the headings of {sheet!r} (0: not a tracker)")
        spin.setRange(0, MOST_ROWS)
        spin.setSpecialValueText("Not a tracker")
        spin.setKeyboardTracking(False)  # one re-plan for '12', not one for '1' and one for '12'
        spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        spin.setMinimumWidth(140)
        spin.setMaximumWidth(220)
        spin.valueChanged.connect(lambda value: self.answers.correct(question_id, value))
        return spin

    def _review(self, question_id: str, sheet: str, names: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"correct_{question_id}")
        combo.setAccessibleName(f"The review the rows of {sheet!r} belong to")
        combo.setEditable(True)  # another sheet's review, or a new name
        combo.setLineEdit(AnswerLine())
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(names)
        combo.setToolTip("Sheets and tables given one name are one review; type a new name to make it a review "
                         "of its own")
        line = combo.lineEdit()
        assert line is not None
        line.editingFinished.connect(lambda: self._review_chosen(question_id, combo))
        combo.activated.connect(lambda _i: self._review_chosen(question_id, combo))
        return combo

    def _review_chosen(self, question_id: str, combo: QComboBox) -> None:
        text = " ".join(combo.currentText().split())
        question = self.questions.get(question_id)
        if not text or question is None or text == str(question.get("answer", question["default"])):
            return
        self.answers.correct(question_id, text)

    def _column(self, question_id: str, question: dict[str, Any], sheet: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"correct_{question_id}")
        letter = question_id.rpartition(":")[2]
        combo.setAccessibleName(f"What column {letter} of {sheet!r} holds")
        combo.setToolTip(question["question"])
        for role, label in COLUMN_LABELS.items():
            combo.addItem(label, role)
        combo.setCurrentIndex(max(combo.findData(str(question["default"])), 0))
        combo.currentIndexChanged.connect(lambda _i: self.answers.correct(question_id, combo.currentData()))
        return combo


def attach(dialog: Any, answers: TrackerAnswersPanel) -> TrackerSheetsPanel:
    panel = TrackerSheetsPanel(answers, dialog)
    dialog.tabs.insertTab(1, panel, "Reading")
    panel.set_plan(dialog.plan)
    return panel
