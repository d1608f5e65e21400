"""A form of editable fields, built from a list of specs; each field commits on its own.

A committed field is reported as (field name, value); the window turns that into an undoable
service call and reloads the form from what was stored, so a refused value springs back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCompleter, QFormLayout, QLineEdit, QMenu, QPlainTextEdit, QSizePolicy, QToolButton, QWidget,
)

from scr_desk.domain.dto import AgencyRow
from scr_desk.domain.enums import LabelledEnum
from scr_desk.ui.widgets import AgencyCombo, DateField, EnumCombo


class CommitTextEdit(QPlainTextEdit):
    """Multi-line text that commits when it loses focus or on Ctrl+Return."""

    committed = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setObjectName(accessible_name.lower().replace(" ", "_"))
        self.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self._loaded = ""

    def load(self, text: str) -> None:
        self._loaded = text
        self.setPlainText(text)

    def dirty(self) -> bool:
        return self.toPlainText() != self._loaded

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.dirty():
            self.committed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if self.dirty():
                self.committed.emit()
            return
        super().keyPressEvent(event)


class ThemesCompleter(QCompleter):
    """Completes the theme being typed (after the last ";") from the themes already in use, so
    "Professional curiosity" is picked, not typed a third way; a new theme is simply typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(QStringListModel(self))
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)

    def set_themes(self, themes: Sequence[str]) -> None:
        model = self.model()
        assert isinstance(model, QStringListModel)
        model.setStringList(list(themes))

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(";", 1)[-1].strip()]

    def pathFromIndex(self, index: Any) -> str:
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        head = typed.rsplit(";", 1)[0] + "; " if ";" in typed else ""
        return head + str(index.data())


class AgencyChecklist(QToolButton):
    """Several agencies, chosen from a menu of check boxes."""

    committed = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setObjectName(accessible_name.lower().replace(" ", "_"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # as wide as the form allows, however many agencies are named on it
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(120)
        self._menu = QMenu(self)
        self._menu.aboutToHide.connect(self._maybe_commit)
        self.setMenu(self._menu)
        self._actions: dict[int, QAction] = {}
        self._loaded: tuple[int, ...] = ()

    def set_agencies(self, agencies: Sequence[AgencyRow]) -> None:
        self._menu.clear()
        self._actions = {}
        for agency in agencies:
            action = self._menu.addAction(agency.name)
            action.setCheckable(True)
            self._actions[agency.id] = action
        self.load(self._loaded)

    def value(self) -> tuple[int, ...]:
        return tuple(sorted(i for i, a in self._actions.items() if a.isChecked()))

    def load(self, ids: Sequence[int]) -> None:
        self._loaded = tuple(sorted(ids))
        for agency_id, action in self._actions.items():
            action.setChecked(agency_id in self._loaded)
        names = [a.text() for i, a in self._actions.items() if i in self._loaded]
        self.setText("; ".join(names) or "None")
        self.setToolTip("\n".join(names) or "No contributing agencies")

    def _maybe_commit(self) -> None:
        if self.value() != self._loaded:
            self.committed.emit()


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # line, text, date, enum, agency, agencies, themes
    enum: type[LabelledEnum] | None = None
    none_label: str | None = None
    read_only: bool = False


class ItemForm(QWidget):
    field_committed = Signal(str, object)
    new_agency_wanted = Signal(str)  # the field whose combo asked for a new agency

    def __init__(self, specs: Sequence[FieldSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._specs = {s.name: s for s in specs}
        self.editors: dict[str, QWidget] = {}
        self._getters: dict[str, Callable[[], Any]] = {}
        self._setters: dict[str, Callable[[Any], None]] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in specs:
            editor = self._build(spec)
            editor.setEnabled(not spec.read_only)
            self.editors[spec.name] = editor
            layout.addRow(spec.label + ":", editor)

    def _build(self, spec: FieldSpec) -> QWidget:
        commit = lambda *_: self._commit(spec.name)  # noqa: E731
        if spec.kind in ("line", "themes"):
            edit = QLineEdit()
            edit.setAccessibleName(spec.label)
            edit.setObjectName(spec.name)
            edit.editingFinished.connect(lambda: self._commit(spec.name) if edit.isModified() else None)
            if spec.kind == "themes":
                edit.setPlaceholderText("Themes separated by ; (those in use are offered as you type)")
                self.themes_completer = ThemesCompleter(edit)
                edit.setCompleter(self.themes_completer)
                self._getters[spec.name] = lambda: edit.text()
                self._setters[spec.name] = lambda v: _set_line(edit, "; ".join(v))
            else:
                self._getters[spec.name] = lambda: edit.text()
                self._setters[spec.name] = lambda v: _set_line(edit, v or "")
            return edit
        if spec.kind == "text":
            text = CommitTextEdit(spec.label)
            text.setObjectName(spec.name)
            text.setMaximumHeight(90)
            text.committed.connect(commit)
            self._getters[spec.name] = text.toPlainText
            self._setters[spec.name] = lambda v: text.load(v or "")
            return text
        if spec.kind == "date":
            field = DateField(spec.label)
            field.edit.setObjectName(spec.name)
            field.changed.connect(commit)
            self._getters[spec.name] = field.value
            self._setters[spec.name] = field.set_value
            return field
        if spec.kind == "enum":
            assert spec.enum is not None
            combo = EnumCombo(spec.enum, spec.label, none_label=spec.none_label)
            combo.setObjectName(spec.name)
            combo.activated.connect(commit)
            self._getters[spec.name] = combo.value
            self._setters[spec.name] = combo.set_value
            return combo
        if spec.kind == "agency":
            agency = AgencyCombo(spec.label)
            agency.setObjectName(spec.name)
            agency.activated.connect(lambda *_: self.new_agency_wanted.emit(spec.name)
                                     if agency.wants_new() else self._commit(spec.name))
            self._getters[spec.name] = agency.value
            self._setters[spec.name] = agency.set_value
            return agency
        if spec.kind == "agencies":
            checklist = AgencyChecklist(spec.label)
            checklist.committed.connect(commit)
            self._getters[spec.name] = checklist.value
            self._setters[spec.name] = checklist.load
            return checklist
        raise ValueError(f"unknown field kind {spec.kind}")

    def _commit(self, name: str) -> None:
        self.field_committed.emit(name, self._getters[name]())

    def set_themes(self, themes: Sequence[str]) -> None:
        """The themes in use, offered as the user types one."""
        completer = getattr(self, "themes_completer", None)
        if completer is not None:
            completer.set_themes(themes)

    def set_agencies(self, agencies: Sequence[AgencyRow]) -> None:
        for editor in self.editors.values():
            if isinstance(editor, AgencyCombo | AgencyChecklist):
                editor.set_agencies(agencies)

    def load(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            if name in self._setters:
                self._setters[name](value)

    def value(self, name: str) -> Any:
        return self._getters[name]()


def _set_line(edit: QLineEdit, text: str) -> None:
    """Show a stored value: not a modification, and read from its start."""
    edit.setText(text)
    edit.setModified(False)
    edit.setCursorPosition(0)
