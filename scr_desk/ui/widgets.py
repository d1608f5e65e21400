"""Small editors used across the detail pane: optional dates, enum and agency choosers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from PySide6.QtCore import QAbstractItemModel, QDate, Qt, Signal
from PySide6.QtGui import QResizeEvent, QTextLayout, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from scr_desk.domain.dto import AgencyRow
from scr_desk.domain.enums import LabelledEnum

__all__ = [
    "AgencyCombo", "DateField", "ElidedText", "EnumCombo", "NEW_AGENCY", "NO_DATE", "SafeDateEdit",
    "WheelOnlyWithFocus", "all_or_none_buttons", "clear_layout", "heading_over_scroll", "literal", "read_only_table",
    "set_combo_items", "shrinkable",
]


def literal(text: str) -> str:
    """A name as a button, menu, tab or form label shows it: each "&" doubled, so Qt shows the
    "&" itself rather than underlining the next letter as a shortcut ("Safeguarding & Improvement")."""
    return text.replace("&", "&&")


NO_DATE = QDate(1900, 1, 1)
NEW_AGENCY = -1


class WheelOnlyWithFocus:
    """The mouse wheel changes the value only once the field has focus (clicked or tabbed to);
    otherwise it passes to the form around it, which scrolls. A notch while scrolling a form
    must never change a status and save it."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():  # type: ignore[attr-defined]
            super().wheelEvent(event)  # type: ignore[misc]
        else:
            event.ignore()


