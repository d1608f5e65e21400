"""The right-hand pane: the selected item's fields, its timeline and the add-update form, and
show_detail, which reads what the pane shows for an item from the services."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.domain.dto import ActionRow, AgencyRow, ItemKey, MeetingRow, RecommendationRow, ReviewRow, UpdateRow
from scr_desk.domain.enums import DONE_STATUSES, ItemKind, Rag, Scope, Status
from scr_desk.domain.rules import shown_rag
from scr_desk.services import items, meetings, reviews, updates
from scr_desk.services.tree import TreeNode
from scr_desk.ui.change_history import ChangeHistoryView
from scr_desk.ui.item_form import FieldSpec, ItemForm
from scr_desk.ui.review_page import ReviewPage
from scr_desk.ui.timeline import AddUpdateForm, TimelineView
from scr_desk.ui.widgets import ElidedText

__all__ = [
    "ACTION_SPECS", "DetailPane", "EMPTY_TEXT", "IN_VIEW", "ItemPage", "RECOMMENDATION_SPECS", "SUMMARY_LINES",
    "show_detail",
]


# What a lead changes every quarter comes first and stays in view; the rest folds away.
_EVERY_QUARTER = [
    FieldSpec("status", "Status", "enum", Status),
    FieldSpec("rag", "RAG", "enum", Rag, none_label="— (not rated)"),
    FieldSpec("target_date", "Target", "date"),
    FieldSpec("revised_target_date", "Revised", "date"),
]
IN_VIEW = tuple(spec.name for spec in _EVERY_QUARTER)
RECOMMENDATION_SPECS = [
    *_EVERY_QUARTER,
    FieldSpec("number", "Number", "line"),
    FieldSpec("text", "Recommendation", "text"),
    FieldSpec("scope", "Scope", "enum", Scope),
    FieldSpec("themes", "Themes", "themes"),
    FieldSpec("lead_agency_id", "Lead agency", "agency"),
    FieldSpec("contributor_ids", "Contributing agencies", "agencies"),
    FieldSpec("target_note", "Target note", "line"),
]
ACTION_SPECS = [
    *_EVERY_QUARTER,
    FieldSpec("number", "Number", "line"),
    FieldSpec("text", "Action", "text"),
    FieldSpec("owner_agency_id", "Owner agency", "agency"),
    FieldSpec("owner_name", "Named owner", "line"),
    FieldSpec("success_measure", "Success measure", "text"),
    FieldSpec("target_note", "Target note", "line"),
]
SUMMARY_LINES = 2  # lines of the item's text shown above its fields while they are folded


EMPTY_TEXT = ("Select a review, recommendation or action on the left.\n\n"
              "Ctrl+F finds items; Ctrl+N adds a recommendation or action.")


class ItemPage(QWidget):
    """A recommendation or an action: fields above, timeline and add-update form below."""

    field_committed = Signal(str, object)
    update_submitted = Signal(dict)

    def __init__(self, kind: ItemKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.item_id = 0
        self.version: int | None = None  # the item's version as shown: edits are checked against it
        self.read_only = False
        self.title = QLabel()
        self.title.setObjectName(f"{kind}_title")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a name is text, never markup
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.rollup = QLabel()
        self.rollup.setObjectName(f"{kind}_rollup")
        self.rollup.setTextFormat(Qt.TextFormat.PlainText)
        self.summary = ElidedText(SUMMARY_LINES)
        self.summary.setObjectName(f"{kind}_summary")
        self.form = ItemForm(RECOMMENDATION_SPECS if kind is ItemKind.RECOMMENDATION else ACTION_SPECS,
                             in_view=IN_VIEW)
        self.form.field_committed.connect(self.field_committed)
        self.form.folded_changed.connect(self._folded)
        self.timeline = TimelineView()
        self.add_form = AddUpdateForm()
        self.add_form.submitted.connect(self.update_submitted)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.title)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.rollup)
        top_layout.addWidget(self.form)
        top_layout.addStretch(1)
        self.top = top
        self.fields_scroll = scroll = QScrollArea()
        scroll.setWidget(top)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the form fits its width
        # Tab goes from the Details tab straight to the first field: the scroll area itself is
        # no stop (it showed no focus, and the next Tab seemed lost).
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.viewport().installEventFilter(self)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        self.updates_heading = heading = QLabel("<b>Updates</b> (newest first)")
        # The timeline gets the room; the add-update form stays folded until asked for.
        self.unfold = QPushButton("Add &update…")
        self.unfold.setObjectName("unfold_add_update")
        self.unfold.setToolTip("Write this period's update (Ctrl+U)")
        self.unfold.clicked.connect(self.open_add_form)
        head_row = QHBoxLayout()
        head_row.addWidget(heading, 1)
        head_row.addWidget(self.unfold)
        bottom_layout.addLayout(head_row)
        bottom_layout.addWidget(self.timeline, 1)
        # The form scrolls inside its own area when the pane is short (a laptop at 150 %), rather
        # than make the window taller than the screen; the timeline gives up its room first.
        self.add_scroll = QScrollArea()
        self.add_scroll.setObjectName("add_update_area")
        self.add_scroll.setWidget(self.add_form)
        self.add_scroll.setWidgetResizable(True)
        self.add_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.add_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)  # never cut
        self.add_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.add_scroll.hide()
        bottom_layout.addWidget(self.add_scroll, 2)
        # The change history from the audit trail, one click away beside the updates.
        self.changes = ChangeHistoryView()
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.setObjectName(f"{kind}_bottom_tabs")
        self.bottom_tabs.addTab(bottom, "Updates")
        self.bottom_tabs.addTab(self.changes, "Changes")
        self.bottom_tabs.currentChanged.connect(lambda _i: self._refresh_changes())
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.bottom_tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    def _folded(self, folded: bool) -> None:
        """Folded, the fields above show whole (the splitter never cuts a row in half) and the
        item's text is summarised above them; unfolded, the text is in its own field."""
        self._show_summary()
        self.fit_top()

    def _show_summary(self) -> None:
        # Summarised while folded, and not while an update is being written (its room goes to the form).
        self.summary.setVisible(self.form.folded and bool(self.summary.full_text) and self.add_scroll.isHidden())

    def fit_top(self) -> None:
        """Give the fields above exactly the height they need (at most two thirds of the page,
        beyond which they scroll), and the timeline the rest. Folded, they are never cut, unless
        an update is being written on a page too short for both: then the form has at least
        half of it and the fields above scroll."""
        needed = self._needed_height()
        page = self.splitter.height()
        writing = not self.add_scroll.isHidden()
        # Whole where they take under half the page; else a third, and they scroll.
        least = needed if not writing or page <= 0 or needed * 2 <= page else min(needed, page // 3)
        self.fields_scroll.setMinimumHeight(least if self.form.folded else 0)
        total = sum(self.splitter.sizes())
        if total > 0:
            top = least if self.form.folded else min(needed, total * 2 // 3)
            self.splitter.setSizes([top, max(total - top, 1)])
            # Writing on a short page (a laptop at 150 %): the timeline steps aside for the form,
            # which would otherwise show a line or two; it is back as soon as the form folds.
            room = total - top - self.bottom_tabs.tabBar().sizeHint().height()
            self.timeline.setVisible(not writing or room >= self.add_form.sizeHint().height()
                                     + self.timeline.minimumHeight())

    def _needed_height(self) -> int:
        """The fields' height at the pane's present width (the title and summary wrap)."""
        layout = self.top.layout()
        width = self.fields_scroll.viewport().width()
        if layout is not None and layout.hasHeightForWidth() and width > 0:
            return int(layout.totalHeightForWidth(width))
        return int(self.top.sizeHint().height())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The fields' width is known only once the scroll area has laid out its viewport.
        # Fitted once the wrapped title and summary have taken their new heights: a moment later.
        if watched is self.fields_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit()
            self._refit.start()
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        self.form.fit_width(self.fields_scroll.viewport().width())  # the fields have no margins of their own
        self.fit_top()

    def _refresh_changes(self) -> None:
        if self.bottom_tabs.currentWidget() is self.changes and self.item_id:
            self.changes.show_for(self.item)

    def open_add_form(self) -> None:
        self.bottom_tabs.setCurrentIndex(0)
        self.add_scroll.show()
        self.unfold.hide()
        self.updates_heading.hide()  # its line goes to the form; the tab says what is above
        self._show_summary()
        # While an update is written the timeline keeps a glimpse of the last one (three lines
        # or more), and the form has the rest.
        self.timeline.setMinimumHeight(self.timeline.fontMetrics().lineSpacing() * 3)
        self.add_form.narrative.setFocus()
        self.fit_top()
        self.add_scroll.ensureWidgetVisible(self.add_form.narrative)  # the cursor's line in view

    def fold_add_form(self) -> None:
        self.add_scroll.hide()
        self.unfold.show()
        self.updates_heading.show()
        self.timeline.show()
        self._show_summary()
        self.fit_top()

    @property
    def item(self) -> ItemKey:
        return ItemKey(self.kind, self.item_id)

    def show_item(self, row: RecommendationRow | ActionRow, heading: str, rollup: str,
                  updates: Sequence[UpdateRow], agencies: Sequence[AgencyRow], *, keep_form: bool,
                  ) -> None:
        """Show `row`. A field being typed into (refreshed for someone else's change) keeps what
        was typed, and the item keeps the version that edit was made from, so saving it is
        checked against what the person saw, and refused if the item has moved on since."""
        new_item = row.id != self.item_id
        if new_item:
            self.form.forget_unsaved()
        editing = self.form.editing() if not new_item else frozenset()
        self.item_id = row.id
        if not editing:
            self.version = row.version
        self.title.setText(heading)
        self.summary.set_full_text(row.text)
        self._show_summary()
        self.rollup.setText(rollup)
        self.rollup.setVisible(bool(rollup))
        self.form.set_agencies(agencies)
        values = {name: getattr(row, name) for name in self.form.editors}
        # A completed item shows Blue here as everywhere else (domain.rules.shown_rag); its RAG
        # is not chosen while it stays complete.
        done = row.status in DONE_STATUSES
        values["rag"] = shown_rag(row.status, row.rag)
        self.form.load(values, keep=editing)
        self.form.set_read_only(self.read_only)
        self.unfold.setEnabled(not self.read_only)
        rag = self.form.editors["rag"]
        rag.setEnabled(not done and not self.read_only)
        rag.setToolTip("Complete: shown as Blue everywhere. Change the status to rate it again." if done else "")
        self.timeline.show_updates(updates)
        self._refresh_changes()
        if new_item:
            self.fit_top()  # a new item's fields take the height they need, and no more
        lead = getattr(row, "lead_agency_id", None) or getattr(row, "owner_agency_id", None)
        if new_item or not keep_form:
            self.add_form.set_agencies(agencies, lead)
            self.add_form.reset()
            self.fold_add_form()
        else:
            self.add_form.agency.set_agencies(agencies)


class DetailPane(QStackedWidget):
    field_committed = Signal(object, int, str, object)  # ItemKind, id, field, value
    update_submitted = Signal(object, dict)  # ItemKey, values
    correct_requested = Signal(int)
    new_agency_wanted = Signal(object, int, str)  # ItemKind, id, field

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail_pane")
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("detail_empty")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.review_page = ReviewPage()
        self.pages = {kind: ItemPage(kind) for kind in (ItemKind.RECOMMENDATION, ItemKind.ACTION)}
        self.read_only = False
        self.addWidget(self.empty)
        self.addWidget(self.review_page)
        self.review_page.field_committed.connect(
            lambda name, value: self.field_committed.emit(ItemKind.REVIEW, self.review_page.review_id, name, value))
        for page in self.pages.values():
            self.addWidget(page)
            page.field_committed.connect(
                lambda name, value, p=page: self.field_committed.emit(p.kind, p.item_id, name, value))
            page.update_submitted.connect(lambda values, p=page: self.update_submitted.emit(p.item, values))
            page.timeline.correct_requested.connect(self.correct_requested)
            page.form.new_agency_wanted.connect(
                lambda name, p=page: self.new_agency_wanted.emit(p.kind, p.item_id, name))

    def current_key(self) -> ItemKey | None:
        widget = self.currentWidget()
        if widget is self.review_page:
            return ItemKey(ItemKind.REVIEW, self.review_page.review_id)
        if isinstance(widget, ItemPage):
            return widget.item
        return None

    def show_empty(self, message: str | None = None) -> None:
        self.empty.setText(message or EMPTY_TEXT)
        self.setCurrentWidget(self.empty)

    def show_review(self, review: ReviewRow, summary: str, meetings: Sequence[MeetingRow],
                    agencies: Sequence[AgencyRow]) -> None:
        self.review_page.show_review(review, summary, meetings, agencies)
        self.setCurrentWidget(self.review_page)

    def show_item(self, kind: ItemKind, row: RecommendationRow | ActionRow, heading: str, rollup: str,
                  updates: Sequence[UpdateRow], agencies: Sequence[AgencyRow]) -> None:
        page = self.pages[kind]
        keep = self.currentWidget() is page and page.item_id == row.id
        page.show_item(row, heading, rollup, updates, agencies, keep_form=keep)
        self.setCurrentWidget(page)

    # --- several people at once ---------------------------------------------------------------
    def shown_version(self, key: ItemKey) -> int | None:
        """The version of `key` on show, which an edit of it was made from (None: not on show)."""
        page = self.currentWidget()
        if isinstance(page, ItemPage) and page.item == key:
            return page.version
        return None

    def set_read_only(self, read_only: bool) -> None:
        """Everything stays on show; nothing can be edited (a role that may only read, or while
        the connection to the server is lost)."""
        self.read_only = read_only
        for page in self.pages.values():
            page.read_only = read_only
            page.form.set_read_only(read_only)
            page.unfold.setEnabled(not read_only)
            page.add_form.setEnabled(not read_only)  # what is being written there stays there
            page.timeline.set_read_only(read_only)
        self.review_page.set_read_only(read_only)

    # --- what the edit controller asks of the pane ------------------------------------------
    def update_saved(self, kind: ItemKind) -> None:
        """The update typed into `kind`'s form is saved: clear the form, fold it away, and leave
        the cursor on the item's timeline, where the new update now stands first. (Folding the
        form away from under the cursor let Qt hand focus to the next widget in the window's
        chain, the find box with its text selected: the next keys replaced the filter.)"""
        page = self.pages[kind]
        page.add_form.reset()
        page.fold_add_form()
        page.timeline.moveCursor(QTextCursor.MoveOperation.Start)
        page.timeline.setFocus(Qt.FocusReason.OtherFocusReason)

    def shown_update(self, update_id: int) -> UpdateRow | None:
        """The update of that id in the timeline on show, if it is there."""
        page = self.currentWidget()
        if not isinstance(page, ItemPage):
            return None
        return next((u for u in page.timeline.updates if u.id == update_id), None)

    def open_add_form(self) -> None:
        """Unfold the add-update form of the item on show (a review has none)."""
        page = self.currentWidget()
        if isinstance(page, ItemPage):
            page.open_add_form()

    def focus_first_field(self) -> None:
        """The cursor goes where a new record's words are typed: a review's name, a
        recommendation's or an action's text (all of it selected, so typing replaces it)."""
        page = self.currentWidget()
        form = page.form if isinstance(page, ItemPage | ReviewPage) else None
        if form is None:
            return
        name = "name" if "name" in form.editors else "text" if "text" in form.editors else next(iter(form.editors))
        form.reveal(name)  # a folded field is unfolded to be typed into
        editor = form.editors[name]
        editor.setFocus()
        select_all = getattr(editor, "selectAll", None)
        if select_all is not None:
            select_all()  # typing replaces "New review"


def show_detail(detail: DetailPane, sessions: sessionmaker[Session], key: ItemKey, node: TreeNode | None,
                agencies: Sequence[AgencyRow]) -> None:
    """Show the item `key` (its tree node, when loaded, gives the summary line) in `detail`."""
    kind, item_id = key
    summary = node.summary if node else ""
    if kind is ItemKind.REVIEW:
        detail.review_page.item_labels = _item_labels(node.children if node else ())
        detail.show_review(reviews.get_review(sessions, item_id), summary, meetings.list_meetings(sessions, item_id),
                           agencies)
    elif kind is ItemKind.RECOMMENDATION:
        rec = items.get_recommendation(sessions, item_id)
        review = reviews.get_review(sessions, rec.review_id)
        heading = f"{rec.reference} · Recommendation {rec.number} of {review.name}"
        detail.show_item(kind, rec, heading, summary, updates.list_updates(sessions, key), agencies)
    else:
        action = items.get_action(sessions, item_id)
        detail.show_item(kind, action, f"{action.reference} · Action {action.number}", "",
                         updates.list_updates(sessions, key), agencies)


def _item_labels(recommendations: Sequence[TreeNode]) -> dict[ItemKey, str]:
    """How decisions name their items on a review's page: by reference."""
    labels: dict[ItemKey, str] = {}
    for rec in recommendations:
        labels[rec.key] = rec.reference
        labels.update({action.key: action.reference for action in rec.children})
    return labels
