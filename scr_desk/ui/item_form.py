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
    QCompleter,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from scr_desk.domain.dto import AgencyRow
from scr_desk.domain.enums import LabelledEnum
from scr_desk.ui.widgets import AgencyCombo, DateField, EnumCombo, literal

__all__ = ["AgencyChecklist", "CommitTextEdit", "FieldSpec", "ItemForm", "ThemesCompleter"]


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
        self._names: dict[int, str] = {}
        self._loaded: tuple[int, ...] = ()

    def set_agencies(self, agencies: Sequence[AgencyRow]) -> None:
        self._menu.clear()
        self._actions = {}
        self._names = {agency.id: agency.name for agency in agencies}
        for agency in agencies:
            action = self._menu.addAction(literal(agency.name))
            action.setCheckable(True)
            self._actions[agency.id] = action
        self.load(self._loaded)

    def value(self) -> tuple[int, ...]:
        return tuple(sorted(i for i, a in self._actions.items() if a.isChecked()))

    def load(self, ids: Sequence[int]) -> None:
        self._loaded = tuple(sorted(ids))
        for agency_id, action in self._actions.items():
            action.setChecked(agency_id in self._loaded)
        names = [self._names[i] for i in self._actions if i in self._loaded]
        self.setText(literal("; ".join(names)) or "None")
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
    """The fields, each in a labelled row. Given `in_view`, those fields (the ones a lead changes
    every quarter) stand two to a row at the top, and the rest fold away under a "More details"
    button, so that a laptop screen shows what is changed each quarter without scrolling."""

    field_committed = Signal(str, object)
    new_agency_wanted = Signal(str)  # the field whose combo asked for a new agency
    folded_changed = Signal(bool)  # True when the other fields are folded away

    def __init__(self, specs: Sequence[FieldSpec], parent: QWidget | None = None, *,
                 in_view: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self._specs = {s.name: s for s in specs}
        self._committed: set[str] = set()
        self._unsaved: set[str] = set()  # typed, committed, not saved: kept until committed again
        self.editors: dict[str, QWidget] = {}
        self._getters: dict[str, Callable[[], Any]] = {}
        self._setters: dict[str, Callable[[Any], None]] = {}
        for spec in specs:
            editor = self._build(spec)
            editor.setEnabled(not spec.read_only)
            self.editors[spec.name] = editor
        self.in_view = tuple(in_view)
        self.more: QToolButton | None = None
        self._pairs: list[tuple[QLabel, QWidget]] = []
        if not in_view:
            layout = QFormLayout(self)
            layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for spec in specs:
                layout.addRow(spec.label + ":", self.editors[spec.name])
            return
        self._lay_out_folded([s for s in specs if s.name in in_view], [s for s in specs if s.name not in in_view])

    def _lay_out_folded(self, shown: list[FieldSpec], folded: list[FieldSpec]) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._grid = QGridLayout()
        for spec in shown:
            label = QLabel(spec.label + ":")
            label.setBuddy(self.editors[spec.name])
            self._pairs.append((label, self.editors[spec.name]))
        self._per_row = 0
        self._arrange(2)
        outer.addLayout(self._grid)
        self.more = QToolButton()
        self.more.setObjectName("more_details")
        self.more.setCheckable(True)
        self.more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.more.setArrowType(Qt.ArrowType.RightArrow)
        self.more.setAutoRaise(True)
        names = ", ".join(spec.label.lower() for spec in folded)
        self.more.setText("More details")
        self.more.setToolTip(f"Show or hide the other fields: {names}")
        self.more.setAccessibleName("More details")
        self.folded_fields = QWidget()
        self.folded_fields.setObjectName("folded_fields")
        form = QFormLayout(self.folded_fields)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in folded:
            form.addRow(spec.label + ":", self.editors[spec.name])
        outer.addWidget(self.more, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(self.folded_fields)
        self.more.toggled.connect(self._show_folded)
        self._show_folded(False)

    def _arrange(self, per_row: int) -> None:
        """The fields in view, `per_row` label-and-field pairs to a row."""
        if per_row == self._per_row:
            return
        self._per_row = per_row
        for label, editor in self._pairs:
            self._grid.removeWidget(label)
            self._grid.removeWidget(editor)
        for column in range(4):
            self._grid.setColumnStretch(column, 0)
        for index, (label, editor) in enumerate(self._pairs):
            row, column = divmod(index, per_row)
            self._grid.addWidget(label, row, column * 2)
            self._grid.addWidget(editor, row, column * 2 + 1)
        self._grid.setColumnStretch(1, 1)
        self._grid.setColumnStretch(3, 1 if per_row == 2 else 0)

    def fit_width(self, width: int) -> None:
        """Two pairs to a row where both fit side by side in `width`, else one: never cut."""
        if self._pairs:
            widest = max(label.sizeHint().width() + editor.minimumSizeHint().width()
                         for label, editor in self._pairs)
            spacing = max(self._grid.horizontalSpacing(), 6) * 3
            self._arrange(2 if width >= 2 * widest + spacing else 1)

    def _show_folded(self, shown: bool) -> None:
        assert self.more is not None
        self.more.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.folded_fields.setVisible(shown)
        self.folded_changed.emit(not shown)

    @property
    def folded(self) -> bool:
        return self.more is not None and not self.more.isChecked()

    def set_folded(self, folded: bool) -> None:
        if self.more is not None:
            self.more.setChecked(not folded)

    def reveal(self, name: str) -> None:
        """Unfold the other fields when `name` is among them (to type into it)."""
        if self.more is not None and name not in self.in_view:
            self.set_folded(False)

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
        self._committed.add(name)  # the reload that follows shows what was stored, refused or not
        self._unsaved.discard(name)
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

    def load(self, values: dict[str, Any], *, keep: frozenset[str] = frozenset()) -> None:
        """Show `values`; the fields named in `keep` (edits in progress) are left as typed."""
        for name, value in values.items():
            if name in self._setters and name not in keep:
                self._setters[name](value)
        self._committed.clear()

    def editing(self) -> frozenset[str]:
        """The fields being typed into: the one with the cursor, when what it holds is not yet
        saved (nor being saved). A refresh, for someone else's change, leaves them as typed."""
        focused = self.window().focusWidget()  # this window's, whether or not it is the active one
        names = set(self._unsaved)
        for name, editor in self.editors.items():
            if name in self._committed or focused is None or not (editor is focused or editor.isAncestorOf(focused)):
                continue
            if isinstance(editor, QLineEdit) and editor.isModified() or \
                    isinstance(editor, CommitTextEdit) and editor.dirty():
                names.add(name)
        return frozenset(names)

    def keep_unsaved(self) -> None:
        """The fields just committed were not saved (the connection to the server was lost): they
        keep what was typed through every reload until committed again, or another item is shown."""
        self._unsaved |= self._committed

    def forget_unsaved(self) -> None:
        self._unsaved.clear()

    def set_read_only(self, read_only: bool) -> None:
        """Every field shown but none editable (a role that may only read, a lost connection)."""
        for name, editor in self.editors.items():
            editor.setEnabled(not read_only and not self._specs[name].read_only)

    def value(self, name: str) -> Any:
        return self._getters[name]()


def _set_line(edit: QLineEdit, text: str) -> None:
    """Show a stored value: not a modification, and read from its start."""
    edit.setText(text)
    edit.setModified(False)
    edit.setCursorPosition(0)