def shrinkable(combo: QComboBox) -> None:
    """A drop-down sized by a dozen characters, not its longest entry (a long agency name would
    otherwise widen the whole form past its pane at 150 %)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)


class SafeDateEdit(WheelOnlyWithFocus, QDateEdit):
    """A date edit that Tab and Shift+Tab always leave, empty or not (QDateTimeEdit moves
    between its day, month and year sections on Tab, and never leaves an empty field)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002  (Qt's name)
        return QWidget.focusNextPrevChild(self, next)


class DateField(QWidget):
    """A dd/mm/yyyy date with a calendar pop-up that can also be empty (the clear button)."""

    changed = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = SafeDateEdit(self)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setCalendarPopup(True)
        self.edit.setMinimumDate(NO_DATE)
        self.edit.setSpecialValueText("—")  # shown when the value is the minimum: no date
        self.edit.setAccessibleName(accessible_name)
        self.edit.setObjectName(accessible_name.lower().replace(" ", "_"))
        self.clear_button = QToolButton(self)
        self.clear_button.setText("✕")
        self.clear_button.setToolTip(f"Clear {accessible_name.lower()}")
        self.clear_button.setAccessibleName(f"Clear {accessible_name.lower()}")
        self.clear_button.clicked.connect(self._clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.clear_button)
        self.setFocusProxy(self.edit)
        self._loaded: date | None = None
        self.edit.editingFinished.connect(self._maybe_changed)
        self.edit.calendarWidget().clicked.connect(lambda _d: self._maybe_changed())

    def _maybe_changed(self) -> None:
        """Only a real change is reported: tabbing through a field leaves no trace."""
        if self.value() != self._loaded:
            self._loaded = self.value()
            self.changed.emit()

    def _clear(self) -> None:
        self.edit.setDate(NO_DATE)
        self._maybe_changed()

    def value(self) -> date | None:
        current = self.edit.date()
        if current == NO_DATE:
            return None
        return date(current.year(), current.month(), current.day())

    def set_value(self, value: date | None) -> None:
        self._loaded = value
        self.edit.blockSignals(True)
        self.edit.setDate(QDate(value.year, value.month, value.day) if value else NO_DATE)
        self.edit.blockSignals(False)


class EnumCombo(WheelOnlyWithFocus, QComboBox):
    """Choose one member of a LabelledEnum; optionally 'none'."""

    def __init__(self, kind: type[LabelledEnum], accessible_name: str, *, none_label: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel alone never gives focus
        shrinkable(self)
        self.setAccessibleName(accessible_name)
        self.setObjectName(accessible_name.lower().replace(" ", "_"))
        if none_label is not None:
            self.addItem(none_label, None)
        for member in kind:
            self.addItem(member.value, member)

    def value(self) -> LabelledEnum | None:
        data = self.currentData()  # a str enum's member comes back from Qt as its plain string
        return None if data is None else self._kind(data)

    def set_value(self, value: LabelledEnum | None) -> None:
        self.blockSignals(True)
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)


class AgencyCombo(WheelOnlyWithFocus, QComboBox):
    """Choose an agency from the list; the last entry adds a new one."""

    def __init__(self, accessible_name: str, *, allow_none: bool = True, allow_new: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        shrinkable(self)
        self.setAccessibleName(accessible_name)
        self.setObjectName(accessible_name.lower().replace(" ", "_"))
        self._allow_none = allow_none
        self._allow_new = allow_new

    def set_agencies(self, agencies: Sequence[AgencyRow]) -> None:
        current = self.value()
        self.blockSignals(True)
        self.clear()
        if self._allow_none:
            self.addItem("—", None)
        for agency in agencies:
            self.addItem(agency.name, agency.id)
        if self._allow_new:
            self.addItem("New agency…", NEW_AGENCY)
        self.blockSignals(False)
        self.set_value(current)

    def value(self) -> int | None:
        data = self.currentData()
        return None if data in (None, NEW_AGENCY) else int(data)

    def wants_new(self) -> bool:
        return bool(self.currentData() == NEW_AGENCY)

    def set_value(self, agency_id: int | None) -> None:
        self.blockSignals(True)
        self.setCurrentIndex(max(self.findData(agency_id), 0))
        self.blockSignals(False)


def set_combo_items(combo: QComboBox, items: Iterable[tuple[str, object]]) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for label, data in items:
        combo.addItem(label, data)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


def all_or_none_buttons(checklist: QListWidget) -> QHBoxLayout:
    """"Select all" and "Select none" for a list of check boxes."""
    row = QHBoxLayout()
    for text, state in (("Select &all", Qt.CheckState.Checked), ("Select &none", Qt.CheckState.Unchecked)):
        button = QPushButton(text)
        button.setObjectName("select_all" if state == Qt.CheckState.Checked else "select_none")
        button.clicked.connect(lambda _=False, s=state: _check_all(checklist, s))
        row.addWidget(button)
    row.addStretch(1)
    return row


def _check_all(checklist: QListWidget, state: Qt.CheckState) -> None:
    for row in range(checklist.count()):
        item = checklist.item(row)
        if item is not None:
            item.setCheckState(state)


class ElidedText(QLabel):
    """A long text shown in at most `lines` lines, ending in "…" where it is cut; the whole text
    is its tooltip. Plain text, never markup."""

    def __init__(self, lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = lines
        self.full_text = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_full_text(self, text: str) -> None:
        self.full_text = " ".join(text.split())
        self.setToolTip(text if len(text) < 2000 else text[:2000] + "…")
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        width = max(self.width(), 50)
        layout = QTextLayout(self.full_text, self.font())
        layout.beginLayout()
        shown: list[str] = []
        for number in range(self.lines):
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            end = line.textStart() + line.textLength()
            if number == self.lines - 1 and end < len(self.full_text):
                rest = self.full_text[line.textStart():]
                shown.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
            else:
                shown.append(self.full_text[line.textStart():end].rstrip())
        layout.endLayout()
        self.setText("\n".join(shown))
        self.setFixedHeight(metrics.lineSpacing() * max(1, len(shown)) + 2)


def read_only_table(name: str, model: QAbstractItemModel) -> QTableView:
    """A table to read, not edit: whole rows selected, one line a row (elided, never wrapped) of a
    fixed height, so nothing is measured per row however many there are."""
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(name.replace("_", " ").capitalize())
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


def heading_over_scroll(owner: QWidget, heading: QWidget) -> tuple[QWidget, QVBoxLayout]:
    """Lay `owner` out as `heading` over a scrolling column; the column and its layout, to fill."""
    inner = QWidget()
    inner_layout = QVBoxLayout(inner)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(inner)
    layout = QVBoxLayout(owner)
    layout.addWidget(heading)
    layout.addWidget(scroll, 1)
    return inner, inner_layout


def clear_layout(layout: QLayout) -> None:
    """Take every widget out of `layout` at once (gone from findChild and the tab order now, not
    at the next turn of the event loop) before building it again."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
