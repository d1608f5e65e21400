"""The updates timeline (newest first) and the form that appends this period's update."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from scr_desk.domain.colours import rag_chip_html
from scr_desk.domain.dates import format_uk
from scr_desk.domain.dto import AgencyRow, UpdateRow
from scr_desk.domain.enums import Rag, SourceKind, Status
from scr_desk.domain.rules import period_of, shown_rag
from scr_desk.services.audit import current_user
from scr_desk.ui.widgets import AgencyCombo, DateField, EnumCombo

__all__ = ["AddUpdateForm", "TimelineView", "rag_chip", "render_timeline"]


def rag_chip(rag: Rag | None) -> str:
    return "" if rag is None else rag_chip_html(rag)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())


def _clip(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def render_timeline(updates: Sequence[UpdateRow], meetings: dict[int, str] | None = None, *,
                    correctable: bool = True) -> str:
    if not updates:
        return "<p><i>No updates yet. Add this period's update below.</i></p>"
    parts = []
    for update in updates:
        head = [format_uk(update.as_at), html.escape(update.period)]
        if update.agency_name:
            head.append(html.escape(update.agency_name))
        if update.author:
            head.append(html.escape(update.author))
        moves = []
        if update.status is not None:
            before = f"{update.previous_status.value} → " if update.previous_status and \
                update.previous_status != update.status else ""
            moves.append(f"Status: {html.escape(before)}<b>{update.status.value}</b>")
        status_then = update.status or update.previous_status
        if update.rag is not None or update.status is not None:
            # A completed item shows Blue here as in the tree, the reports and the dashboard.
            rag = shown_rag(status_then, update.rag) if status_then is not None else update.rag
            if rag is not None:
                moves.append(f"RAG: {rag_chip(rag)}")
        if update.source_kind is SourceKind.IMPORTED:
            source = f"Imported from {html.escape(update.source_detail)}"
        elif update.source_kind is SourceKind.MINUTED:
            source = f"Minuted: {html.escape(update.source_detail)}"
        elif update.source_detail.casefold().startswith("typed in"):  # "typed in by J Smith": said once
            source = html.escape(update.source_detail[:1].upper() + update.source_detail[1:])
        else:
            source = f"Typed in ({html.escape(update.source_detail)})" if update.source_detail else "Typed in"
        parts.append(
            f'<div><p><b>{" · ".join(head)}</b>'
            + (f'&nbsp;&nbsp;<a href="correct:{update.id}">Correct…</a>' if correctable else "") + "</p>"
            + (f"<p>{' &nbsp; '.join(moves)}</p>" if moves else "")
            + _paragraphs(update.narrative)
            + (f"<p><i>Evidence:</i> {html.escape(update.evidence)}</p>" if update.evidence else "")
            + (f"<p><small><i>Corrected on {update.corrected_at:%d/%m/%Y}; before, it said: "
               f"“{html.escape(_clip(update.corrected_from))}”</i></small></p>" if update.corrected_at else "")
            + f'<p><small>{source}</small></p></div><hr/>')
    return "".join(parts)


class TimelineView(QTextBrowser):
    correct_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setAccessibleName("Updates, newest first")
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.updates: list[UpdateRow] = []
        self.read_only = False  # no Correct… links while nothing can be changed

    def show_updates(self, updates: Sequence[UpdateRow]) -> None:
        self.updates = list(updates)
        self.setHtml(render_timeline(self.updates, correctable=not self.read_only))

    def set_read_only(self, read_only: bool) -> None:
        if read_only != self.read_only:
            self.read_only = read_only
            self.show_updates(self.updates)

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == "correct" and not self.read_only:
            self.correct_requested.emit(int(url.path()))


class AddUpdateForm(QGroupBox):
    """This period's update: text, evidence, and the status and RAG it moves the item to."""

    submitted = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add update", parent)
        self.setObjectName("add_update")
        self.as_at = DateField("Update date")
        self.period = QLineEdit()
        self.period.setAccessibleName("Reporting period")
        self.period.setObjectName("update_period")
        self.agency = AgencyCombo("Reporting agency", allow_new=False)
        self.author = QLineEdit(current_user())
        self.author.setAccessibleName("Author")
        self.author.setObjectName("update_author")
        self.narrative = QPlainTextEdit()
        self.narrative.setAccessibleName("Progress this period")
        self.narrative.setObjectName("update_narrative")
        self.narrative.setTabChangesFocus(True)
        self.narrative.setPlaceholderText("What has been done this period, and what difference it made")
        self.narrative.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)  # more lines scroll
        self.evidence = QLineEdit()
        self.evidence.setAccessibleName("Evidence")
        self.evidence.setObjectName("update_evidence")
        self.status = EnumCombo(Status, "New status", none_label="(no change)")
        self.rag = EnumCombo(Rag, "New RAG", none_label="(no change)")
        for combo in (self.status, self.rag):  # side by side in a narrow pane too: they give way first
            combo.setMinimumContentsLength(6)
        self.button = QPushButton("Add update")
        self.button.setObjectName("add_update_button")
        self.button.setToolTip("Add the update (Ctrl+Return)")
        self.button.clicked.connect(self._submit)
        # One shortcut for the whole form (two on the same key, as before, were ambiguous and
        # neither fired); Enter on the keypad too.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self, self._submit)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow pane: labels above
        top = QHBoxLayout()
        top.addWidget(self.as_at, 1)
        top.addWidget(self.period, 1)
        form.addRow("Date:", top)  # and period, beside it (its quarter, unless typed)
        form.addRow("Agency:", self.agency)
        form.addRow("Author:", self.author)
        form.addRow("Progress:", self.narrative)
        form.addRow("Evidence:", self.evidence)
        moves = QHBoxLayout()
        moves.addWidget(self.status, 1)
        moves.addWidget(self.rag, 1)
        form.addRow("Status / RAG:", moves)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        layout.addLayout(row)
        self.as_at.changed.connect(self._suggest_period)
        self.reset()

    def set_agencies(self, agencies: Sequence[AgencyRow], default: int | None) -> None:
        self.agency.set_agencies(agencies)
        self.agency.set_value(default)

    def reset(self) -> None:
        self.as_at.set_value(date.today())
        self._suggest_period()
        self.narrative.clear()
        self.evidence.clear()
        self.status.set_value(None)
        self.rag.set_value(None)

    def _suggest_period(self) -> None:
        chosen = self.as_at.value()
        self.period.setPlaceholderText(str(period_of(chosen)) if chosen else "e.g. 2020-21 Q3")

    def values(self) -> dict[str, object]:
        return {
            "as_at": self.as_at.value(), "period": self.period.text().strip(),
            "agency_id": self.agency.value(), "author": self.author.text().strip(),
            "narrative": self.narrative.toPlainText().strip(), "evidence": self.evidence.text().strip(),
            "status": self.status.value(), "rag": self.rag.value(),
        }

    def _submit(self) -> None:
        if self.isEnabled():  # (the shortcut fires on a form made read-only too)
            self.submitted.emit(self.values())

    def has_text(self) -> bool:
        """Whether an update is being written (what a refresh or a lost connection must keep)."""
        return bool(self.narrative.toPlainText().strip() or self.evidence.text().strip())

    def set_author(self, name: str) -> None:
        """Who writes updates here by default: on a server, the connected person's display name."""
        if name:
            self.author.setText(name)
