"""One way to run work off the GUI thread: a QRunnable on the global pool whose results come
back to the main thread through queued signals. The function must not touch widgets."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

__all__ = ["BackgroundRunner", "Cancelled", "ProgressFn", "Task", "TaskSignals"]


log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]


class Cancelled(Exception):
    """Raised inside background work when the user pressed Cancel."""


class TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int, str)


class Task(QRunnable):
    """`fn(progress, is_cancelled)` on a pool thread."""

    def __init__(self, fn: Callable[[ProgressFn, Callable[[], bool]], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self._fn = fn
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._fn(self.signals.progress.emit, self.is_cancelled)
        except Exception as exc:  # reported on the main thread, never lost
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class BackgroundRunner(QObject):
    """Starts tasks and keeps them alive until their result has been delivered."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: set[Task] = set()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(self, fn: Callable[[ProgressFn, Callable[[], bool]], Any], *,
            on_done: Callable[[Any], object], on_error: Callable[[BaseException], object],
            on_progress: ProgressFn | None = None) -> Task:
        task = Task(fn)
        task.signals.done.connect(lambda result: self._finish(task, on_done, result))
        task.signals.failed.connect(lambda error: self._finish(task, on_error, error))
        if on_progress is not None:
            task.signals.progress.connect(on_progress)
        self._running.add(task)
        QThreadPool.globalInstance().start(task)
        return task

    def _finish(self, task: Task, callback: Callable[[Any], object], value: Any) -> None:
        self._running.discard(task)
        callback(value)

    def wait(self, msecs: int = 5000) -> bool:
        return QThreadPool.globalInstance().waitForDone(msecs)
