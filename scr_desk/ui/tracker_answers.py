"""The questions a hand-made tracker raises, answered in the import preview: each review's name,
code and type, the period of each update column, and the meaning of each distinct value (a RAG
word, a status word, a target written in words). Each shows its default; a change re-plans in
the background and the rows follow, as a column correction does."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from scr_desk.domain.wording import count
from scr_desk.domain.rules import parse_period
from scr_desk.services.imports.plan import ImportPlan

from scr_desk.ui.widgets import literal

FIELD_NAMES = {"rag": "RAG", "status": "Status", "target_date": "Target date"}


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
        self.code.setMaximumWidth(140)
        self.type = QComboBox()
        self.type.addItems(question.get("choices", []))
        self.type.setCurrentText(value["type"])
        for widget, label in ((self.name, "name"), (self.code, "code"), (self.type, "type")):
            widget.setAccessibleName(f"Review {default['name']}: {label}")
            widget.setObjectName(f"review_{label}_{default['name']}")
        self.name.editingFinished.connect(self.changed)
        self.code.editingFinished.connect(self.changed)
        self.type.currentIndexChanged.connect(lambda _i: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name, 3)
        layout.addWidget(self.code, 1)
        layout.addWidget(self.type, 2)

    def answer(self) -> dict[str, str] | None:
        value = {"name": self.name.text().strip() or self.default["name"],
                 "code": self.code.text().strip().upper() or self.default["code"], "type": self.type.currentText()}
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
        self.inner = QWidget()
        self.inner_layout = QVBoxLayout(self.inner)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.inner)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        self.ids: list[str] = []
        self.reviews: dict[str, ReviewEditor] = {}
        self.choices: dict[str, QComboBox] = {}
        self.questions: dict[str, dict[str, Any]] = {}

    # --- plan ---------------------------------------------------------------------------
    def set_plan(self, plan: ImportPlan) -> None:
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
        for question_id, combo in self.choices.items():
            question = self.questions[question_id]
            combo.setToolTip(f"Default: {question['default']}; {count(question['count'], 'cell')}, first at "
                             f"{question['where']}")

    def _build(self) -> None:
        while self.inner_layout.count():
            item = self.inner_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.reviews, self.choices = {}, {}
        groups = {"review": QGroupBox("Reviews: name, code and type"),
                  "period": QGroupBox("Periods of the imported updates"),
                  "value": QGroupBox("What the values mean")}
        forms = {kind: QFormLayout(box) for kind, box in groups.items()}
        for question in self.questions.values():
            kind = question["kind"]
            mark = "⚠ " if question["asked"] and "answer" not in question else ""
            if kind == "review":
                editor = ReviewEditor(question)
                editor.changed.connect(self._edited)
                self.reviews[question["id"]] = editor
                forms[kind].addRow(literal(f"{mark}{question['default']['name']}:"), editor)
                continue
            combo = self._combo(question)
            self.choices[question["id"]] = combo
            if kind == "period":
                label = question["id"].split(":", 2)[-1]
                forms[kind].addRow(literal(f"{mark}Updates in {label!r}:"), combo)
            else:
                value = question.get("written") or question["id"].split(":", 1)[1]
                label = QLabel(f"{mark}{html.escape(FIELD_NAMES.get(question['field'], question['field']))} "
                               f"<b>{html.escape(value)}</b> ({question['count']}×), default "
                               f"<i>{html.escape(str(question['default']))}</i>:")
                forms[kind].addRow(label, combo)
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
        # a target date or a period can be typed as well as chosen
        if question["kind"] == "period" or question["field"] == "target_date":
            combo.setEditable(True)
            combo.setLineEdit(AnswerLine())
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setCurrentText(str(question.get("answer", default)))
        combo.currentTextChanged.connect(lambda _t: self._edited())
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
        return found

    def _edited(self) -> None:
        self.answers_changed.emit(self.answers())


def attach(dialog: Any) -> TrackerAnswersPanel:
    """Add the Questions tab to an import preview of a hand-made tracker."""
    panel = TrackerAnswersPanel(dialog)
    dialog.tabs.addTab(panel, "Questions")
    panel.set_plan(dialog.plan)
    return panel
