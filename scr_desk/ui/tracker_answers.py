"""The questions a hand-made tracker raises, answered in the import preview: each review's name,
code, type and partnership, the period of each update column, the meaning of each distinct value
(a RAG word, a status word, a target written in words), how a cell naming several agencies splits
and whether two rows claiming one reference are one item. Each shows its default; a change
re-plans in the background and the rows follow, as a column correction does. The panel also holds
the corrections made elsewhere in the preview (a row's role, a sheet's header row, columns and
review: `correct`), so that one set of answers goes to the planner; each correction can be reset
to how the file was read."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from scr_desk.domain.rules import parse_period
from scr_desk.domain.wording import count
from scr_desk.services.imports.plan import ImportPlan
from scr_desk.ui.widgets import clear_layout, heading_over_scroll, literal

FIELD_NAMES = {"rag": "RAG", "status": "Status", "target_date": "Target date"}
STRUCTURE = ("header", "column", "review_of")  # corrected in the Reading tab (tracker_sheets)


def reset_button(what: str) -> QToolButton:
    """'Reset': the correction of `what` is dropped and the file read as it was."""
    button = QToolButton()
    button.setText("Reset")
    button.setToolTip("Reset to how it was read")
    button.setAccessibleName(f"Reset {what} to how it was read")
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reached by Tab, like the control it resets
    return button


def beside(widget: QWidget, button: QToolButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    narrow = widget.maximumWidth() < 1000  # a row number: the button beside it, not at the far edge
    layout.addWidget(widget, 0 if narrow else 1)
    layout.addWidget(button)
    if narrow:
        layout.addStretch(1)
    return row


def _periods_around(text: str) -> list[str]:
    """The period given and the four quarters either side, to choose from (any can be typed)."""
    try:
        period = parse_period(text)
    except ValueError:
        return [text]
    before: list[str] = []
    after: list[str] = []
    earlier, later = period, period
    for _ in range(4):
        earlier, later = earlier.previous(), later.next()
        before.insert(0, str(earlier))
        after.append(str(later))
    return [*before, str(period), *after]


class AnswerLine(QLineEdit):
    """A line edit whose Enter confirms the text, and does not press the dialog's Apply button."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class ReviewEditor(QWidget):
    changed = Signal()

    def __init__(self, question: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        default = question["default"]
        value = {**default, **(question.get("answer") or {})}
        self.default = default
        self.name = AnswerLine(value["name"])
        self.code = AnswerLine(value["code"])
        self.type = QComboBox()
        self.type.addItems(question.get("choices", []))
        self.type.setCurrentText(value["type"])
        self.partnership = AnswerLine(value.get("partnership") or "")
        self.partnership.setPlaceholderText("Partnership")
        self.name.setPlaceholderText("Name")
        self.code.setPlaceholderText("Code")
        for widget, label in ((self.name, "name"), (self.code, "code"), (self.type, "type"),
                              (self.partnership, "partnership")):
            widget.setAccessibleName(f"Review {default['name']}: {label}")
            widget.setToolTip(f"The review's {label}")
            widget.setObjectName(f"review_{label}_{default['name']}")
        self.name.editingFinished.connect(self.changed)
        self.code.editingFinished.connect(self.changed)
        self.partnership.editingFinished.connect(self.changed)
        self.type.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.reset = reset_button(f"review {default['name']}")
        self.reset.setEnabled("answer" in question)
        self.code.setMinimumWidth(self.code.fontMetrics().horizontalAdvance("WWWWWWWW"))
        self.partnership.setCursorPosition(0)  # a long name shows its beginning
        # Two lines (name and code; type and partnership): on one, at 150 % the code and the
        # partnership were cut to a few letters.
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name, 0, 0)
        layout.addWidget(self.code, 0, 1)
        layout.addWidget(self.reset, 0, 2)
        layout.addWidget(self.type, 1, 0)
        layout.addWidget(self.partnership, 1, 1, 1, 2)
        layout.setColumnStretch(0, 3)
        layout.setColumnStretch(1, 2)

    def show_reading(self, value: dict[str, Any]) -> None:
        """The fields as the plan now reads them, without re-planning."""
        for widget, name in ((self.name, "name"), (self.code, "code"), (self.partnership, "partnership")):
            widget.setText(str(value.get(name) or ""))
        self.type.blockSignals(True)
        self.type.setCurrentText(str(value.get("type") or ""))
        self.type.blockSignals(False)

    def answer(self) -> dict[str, str] | None:
        value = {**self.default, "name": self.name.text().strip() or self.default["name"],
                 "code": self.code.text().strip().upper() or self.default["code"], "type": self.type.currentText(),
                 "partnership": " ".join(self.partnership.text().split())}
        return value if value != self.default else None


