"""A review's page: its fields, its counts, and its meetings with attendees and decisions."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QTextBrowser, QVBoxLayout, QWidget

from scr_desk.domain.dates import format_uk
from scr_desk.domain.dto import AgencyRow, ItemKey, MeetingRow, ReviewRow
from scr_desk.domain.enums import ReviewStatus, ReviewType
from scr_desk.ui.item_form import FieldSpec, ItemForm

__all__ = ["REVIEW_SPECS", "ReviewPage", "render_meetings"]


REVIEW_SPECS = [
    FieldSpec("name", "Name", "line"),
    FieldSpec("review_type", "Type", "enum", ReviewType),
    FieldSpec("code", "Code (for references)", "line"),
    FieldSpec("reference", "Reference", "line"),
    FieldSpec("partnership", "Partnership", "line"),
    FieldSpec("reviewer", "Reviewer / author", "line"),
    FieldSpec("commissioned_on", "Commissioned", "date"),
    FieldSpec("endorsed_on", "Endorsed", "date"),
    FieldSpec("published_on", "Published", "date"),
    FieldSpec("report_url", "Learning report link", "line"),
    FieldSpec("response_url", "Partnership response link", "line"),
    FieldSpec("summary", "Summary", "text"),
    FieldSpec("status", "Status", "enum", ReviewStatus),
]


def render_meetings(meetings: Sequence[MeetingRow], agencies: dict[int, str],
                    item_labels: dict[ItemKey, str]) -> str:
    if not meetings:
        return "<p><i>No meetings recorded for this review.</i></p>"
    parts = []
    for meeting in meetings:
        item = f", item {html.escape(meeting.agenda_item)}" if meeting.agenda_item else ""
        people = "".join(
            f"<li>{html.escape(a.name)}"
            + (f", {html.escape(a.role)}" if a.role else "")
            + (f" ({html.escape(agencies[a.agency_id])})" if a.agency_id in agencies else "")
            + "</li>" for a in meeting.attendees)
        decisions = "".join(
            f"<li><b>{html.escape(item_labels.get(d.item, d.item.kind.value))}</b>: "
            f"{d.decision.value}" + (f" — {html.escape(d.comment)}" if d.comment else "") + "</li>"
            for d in meeting.decisions)
        parts.append(
            f"<h4>{format_uk(meeting.held_on)} · {html.escape(meeting.body)}{item} "
            f'<a href="edit:{meeting.id}">Edit…</a> <a href="delete:{meeting.id}">Delete…</a></h4>'
            + (f"<p>{html.escape(meeting.notes)}</p>" if meeting.notes else "")
            + (f"<p><i>Attendees</i></p><ul>{people}</ul>" if people else "")
            + (f"<p><i>Assurance decisions</i></p><ul>{decisions}</ul>" if decisions else ""))
    return "".join(parts)


class ReviewPage(QWidget):
    field_committed = Signal(str, object)
    add_meeting_requested = Signal(int)
    edit_meeting_requested = Signal(int)
    delete_meeting_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review_id = 0
        self.item_labels: dict[ItemKey, str] = {}
        self.title = QLabel()
        self.title.setObjectName("review_title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # user text is never markup
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("review_summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.form = ItemForm(REVIEW_SPECS)
        self.form.field_committed.connect(self.field_committed)
        self.meetings = QTextBrowser()
        self.meetings.setObjectName("meetings")
        self.meetings.setAccessibleName("Meetings about this review")
        self.meetings.setOpenLinks(False)
        self.meetings.anchorClicked.connect(self._on_anchor)
        self.meetings.setMinimumHeight(160)
        self.read_only = False
        self.add_meeting = add = QPushButton("Add meeting…")
        add.setObjectName("add_meeting")
        add.clicked.connect(lambda: self.add_meeting_requested.emit(self.review_id))

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.form)
        heading = QHBoxLayout()
        heading.addWidget(QLabel("<b>Meetings</b>"))
        heading.addStretch(1)
        heading.addWidget(add)
        layout.addLayout(heading)
        layout.addWidget(self.meetings, 1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop that shows no focus: on to the first field
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def show_review(self, review: ReviewRow, summary: str, meetings: Sequence[MeetingRow],
                    agencies: Sequence[AgencyRow]) -> None:
        self.review_id = review.id
        self.title.setText(f"{review.name} · {review.review_type.value}")
        self.summary.setText(summary)
        self.form.load({name: getattr(review, name) for name in self.form.editors})
        names = {a.id: a.name for a in agencies}
        self.meetings.setHtml(render_meetings(meetings, names, self.item_labels))

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.form.set_read_only(read_only)
        self.add_meeting.setEnabled(not read_only)

    def _on_anchor(self, url: QUrl) -> None:
        if self.read_only:
            return  # a meeting's Edit and Delete links do nothing while nothing can be changed
        verb, _, number = url.toString().partition(":")
        if verb == "edit":
            self.edit_meeting_requested.emit(int(number))
        elif verb == "delete":
            self.delete_meeting_requested.emit(int(number))
