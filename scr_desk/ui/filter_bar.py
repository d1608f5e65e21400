"""Filter controls above the tree: free text, status, RAG, agency, theme, overdue, hide closed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLineEdit, QToolButton, QWidget

from scr_desk.domain.enums import Rag, Status
from scr_desk.domain.search import FilterCriteria
from scr_desk.ui.widgets import set_combo_items

__all__ = ["FilterBar", "TEXT_DELAY_MS"]


TEXT_DELAY_MS = 120  # typing pauses this long before the tree filters: no flicker per letter


class FilterBar(QWidget):
    criteria_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLineEdit()
        self.text.setObjectName("filter_text")
        self.text.setAccessibleName("Find")
        self.text.setPlaceholderText("Find: reference, text, agency, owner, update… (Ctrl+F)")
        self.text.setClearButtonEnabled(True)
        self.status = self._combo("Status filter", [("Any status", None)] + [(s.value, s) for s in Status])
        self.rag = self._combo("RAG filter", [("Any RAG", None)] + [(r.value, r) for r in Rag])
        self.agency = self._combo("Agency filter", [("Any agency", None)])
        self.theme = self._combo("Theme filter", [("Any theme", None)])
        self.overdue = QCheckBox("Overdue only")
        self.overdue.setObjectName("filter_overdue")
        self.hide_closed = QCheckBox("Hide closed")
        self.hide_closed.setObjectName("filter_hide_closed")
        self.clear = QToolButton()
        self.clear.setText("Clear filters")
        self.clear.setObjectName("filter_clear")
        self.clear.clicked.connect(self.reset)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TEXT_DELAY_MS)
        self._timer.timeout.connect(self._emit)
        self.text.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.status, self.rag, self.agency, self.theme):
            combo.currentIndexChanged.connect(self._emit)
        self.overdue.toggled.connect(self._emit)
        self.hide_closed.toggled.connect(self._emit)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.text, 0, 0, 1, 4)
        grid.addWidget(self.clear, 0, 4)
        grid.addWidget(self.status, 1, 0)
        grid.addWidget(self.rag, 1, 1)
        grid.addWidget(self.agency, 1, 2)
        grid.addWidget(self.theme, 1, 3)
        grid.addWidget(self.overdue, 2, 0)
        grid.addWidget(self.hide_closed, 2, 1)

    def _combo(self, name: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setObjectName(name.lower().replace(" ", "_"))
        set_combo_items(combo, items)
        return combo

    def set_choices(self, agencies: dict[int, str], themes: Sequence[str]) -> None:
        set_combo_items(self.agency, [("Any agency", None)] + sorted(
            ((name, agency_id) for agency_id, name in agencies.items()), key=lambda x: x[0].casefold()))
        set_combo_items(self.theme, [("Any theme", None)] + [(t, t) for t in themes])

    def criteria(self) -> FilterCriteria:
        return FilterCriteria(
            text=self.text.text().strip(), status=self.status.currentData(), rag=self.rag.currentData(),
            agency_id=self.agency.currentData(), theme=self.theme.currentData(),
            overdue_only=self.overdue.isChecked(), hide_closed=self.hide_closed.isChecked())

    def focus_text(self) -> None:
        """Ctrl+F: the cursor in the words box, its text selected."""
        self.text.setFocus()
        self.text.selectAll()

    def apply_now(self) -> None:
        """Filter at once, without waiting for the typing pause."""
        self._timer.stop()
        self._emit()

    def reset(self) -> None:
        for widget in (self.text, self.status, self.rag, self.agency, self.theme, self.overdue, self.hide_closed):
            widget.blockSignals(True)
        self.text.clear()
        for combo in (self.status, self.rag, self.agency, self.theme):
            combo.setCurrentIndex(0)
        self.overdue.setChecked(False)
        self.hide_closed.setChecked(False)
        for widget in (self.text, self.status, self.rag, self.agency, self.theme, self.overdue, self.hide_closed):
            widget.blockSignals(False)
        self._emit()

    def _emit(self) -> None:
        self.criteria_changed.emit(self.criteria())
