"""The Returns view's side of the main window: the board read on a worker whenever the data
changes while it (or the dashboard, which shows its headline) is on show; chasers drafted; the
partners' proposals accepted or declined as undoable edits."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scr_desk.domain.wording import count
from scr_desk.services.edits.base import Change
from scr_desk.services.edits.records import ProposalDecisions
from scr_desk.services.proposals import list_proposals
from scr_desk.services.returns_board import load_board
from scr_desk.ui.returns_board import BoardData, ReturnsBoardView

if TYPE_CHECKING:
    from scr_desk.services.returns_mail import MailResult
    from scr_desk.ui.main_window import MainWindow

__all__ = ["ReturnsBoardHost"]


class ReturnsBoardHost:
    """Made by the main window, whose tabs it joins (the smallest hook: one line there)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.view = ReturnsBoardView()
        window.right_tabs.addTab(self.view, "Re&turns")
        self.period: str | None = None  # the one chosen; None: the latest returns sent
        self.shown = 0  # boards drawn: tests wait on it
        self._generation = 0
        self.view.period_chosen.connect(self._choose_period)
        self.view.send_requested.connect(window.exchange.export_returns)
        self.view.chase_requested.connect(self.draft_chasers)
        self.view.decision_requested.connect(self.decide)
        self.view.open_item.connect(self._open_item)
        window.dashboard.open_returns.connect(self.show)
        self.view.full_window.toggled.connect(self._full_window)
        window.right_tabs.currentChanged.connect(lambda _i: self._tab_changed())
        window.changed.connect(lambda _change: self.refresh())
        window.ready.connect(self.refresh)

    def _full_window(self, full: bool) -> None:
        """The board takes the whole window: the tree's pane hides until it is turned off (or
        another tab is chosen)."""
        tree_pane = self.window.splitter.widget(0)
        if tree_pane is not None:
            tree_pane.setVisible(not full)

    def _tab_changed(self) -> None:
        if self.window.right_tabs.currentWidget() is not self.view and self.view.full_window.isChecked():
            self.view.full_window.setChecked(False)
        self.refresh()

    def show(self) -> None:
        self.window.dashboards.set_dashboard_full_window(False)
        self.window.right_tabs.setCurrentWidget(self.view)

    def _on_show(self) -> bool:
        current = self.window.right_tabs.currentWidget()
        return current is self.view or current is self.window.dashboard

    def refresh(self) -> None:
        """Read the board again on a worker, while it or the dashboard's headline is on show."""
        if not self._on_show():
            return
        self._generation += 1
        wanted, period, sessions = self._generation, self.period, self.window.sessions

        def read(_progress: object, _cancelled: object) -> BoardData:
            return BoardData(load_board(sessions, period), list_proposals(sessions))
        self.window.operations.run("Reading the returns board", read, lambda data: self._ready(data, wanted),
                                   shown=False)

    def _ready(self, data: BoardData, generation: int) -> None:
        if generation != self._generation:
            return  # a newer reading is on its way
        self.view.show_board(data)
        self.window.dashboard.show_returns_headline(f"Returns {data.board.period}: {data.board.headline()}")
        self.shown += 1

    def _choose_period(self, period: str) -> None:
        self.period = period
        self.refresh()

    def _open_item(self, key: object) -> None:
        from scr_desk.domain.dto import ItemKey
        assert isinstance(key, ItemKey)
        self.window.right_tabs.setCurrentWidget(self.window.detail)
        if self.window.select_key(key):
            self.window.tree.setFocus()

    # --- chasers ---------------------------------------------------------------------
    def draft_chasers(self) -> None:
        from scr_desk.services.returns_mail import chase_returns
        data = self.view.data
        if data is None:
            return
        board = data.board
        out = [r for r in board.rows if r.state.outstanding]
        if not out:
            self.window.prompts.info("Draft chasers", f"No return for {board.period} is outstanding: there is no "
                                                      "one to chase.")
            return
        folder = self.window.prompts.chase_folder(
            self.window.workspace.folder / "returns" / board.period, board.period, len(out))
        if folder is None:
            return
        sessions = self.window.sessions
        self.window.run_op("Drafting chasers", lambda _p, _c: chase_returns(sessions, folder, period=board.period),
                           lambda result: self._chased(folder, result))

    def _chased(self, folder: Path, result: MailResult) -> None:
        lines = [f"{d.agency}: {d.path.name}" + ("" if d.attached else " (no return attached)") for d in result.drafts]
        text = f"{count(len(result.drafts), 'chaser')} drafted in {folder}, each with the return sent attached:\n\n" \
            + "\n".join(lines)
        if result.failed:
            text += f"\n\n{count(len(result.failed), 'chaser')} not drafted:\n" + "\n".join(
                f"{f.agency}: {f.reason}" for f in result.failed)
        if result.warnings:
            text += "\n\nNotes:\n" + "\n".join(result.warnings)
        text += "\n\nOpen each in Outlook or Thunderbird, check it and send it from there; SCR Desk sends nothing."
        self.window.show_status(f"{count(len(result.drafts), 'chaser')} drafted in {folder}")
        self.window.notify(Change())  # the chases are on the board now
        if result.failed:
            self.window.prompts.error("Chasers drafted", text)
        else:
            self.window.prompts.written("Chasers drafted", text, folder)

    # --- proposals -------------------------------------------------------------------
    def decide(self, accept: Sequence[int], decline: Sequence[int]) -> None:
        """Accept and decline, as one undoable edit ("Undo acceptance of 2 proposals")."""
        self.window.editor.editor.run(ProposalDecisions(self.window.sessions, accept, decline))
