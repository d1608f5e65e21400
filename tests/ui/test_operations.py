"""The one way the window runs background work (MainWindow.run_op → progress.Operations):
progress in the status bar, Cancel only where the work looks at it, the result on the GUI
thread, and a failure told in one sentence through the prompts facade."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.workers import Cancelled
from tests.ui.conftest import AnsweringPrompts


def test_a_result_arrives_and_cancel_shows_only_where_it_works(qtbot: QtBot, window: MainWindow) -> None:
    results: list[int] = []
    go = threading.Event()  # the work waits until the progress has been looked at

    def counting(_progress: object, _cancelled: object) -> int:
        go.wait(5)
        return 42
    # WHEN work that cannot stop part-way runs
    window.run_op("Counting", counting, results.append)
    # THEN its progress shows without a Cancel button that would do nothing
    assert window.progress.isVisible() and window.progress.cancel.isHidden()
    go.set()
    qtbot.waitUntil(lambda: results == [42], timeout=5000)
    assert window.progress.isHidden()
    # AND work that looks at Cancel offers it
    window.run_op("Exporting", lambda _progress, _cancelled: 1, results.append, cancellable=True)
    assert not window.progress.cancel.isHidden()
    qtbot.waitUntil(lambda: results == [42, 1], timeout=5000)


def test_a_failure_is_one_sentence_and_a_cancel_is_not_a_failure(qtbot: QtBot, window: MainWindow) -> None:
    prompts = window.prompts
    assert isinstance(prompts, AnsweringPrompts)

    def broken(_progress: object, _cancelled: object) -> None:
        raise ValueError("the sheet has no header row")

    def cancelled(_progress: object, _cancelled: object) -> None:
        raise Cancelled()
    # WHEN the work fails
    window.run_op("Reading x.xlsx", broken, lambda _result: None, doing="Reading the file")
    qtbot.waitUntil(lambda: bool(prompts.errors()), timeout=5000)
    # THEN the user reads what was being done and what went wrong, in one sentence
    assert prompts.errors() == ["Reading the file: the sheet has no header row."]
    # AND a cancelled export is said in the status bar, not as an error
    window.run_op("Exporting returns", cancelled, lambda _result: None, cancellable=True)
    qtbot.waitUntil(lambda: "cancelled" in window.statusBar().currentMessage(), timeout=5000)
    assert window.statusBar().currentMessage() == "Exporting returns: cancelled; nothing was left half-written."
    assert len(prompts.errors()) == 1
