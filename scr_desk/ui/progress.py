"""Progress of background work, shown in the status bar with a Cancel button; the window stays
usable while it runs."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from scr_desk.ui.workers import Task


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
        task.signals.done.connect(self.finish)
        task.signals.failed.connect(self.finish)
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

    def finish(self, *_: object) -> None:
        self._task = None
        self.hide()
