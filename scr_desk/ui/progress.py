"""Background work as the user sees it: its progress in the status bar with a Cancel button
(the window stays usable while it runs), and Operations, the one way the window runs it.

One way to run background work from the window, in the shape of Anki's operations.

`Operations.run(label, work, on_done)` starts `work(progress, cancelled)` on a worker, shows its
progress in the status bar (with Cancel when the work can stop part-way), hands the result to
`on_done` on the GUI thread, and reports a failure to the user in one sentence: a cancel as
"cancelled; nothing was left half-written", anything else through the window's report_error
(which goes through the prompts facade) unless the caller handles it. What the result changed
is then the caller's to say through the window's one "changed" notification (notify).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from scr_desk.ui.workers import BackgroundRunner, Cancelled, ProgressFn, Task

__all__ = ["Operations", "StatusProgress", "Work"]


class StatusProgress(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_progress")
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(180)
        self.bar.setAccessibleName("Progress")
        self.cancel = QToolButton()
        self.cancel.setText("Cancel")
        self.cancel.setObjectName("cancel_background")
        self.cancel.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self._task: Task | None = None
        self.hide()

    def track(self, task: Task, label: str, *, cancellable: bool = True) -> None:
        self._task = task
        self.label.setText(label)
        self.bar.setRange(0, 0)  # busy until the first report
        self.cancel.setEnabled(True)
        self.cancel.setVisible(cancellable)  # Cancel only where the work looks at it
        task.signals.progress.connect(self._report)
        self.show()

    def _report(self, done: int, total: int, what: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if what:
            self.label.setText(what)

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.label.setText("Cancelling…")
            self.cancel.setEnabled(False)

    def finish(self, task: Task | None = None) -> None:
        """The work ended: the bar goes, unless it now shows other work (started since)."""
        if task is None or task is self._task:
            self._task = None
            self.hide()


T = TypeVar("T")
Work = Callable[[ProgressFn, Callable[[], bool]], T]


class Operations:
    def __init__(self, runner: BackgroundRunner, progress: StatusProgress,
                 report_error: Callable[[str, BaseException], None], show_status: Callable[[str, int], None]) -> None:
        self.runner = runner
        self.progress = progress
        self._report_error = report_error
        self.report_error = report_error
        self._show_status = show_status

    def run(self, label: str, work: Work[T], on_done: Callable[[T], object], *, cancellable: bool = False,
            doing: str | None = None, on_error: Callable[[BaseException], object] | None = None,
            shown: bool = True) -> Task:
        """Run `work` on a worker. `label` is what the status bar says meanwhile; `doing` (else the
        label) begins the sentence that reports a failure; `on_error`, when given, reports it
        instead (in its own words, then re-enabling a button, say). `shown=False` runs it without
        progress (the tree's loads and the dashboard's figures, which are not the user's doing)."""
        # The bar is told the work has ended before its result is reported: a result handed
        # over first (its message box, say) showed with the bar still running behind it, the
        # two being separate queued events (the race that failed a test 1 run in 11).
        started: list[Task] = []

        def ended() -> None:
            if shown and started:
                self.progress.finish(started[0])

        def done(result: T) -> object:
            ended()
            return on_done(result)

        def failed(error: BaseException) -> None:
            ended()
            if cancellable and isinstance(error, Cancelled | InterruptedError):
                self._show_status(f"{label}: cancelled; nothing was left half-written.", 6000)
            elif on_error is not None:
                on_error(error)
            else:
                self._report_error(doing or label, error)
        task = self.runner.run(work, on_done=done, on_error=failed)
        started.append(task)  # before any result can arrive: results come through the event loop
        if shown:
            self.progress.track(task, label, cancellable=cancellable)
        return task