class TrackerAnswersPanel(QWidget):
    """The 'Questions' tab of the import preview of a hand-made tracker."""

    answers_changed = Signal(object)  # {question id: answer}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tracker_answers")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("tracker_answers_summary")
        self.inner, self.inner_layout = heading_over_scroll(self, self.summary)
        self.ids: list[str] = []
        self.resets: dict[str, QToolButton] = {}
        self.reviews: dict[str, ReviewEditor] = {}
        self.choices: dict[str, QComboBox] = {}
        self.questions: dict[str, dict[str, Any]] = {}
        self.corrections: dict[str, Any] = {}  # from the rows and the Reading tab; None: read as it was
        self.plan: ImportPlan | None = None

    # --- plan ---------------------------------------------------------------------------
    def set_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.questions = {q["id"]: q for q in plan.questions}
        asked = [q for q in plan.questions if q["asked"] and "answer" not in q]
        cells = plan.cells or {}
        self.summary.setText(
            f"{len(plan.questions)} readings of this tracker, {len(asked)} of them guessed and worth a look "
            f"(marked ⚠). Cells: {cells.get('mapped', 0)} mapped, {cells.get('kept_as_text', 0)} kept as text, "
            f"{cells.get('skipped', 0)} skipped. A change here is remembered for the next import.")
        ids = list(self.questions)
        if ids != self.ids:
            self._build()
            self.ids = ids
        for question_id, reset in self.resets.items():
            question = self.questions[question_id]
            reset.setEnabled("answer" in question)
            if question_id in self.corrections and self.corrections[question_id] is None:
                self._show_reading(question_id, question)  # reset: the control shows the file's reading
        for question_id, combo in self.choices.items():
            question = self.questions[question_id]
            combo.setToolTip(f"Default: {question['default']}; {count(question['count'], 'cell')}, first at "
                             f"{question['where']}")

    def _build(self) -> None:
        clear_layout(self.inner_layout)
        self.reviews, self.choices = {}, {}
        self.resets = {}
        groups = {"review": QGroupBox("Reviews: name, code, type and partnership"),
                  "period": QGroupBox("Periods of the imported updates"),
                  "value": QGroupBox("What the values mean"),
                  "agencies": QGroupBox("Cells naming several agencies (the first leads; separate them with ';')"),
                  "duplicate": QGroupBox("Rows claiming one reference"),
                  "other": QGroupBox("Other readings worth a look")}
        forms = {kind: QFormLayout(box) for kind, box in groups.items()}
        for question in self.questions.values():
            kind = question["kind"] if question["kind"] in groups else "other"
            if question["kind"] in STRUCTURE:
                continue  # the header row, columns and review of each sheet: the Reading tab
            mark = "⚠ " if question["asked"] and "answer" not in question else ""
            if kind == "review":
                editor = ReviewEditor(question)
                editor.changed.connect(lambda q=question["id"]: self._edited(q))
                editor.reset.clicked.connect(lambda _c=False, q=question["id"]: self.correct(q, None))
                self.resets[question["id"]] = editor.reset
                self.reviews[question["id"]] = editor
                forms[kind].addRow(literal(f"{mark}{question['default']['name']}:"), editor)
                continue
            combo = self._combo(question)
            self.choices[question["id"]] = combo
            reset = reset_button(question["question"])
            reset.setEnabled("answer" in question)
            reset.clicked.connect(lambda _c=False, q=question["id"]: self.correct(q, None))
            self.resets[question["id"]] = reset
            field = beside(combo, reset)
            if kind == "period":
                label = question["id"].split(":", 2)[-1]
                forms[kind].addRow(literal(f"{mark}Updates in {label!r}:"), field)
            elif kind in ("other", "agencies", "duplicate"):
                text = QLabel(f"{mark}{question['question']}")
                text.setTextFormat(Qt.TextFormat.PlainText)  # the file's words as written, '&' and '<' too
                text.setWordWrap(True)
                forms[kind].addRow(text, field)
            else:
                value = question.get("written") or question["id"].split(":", 1)[1]
                label = QLabel(f"{mark}{html.escape(FIELD_NAMES.get(question['field'], question['field']))} "
                               f"<b>{html.escape(value)}</b> ({question['count']}×), default "
                               f"<i>{html.escape(str(question['default']))}</i>:")
                forms[kind].addRow(label, field)
        for kind, box in groups.items():
            if forms[kind].rowCount():
                self.inner_layout.addWidget(box)
            else:
                box.deleteLater()
        self.inner_layout.addStretch(1)

    def _combo(self, question: dict[str, Any]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"answer_{question['id']}")
        combo.setAccessibleName(question["question"])
        default = str(question["default"])
        items = _periods_around(default) if question["kind"] == "period" else list(question.get("choices", []))
        if default not in items:
            items.insert(0, default)
        combo.addItems(items)
        # a target date, a period or a free answer can be typed as well as chosen
        if question["kind"] in ("period", "agencies") or question["field"] == "target_date" \
                or not question.get("choices"):
            combo.setEditable(True)
            combo.setLineEdit(AnswerLine())
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setCurrentText(str(question.get("answer", default)))
        combo.currentTextChanged.connect(lambda _t: self._edited(question["id"]))
        return combo

    # --- answers ------------------------------------------------------------------------
    def answers(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for question_id, editor in self.reviews.items():
            answer = editor.answer()
            if answer is not None or "answer" in self.questions.get(question_id, {}):
                found[question_id] = answer or self.questions[question_id]["default"]
        for question_id, combo in self.choices.items():
            question = self.questions.get(question_id, {})
            text = combo.currentText().strip()
            if text and (text != str(question.get("default")) or "answer" in question):
                found[question_id] = text
        return {**found, **self.corrections}

    def _show_reading(self, question_id: str, question: dict[str, Any]) -> None:
        if question_id in self.reviews:
            self.reviews[question_id].show_reading(question["default"])
        elif question_id in self.choices:
            combo = self.choices[question_id]
            combo.blockSignals(True)
            combo.setCurrentText(str(question["default"]))
            combo.blockSignals(False)

    def correct(self, question_id: str, answer: Any) -> None:
        """A correction made in the preview (None: read it as the file was read); re-plans."""
        self.corrections[question_id] = answer
        self.answers_changed.emit(self.answers())

    def correct_many(self, answers: dict[str, Any]) -> None:
        self.corrections.update(answers)
        self.answers_changed.emit(self.answers())

    def _edited(self, question_id: str) -> None:
        self.corrections.pop(question_id, None)  # the control's own value, no longer a reset
        self.answers_changed.emit(self.answers())


def attach(dialog: Any) -> TrackerAnswersPanel:
    """Add the Questions tab to an import preview of a hand-made tracker."""
    panel = TrackerAnswersPanel(dialog)
    dialog.tabs.addTab(panel, "Questions")
    panel.set_plan(dialog.plan)
    return panel
