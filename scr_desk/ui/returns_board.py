"""The Returns view beside the dashboard: the quarter's returns (sent, due, overdue, received,
chased) for a period, and every proposal waiting for the lead's decision. The view only shows and
asks; ReturnsBoardHost (returns_host.py) loads it on a worker and carries out what is asked."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scr_desk.domain.dates import format_uk
from scr_desk.domain.wording import count
from scr_desk.services.proposals import ProposalRow
from scr_desk.services.returns_board import Board, BoardRow, ReturnState
from scr_desk.ui.dashboard_models import KEY_ROLE, RowsTableModel
from scr_desk.ui.widgets import read_only_table

__all__ = ["BoardData", "ReturnsBoardView", "state_words"]


@dataclass(frozen=True)
class BoardData:
    """What the view shows, read together on a worker."""

    board: Board
    proposals: list[ProposalRow]


def state_words(row: BoardRow) -> str:
    if row.state is ReturnState.OVERDUE:
        return f"Overdue ({count(row.days_overdue, 'day')})"
    if row.state is ReturnState.NOT_SENT:
        return f"Not sent ({count(row.open_items, 'open item')})"
    return row.state.value.capitalize()


def _table(name: str, model: RowsTableModel, first_width: int) -> QTableView:
    """A compact table: one line a row, the first column `first_width` wide (elided, the whole text
    in its tooltip), the others as wide as their contents."""
    table = read_only_table(name, model)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(0, first_width * table.fontMetrics().averageCharWidth())
    header.setStretchLastSection(True)
    return table


class ReturnsBoardView(QScrollArea):
    period_chosen = Signal(str)
    send_requested = Signal()
    chase_requested = Signal()
    decision_requested = Signal(object, object)  # (proposal ids to accept, proposal ids to decline)
    open_item = Signal(object)  # ItemKey

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returns_board")
        self.data: BoardData | None = None
        self.period = QComboBox()
        self.period.setObjectName("board_period")
        self.period.setAccessibleName("Reporting period")
        self.period.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.period.setMinimumContentsLength(len("2020-21 Q4") + 1)
        self.period.activated.connect(lambda _i: self.period_chosen.emit(self.period.currentText()))
        self.headline = QLabel("Working out the returns…")
        self.headline.setObjectName("board_headline")
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setWordWrap(True)
        self.send = QPushButton("&Send returns…")
        self.send.setObjectName("board_send")
        self.send.setToolTip("Write each agency's return with an email draft beside it (File > Export returns)")
        self.send.clicked.connect(self.send_requested)
        self.chase = QPushButton("Draft &chasers…")
        self.chase.setObjectName("board_chase")
        self.chase.setToolTip("An email draft for each return still out, with the same return attached")
        self.chase.clicked.connect(self.chase_requested)
        self.full_window = QPushButton("&Full window")
        self.full_window.setObjectName("board_full_window")
        self.full_window.setCheckable(True)
        self.full_window.setToolTip("Give the board the whole window (the tree is hidden meanwhile)")
        self.returns_model = RowsTableModel(("Agency", "State", "Due", "Sent", "Items", "Back", "Landed",
                                             "Proposals", "Chased", "Email", "Sent as"))
        self.returns = _table("board_returns", self.returns_model, 26)
        self.proposals_model = RowsTableModel(("Id", "Item", "Agency", "Period", "Proposed", "With their update"))
        self.proposals = _table("board_proposals", self.proposals_model, 5)
        self.proposals.setToolTip("Double-click or press Enter to open the item")
        self.proposals.activated.connect(self._open)
        self.proposals.doubleClicked.connect(self._open)
        self.proposals.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.buttons = {name: QPushButton(text) for name, text in (
            ("accept", "&Accept"), ("decline", "&Decline"), ("accept_return", "Accept whole &return"),
            ("decline_return", "Decline whole r&eturn"))}
        for name, button in self.buttons.items():
            button.setObjectName(f"proposal_{name}")
            if name.endswith("_return"):
                button.setToolTip(f"{name.split('_')[0].capitalize()} every proposal waiting from the return of the "
                                  "proposal selected")
            button.clicked.connect(lambda _=False, n=name: self._decide(n))
        self.proposals_heading = QLabel("Proposals waiting for your decision")
        self.proposals_heading.setWordWrap(True)
        self.proposals_heading.setBuddy(self.proposals)
        font = self.proposals_heading.font()
        font.setBold(True)
        self.proposals_heading.setFont(font)
        self.no_proposals = QLabel("No proposals are waiting: every partner's proposal has been decided.")
        self.no_proposals.setWordWrap(True)

        # Laid out narrow (the headline under the period, the decisions on two rows) and scrolling
        # within itself, so the tab never widens the window beyond a laptop's screen at 150 %.
        top = QHBoxLayout()
        period_label = QLabel("&Period:")
        period_label.setBuddy(self.period)
        top.addWidget(period_label)
        top.addWidget(self.period)
        top.addStretch(1)
        top.addWidget(self.full_window)
        actions = QHBoxLayout()
        actions.addWidget(self.send)
        actions.addWidget(self.chase)
        actions.addStretch(1)
        decide = QGridLayout()
        for index, button in enumerate(self.buttons.values()):
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            decide.addWidget(button, index // 2, index % 2)
        decide.setColumnStretch(2, 1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.headline)
        layout.addWidget(self.returns, 3)
        layout.addWidget(self.proposals_heading)
        layout.addWidget(self.no_proposals)
        layout.addWidget(self.proposals, 2)
        layout.addLayout(decide)
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._enable()

    def show_board(self, data: BoardData) -> None:
        """Redraw from `data` (each model reset once), keeping the selected proposals selected."""
        self.data = data
        board = data.board
        kept = set(self.selected_ids())
        self.period.blockSignals(True)
        self.period.clear()
        self.period.addItems(list(board.periods) if board.period in board.periods else [board.period, *board.periods])
        self.period.setCurrentText(board.period)
        self.period.blockSignals(False)
        self.headline.setText(board.headline() + ".")
        self.returns_model.set_rows([(
            f"{r.code} — {r.name}" if r.code else r.name, state_words(r), r.deadline, r.sent.date() if r.sent else None,
            r.rows_sent if r.sent else None, r.received.date() if r.received else None,
            r.rows_landed if r.received else None, r.proposals_waiting or None,
            ", ".join(format_uk(d) for d in r.chased), "; ".join(r.emails) or "no address", r.written_to or None)
            for r in board.rows], [r.export_uid for r in board.rows])
        self.proposals_model.set_rows([(p.id, p.reference, p.agency_code or p.agency, p.period, p.proposed, p.narrative)
                                       for p in data.proposals], [p.id for p in data.proposals])
        self.no_proposals.setVisible(not data.proposals)
        self.proposals.setVisible(bool(data.proposals))
        for row, proposal in enumerate(data.proposals):
            if proposal.id in kept:
                self.proposals.selectRow(row)
        self._enable()

    def selected_ids(self) -> list[int]:
        return [int(self.proposals_model.key(index.row())) for index in self.proposals.selectionModel().selectedRows()]

    def _selected(self) -> list[ProposalRow]:
        chosen = set(self.selected_ids())
        return [p for p in (self.data.proposals if self.data else []) if p.id in chosen]

    def _enable(self) -> None:
        chosen = self._selected()
        for name in ("accept", "decline"):
            self.buttons[name].setEnabled(bool(chosen))
        one_return = len({p.export_uid for p in chosen}) == 1 and bool(chosen[0].export_uid) if chosen else False
        for name in ("accept_return", "decline_return"):
            self.buttons[name].setEnabled(one_return)

    def _decide(self, verb: str) -> None:
        chosen = self._selected()
        if not chosen or self.data is None:
            return
        if verb.endswith("_return"):  # every proposal waiting from the return of the one selected
            chosen = [p for p in self.data.proposals if p.export_uid == chosen[0].export_uid]
        ids = [p.id for p in chosen]
        self.decision_requested.emit(ids if verb.startswith("accept") else [],
                                     ids if verb.startswith("decline") else [])

    def _open(self, index: QModelIndex) -> None:
        proposal_id = index.data(KEY_ROLE)
        found = next((p for p in (self.data.proposals if self.data else []) if p.id == proposal_id), None)
        if found is not None:
            self.open_item.emit(found.item)
